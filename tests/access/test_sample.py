"""The SAMPLE loader: labelled, idempotent, never over a real schedule, fast."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from tradewind.bootstrap import INIT_STEPS
from tradewind.datasets.queries import datasets_of_kind, record_dataset
from tradewind.db import Database
from tradewind.settings import Settings
from tradewind.tariffs.models import tariff_rates, tariff_schedules
from tradewind.tariffs.sample import ECONOMIES, init_sample_tariffs
from tradewind.tariffs.store import create_schedule


def _settings(db: Database, tmp_path: Path, **kw: object) -> Settings:
    return Settings.load(env={}, dotenv=tmp_path / "none.env", database_url=db.url, **kw)


def _reference(db: Database, settings: Settings) -> None:
    for step in INIT_STEPS:
        if step.name in ("countries", "hs2022", "agreements-reference"):
            step.load()(db, settings, lambda _m: None)


def _count(db: Database, table: object) -> int:
    with db.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_sample_is_labelled_and_idempotent(db: Database, tmp_path: Path) -> None:
    """Its speed is measured by `tradewind bench tariffs` (sample_tariffs_seconds)."""
    settings = _settings(db, tmp_path)
    _reference(db, settings)
    init_sample_tariffs(db, settings, lambda _m: None)
    rates = _count(db, tariff_rates)
    assert rates > 50_000
    init_sample_tariffs(db, settings, lambda _m: None)  # second run: nothing added
    assert _count(db, tariff_rates) == rates
    with db.connect() as conn:
        tariffs = datasets_of_kind(conn, "tariff")
        fx = datasets_of_kind(conn, "fx")
    assert [d.is_sample for d in tariffs] == [True] and [d.is_sample for d in fx] == [True]
    assert _count(db, tariff_schedules) == len(ECONOMIES)


def test_no_sample_over_a_real_schedule_or_when_disabled(db: Database, tmp_path: Path) -> None:
    settings = _settings(db, tmp_path)
    _reference(db, settings)
    with db.transaction() as conn:
        ds = record_dataset(conn, kind="tariff", name="Real KEN", source="test",
                            licence="test", edition="2025")
        create_schedule(conn, economy="KEN", name="Kenya real", nomenclature="EAC",
                        national_digits=8, currency="KES", source_format="csv", dataset_id=ds)
    init_sample_tariffs(db, _settings(db, tmp_path, load_samples=False), lambda _m: None)
    assert _count(db, tariff_schedules) == 1
    init_sample_tariffs(db, settings, lambda _m: None)
    with db.connect() as conn:
        economies = [r[0] for r in conn.execute(select(tariff_schedules.c.economy))]
    assert economies.count("KEN") == 1 and len(economies) == len(ECONOMIES)
