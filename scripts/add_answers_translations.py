"""Append translations to the answers.po catalogues (fr, es): ``python scripts/add_answers_translations.py FILE.py``.

FILE.py defines ``T = {msgid: (fr, es)}``; existing entries are replaced, nothing else changes.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1] / "src" / "tradewind" / "i18n" / "locales"


def main(path: str) -> None:
    table = runpy.run_path(path)["T"]
    for index, lang in enumerate(("fr", "es")):
        po = ROOT / lang / "LC_MESSAGES" / "answers.po"
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        for msgid, forms in table.items():
            catalog.add(msgid, forms[index], flags=("python-format",) if "%" in msgid else ())
        with po.open("wb") as fh:
            write_po(fh, catalog, width=0, omit_header=False, sort_output=False)


if __name__ == "__main__":
    main(sys.argv[1])
