"""Conversion of HS codes between editions (2022 ↔ 2017 ↔ 2012 ↔ 1992).

Correspondence pairs come from the UNSD correlation tables (``tradewind import
concordance``), stored in the direction of the file.  Both directions are answered from the
same pairs.  When no table links two editions directly, the conversion composes through
HS 2022 (or any loaded edition that links them) and says which path it used.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from sqlalchemy import Connection, or_, select

from tradewind.datasets.queries import Provenance, dataset_by_id, datasets_of_kind
from tradewind.errors import InvalidCode, InvalidInput, NotFound
from tradewind.i18n import lazy_noop as N_
from tradewind.nomenclature.codes import (
    format_code,
    nearest_codes,
    normalize_code,
    normalize_edition,
)
from tradewind.nomenclature.models import DEFAULT_EDITION, hs_codes, hs_correspondences
from tradewind.nomenclature.queries import descriptions, edition_is_loaded, get_code

RELATIONS = ("1:1", "1:n", "n:1", "n:n")
PIVOT = DEFAULT_EDITION


def relation_of(n_targets: int, n_sources: int) -> str:
    """The relation of one pair from how many targets its source has and how many sources
    its target has: 1:1, 1:n (a split), n:1 (a merger) or n:n."""
    if n_targets <= 1 and n_sources <= 1:
        return "1:1"
    if n_sources <= 1:
        return "1:n"
    if n_targets <= 1:
        return "n:1"
    return "n:n"


def reverse_relation(relation: str) -> str:
    return {"1:n": "n:1", "n:1": "1:n"}.get(relation, relation)


def invert(mapping: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    """Target → sorted sources."""
    out: dict[str, set[str]] = {}
    for source, targets in mapping.items():
        for target in targets:
            out.setdefault(target, set()).add(source)
    return {k: sorted(v) for k, v in out.items()}


def pair_relations(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Relation of every (source, target) pair, computed from the pairs alone."""
    pair_list = list(dict.fromkeys(pairs))
    n_targets: dict[str, int] = {}
    n_sources: dict[str, int] = {}
    for source, target in pair_list:
        n_targets[source] = n_targets.get(source, 0) + 1
        n_sources[target] = n_sources.get(target, 0) + 1
    return {(s, t): relation_of(n_targets[s], n_sources[t]) for s, t in pair_list}


@dataclass(frozen=True)
class Target:
    """One code in the other edition."""

    code: str
    relation: str
    description: str | None = None
    conversion: bool = False  # the pair (or every hop of it) is in UNSD's conversion table
    via: tuple[str, ...] = ()  # codes of the intermediate edition (composed conversions)

    @property
    def display(self) -> str:
        return format_code(self.code)


@dataclass(frozen=True)
class Conversion:
    """The answer to "what is this code in that edition?" and how it was found."""

    code: str
    from_edition: str
    to_edition: str
    targets: list[Target]
    path: list[str]  # editions traversed, e.g. ["HS2017", "HS2022", "HS2012"]
    description: str | None = None
    dataset_ids: list[int] = field(default_factory=list)

    @property
    def relation(self) -> str:
        """The overall relation: the most tangled of the targets' relations ('none' if none)."""
        if not self.targets:
            return "none"
        has_many_sources = any(t.relation in ("n:1", "n:n") for t in self.targets)
        return relation_of(len(self.targets), 2 if has_many_sources else 1)

    @property
    def main_targets(self) -> list[Target]:
        """Targets linked by UNSD's conversion table (all targets if none are)."""
        main = [t for t in self.targets if t.conversion]
        return main or self.targets

    @property
    def other_targets(self) -> list[Target]:
        main = {t.code for t in self.main_targets}
        return [t for t in self.targets if t.code not in main]

    @property
    def composed(self) -> bool:
        return len(self.path) > 2

    @property
    def path_text(self) -> str:
        return " → ".join(self.path)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code, "display": format_code(self.code),
            "from_edition": self.from_edition, "to_edition": self.to_edition,
            "description": self.description, "relation": self.relation,
            "path": self.path, "composed": self.composed,
            "targets": [{"code": t.code, "display": t.display, "relation": t.relation,
                         "description": t.description, "conversion": t.conversion,
                         "via": list(t.via)}
                        for t in self.targets],
            "dataset_ids": self.dataset_ids,
        }


def table_pairs(conn: Connection, found: list[Provenance] | None = None
                ) -> dict[tuple[str, str], list[int]]:
    """Edition pairs that have a correlation table loaded (file direction) → dataset ids.

    Read from the provenance rows (edition "HS2022/HS2017"), which is far cheaper than
    scanning the pairs."""
    out: dict[tuple[str, str], list[int]] = {}
    for p in found if found is not None else datasets_of_kind(conn, "concordance"):
        a, _, b = p.edition.partition("/")
        if a and b:
            out.setdefault((a, b), []).append(p.id)
    return out


def linked_editions(conn: Connection) -> list[str]:
    """Editions reachable through at least one correlation table."""
    eds = {e for pair in table_pairs(conn) for e in pair}
    return sorted(eds, reverse=True)


def conversion_path(conn: Connection, from_edition: str, to_edition: str,
                    loaded: dict[tuple[str, str], list[int]] | None = None) -> list[str]:
    """Editions to traverse: direct when a table exists, else through HS 2022 (or the shortest
    chain of loaded tables).  Raises NotFound when the tables needed are not loaded."""
    if from_edition == to_edition:
        return [from_edition]
    graph: dict[str, set[str]] = {}
    for a, b in loaded if loaded is not None else table_pairs(conn):
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set()).add(a)
    if to_edition in graph.get(from_edition, set()):
        return [from_edition, to_edition]
    if PIVOT in graph.get(from_edition, set()) and to_edition in graph.get(PIVOT, set()):
        return [from_edition, PIVOT, to_edition]
    previous: dict[str, str] = {from_edition: from_edition}
    queue = deque([from_edition])
    while queue:
        here = queue.popleft()
        for nxt in sorted(graph.get(here, set())):
            if nxt not in previous:
                previous[nxt] = here
                queue.append(nxt)
    if to_edition not in previous:
        raise NotFound(N_("No correlation tables link %(from_edition)s and %(to_edition)s; "
                          "import the UNSD tables with `tradewind import concordance "
                          "FILE.xlsx`."), from_edition=from_edition, to_edition=to_edition)
    chain = [to_edition]
    while chain[-1] != from_edition:
        chain.append(previous[chain[-1]])
    return chain[::-1]


def _direct(conn: Connection, from_edition: str, to_edition: str,
            codes: Iterable[str] | None = None) -> dict[str, list[tuple[str, str, bool]]]:
    """Source → [(target, relation, conversion)] for one hop, from either stored direction.

    ``conversion`` says the pair is in UNSD's conversion table (newer → older code), in
    whichever direction it is walked."""
    c = hs_correspondences.c
    code_list = sorted(set(codes)) if codes is not None else None
    out: dict[str, list[tuple[str, str, bool]]] = {}
    forward = select(c.from_code, c.to_code, c.relation, c.conversion).where(
        c.from_edition == from_edition, c.to_edition == to_edition)
    if code_list is not None:
        forward = forward.where(c.from_code.in_(code_list))
    for r in conn.execute(forward):
        out.setdefault(r.from_code, []).append((r.to_code, r.relation, bool(r.conversion)))
    backward = select(c.to_code, c.from_code, c.relation, c.conversion).where(
        c.from_edition == to_edition, c.to_edition == from_edition)
    if code_list is not None:
        backward = backward.where(c.to_code.in_(code_list))
    for b in conn.execute(backward):
        out.setdefault(b.to_code, []).append(
            (b.from_code, reverse_relation(b.relation), bool(b.conversion)))
    for targets in out.values():
        targets.sort()
    return out


# Whole hop tables of composed conversions, kept per process.  The key holds the ids of the
# correlation datasets behind the hop, so an import (a new dataset id) makes a fresh entry and
# the old one is never used again; a few tables of ~6,000 codes each stay small.
_HOP_CACHE: dict[tuple[str, str, tuple[int, ...]], dict[str, list[tuple[str, str, bool]]]] = {}
_HOP_CACHE_SIZE = 16


def _tables_key(conn: Connection, chain: list[str],
                found: list[Provenance] | None = None) -> tuple[Any, ...]:
    """What identifies the tables behind a chain: the database, and each correlation
    dataset's id and import time (ids alone can be reused after a delete)."""
    wanted = {pair for a, b in pairwise(chain) for pair in ((a, b), (b, a))}
    tables = []
    for p in found if found is not None else datasets_of_kind(conn, "concordance"):
        a, _, b = p.edition.partition("/")
        if (a, b) in wanted:
            tables.append((p.id, str(p.imported_at), p.row_count))
    return (conn.engine.url.render_as_string(hide_password=True), tuple(sorted(tables)))


def _hop(conn: Connection, from_edition: str, to_edition: str,
         codes: Iterable[str] | None = None) -> dict[str, list[tuple[str, str, bool]]]:
    """Like :func:`_direct`, from a per-process copy of the whole hop table."""
    key = (from_edition, to_edition, *_tables_key(conn, [from_edition, to_edition]))
    table = _HOP_CACHE.get(key)
    if table is None:
        table = _direct(conn, from_edition, to_edition)
        if len(_HOP_CACHE) >= _HOP_CACHE_SIZE:
            _HOP_CACHE.pop(next(iter(_HOP_CACHE)))
        _HOP_CACHE[key] = table
    if codes is None:
        return table
    return {c: table[c] for c in codes if c in table}


def correspondence(conn: Connection, from_edition: str,
                   to_edition: str) -> dict[str, list[str]]:
    """Each 6-digit code of ``from_edition`` → its 6-digit codes in ``to_edition``.

    Works in both directions and composes through HS 2022 when there is no direct table.
    """
    from_edition = normalize_edition(from_edition)
    to_edition = normalize_edition(to_edition)
    chain = conversion_path(conn, from_edition, to_edition)
    if len(chain) == 1:
        from tradewind.nomenclature.queries import edition_codes

        return {code: [code] for code in edition_codes(conn, from_edition, level=6)}
    mapping: dict[str, set[str]] = {
        s: {t for t, _r, _c in ts} for s, ts in _direct(conn, chain[0], chain[1]).items()
    }
    for a, b in pairwise(chain[1:]):
        hop = _direct(conn, a, b)
        mapping = {s: {t2 for t in ts for t2, _r, _c in hop.get(t, [])}
                   for s, ts in mapping.items()}
    return {s: sorted(ts) for s, ts in mapping.items() if ts}


def _in_tables(conn: Connection, code: str, edition: str) -> bool:
    c = hs_correspondences.c
    left = select(c.id).where(c.from_edition == edition, c.from_code == code).limit(1)
    right = select(c.id).where(c.to_edition == edition, c.to_code == code).limit(1)
    return (conn.execute(left).first() or conn.execute(right).first()) is not None


def edition_codes_in_tables(conn: Connection, edition: str) -> list[str]:
    """The codes of an edition that appear in any loaded correlation table."""
    c = hs_correspondences.c
    left = select(c.from_code).where(c.from_edition == edition)
    right = select(c.to_code).where(c.to_edition == edition)
    return sorted(set(conn.execute(left).scalars()) | set(conn.execute(right).scalars()))


def convert(conn: Connection, code: str, from_edition: str,
            to_edition: str) -> Conversion:
    """The codes of ``to_edition`` that correspond to ``code`` of ``from_edition``.

    Each target carries its relation (1:1, 1:n, n:1, n:n).  A code unknown in the source
    edition raises :class:`InvalidCode` with the nearest valid codes.
    """
    from_edition = normalize_edition(from_edition)
    to_edition = normalize_edition(to_edition)
    digits = normalize_code(code, edition=from_edition)
    if len(digits) != 6:
        raise InvalidCode(code=code, edition=from_edition,
                          reason=N_("conversion between editions works on 6-digit subheadings"))
    # One read of the correlation datasets serves the path, the provenance and the key of
    # the prepared chain (three reads before).
    concordances = datasets_of_kind(conn, "concordance")
    loaded = table_pairs(conn, concordances)
    chain = conversion_path(conn, from_edition, to_edition, loaded)
    source_info = get_code(conn, digits, from_edition)
    if source_info is None and not _in_tables(conn, digits, from_edition):
        if edition_is_loaded(conn, from_edition):
            from tradewind.nomenclature.queries import edition_codes

            known = edition_codes(conn, from_edition, level=6)
        else:
            known = edition_codes_in_tables(conn, from_edition)
        raise InvalidCode(code=code, edition=from_edition,
                          reason=N_("no such subheading in this edition"), missing=True,
                          suggestions=[format_code(c) for c in nearest_codes(digits, known)])
    description = source_info.description if source_info else None
    dataset_ids = sorted({i for a, b in pairwise(chain) for pair in ((a, b), (b, a))
                          for i in loaded.get(pair, [])})
    if len(chain) == 1:
        targets = [Target(code=digits, relation="1:1", description=description, conversion=True)]
        return Conversion(digits, from_edition, to_edition, targets, chain, description, [])
    if len(chain) == 2:
        hop = _direct(conn, chain[0], chain[1], [digits]).get(digits, [])
        names = descriptions(conn, [t for t, _r, _c in hop], to_edition)
        # UNSD's conversion choice first, then by code.
        targets = [Target(code=t, relation=r, description=names.get(t), conversion=conv)
                   for t, r, conv in sorted(hop, key=lambda h: (not h[2], h[0]))]
        return Conversion(digits, from_edition, to_edition, targets, chain, description,
                          dataset_ids)
    # Composed: one lookup of the answers stored per edition pair (:mod:`.composed`); when
    # the pair is not built for the loaded tables, the chain's tables, descriptions and
    # composed mapping are prepared once per process (:class:`_ComposedChain`).
    from tradewind.nomenclature.composed import stored_targets, tables_key

    stored = stored_targets(conn, chain, tables_key(chain, concordances), digits)
    targets = (stored if stored is not None
               else list(_composed_chain(conn, chain, concordances).answer(digits)))
    return Conversion(digits, from_edition, to_edition, targets, chain, description, dataset_ids)


class _ComposedChain:
    """One composed chain, prepared: both hop tables, the composed mapping with its reverse
    counts, the target edition's descriptions, and the answers already built (bounded)."""

    ANSWERS_KEPT = 4096

    def __init__(self, conn: Connection, chain: list[str]) -> None:
        self.first_hop = _hop(conn, chain[0], chain[1])
        self.second_hop = _hop(conn, chain[1], chain[2]) if len(chain) == 3 else {}
        self.forward, self.source_counts = _composed(conn, chain)
        self.names = {r.code: r.description for r in conn.execute(
            select(hs_codes.c.code, hs_codes.c.description)
            .where(hs_codes.c.edition == chain[-1], hs_codes.c.level == 6))}
        self.answers: dict[str, tuple[Target, ...]] = {}
        # Second hop reversed (target → pivots reaching it, and the pivots whose pair is in
        # UNSD's conversion table): an answer's "via" and "main" become set intersections
        # done in C instead of walking every (pivot, target) pair of a tangled group.
        reaching: dict[str, set[str]] = {}
        converting: dict[str, set[str]] = {}
        for pivot, hop in self.second_hop.items():
            for t, _r, conv in hop:
                reaching.setdefault(t, set()).add(pivot)
                if conv:
                    converting.setdefault(t, set()).add(pivot)
        self.reaching = {t: frozenset(p) for t, p in reaching.items()}
        self.converting = {t: frozenset(p) for t, p in converting.items()}

    def answer(self, digits: str) -> tuple[Target, ...]:
        found = self.answers.get(digits)
        if found is None:
            found = self._build(digits)
            if len(self.answers) >= self.ANSWERS_KEPT:
                self.answers.pop(next(iter(self.answers)))
            self.answers[digits] = found
        return found

    def _build(self, digits: str) -> tuple[Target, ...]:
        """A relation depends on the whole composed mapping, the order on each target's path.
        Tangled tables (e.g. e-waste, display modules) make composed answers long: codes
        linked by UNSD's conversion table on every hop come first, then the same code, the
        same heading, codes reached through more intermediate codes."""
        first = self.first_hop.get(digits, [])
        main_pivots = frozenset(p for p, _r, conv in first if conv)
        pivots = frozenset(p for p, _r, _c in first)
        empty: frozenset[str] = frozenset()
        reaching, converting = self.reaching, self.converting
        via: dict[str, tuple[str, ...]] = {}
        main: set[str] = set()
        for t in self.forward.get(digits, ()):
            through = pivots & reaching.get(t, empty)
            if through:
                via[t] = tuple(sorted(through))
            if not main_pivots.isdisjoint(converting.get(t, empty)):
                main.add(t)
        codes = sorted(self.forward.get(digits, ()),
                       key=lambda t: (t not in main, t != digits, t[:4] != digits[:4],
                                      -len(via.get(t, ())), t))
        n, counts, names = len(codes), self.source_counts, self.names
        return tuple(Target(code=t, relation=relation_of(n, counts.get(t, 0)),
                            description=names.get(t), conversion=t in main,
                            via=via.get(t, ())) for t in codes)


_CHAINS: dict[tuple[Any, ...], _ComposedChain] = {}


def _composed_chain(conn: Connection, chain: list[str],
                    datasets: list[Provenance] | None = None) -> _ComposedChain:
    """The prepared chain, once per chain and loaded tables (an import makes a new key)."""
    key = (*chain, *_tables_key(conn, chain, datasets))
    found = _CHAINS.get(key)
    if found is None:
        found = _ComposedChain(conn, chain)
        if len(_CHAINS) >= _HOP_CACHE_SIZE:
            _CHAINS.pop(next(iter(_CHAINS)))
        _CHAINS[key] = found
    return found


_COMPOSED_CACHE: dict[tuple[Any, ...], tuple[dict[str, frozenset[str]], dict[str, int]]] = {}


def _composed(conn: Connection, chain: list[str]
              ) -> tuple[dict[str, frozenset[str]], dict[str, int]]:
    """The whole composed mapping of a chain (source → targets) and, for each target, how many
    sources reach it; computed once per chain and loaded tables, then kept per process."""
    key = (*chain, *_tables_key(conn, chain))
    cached = _COMPOSED_CACHE.get(key)
    if cached is not None:
        return cached
    hops = [_hop(conn, a, b) for a, b in pairwise(chain)]
    forward: dict[str, frozenset[str]] = {}
    for source, first in hops[0].items():
        reached = {t for t, _r, _c in first}
        for hop in hops[1:]:
            reached = {t2 for t in reached for t2, _r, _c in hop.get(t, [])}
        if reached:
            forward[source] = frozenset(reached)
    counts: dict[str, int] = {}
    for targets in forward.values():
        for target in targets:
            counts[target] = counts.get(target, 0) + 1
    if len(_COMPOSED_CACHE) >= _HOP_CACHE_SIZE:
        _COMPOSED_CACHE.pop(next(iter(_COMPOSED_CACHE)))
    _COMPOSED_CACHE[key] = (forward, counts)
    return forward, counts


def conversions_for(conn: Connection, code: str, from_edition: str = DEFAULT_EDITION,
                    editions: Iterable[str] | None = None) -> list[Conversion]:
    """Conversions of one code to every other linked edition (for the code page).

    Editions that cannot be reached are skipped rather than raising.
    """
    wanted = editions if editions is not None else linked_editions(conn)
    out = []
    for edition in wanted:
        if edition == from_edition:
            continue
        try:
            out.append(convert(conn, code, from_edition, edition))
        except (NotFound, InvalidCode):
            continue
    return out


def concordance_provenance(conn: Connection, conversion: Conversion) -> list[Provenance]:
    found = [dataset_by_id(conn, i) for i in conversion.dataset_ids]
    return [p for p in found if p is not None]


def delete_pairs(conn: Connection, from_edition: str, to_edition: str) -> None:
    """Remove a loaded table (both stored directions) before re-importing it."""
    c = hs_correspondences.c
    conn.execute(hs_correspondences.delete().where(or_(
        (c.from_edition == from_edition) & (c.to_edition == to_edition),
        (c.from_edition == to_edition) & (c.to_edition == from_edition),
    )))


def check_editions(from_edition: str, to_edition: str) -> tuple[str, str]:
    a, b = normalize_edition(from_edition), normalize_edition(to_edition)
    if a == b:
        raise InvalidInput(N_("Both editions are %(a)s; choose two different editions."), a=a)
    return a, b
