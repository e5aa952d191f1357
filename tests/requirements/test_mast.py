"""The MAST classification data and helpers."""

from __future__ import annotations

from tradewind import i18n
from tradewind.requirements import mast

LISTED = ("A1 A11 A12 A13 A14 A15 A19 A2 A21 A22 A3 A31 A33 A4 A41 A42 A5 A6 A8 A82 A83 A84 "
          "A85 A86 B1 B14 B2 B3 B31 B32 B33 B4 B6 B7 B8 B82 B83 B84 B85 C1 C2 C3 C4 D1 D2 E1 "
          "E2 E3 F1 F2 F3 F4 F6 F7 G1 G2 G3 H1 I1 I2 J1 K L M N O P1 P2 P3 P4 P5 P6 P7 P9")


def test_chapters_a_to_p_and_codes_present() -> None:
    assert list(mast.CHAPTERS) == list("ABCDEFGHIJKLMNOP")
    assert set(LISTED.split()) <= set(mast.CODES)
    assert all(code[0] in mast.CHAPTERS for code in mast.CODES)


def test_known_codes_and_finer_codes() -> None:
    assert mast.is_known("b31") and mast.is_known("A 83")
    assert mast.is_known("A851")  # finer code under A85
    assert not mast.is_known("Z1") and not mast.is_known("A99") and not mast.is_known("")
    assert mast.code_name("A851") == "Traceability requirements"


def test_names_are_translated() -> None:
    token = i18n.current_language.set("fr")
    try:
        assert mast.chapter_name("A") != "Sanitary and phytosanitary measures"
        assert mast.code_name("B31") != "Labelling requirements"
    finally:
        i18n.current_language.reset(token)
