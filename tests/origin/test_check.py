"""The origin check reads the agreement's most specific product rule from the database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from sqlalchemy import insert

from tradewind.agreements.models import product_specific_rules
from tradewind.agreements.store import create_agreement
from tradewind.db import Database
from tradewind.origin.assess import CANNOT_TELL, DOES_NOT_MEET, MEETS
from tradewind.origin.check import check_origin


def test_check_uses_most_specific_rule_and_parties(db: Database) -> None:
    with db.transaction() as conn:
        aid = create_agreement(conn, code="t:ke-x", name="KE-X", type="free trade area",
                               status="in force", parties=["KEN", "UGA"],
                               entry_into_force=date(2020, 1, 1))
        conn.execute(insert(product_specific_rules), [
            {"agreement_id": aid, "hs_code": "09", "rule_text": "CC"},
            {"agreement_id": aid, "hs_code": "090121", "rule_text": "CTSH"},
            {"agreement_id": aid, "hs_code": "0902", "rule_text": "Blending of teas"}])
    with db.connect() as conn:
        green = [("090111", D(600), False, "ETH")]
        got = check_origin(conn, aid, "090121", D(1000), green, False)
        assert got.rule_code == "090121" and got.assessment.verdict == MEETS
        assert check_origin(conn, aid, "090122", D(1000), green, False).assessment.verdict \
            == DOES_NOT_MEET
        # cumulation with the other party: Ugandan coffee counts as originating under CC
        ugandan = [("090111", D(600), False, "UGA")]
        assert check_origin(conn, aid, "090122", D(1000), ugandan, False).assessment.verdict \
            == MEETS
        assert check_origin(conn, aid, "090210", D(1000), [], False).assessment.verdict \
            == CANNOT_TELL
        assert check_origin(conn, aid, "100110", D(1000), [], False).assessment.missing \
            == ["rule"]
