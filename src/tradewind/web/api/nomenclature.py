"""API: HS editions, codes, children and conversion between editions (under /api/v1).

Errors are problem-details JSON: an invalid code (malformed, or not in the edition) is 422
and names the nearest valid codes in ``suggestions``; an unknown edition is 422; an edition
that is not loaded is 404.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from tradewind.datasets.queries import Provenance
from tradewind.errors import InvalidCode, NotFound
from tradewind.i18n import lazy_noop as N_
from tradewind.nomenclature import concordance, queries
from tradewind.nomenclature.codes import normalize_edition
from tradewind.nomenclature.models import DEFAULT_EDITION
from tradewind.nomenclature.queries import CodeInfo
from tradewind.nomenclature.report import code_report
from tradewind.web.api.contract import problems
from tradewind.web.api.params import HS6_PATTERN, HS_PATTERN, edition, hs_code
from tradewind.web.deps import get_conn

router = APIRouter(tags=["hs codes"])
SECTION_PATTERN = r"^[IVXivx]{1,5}$"

ERRORS = problems({
    404: "Code not in the edition (with `suggestions`: the nearest valid codes), edition not "
         "loaded, or no tables link the editions (problem JSON)",
    422: "Malformed code or unknown edition (problem JSON)",
})


class Source(BaseModel):
    """Where the data came from."""

    name: str
    source: str
    licence: str
    edition: str
    imported_at: datetime
    is_sample: bool

    @classmethod
    def of(cls, p: Provenance) -> Source:
        return cls(name=p.name, source=p.source, licence=p.licence, edition=p.edition,
                   imported_at=p.imported_at, is_sample=p.is_sample)


class Code(BaseModel):
    """A section (level 0), chapter (2), heading (4) or subheading (6)."""

    edition: str = Field(examples=["HS2022"])
    code: str = Field(examples=["090121"], description="Digits only (roman numeral for a section)")
    display: str = Field(examples=["0901.21"])
    level: int = Field(examples=[6])
    kind: str = Field(examples=["subheading"])
    parent: str | None = Field(examples=["0901"])
    section: str = Field(examples=["II"])
    description: str = Field(description="In the request's language where the operator "
                                          "imported it (`tradewind import hs-descriptions`), "
                                          "else in English as published")
    description_lang: str = Field("en", examples=["en"],
                                  description="Language of `description`: en, fr or es")

    @classmethod
    def of(cls, c: CodeInfo) -> Code:
        return cls(edition=c.edition, code=c.code, display=c.display, level=c.level, kind=c.kind,
                   parent=c.parent, section=c.section, description=c.description,
                   description_lang=c.description_lang)


class Note(BaseModel):
    flag: str = Field(examples=["EUDR"])
    title: str
    text: str


class TargetCode(BaseModel):
    code: str
    display: str
    relation: str = Field(description="1:1, 1:n (split), n:1 (merger) or n:n")
    description: str | None = Field(description="Null when the edition's descriptions are "
                                                "not loaded (HS 2012, HS 1992)")
    conversion: bool = Field(description="Pair used by UNSD's conversion table (on every hop)")
    via: list[str] = Field(description="Intermediate codes of a composed conversion")


class ConversionOut(BaseModel):
    code: str
    display: str
    from_edition: str
    to_edition: str
    description: str | None
    relation: str = Field(description="Overall: 1:1, 1:n, n:1, n:n, or none")
    path: list[str] = Field(description="Editions traversed, e.g. HS2017 → HS2022 → HS2012")
    composed: bool
    targets: list[TargetCode]
    sources: list[Source]


class CodeDetail(BaseModel):
    code: Code
    path: list[Code] = Field(description="Section › chapter › heading › subheading")
    children: list[Code]
    notes: list[Note] = Field(description="Plain-language regulation notes (EU flags)")
    conversions: list[ConversionOut]
    editions: list[str] = Field(description="Loaded editions that hold the same code")
    sources: list[Source]


class Edition(BaseModel):
    edition: str
    codes: int
    subheadings: int
    linked_to: list[str] = Field(description="Editions reachable through correlation tables")
    sources: list[Source]


def _conversion(conn: Connection, c: concordance.Conversion) -> ConversionOut:
    data = c.as_dict()
    return ConversionOut(
        code=c.code, display=data["display"], from_edition=c.from_edition,
        to_edition=c.to_edition, description=c.description, relation=c.relation, path=c.path,
        composed=c.composed,
        targets=[TargetCode(code=t.code, display=t.display, relation=t.relation,
                            description=t.description, conversion=t.conversion,
                            via=list(t.via)) for t in c.targets],
        sources=[Source.of(p) for p in concordance.concordance_provenance(conn, c)],
    )


@router.get("/hs/editions", response_model=list[Edition],
            summary="HS editions loaded, with their size, links and sources")
def editions(conn: Connection = Depends(get_conn)) -> list[Edition]:
    linked = concordance.linked_editions(conn)
    out = []
    for e in queries.editions_loaded(conn):
        reachable = []
        for other in linked:
            if other == e.edition:
                continue
            try:
                concordance.conversion_path(conn, e.edition, other)
                reachable.append(other)
            except NotFound:  # unreachable editions are simply not listed
                continue
        out.append(Edition(edition=e.edition, codes=e.codes, subheadings=e.subheadings,
                           linked_to=reachable,
                           sources=[Source.of(p)
                                    for p in queries.edition_provenance(conn, e.edition)]))
    return out


@router.get("/hs/codes/{code}", response_model=CodeDetail, responses=ERRORS,
            summary="One code: path, children, notes, conversions to other editions")
def get_code(code: str = Path(..., min_length=2, max_length=16, pattern=HS_PATTERN,
                              description="chapter, heading or subheading: 09, 0901, 0901.21"),
             edition: str = edition(),
             conn: Connection = Depends(get_conn)) -> CodeDetail:
    r = code_report(conn, code, edition)
    return CodeDetail(
        code=Code.of(r.info), path=[Code.of(p) for p in r.path],
        children=[Code.of(c) for c in r.children],
        notes=[Note(flag=n.flag, title=n.title, text=n.text) for n in r.notes],
        conversions=[_conversion(conn, c) for c in r.conversions],
        editions=r.editions, sources=[Source.of(p) for p in r.sources],
    )


@router.get("/hs/codes/{code}/children", response_model=list[Code], responses=ERRORS,
            summary="Codes one level down (a section's roman numeral gives its chapters)")
def get_children(code: str = Path(..., min_length=1, max_length=16,
                                  pattern=f"{HS_PATTERN}|{SECTION_PATTERN}",
                                  description="a code, or a section's roman numeral (II)"),
                 edition: str = edition(),
                 conn: Connection = Depends(get_conn)) -> list[Code]:
    chosen = normalize_edition(edition)
    text = code.strip().upper()
    if text.isalpha() and len(text) <= 5:
        if queries.get_section(conn, text, chosen) is None:
            raise InvalidCode(code=code, edition=chosen, reason=N_("no such section"), missing=True,
                              suggestions=[s.code for s in queries.sections(conn, chosen)][:5])
        return [Code.of(c) for c in queries.children(conn, text, chosen)]
    info = queries.require_code(conn, code, chosen)
    return [Code.of(c) for c in queries.children(conn, info.code, chosen)]


@router.get("/hs/convert", response_model=ConversionOut, responses=ERRORS,
            summary="Convert a 6-digit code between HS editions (both directions)")
def convert(code: str = hs_code(pattern=HS6_PATTERN,
                                description="HS six-digit subheading of the `from` edition"),
            from_edition: str = edition(DEFAULT_EDITION, alias="from"),
            to_edition: str = edition(..., alias="to"),
            conn: Connection = Depends(get_conn)) -> ConversionOut:
    return _conversion(conn, concordance.convert(conn, code, from_edition, to_edition))
