"""Attach the import procedure and the documents checklist to a requirements answer.

One place builds "what must I do": the requirements page, its API, the CLI and the
market-access answer all call :func:`attach_procedures` after
:func:`tradewind.requirements.queries.requirements_for`.
"""

from __future__ import annotations

from sqlalchemy import Connection

from tradewind.i18n import gettext as _
from tradewind.i18n import ngettext
from tradewind.procedures.queries import build_checklist, origin_proofs, procedure_for
from tradewind.requirements.queries import Requirements


def attach_procedures(conn: Connection, result: Requirements) -> Requirements:
    """Fill ``result.procedure`` and ``result.checklist`` (and their provenance)."""
    version = result.data_version
    procedure = procedure_for(conn, destination=result.destination, product=result.product,
                              origin=result.origin, as_of=result.as_of, version=version)
    measures = [m for chapter in result.chapters for m in chapter.measures]
    proofs = (origin_proofs(conn, result.origin, result.destination, result.as_of, version)
              if result.origin else [])
    result.procedure = procedure
    result.checklist = build_checklist(procedure, measures, proofs)
    known = {p.id for p in result.provenance}
    result.provenance.extend(p for p in procedure.provenance if p.id not in known)
    return result


def summary(result: Requirements, destination: str) -> str:
    """The requirements status in one plain sentence (current language): nothing imported
    for the market is not the same as nothing found for the product."""
    if result.status == "no_data":
        return _("No non-tariff requirements have been imported for %(destination)s yet: this "
                 "does not mean there are none.", destination=destination)
    if result.status == "none_found":
        return _("No non-tariff requirement was found for this product in the measures "
                 "imported for %(destination)s.", destination=destination)
    return ngettext("%(num)s non-tariff requirement applies to this product in "
                    "%(destination)s.",
                    "%(num)s non-tariff requirements apply to this product in %(destination)s.",
                    result.count, destination=destination)
