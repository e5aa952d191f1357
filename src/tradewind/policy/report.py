"""The dashboard as tables: one set of sheets for CSV/XLSX downloads and the CLI report."""

from __future__ import annotations

from typing import Any

from tradewind import i18n
from tradewind.charts.downloads import Sheet
from tradewind.policy.queries import KIND_LABELS, TOPIC_LABELS, Dashboard

_ = i18n.gettext


def sheets(board: Dashboard) -> tuple[list[Sheet], list[str]]:
    """Every dashboard table (already suppressed below the threshold) and the notes."""
    f = board.filters
    out: list[Sheet] = [
        (_("Questions by kind"), [_("kind"), _("questions")],
         [[_(KIND_LABELS.get(r["kind"], r["kind"])), r["n"]] for r in board.totals.rows]),
        (_("Over time"), [_("period"), _("questions")],
         [[r["period"], r["n"]] for r in board.over_time.rows]),
        (_("Products"), [_("HS heading"), _("questions")],
         [[r["hs4"], r["n"]] for r in board.products.rows]),
        (_("Markets"), [_("destination"), _("questions")],
         [[r["destination"], r["n"]] for r in board.markets.rows]),
        (_("Product and market"), [_("HS heading"), _("destination"), _("questions")],
         [[r["hs4"], r["destination"], r["n"]] for r in board.pairs.rows]),
        (_("Unanswered searches"), [_("search"), _("searches"), _("with no result")],
         [[r["text"] or r["query_hash"], r["n"], r["empty"]] for r in board.unanswered.rows]),
        (_("Data gaps"), [_("dataset"), _("economy"), _("questions"), _("how to import")],
         [[_(g.dataset, place=g.economy or "?"), g.economy, g.questions, g.docs]
          for g in board.gaps]),
        (_("Barriers"), [_("topic"), _("feedback messages")],
         [[_(TOPIC_LABELS.get(r["topic"], r["topic"])), r["n"]] for r in board.barriers.rows]),
        (_("Languages"), [_("language"), _("questions")],
         [[r["key"], r["n"]] for r in board.languages.rows]),
        (_("User types"), [_("user type"), _("questions")],
         [[r["key"], r["n"]] for r in board.user_types.rows]),
    ]
    notes = [
        _("Tradewind demand signals, %(start)s to %(end)s; origin %(origin)s; sector %(sector)s.",
          start=f.start.isoformat(), end=f.end.isoformat(), origin=f.origin or _("all"),
          sector=f.sector or _("all")),
        _("Counts below %(k)d are suppressed to protect privacy.", k=board.threshold),
        _("Anonymised at the source: no IP address, account or e-mail is recorded."),
    ]
    return out, notes


def as_json(board: Dashboard) -> dict[str, Any]:
    data = board.as_dict()
    data["notes"] = sheets(board)[1]
    return data
