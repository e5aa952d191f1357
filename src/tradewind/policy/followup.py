"""Follow-up of the Working Group package: indicators per declaration or recommendation,
filled in per economy (status, date, evidence link, notes), compared across economies.

Every save writes an audit row in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from tradewind.audit import record_change
from tradewind.i18n import lazy_noop as N_
from tradewind.knowledge.fields import Field, Spec
from tradewind.policy.models import policy_indicator_values, policy_indicators
from tradewind.workinggroup import queries as wg
from tradewind.workinggroup.models import wg_recommendations

STATUSES = (*wg.STATUSES, N_("not applicable"))


def _check_indicator(values: dict[str, Any], errors: dict[str, str]) -> None:
    view = str(values.get("dashboard_view") or "")
    if view and not view.startswith("/policy"):
        errors["dashboard_view"] = "a dashboard view starts with /policy"


def _check_value(values: dict[str, Any], errors: dict[str, str]) -> None:
    try:
        values["economy"] = wg.check_economy(str(values.get("economy") or ""))
    except ValueError as exc:
        errors["economy"] = str(exc)


INDICATOR_SPEC = Spec("indicator", N_("Follow-up indicator"), (
    Field("slug", N_("Slug"), "slug", max_len=100),
    Field("recommendation", N_("Recommendation (slug)"), "slug", max_len=100),
    Field("title", N_("Title")),
    Field("title_fr", N_("Title in French"), required=False),
    Field("title_es", N_("Title in Spanish"), required=False),
    Field("dashboard_view", N_("Dashboard view (e.g. /policy?sector=I)"), required=False,
          max_len=200),
), _check_indicator)

VALUE_SPEC = Spec("indicator value", N_("Indicator value for an economy"), (
    Field("indicator", N_("Indicator (slug)"), "slug", max_len=100),
    Field("economy", N_("Economy (ISO3, or EUN)"), max_len=3),
    Field("status", N_("Status"), "select", choices=STATUSES),
    Field("date", N_("Date"), "date", required=False),
    Field("evidence_url", N_("Evidence (web address)"), "url", required=False, max_len=500),
    Field("notes", N_("Notes"), "textarea", required=False, max_len=4000),
), _check_value)


@dataclass(frozen=True)
class IndicatorValue:
    economy: str
    status: str
    date: date | None
    evidence_url: str
    notes: str
    updated_at: datetime
    updated_by: str


@dataclass
class Indicator:
    slug: str
    recommendation: str
    recommendation_title: str
    title: str
    dashboard_view: str
    values: dict[str, IndicatorValue] = field(default_factory=dict)


def _recommendation_id(conn: Connection, slug: str) -> int | None:
    return conn.execute(select(wg_recommendations.c.id)
                        .where(wg_recommendations.c.slug == slug)).scalar()


def indicator_values(conn: Connection, slug: str) -> dict[str, Any] | None:
    t = policy_indicators.c
    row = conn.execute(select(policy_indicators, wg_recommendations.c.slug.label("rec"))
                       .join(wg_recommendations, wg_recommendations.c.id == t.recommendation_id)
                       .where(t.slug == slug)).first()
    if row is None:
        return None
    return {"slug": row.slug, "recommendation": row.rec, "title": row.title,
            "title_fr": row.title_fr, "title_es": row.title_es,
            "dashboard_view": row.dashboard_view}


def save_indicator(conn: Connection, values: dict[str, Any], actor: str) -> dict[str, str]:
    """Create or update an indicator; returns field errors (empty when saved)."""
    rec_id = _recommendation_id(conn, str(values["recommendation"]))
    if rec_id is None:
        return {"recommendation": "no declaration or recommendation with this slug"}
    before = indicator_values(conn, values["slug"])
    row = {"recommendation_id": rec_id, "title": values["title"],
           "title_fr": values.get("title_fr") or "", "title_es": values.get("title_es") or "",
           "dashboard_view": values.get("dashboard_view") or "",
           "updated_at": datetime.now(UTC), "updated_by": actor}
    if before is None:
        conn.execute(insert(policy_indicators).values(slug=values["slug"], **row))
    else:
        conn.execute(update(policy_indicators)
                     .where(policy_indicators.c.slug == values["slug"]).values(**row))
    record_change(conn, actor=actor, action="create" if before is None else "update",
                  entity="policy_indicator", key=values["slug"], before=before,
                  after=indicator_values(conn, values["slug"]))
    return {}


def _value_row(conn: Connection, indicator_id: int, economy: str) -> dict[str, Any] | None:
    t = policy_indicator_values.c
    row = conn.execute(select(t.status, t.date, t.evidence_url, t.notes)
                       .where(t.indicator_id == indicator_id, t.economy == economy)).first()
    return dict(row._mapping) if row else None


def value_values(conn: Connection, indicator: str, economy: str) -> dict[str, Any] | None:
    ind_id = conn.execute(select(policy_indicators.c.id)
                          .where(policy_indicators.c.slug == indicator)).scalar()
    found = _value_row(conn, ind_id, economy) if ind_id is not None else None
    return None if found is None else {"indicator": indicator, "economy": economy, **found}


def save_value(conn: Connection, values: dict[str, Any], actor: str) -> dict[str, str]:
    """Create or update one economy's value of an indicator (audited)."""
    ind_id = conn.execute(select(policy_indicators.c.id)
                          .where(policy_indicators.c.slug == values["indicator"])).scalar()
    if ind_id is None:
        return {"indicator": "no indicator with this slug"}
    economy = str(values["economy"])
    before = _value_row(conn, ind_id, economy)
    row = {"status": values["status"], "date": values.get("date"),
           "evidence_url": values.get("evidence_url") or "", "notes": values.get("notes") or "",
           "updated_at": datetime.now(UTC), "updated_by": actor}
    t = policy_indicator_values
    if before is None:
        conn.execute(insert(t).values(indicator_id=ind_id, economy=economy, **row))
    else:
        conn.execute(update(t).where(t.c.indicator_id == ind_id, t.c.economy == economy)
                     .values(**row))
    record_change(conn, actor=actor, action="create" if before is None else "update",
                  entity="policy_indicator_value", key=f"{values['indicator']}/{economy}",
                  before=before, after=_value_row(conn, ind_id, economy))
    return {}


def comparison(conn: Connection, lang: str = "en") -> tuple[list[Indicator], list[str]]:
    """Every indicator with its values by economy, and the economies that have any value."""
    recs = {r.slug: r.title for r in wg.list_recommendations(conn, lang)}
    t = policy_indicators.c
    rows = conn.execute(select(policy_indicators, wg_recommendations.c.slug.label("rec"))
                        .join(wg_recommendations,
                              wg_recommendations.c.id == t.recommendation_id)
                        .order_by(wg_recommendations.c.adopted, wg_recommendations.c.slug,
                                  t.slug)).all()
    indicators: dict[int, Indicator] = {}
    for r in rows:
        title = {"fr": r.title_fr, "es": r.title_es}.get(lang) or r.title
        indicators[r.id] = Indicator(r.slug, r.rec, recs.get(r.rec, r.rec), title,
                                     r.dashboard_view)
    economies: set[str] = set()
    for r in conn.execute(select(policy_indicator_values)):
        ind = indicators.get(r.indicator_id)
        if ind is None:
            continue
        economies.add(r.economy)
        ind.values[r.economy] = IndicatorValue(r.economy, r.status, r.date, r.evidence_url,
                                               r.notes, r.updated_at, r.updated_by)
    return list(indicators.values()), sorted(economies)


def indicator_keys(conn: Connection) -> list[str]:
    return list(conn.execute(select(policy_indicators.c.slug)
                             .order_by(policy_indicators.c.slug)).scalars())
