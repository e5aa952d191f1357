"""The assessment of each kind of rule, tolerance, cumulation and "cannot tell"."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

from tradewind.origin.assess import (
    CANNOT_TELL,
    DOES_NOT_MEET,
    MEETS,
    MSG_CUMULATION,
    MSG_TOLERANCE,
    MSG_UNPARSED,
    assess,
    proofs_of_origin,
)

GREEN = [("090111", D(600), False)]


def _v(rule: str, materials: Any, **kw: Any) -> str:
    kw.setdefault("tolerance_pct", 0)
    return assess("090121", D(1000), materials, False, rule, **kw).verdict


def test_change_of_heading_subheading_chapter() -> None:
    assert _v("CTH", GREEN) == DOES_NOT_MEET  # same heading 0901
    assert _v("CTSH", GREEN) == MEETS  # 090111 → 090121
    assert _v("CC", GREEN) == DOES_NOT_MEET
    assert _v("CC", [("210111", D(600), False)]) == MEETS
    assert _v("CTH", [("090111", D(600), True)]) == MEETS  # originating: no change needed


def test_value_rules() -> None:
    mats = [("090111", D(400), False), ("481910", D(100), True)]
    assert _v("MaxNOM 50%", mats) == MEETS
    assert _v("MaxNOM 30%", mats) == DOES_NOT_MEET
    assert _v("RVC 60%", mats) == MEETS
    got = assess("090121", D(1000), mats, False, "RVC 70%")
    assert got.verdict == DOES_NOT_MEET and got.reasons[0][1] == {"share": "40.0", "limit": "30"}


def test_combined_rules() -> None:
    mats = [("090111", D(400), False)]
    assert _v("CTH or MaxNOM 50%", mats) == MEETS
    assert _v("CTH or MaxNOM 30%", mats) == DOES_NOT_MEET
    assert _v("CTSH and RVC 70%", mats) == DOES_NOT_MEET
    assert _v("CTSH and RVC 50%", mats) == MEETS


def test_tolerance() -> None:
    small = [("090111", D(80), False)]
    assert _v("CTH", small) == DOES_NOT_MEET
    got = assess("090121", D(1000), small, False, "CTH")  # default tolerance 10 %
    assert got.verdict == MEETS and got.reasons[-1][0] == MSG_TOLERANCE
    assert _v("CTH", [("090111", D(120), False)], tolerance_pct=10) == DOES_NOT_MEET


def test_cumulation() -> None:
    ugandan = [("090111", D(600), False, "UGA")]
    assert _v("CTH", ugandan) == DOES_NOT_MEET
    got = assess("090121", D(1000), ugandan, False, "CTH", cumulation_partners={"UGA"})
    assert got.verdict == MEETS and got.reasons[0] == (MSG_CUMULATION,
                                                       {"code": "090111", "economy": "UGA"})


def test_exception() -> None:
    assert _v("CTH", [("210111", D(600), False)]) == MEETS
    assert _v("CTH except from 2101", [("210111", D(600), False)]) == DOES_NOT_MEET


def test_wholly_obtained() -> None:
    assert assess("090121", D(1000), [], True, "WO").verdict == MEETS
    assert assess("090121", D(1000), [], False, "WO").verdict == DOES_NOT_MEET
    assert assess("090121", D(1000), GREEN, True, "CTH").verdict == MEETS


def test_cannot_tell() -> None:
    no_hs = assess("090121", D(1000), [(None, D(5), False)], False, "CTH")
    assert no_hs.verdict == CANNOT_TELL and no_hs.missing == ["material_hs"]
    unknown = assess("090121", D(1000), [("090111", D(5), None)], False, "MaxNOM 50%")
    assert unknown.verdict == CANNOT_TELL and unknown.missing == ["material_origin"]
    assert assess("090121", None, GREEN, False, "RVC 40%").missing == ["price"]
    # a change of classification needs the price only when the tolerance must be weighed
    assert assess("090121", None, GREEN, False, "CTSH").verdict == MEETS
    assert assess("090121", None, GREEN, False, "CTH").missing == ["price"]
    assert assess("090121", D(1000), [], None, "WO").missing == ["wholly_obtained"]
    assert assess("090121", D(1000), [], False, None).missing == ["rule"]
    odd = assess("090121", D(1000), [], False, "Blending of teas")
    assert odd.verdict == CANNOT_TELL and odd.reasons[0][0] == MSG_UNPARSED
    # an OR is decided as soon as one side meets, even if the other cannot tell
    mixed = assess("090121", D(1000), [("100110", D(5), False), (None, D(1), True)], False,
                   "CTSH or MaxNOM 50%")
    assert mixed.verdict == MEETS and mixed.missing == []


def test_proofs_of_origin() -> None:
    assert proofs_of_origin("EUR.1; origin declaration", "free trade area") == \
        ["EUR.1", "origin declaration"]
    assert len(proofs_of_origin("", "free trade area")) == 2
    assert "REX" in proofs_of_origin(None, "unilateral preference")[0]
