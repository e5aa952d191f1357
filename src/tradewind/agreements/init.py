"""Init step: economy groups (EU, SACU) with membership dates and WTO members, from repo data."""

from __future__ import annotations

from datetime import date
from importlib import resources
from typing import Any

import yaml
from sqlalchemy import Connection, delete, func, insert, select

from tradewind.agreements.models import economy_groups, group_members, wto_members
from tradewind.bootstrap import Report
from tradewind.db import Database
from tradewind.settings import Settings


def _data(name: str) -> dict[str, Any]:
    text = resources.files("tradewind.agreements").joinpath("data", name).read_text("utf-8")
    loaded = yaml.safe_load(text)
    assert isinstance(loaded, dict)
    return loaded


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def load_groups(conn: Connection) -> int:
    """(Re)load economy groups and memberships from ``data/groups.yaml``."""
    data = _data("groups.yaml")["groups"]
    conn.execute(delete(group_members))
    conn.execute(delete(economy_groups))
    count = 0
    for group in data:
        conn.execute(insert(economy_groups).values(
            code=group["code"], name=group["name"], kind=group["kind"],
            customs_union=bool(group["customs_union"])))
        rows = [{"group_code": group["code"], "member": m["member"],
                 "valid_from": _date(m.get("from")), "valid_to": _date(m.get("to"))}
                for m in group["members"]]
        conn.execute(insert(group_members), rows)
        count += len(rows)
    return count


def load_wto_members(conn: Connection) -> int:
    """(Re)load WTO members from ``data/wto_members.yaml``."""
    data = _data("wto_members.yaml")["members"]
    conn.execute(delete(wto_members))
    conn.execute(insert(wto_members), [
        {"economy": m["economy"], "name": m["name"], "accession_date": _date(m["date"])}
        for m in data])
    return len(data)


def init_agreements_reference(db: Database, settings: Settings, report: Report) -> None:
    with db.transaction() as conn:
        if not conn.execute(select(func.count()).select_from(economy_groups)).scalar_one():
            report(f"  {load_groups(conn)} economy-group memberships loaded")
        if not conn.execute(select(func.count()).select_from(wto_members)).scalar_one():
            report(f"  {load_wto_members(conn)} WTO members loaded")
