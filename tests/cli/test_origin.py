"""``tradewind origin check``: options, materials files, verdicts and clear errors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import insert
from typer.testing import CliRunner

from tradewind.agreements.models import product_specific_rules
from tradewind.agreements.store import create_agreement
from tradewind.cli import origin as cli_origin
from tradewind.cli.app import app
from tradewind.db import Database


@pytest.fixture
def runner(db: Database, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setattr(cli_origin, "database", lambda: db)
    with db.transaction() as conn:
        aid = create_agreement(conn, code="t:ke-ug", name="KE-UG", type="free trade area",
                               status="in force", parties=["KEN", "UGA"],
                               entry_into_force=date(2020, 1, 1))
        conn.execute(insert(product_specific_rules), [
            {"agreement_id": aid, "hs_code": "0901", "rule_text": "CTH or MaxNOM 50%"}])
    return CliRunner()


def test_check_with_options_json(runner: CliRunner) -> None:
    result = runner.invoke(app, ["origin", "check", "-p", "0901.21", "-o", "KEN",
                                 "-a", "t:ke-ug", "--price", "1000",
                                 "-m", "0901.11:600:ETH", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # green coffee is in the same heading (CTH fails) and 60% > 50% (MaxNOM fails)
    assert data["verdict"] == "does_not_meet"
    assert data["rule"] == "CTH or MaxNOM 50%" and data["rule_code"] == "0901"
    assert any("60.0%" in r["text"] for r in data["reasons"])


def test_check_with_csv_file_and_text_output(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_text("hs,value,origin\n0901.11,300,ETH\n0901.11,300,UGA\n", "utf-8")
    result = runner.invoke(app, ["origin", "check", "-p", "090121", "-o", "KEN",
                                 "-a", "t:ke-ug", "--price", "1000", "--materials", str(path)])
    assert result.exit_code == 0, result.output
    # Ugandan coffee counts as originating (cumulation): 30% ≤ 50%
    assert result.stdout.startswith("Likely MEETS")
    assert "cumulation" in result.stdout


def test_check_with_json_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_text(json.dumps({"materials": [{"hs": "1701", "value": 100}]}), "utf-8")
    result = runner.invoke(app, ["origin", "check", "-p", "090121", "-o", "KEN",
                                 "-a", "t:ke-ug", "--price", "1000", "--materials", str(path),
                                 "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["verdict"] == "cannot_tell"  # the sugar's origin is unknown
    assert data["missing"] == ["material_origin"]


@pytest.mark.parametrize(("content", "suffix", "expected"), [
    ("hs,value,origin\n0901.11,abc,ETH\n", ".csv", "line 2"),
    ("hs,origin\n0901.11,ETH\n", ".csv", "value"),
    ("hs,value,origin\n0901.11,10,Ethiopia\n", ".csv", "origin"),
    ('[{"hs": "0901", "value": 1}', ".json", "not valid JSON"),
    ("", ".csv", "empty"),
])
def test_bad_materials_files_are_named(runner: CliRunner, tmp_path: Path, content: str,
                                       suffix: str, expected: str) -> None:
    path = tmp_path / f"bom{suffix}"
    path.write_text(content, "utf-8")
    result = runner.invoke(app, ["origin", "check", "-p", "090121", "-o", "KEN",
                                 "--materials", str(path)])
    assert result.exit_code == 1
    assert "bom" in result.output and expected in result.output


def test_bad_options(runner: CliRunner) -> None:
    for args, expected in ((["-p", "0901"], "6-digit"),
                           (["-p", "090121", "-m", "0901"], "HS:VALUE"),
                           (["-p", "090121", "--wholly-obtained", "maybe"], "yes or no"),
                           (["-p", "090121", "-a", "nope"], "Unknown agreement")):
        result = runner.invoke(app, ["origin", "check", "-o", "KEN", *args])
        assert result.exit_code == 1, args
        assert expected in result.output, (args, result.output)
