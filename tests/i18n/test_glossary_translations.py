"""Every shipped glossary term is readable in French and Spanish, not only the key ones."""

from __future__ import annotations

from pathlib import Path

import yaml

import tradewind

GLOSSARY = Path(tradewind.__file__).parent / "content" / "glossary.yaml"


def test_every_glossary_term_has_french_and_spanish() -> None:
    entries = yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))
    missing = []
    for entry in entries:
        translations = entry.get("translations") or {}
        for lang in ("fr", "es"):
            tr = translations.get(lang) or {}
            if not (isinstance(tr.get("term"), str) and tr["term"].strip()
                    and isinstance(tr.get("definition"), str) and tr["definition"].strip()):
                missing.append(f"{entry['slug']} ({lang})")
            elif tr["definition"].strip() == entry["definition"].strip():
                missing.append(f"{entry['slug']} ({lang}: definition still in English)")
    assert not missing, "glossary terms without a translation:\n" + "\n".join(missing)
