"""Editors' operations shared by every kind of editable record (delete, restore)."""
