"""Bilingual product lexicons (data only): French and Spanish words → English search words."""
