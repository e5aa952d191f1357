"""Bilateral trade flows (HS 2022, six digits): storage, importers' loading core, SAMPLE data."""
