"""The requirements SAMPLE: labelled, deterministic, idempotent, never over a real import."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from tradewind.changes.models import change_events
from tradewind.datasets.queries import datasets_of_kind
from tradewind.db import Database
from tradewind.ingest.requirements_csv import COLUMNS, import_requirements_csv
from tradewind.requirements.models import measures
from tradewind.requirements.sample import ECONOMIES, init_sample_requirements
from tradewind.settings import Settings


def _settings(db: Database, tmp_path: Path) -> Settings:
    return Settings.load(env={}, dotenv=tmp_path / "none.env", database_url=db.url)


def _titles(db: Database) -> list[tuple[str, str, str]]:
    with db.connect() as conn:
        return [tuple(r) for r in conn.execute(select(
            measures.c.economy, measures.c.mast_code, measures.c.title).order_by(measures.c.id))]


def test_sample_is_labelled_deterministic_and_idempotent(db: Database, tmp_path: Path) -> None:
    settings = _settings(db, tmp_path)
    init_sample_requirements(db, settings, lambda _m: None)
    first = _titles(db)
    init_sample_requirements(db, settings, lambda _m: None)
    assert _titles(db) == first
    assert {e for e, _c, _t in first} == set(ECONOMIES)
    assert all("(SAMPLE)" in t for _e, _c, t in first)
    with db.connect() as conn:
        [dataset] = datasets_of_kind(conn, "requirements")
    assert dataset.is_sample and "SAMPLE" in dataset.name
    with db.connect() as conn:  # a SAMPLE is not news: no change events
        assert conn.execute(select(func.count()).select_from(change_events)).scalar_one() == 0


def test_sample_never_added_over_a_real_import(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "ken.csv"
    path.write_text(",".join(COLUMNS) + "\nKEN,A83,0901,,Real measure,S,,,,,,\n", "utf-8")
    import_requirements_csv(db, path)
    init_sample_requirements(db, _settings(db, tmp_path), lambda _m: None)
    assert [t for _e, _c, t in _titles(db)] == ["Real measure"]
