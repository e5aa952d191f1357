"""``tradewind notifications search`` and ``tradewind import notifications FILE``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import typer

from tradewind.cli.app import app, database, emit, fail, import_app, user_errors

notifications_app = typer.Typer(help="WTO SPS/TBT notifications.", no_args_is_help=True)
app.add_typer(notifications_app, name="notifications")


@notifications_app.command("search")
def search_cmd(
    member: str = typer.Option("", help="Notifying member, ISO3 or EUN"),
    area: str = typer.Option("", help="SPS or TBT"),
    hs: str = typer.Option("", help="HS code prefix, e.g. 0901"),
    text: str = typer.Option("", help="Words in the title, products or keywords"),
    open_: bool = typer.Option(False, "--open", help="Only comment periods open today"),
    page: int = typer.Option(1, help="Page number"),
    per_page: int = typer.Option(20, help="Results per page (1–100)"),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON"),
) -> None:
    """Search notifications, newest first."""
    from tradewind.notifications.queries import search_notifications
    from tradewind.notifications.requests import SearchForm

    with user_errors():
        form = SearchForm.parse(member=member, area=area, hs=hs, text=text,
                                open_on=date.today().isoformat() if open_ else None,
                                page=page, per_page=per_page)
        with database().connect() as conn:
            result = search_notifications(conn, **form.kwargs())  # type: ignore[arg-type]
    data = {"total": result.total, "page": result.page, "pages": result.pages,
            "sample": result.is_sample, "items": [n.as_dict() for n in result.items]}

    def show(d: dict[str, Any]) -> str:
        lines = [f"{d['total']} notification(s), page {d['page']} of {d['pages']}"
                 + (" — SAMPLE data" if d["sample"] else "")]
        for n in d["items"]:
            deadline = f" comments until {n['comment_deadline']}" if n["comment_deadline"] else ""
            lines.append(f"{n['symbol']:32} {n['member']} {n['distribution_date']}{deadline}  "
                         f"{n['title']}  HS {','.join(n['hs_codes']) or '—'}")
        return "\n".join(lines)

    emit(data, as_json, show)


@import_app.command("notifications")
def import_notifications_cmd(
    file: Path = typer.Argument(..., help="Notification-search .json or bulk-export .xlsx"),
    edition: str = typer.Option("", help="Edition label (default: the file name)"),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON"),
) -> None:
    """Import WTO SPS/TBT notifications (format by extension; atomic)."""
    suffix = file.suffix.lower()
    if suffix not in {".json", ".xlsx"}:
        fail(f"{file}: unknown format {suffix or '(none)'!r}; use a .json or .xlsx file")
    with user_errors():
        if suffix == ".json":
            from tradewind.ingest.wto_notifications_json import import_wto_notifications_json
            result = import_wto_notifications_json(database(), file, edition=edition)
        else:
            from tradewind.ingest.wto_notifications_xlsx import import_wto_notifications_xlsx
            result = import_wto_notifications_xlsx(database(), file, edition=edition)
    data = {"dataset_id": result.dataset_id, "notifications": result.notifications,
            "hs_inferred": result.hs_inferred, "events": result.events}
    emit(data, as_json, lambda d: (f"Imported {d['notifications']} notifications "
                                   f"({d['hs_inferred']} with HS codes inferred from the "
                                   f"products text); {d['events']} change events recorded."))
