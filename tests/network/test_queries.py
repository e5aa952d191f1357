"""Directory search: by country (incl. worldwide bodies), by service, and from a question."""

from pathlib import Path

import pytest

from tests.knowledge.platform_fixtures import write_content
from tradewind.db import Database
from tradewind.ingest.content import load_content
from tradewind.network.queries import parse_need, search_organisations


@pytest.mark.parametrize(("text", "country", "service"), [
    ("who can help me in Kenya with export finance?", "KEN", "trade finance"),
    ("trade fairs in France", "FRA", "trade fairs"),
    ("qui peut m'aider au Sénégal avec le financement", "SEN", "trade finance"),
    ("insurance for exports from the United States", "USA", "export credit insurance"),
    ("Niger customs", "NER", "customs and logistics"),
    ("Nigeria", "NGA", None),
])
def test_parse_need(text: str, country: str, service: str | None) -> None:
    need = parse_need(text, "fr")
    assert (need.country, need.service) == (country, service)


def test_search_by_country_and_service(db: Database, tmp_path: Path) -> None:
    load_content(db, write_content(tmp_path))
    with db.connect() as conn:
        names = [o.name for o in search_organisations(conn, "KEN")]
        assert names == ["Kenya Export Bank", "Global Trade Centre"]  # national first
        assert [o.name for o in search_organisations(conn, "KEN", "trade finance")] == \
            ["Kenya Export Bank"]
        assert [o.name for o in search_organisations(conn, "FRA", "trade fairs")] == \
            ["Chambre de Paris"]
        assert [o.name for o in search_organisations(conn, q="salons")] == ["Chambre de Paris"]
        assert [o.name for o in search_organisations(conn, partners_only=True)] == \
            ["Global Trade Centre"]
