"""The dashboard, API, downloads and report: suppression below the threshold everywhere."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select
from typer.testing import CliRunner

from tradewind.db import Database
from tradewind.policy import store
from tradewind.policy.gaps import GAP_KINDS, github_anchor
from tradewind.policy.models import policy_cube, policy_events
from tradewind.policy.recorder import now_day

ROOT = Path(__file__).resolve().parents[2]


def _event(day: date, kind: str = "access", outcome: str = "answered", hs: str = "090121",
           origin: str = "KEN", destination: str = "GBR", topic: str = "") -> dict[str, object]:
    return {"day": day, "kind": kind, "outcome": outcome, "hs": hs, "origin": origin,
            "destination": destination, "lang": "en", "user_type": "business",
            "topic": topic, "query_hash": "", "query_text": None}


def seed(db: Database) -> None:
    """12 questions about coffee → UK (shown), 3 about tea → Japan (suppressed at k=10),
    15 "no data" answers for Nigeria (a gap) and 11 feedback messages on customs."""
    today = now_day()
    events = ([_event(today) for _ in range(12)]
              + [_event(today, hs="090230", destination="JPN") for _ in range(3)]
              + [_event(today, outcome="no_data", hs="180100", destination="NGA")
                 for _ in range(15)]
              + [_event(today, kind="feedback", hs="", destination="", topic="customs")
                 for _ in range(11)])
    with db.transaction() as conn:
        store.write_events(conn, events)


def test_dashboard_suppresses_small_counts(analyst: TestClient, db: Database) -> None:
    seed(db)
    page = analyst.get("/policy")
    assert page.status_code == 200
    pairs, markets = _table(page.text, "pairs"), _table(page.text, "markets")
    assert "United Kingdom" in pairs and "0901" in pairs and "United Kingdom" in markets
    assert "Japan" not in pairs + markets and "0902" not in page.text
    assert "Japan: " not in page.text.split('id="policy-map"')[1].split("</svg>")[0].replace(
        "Japan: no data", "")
    gaps = page.text.split('id="gaps"')[1].split("</ol>")[0]
    assert "Nigeria" in gaps and "data-import.md#tariff-schedules-and-agreements" in gaps
    assert "Customs procedures" in _table(page.text, "barriers")


def _table(html: str, ident: str) -> str:
    return html.split(f'<table id="{ident}">')[1].split("</table>")[0]


def test_filters_by_origin_and_sector(analyst: TestClient, db: Database) -> None:
    seed(db)
    other_sector = analyst.get("/policy", params={"sector": "XVI"})
    assert other_sector.status_code == 200
    assert "United Kingdom" not in _table(other_sector.text, "pairs")
    chapter = analyst.get("/policy", params={"sector": "09", "origin": "KEN"})
    assert "United Kingdom" in _table(chapter.text, "pairs")
    section = analyst.get("/policy", params={"sector": "II"})
    assert "United Kingdom" in _table(section.text, "pairs")
    other_origin = analyst.get("/policy", params={"origin": "UGA"})
    assert "United Kingdom" not in _table(other_origin.text, "pairs")
    assert analyst.get("/policy", params={"sector": "zz"}).status_code == 422


def test_api_applies_the_same_suppression(analyst: TestClient, db: Database) -> None:
    seed(db)
    data = analyst.get("/api/v1/policy/dashboard").json()
    pairs = {(r["hs4"], r["destination"]): r["n"] for r in data["pairs"]["rows"]}
    assert pairs == {("0901", "GBR"): 12, ("1801", "NGA"): 15}
    assert all(r["n"] >= 10 for part in ("products", "markets", "totals", "over_time")
               for r in data[part]["rows"])
    assert "JPN" not in json.dumps(data)
    assert data["gaps"][0]["economy"] == "NGA" and data["gaps"][0]["questions"] == 15
    gaps = analyst.get("/api/v1/policy/gaps").json()
    assert [g["economy"] for g in gaps] == ["NGA"]


def test_downloads_apply_the_same_suppression(analyst: TestClient, db: Database) -> None:
    seed(db)
    csv = analyst.get("/policy/download.csv")
    assert csv.status_code == 200
    text = csv.content.decode("utf-8-sig")
    assert "GBR" in text and "JPN" not in text and "0902" not in text
    assert "suppressed" in text
    xlsx = analyst.get("/policy/download.xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    cells = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows()
                     for c in row if c.value is not None)
    assert "GBR" in cells and "JPN" not in cells


def test_threshold_is_a_setting(db: Database, tmp_path: Path) -> None:
    from tests.knowledge.platform_fixtures import loaded_app, log_in, make_user

    seed(db)
    with loaded_app(db, tmp_path, policy_min_count=2) as client:
        make_user(db, "analyst@example.org", "analyst")
        log_in(client, "analyst@example.org")
        assert "JPN" in json.dumps(client.get("/api/v1/policy/dashboard").json())


def test_access_control(analyst: TestClient, db: Database, tmp_path: Path) -> None:
    from tests.knowledge.platform_fixtures import loaded_app

    assert analyst.get("/admin/glossary").status_code == 403  # analysts do not edit content
    with loaded_app(db, tmp_path / "anon") as anonymous:
        page = anonymous.get("/policy", follow_redirects=False)
        assert page.status_code == 303 and "/login" in page.headers["location"]
        assert anonymous.get("/api/v1/policy/dashboard").status_code == 401
        assert anonymous.get("/policy/download.csv", follow_redirects=False).status_code == 303
        # The public summary is off by default.
        assert anonymous.get("/policy/public").status_code == 404
        assert anonymous.get("/api/v1/policy/summary").status_code == 404


def test_public_summary_when_published(analyst: TestClient, db: Database) -> None:
    seed(db)
    analyst.cookies.clear()
    page = analyst.get("/policy/public")
    assert page.status_code == 200 and "United Kingdom" in _table(page.text, "pairs")
    assert "Japan" not in _table(page.text, "pairs") + _table(page.text, "markets")
    assert "download.csv" not in page.text
    data = analyst.get("/api/v1/policy/summary").json()
    assert data["unanswered"]["rows"] == []


def test_openapi_declares_constraints_and_errors(analyst: TestClient) -> None:
    spec = analyst.get("/api/v1/openapi.json").json()
    op = spec["paths"]["/api/v1/policy/dashboard"]["get"]
    params = {p["name"]: p for p in op["parameters"]}
    def patterns(schema: dict[str, Any]) -> list[str]:
        return [s["pattern"] for s in [schema, *schema.get("anyOf", [])] if "pattern" in s]

    assert patterns(params["sector"]["schema"]) and patterns(params["from"]["schema"])
    assert {"401", "403", "422"} <= set(op["responses"])


def test_retention_removes_raw_events_and_keeps_totals(db: Database) -> None:
    today = now_day()
    old, recent = today - timedelta(days=40), today - timedelta(days=2)
    with db.transaction() as conn:
        store.write_events(conn, [_event(old)] * 12 + [_event(recent)] * 3)
        result = store.maintain(conn, 30, today)
    assert result["raw_events_removed"] == 12
    with db.connect() as conn:
        days = conn.execute(select(policy_events.c.day)).scalars().all()
        total = conn.execute(select(func.sum(policy_cube.c.n)).where(
            policy_cube.c.dim == "market", policy_cube.c.origin == "*",
            policy_cube.c.sector == "*")).scalar()
    assert days == [recent] * 3
    assert total == 15


@pytest.fixture
def runner(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    from tradewind.cli import policy as cli_policy
    from tradewind.settings import Settings

    monkeypatch.setattr(cli_policy, "database", lambda: db)
    monkeypatch.setattr(cli_policy, "settings", lambda: Settings.load(
        env={}, dotenv=tmp_path / "none", database_url=db.url))
    return CliRunner()


def test_prune_command(db: Database, runner: CliRunner) -> None:
    from tradewind.cli import app

    with db.transaction() as conn:
        store.write_events(conn, [_event(now_day() - timedelta(days=100))])
    result = runner.invoke(app, ["policy", "prune", "--days", "30"])
    assert result.exit_code == 0, result.output
    with db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(policy_events)).scalar() == 0


def test_report_command_json_and_xlsx(db: Database, tmp_path: Path,
                                     runner: CliRunner) -> None:
    from tradewind.cli import app

    seed(db)
    env: dict[str, str] = {}
    start = (now_day() - timedelta(days=5)).isoformat()
    result = runner.invoke(app, ["policy", "report", "--from", start, "--json"], env=env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["threshold"] == 10 and "JPN" not in result.output
    out = tmp_path / "report.xlsx"
    result = runner.invoke(app, ["policy", "report", "--xlsx", str(out)], env=env)
    assert result.exit_code == 0, result.output
    assert load_workbook(out).sheetnames[0]


def test_gap_links_point_at_real_headings() -> None:
    doc = (ROOT / "docs" / "data-import.md").read_text(encoding="utf-8")
    anchors = {github_anchor(line.lstrip("#")) for line in doc.splitlines()
               if line.startswith("#")}
    for _wording, heading, _dim in GAP_KINDS.values():
        assert github_anchor(heading) in anchors
