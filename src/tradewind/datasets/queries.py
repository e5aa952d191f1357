"""Named queries over dataset provenance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from tradewind.datasets.models import datasets


@dataclass(frozen=True)
class Provenance:
    """What users see about where a figure comes from."""

    id: int
    kind: str
    name: str
    source: str
    licence: str
    edition: str
    imported_at: datetime
    is_sample: bool
    row_count: int
    notes: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "source": self.source,
            "licence": self.licence,
            "edition": self.edition,
            "imported_at": self.imported_at.isoformat(),
            "is_sample": self.is_sample,
            "row_count": self.row_count,
            "notes": self.notes,
        }


def record_dataset(conn: Connection, *, kind: str, name: str, source: str, licence: str,
                   edition: str, is_sample: bool = False, row_count: int = 0,
                   notes: str = "") -> int:
    """Insert a provenance row and return its id (call inside the import's transaction)."""
    result = conn.execute(
        insert(datasets).values(
            kind=kind, name=name, source=source, licence=licence, edition=edition,
            imported_at=datetime.now(UTC), is_sample=is_sample, row_count=row_count,
            notes=notes,
        )
    )
    pk = result.inserted_primary_key
    assert pk is not None
    return int(pk[0])


def set_row_count(conn: Connection, dataset_id: int, row_count: int) -> None:
    conn.execute(datasets.update().where(datasets.c.id == dataset_id).values(row_count=row_count))


def _row_to_provenance(row: Any) -> Provenance:
    imported_at = row.imported_at
    if imported_at.tzinfo is None:
        imported_at = imported_at.replace(tzinfo=UTC)
    return Provenance(
        id=row.id, kind=row.kind, name=row.name, source=row.source, licence=row.licence,
        edition=row.edition, imported_at=imported_at, is_sample=bool(row.is_sample),
        row_count=row.row_count, notes=row.notes,
    )


def all_datasets(conn: Connection) -> list[Provenance]:
    rows = conn.execute(select(datasets).order_by(datasets.c.kind, datasets.c.imported_at))
    return [_row_to_provenance(r) for r in rows]


def datasets_of_kind(conn: Connection, kind: str) -> list[Provenance]:
    rows = conn.execute(
        select(datasets).where(datasets.c.kind == kind).order_by(datasets.c.imported_at)
    )
    return [_row_to_provenance(r) for r in rows]


def dataset_by_id(conn: Connection, dataset_id: int) -> Provenance | None:
    row = conn.execute(select(datasets).where(datasets.c.id == dataset_id)).first()
    return _row_to_provenance(row) if row else None


def delete_dataset(conn: Connection, dataset_id: int) -> None:
    conn.execute(delete(datasets).where(datasets.c.id == dataset_id))
