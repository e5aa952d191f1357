"""Binding rulings as evidence: storing parsed rulings, and finding one similar to a query.

Parsers (``tradewind.ingest.rulings_eu`` for EU binding tariff information, and
``tradewind.ingest.rulings_us`` for US CBP rulings) turn a file into :class:`ParsedRuling`
records, each naming its line; :func:`store_rulings` maps their codes to HS 2022 and writes
them in one transaction with their dataset's provenance.

Codes are mapped by the HS edition in force on the ruling's date (a 2019 ruling is in
HS 2017): through the loaded UNSD correlation tables when they link that edition to
HS 2022; otherwise a code that still exists in HS 2022 is kept as it is and counted as
*unconverted* in the report.  A code with no HS 2022 subheading is counted and skipped.

Evidence: the words of a ruling's description (stemmed as the finder stems queries) are
compared with the query's (a Dice overlap weighted by the words' rarity); the best ruling
above :data:`MIN_SIMILARITY` for a candidate's code is shown next to it with its
reference and date.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, delete, func, insert, select

from tradewind.datasets.models import datasets
from tradewind.datasets.queries import record_dataset, set_row_count
from tradewind.db import Database
from tradewind.errors import ImportFailed, NotFound
from tradewind.finder.models import finder_rulings
from tradewind.finder.text import analyse
from tradewind.i18n import lazy_noop as N_
from tradewind.nomenclature.models import DEFAULT_EDITION, hs_codes

KIND = "rulings"
MIN_SIMILARITY = 0.35
CHUNK = 2000
# HS editions by the date they entered into force.
EDITION_STARTS = ((date(2022, 1, 1), "HS2022"), (date(2017, 1, 1), "HS2017"),
                  (date(2012, 1, 1), "HS2012"), (date(2007, 1, 1), "HS2007"),
                  (date(2002, 1, 1), "HS2002"), (date(1996, 1, 1), "HS1996"))


@dataclass
class ParsedRuling:
    line: int
    reference: str
    description: str
    codes: list[str]  # digits as found (6 to 10+), national codes allowed
    ruling_date: date | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    status: str = "valid"
    country: str | None = None
    keywords: str = ""


@dataclass
class RulingsImport:
    dataset_id: int
    rulings: int
    stored: int
    converted: int  # codes mapped from an older edition through the correlation tables
    unconverted: int  # older-edition codes kept as they are (no correlation table loaded)
    not_in_hs2022: int
    replaced: bool
    unknown_examples: list[str] = field(default_factory=list)


def edition_on(day: date | None) -> str:
    """The HS edition in force on ``day`` (HS 2022 when the date is unknown)."""
    if day is None:
        return DEFAULT_EDITION
    for start, edition in EDITION_STARTS:
        if day >= start:
            return edition
    return "HS1992"


def _mapping(conn: Connection, edition: str) -> dict[str, list[str]] | None:
    from tradewind.nomenclature.concordance import correspondence

    try:
        return correspondence(conn, edition, DEFAULT_EDITION)
    except NotFound:
        return None


def store_rulings(db: Database, file: str, parsed: list[ParsedRuling], *, authority: str,
                  name: str, source: str, licence: str, notes: str) -> RulingsImport:
    """Map codes to HS 2022 and write the rulings in one transaction (replacing ``name``)."""
    if not parsed:
        raise ImportFailed(N_("the file holds no rulings"), file=file)
    with db.transaction() as conn:
        valid = set(conn.execute(select(hs_codes.c.code).where(
            hs_codes.c.edition == DEFAULT_EDITION, hs_codes.c.level == 6)).scalars())
        if not valid:
            raise ImportFailed(N_("HS 2022 is not loaded; run `tradewind init` first"), file=file)
        replaced = _drop_previous(conn, name)
        dataset_id = record_dataset(conn, kind=KIND, name=name, source=source, licence=licence,
                                    edition=DEFAULT_EDITION, notes=notes)
        mappings: dict[str, dict[str, list[str]] | None] = {}
        rows: list[dict[str, object]] = []
        seen: set[tuple[str, str]] = set()
        converted = unconverted = unknown = 0
        examples: list[str] = []
        for rec in parsed:
            edition = edition_on(rec.valid_from or rec.ruling_date)
            for raw in rec.codes:
                six = raw[:6]
                targets: list[str]
                if edition == DEFAULT_EDITION:
                    targets = [six] if six in valid else []
                else:
                    if edition not in mappings:
                        mappings[edition] = _mapping(conn, edition)
                    table = mappings[edition]
                    if table is not None and six in table:
                        targets = [t for t in table[six] if t in valid]
                        converted += int(bool(targets))
                    elif six in valid:
                        targets = [six]
                        unconverted += 1
                    else:
                        targets = []
                if not targets:
                    unknown += 1
                    if len(examples) < 10:
                        examples.append(f"line {rec.line}: {rec.reference} → {raw} ({edition})")
                    continue
                for code in targets:
                    if (rec.reference, code) in seen:
                        continue
                    seen.add((rec.reference, code))
                    rows.append({
                        "dataset_id": dataset_id, "authority": authority,
                        "reference": rec.reference, "ruling_date": rec.ruling_date,
                        "valid_from": rec.valid_from, "valid_to": rec.valid_to,
                        "status": rec.status, "country": rec.country,
                        "description": rec.description, "keywords": rec.keywords,
                        "code": code, "source_code": raw[:14], "source_edition": edition})
        for start in range(0, len(rows), CHUNK):
            conn.execute(insert(finder_rulings), rows[start:start + CHUNK])
        set_row_count(conn, dataset_id, len(rows))
    forget_rulings(db)
    return RulingsImport(dataset_id=dataset_id, rulings=len(parsed), stored=len(rows),
                         converted=converted, unconverted=unconverted, not_in_hs2022=unknown,
                         replaced=replaced, unknown_examples=examples)


def _drop_previous(conn: Connection, name: str) -> bool:
    ids = list(conn.execute(select(datasets.c.id).where(datasets.c.kind == KIND,
                                                        datasets.c.name == name)).scalars())
    for dataset_id in ids:
        conn.execute(delete(finder_rulings).where(finder_rulings.c.dataset_id == dataset_id))
        conn.execute(delete(datasets).where(datasets.c.id == dataset_id))
    return bool(ids)


# ---------------------------------------------------------------- similarity
@dataclass(frozen=True)
class Ruling:
    authority: str
    reference: str
    ruling_date: date | None
    valid_from: date | None
    valid_to: date | None
    status: str
    description: str
    code: str
    dataset: str

    def in_force(self, today: date | None = None) -> bool:
        day = today or date.today()
        return self.status in ("valid", "modified") and (self.valid_to is None or self.valid_to >= day)


@dataclass
class _RulingIndex:
    signature: tuple[object, ...]
    rulings: list[Ruling]
    stems: list[frozenset[str]]
    by_code: dict[str, list[int]]
    idf: dict[str, float]


def weighted_dice(a: frozenset[str], b: frozenset[str], idf: dict[str, float]) -> float:
    """Overlap of two word sets, each word weighted by its rarity (0–1)."""
    if not a or not b:
        return 0.0
    common = sum(idf.get(s, 1.0) for s in a & b)
    total = sum(idf.get(s, 1.0) for s in a) + sum(idf.get(s, 1.0) for s in b)
    return 2.0 * common / total if total else 0.0


_CACHE: dict[str, _RulingIndex] = {}
_LOCK = threading.Lock()


def _signature(conn: Connection) -> tuple[object, ...]:
    return tuple(conn.execute(select(func.count(), func.max(finder_rulings.c.id))).one())


def ruling_index(db: Database) -> _RulingIndex:
    """Rulings of ``db`` with their stemmed words, rebuilt when the table changes."""
    with db.connect() as conn:
        sig = _signature(conn)
        cached = _CACHE.get(db.url)
        if cached is not None and cached.signature == sig:
            return cached
        with _LOCK:
            names = dict(conn.execute(select(datasets.c.id, datasets.c.name).where(
                datasets.c.kind == KIND)).all())
            rulings: list[Ruling] = []
            stems: list[frozenset[str]] = []
            by_code: dict[str, list[int]] = {}
            df: dict[str, int] = {}
            for r in conn.execute(select(finder_rulings).order_by(finder_rulings.c.id)):
                words = frozenset(analyse(f"{r.description} {r.keywords}"))
                by_code.setdefault(r.code, []).append(len(rulings))
                rulings.append(Ruling(r.authority, r.reference, r.ruling_date, r.valid_from,
                                      r.valid_to, r.status, r.description, r.code,
                                      names.get(r.dataset_id, "rulings")))
                stems.append(words)
                for s in words:
                    df[s] = df.get(s, 0) + 1
            n = len(rulings) or 1
            idf = {s: math.log(1.0 + n / (d + 0.5)) for s, d in df.items()}
            built = _RulingIndex(sig, rulings, stems, by_code, idf)
            _CACHE[db.url] = built
            return built


def forget_rulings(db: Database) -> None:
    _CACHE.pop(db.url, None)


def similar_rulings(db: Database, query: str, codes: Iterable[str],
                    today: date | None = None) -> dict[str, tuple[Ruling, float]]:
    """For each code, the most similar ruling (in force first) above the threshold."""
    index = ruling_index(db)
    if not index.rulings:
        return {}
    words = frozenset(analyse(query))
    out: dict[str, tuple[Ruling, float]] = {}
    for code in codes:
        best: tuple[bool, float, int] | None = None
        for i in index.by_code.get(code, ()):
            sim = weighted_dice(words, index.stems[i], index.idf)
            if sim < MIN_SIMILARITY:
                continue
            key = (index.rulings[i].in_force(today), sim, -i)
            if best is None or key > best:
                best = key
        if best is not None:
            out[code] = (index.rulings[-best[2]], round(best[1], 3))
    return out
