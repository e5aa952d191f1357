"""Attach the import procedure and the documents checklist to a requirements answer.

One place builds "what must I do": the requirements page, its API, the CLI and the
market-access answer all call :func:`attach_procedures` after
:func:`tradewind.requirements.queries.requirements_for`.
"""

from __future__ import annotations

from sqlalchemy import Connection

from tradewind.procedures.queries import build_checklist, origin_proofs, procedure_for
from tradewind.requirements.queries import Requirements


def attach_procedures(conn: Connection, result: Requirements) -> Requirements:
    """Fill ``result.procedure`` and ``result.checklist`` (and their provenance)."""
    procedure = procedure_for(conn, destination=result.destination, product=result.product,
                              origin=result.origin, as_of=result.as_of)
    measures = [m for chapter in result.chapters for m in chapter.measures]
    proofs = (origin_proofs(conn, result.origin, result.destination, result.as_of)
              if result.origin else [])
    result.procedure = procedure
    result.checklist = build_checklist(procedure, measures, proofs)
    known = {p.id for p in result.provenance}
    result.provenance.extend(p for p in procedure.provenance if p.id not in known)
    return result
