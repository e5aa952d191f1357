"""Everything shown about one code, gathered once for the page, the API and the CLI."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection

from tradewind.datasets.queries import Provenance
from tradewind.nomenclature import concordance, queries
from tradewind.nomenclature.codes import normalize_edition
from tradewind.nomenclature.notes import CodeNote, code_notes
from tradewind.nomenclature.queries import CodeInfo


@dataclass(frozen=True)
class CodeReport:
    info: CodeInfo
    path: list[CodeInfo]
    children: list[CodeInfo]
    notes: list[CodeNote]
    conversions: list[concordance.Conversion]
    sources: list[Provenance]
    editions: list[str]  # editions whose nomenclature holds this same code

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.info.as_dict(),
            "path": [s.as_dict() for s in self.path],
            "children": [c.as_dict() for c in self.children],
            "notes": [asdict(n) for n in self.notes],
            "conversions": [c.as_dict() for c in self.conversions],
            "sources": [p.as_dict() for p in self.sources],
            "editions": self.editions,
        }


def code_report(conn: Connection, code: str, edition: str | None = None) -> CodeReport:
    """The code page: raises InvalidCode (with nearest codes) or InvalidInput (edition)."""
    edition = normalize_edition(edition)
    info = queries.require_code(conn, code, edition)
    conversions = (concordance.conversions_for(conn, info.code, edition)
                   if info.level == 6 else [])
    sources = queries.edition_provenance(conn, edition)
    seen = {p.id for p in sources}
    for conversion in conversions:
        for p in concordance.concordance_provenance(conn, conversion):
            if p.id not in seen:
                seen.add(p.id)
                sources.append(p)
    editions = queries.editions_with_code(conn, info.code)
    return CodeReport(
        info=info,
        path=queries.path(conn, info.code, edition),
        children=queries.children(conn, info.code, edition),
        notes=code_notes(conn, info.code, edition),
        conversions=conversions,
        sources=sources,
        editions=editions,
    )
