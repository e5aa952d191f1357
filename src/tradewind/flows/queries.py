"""Small read-only queries about the flows loaded (years, provenance, SAMPLE flag)."""

from __future__ import annotations

from sqlalchemy import Connection, select

from tradewind.datasets.queries import Provenance, dataset_by_id
from tradewind.flows.models import flow_years


def flow_years_loaded(conn: Connection) -> list[int]:
    """Years with flows, oldest first."""
    return [int(y) for y in conn.execute(select(flow_years.c.year).order_by(flow_years.c.year))
            .scalars()]


def flow_datasets(conn: Connection) -> list[Provenance]:
    """Provenance of the datasets behind the years loaded (to show beside any figure)."""
    ids = sorted(set(conn.execute(select(flow_years.c.dataset_id)).scalars()))
    found = [dataset_by_id(conn, i) for i in ids]
    return [p for p in found if p is not None]


def is_sample_flows(conn: Connection) -> bool:
    """True when any loaded year comes from the SAMPLE (pages must then say SAMPLE)."""
    return any(p.is_sample for p in flow_datasets(conn))
