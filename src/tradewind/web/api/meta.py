"""API: datasets and their provenance."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy import Connection

from tradewind.datasets.queries import all_datasets
from tradewind.web.deps import get_conn

router = APIRouter(tags=["meta"])


@router.get("/datasets", summary="Imported datasets with source, licence, edition, import time")
def list_datasets(conn: Connection = Depends(get_conn)) -> list[dict[str, Any]]:
    return [d.as_dict() for d in all_datasets(conn)]
