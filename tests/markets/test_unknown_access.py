"""A market without tariff data says so, and the user can leave such markets out.

The class of fault: a market with no duty data ranked as if its access were average (or
silently dropped).  Its access stays unknown with the effect explained, and an explicit option
(form and API) excludes such markets.
"""

from __future__ import annotations

from typing import Any

from tradewind.db import Database
from tradewind.markets import rank_markets


def test_unknown_access_is_kept_unknown_or_excluded_on_request(hs_db: Database) -> None:
    with hs_db.connect() as conn:
        everything = rank_markets(conn, "090111", "KEN")
        known = rank_markets(conn, "090111", "KEN", exclude_unknown_access=True)
    unknown = [r for r in everything.rows if r.components["access"].score is None]
    assert unknown, "the SAMPLE should have markets without tariff data"
    assert all("no tariff data" in r.components["access"].note for r in unknown)
    assert len(known.rows) == len(everything.rows) - len(unknown)
    assert all(r.components["access"].score is not None for r in known.rows)
    assert [r.rank for r in known.rows] == list(range(1, len(known.rows) + 1))
    assert "access-unknown-excluded" in known.notes


def test_form_and_api_offer_the_option(client: Any) -> None:
    page = client.get("/markets/rank?product=090111&origin=KEN")
    assert 'name="known_access"' in page.text
    assert "uses its other components only" in page.text
    filtered = client.get("/markets/rank?product=090111&origin=KEN&known_access=1")
    assert filtered.status_code == 200 and "checked" in filtered.text
    assert "Market access: unknown" not in filtered.text
    api = client.get("/api/v1/markets/rank?product=090111&origin=KEN"
                     "&exclude_unknown_access=true").json()
    assert all(row["components"]["access"]["score"] is not None for row in api["results"])
    assert api["results"] and "access-unknown-excluded" in api["notes"]
