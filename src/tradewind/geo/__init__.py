"""Bilateral geography between economies (distance, contiguity, language, colonial ties)."""
