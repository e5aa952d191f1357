"""Evidence next to candidates: a similar binding ruling, an advisor's confirmation.

:func:`attach_evidence` is the one hook the finder calls after ranking.  Confirmations
of similar descriptions lift their code (or bring it in) by :data:`CONFIRMATION_BOOST`
times the similarity, relative to the top score; a similar ruling only explains (it does
not re-rank: rulings are evidence the user reads, with their reference and date).
"""

from __future__ import annotations

from dataclasses import dataclass

from tradewind.db import Database
from tradewind.finder.engine import Candidate, FinderResult, _path
from tradewind.finder.index import get_index
from tradewind.i18n import gettext as _

CONFIRMATION_BOOST = 0.6


@dataclass(frozen=True)
class Evidence:
    kind: str  # ruling | confirmation
    reference: str  # ruling reference; for a confirmation, who confirmed it
    date: str  # ISO date
    text: str  # the ruling's or the confirmed description
    similarity: float
    source: str  # dataset name, or the portal of a confirmation
    in_force: bool = True
    status: str = "valid"

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "reference": self.reference, "date": self.date,
                "text": self.text, "similarity": self.similarity, "source": self.source,
                "in_force": self.in_force, "status": self.status}


def attach_evidence(db: Database, result: FinderResult, query: str | None = None
                    ) -> FinderResult:
    """Add confirmations (re-ranking) and similar rulings (explaining) to ``result``."""
    if result.is_code or not result.candidates:
        return result
    text = query or result.query
    try:
        _confirmations(db, result, text)
        _rulings(db, result, text)
    except Exception as exc:  # evidence must never break a search (e.g. not migrated yet)
        import logging

        logging.getLogger(__name__).warning("finder evidence skipped: %s", exc)
    return result


def _confirmations(db: Database, result: FinderResult, text: str) -> None:
    from tradewind.finder.confirmations import similar_confirmations

    matches = similar_confirmations(db, text)
    if not matches:
        return
    top = max(c.score for c in result.candidates) or 1.0
    by_code = {c.code: c for c in result.candidates}
    index = None
    for item, sim in matches:
        cand = by_code.get(item.code)
        if cand is None:
            index = index or get_index(db)
            if item.code not in index.descriptions:
                continue
            cand = Candidate(code=item.code, description=index.descriptions[item.code],
                             score=0.0, path=_path(index, item.code), reason="")
            result.candidates.append(cand)
            by_code[item.code] = cand
        cand.score = round(cand.score + CONFIRMATION_BOOST * sim * top, 4)
        note = _("confirmed by an advisor")
        cand.reason = f"{note}; {cand.reason}" if cand.reason else note
        cand.evidence.append(Evidence(
            "confirmation", item.confirmed_by, item.confirmed_at.date().isoformat(),
            item.description, sim, item.portal))
    result.candidates.sort(key=lambda c: (-c.score, c.code))


def _rulings(db: Database, result: FinderResult, text: str) -> None:
    from tradewind.finder.rulings import similar_rulings

    found = similar_rulings(db, text, [c.code for c in result.candidates])
    for cand in result.candidates:
        hit = found.get(cand.code)
        if hit is None:
            continue
        ruling, sim = hit
        day = ruling.ruling_date or ruling.valid_from
        cand.evidence.append(Evidence(
            "ruling", ruling.reference, day.isoformat() if day else "", ruling.description,
            sim, ruling.dataset, ruling.in_force(), ruling.status))
        note = _("similar binding ruling %(ref)s", ref=ruling.reference)
        cand.reason = f"{cand.reason}; {note}" if cand.reason else note
