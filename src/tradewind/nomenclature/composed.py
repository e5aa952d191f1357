"""Composed HS conversions precomputed per edition pair, so a conversion is one lookup.

Composing two correlation tables (e.g. HS 2017 → HS 2022 → HS 2012) needs both whole
tables and, for tangled groups, much set work; done per request it cost tens of
milliseconds at load.  The answers of every source code are built once, when a correlation
table is imported (in the import's transaction) or at ``tradewind init`` and server start,
and stored in ``hs_composed`` with the identity of the tables they came from
(``tables_key``).  A pair whose key no longer matches the loaded tables is ignored, so an
import elsewhere (another instance, a direct insert) can never serve stale answers: the
composed path of :mod:`tradewind.nomenclature.concordance` answers until it is rebuilt.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, and_, delete, func, insert, select

from tradewind.datasets.queries import Provenance, datasets_of_kind
from tradewind.nomenclature.concordance import Target
from tradewind.nomenclature.models import hs_codes, hs_composed, hs_composed_pairs

if TYPE_CHECKING:
    from tradewind.nomenclature.concordance import _ComposedChain

CHUNK = 5000


def tables_key(chain: list[str], concordances: list[Provenance]) -> str:
    """The correlation datasets behind a chain (id, import time, rows), as stored text."""
    wanted = {pair for a, b in pairwise(chain) for pair in ((a, b), (b, a))}
    tables = sorted((p.id, str(p.imported_at), p.row_count) for p in concordances
                    if tuple(p.edition.partition("/")[::2]) in wanted)
    return ";".join(f"{i}@{at}#{rows}" for i, at, rows in tables)


def composed_chains(conn: Connection, concordances: list[Provenance]) -> list[list[str]]:
    """Every ordered pair of linked editions that needs a composed chain, as its chain."""
    from tradewind.nomenclature.concordance import conversion_path, table_pairs

    loaded = table_pairs(conn, concordances)
    editions = sorted({e for pair in loaded for e in pair})
    chains = []
    for a in editions:
        for b in editions:
            if a != b:
                chain = conversion_path(conn, a, b, loaded)
                if len(chain) > 2:
                    chains.append(chain)
    return chains


def build_composed(conn: Connection) -> int:
    """(Re)build the stored answers of every composed pair whose tables changed; drops
    pairs no longer composed.  Returns the number of pairs built."""
    from tradewind.nomenclature.concordance import _ComposedChain

    concordances = datasets_of_kind(conn, "concordance")
    chains = composed_chains(conn, concordances)
    current = {(r.from_edition, r.to_edition): (r.id, r.path, r.tables_key)
               for r in conn.execute(select(hs_composed_pairs))}
    wanted = {(c[0], c[-1]): c for c in chains}
    stale = [pid for pair, (pid, _p, _k) in current.items() if pair not in wanted]
    built = 0
    for (a, b), chain in wanted.items():
        key, path = tables_key(chain, concordances), "/".join(chain)
        old = current.get((a, b))
        if old is not None and old[1:] == (path, key):
            continue
        _store(conn, _ComposedChain(conn, chain), chain, key)
        built += 1
    if stale:
        conn.execute(delete(hs_composed).where(hs_composed.c.pair_id.in_(stale)))
        conn.execute(delete(hs_composed_pairs).where(hs_composed_pairs.c.id.in_(stale)))
    return built


def _store(conn: Connection, prepared: _ComposedChain, chain: list[str], key: str) -> None:
    """Replace one pair's stored answers by those of the prepared chain."""
    old = select(hs_composed_pairs.c.id).where(
        hs_composed_pairs.c.from_edition == chain[0], hs_composed_pairs.c.to_edition == chain[-1])
    old_ids = list(conn.execute(old).scalars())
    if old_ids:
        conn.execute(delete(hs_composed).where(hs_composed.c.pair_id.in_(old_ids)))
        conn.execute(delete(hs_composed_pairs).where(hs_composed_pairs.c.id.in_(old_ids)))
    pair_id = conn.execute(insert(hs_composed_pairs).values(
        from_edition=chain[0], to_edition=chain[-1], path="/".join(chain), tables_key=key,
    ).returning(hs_composed_pairs.c.id)).scalar_one()
    rows = []
    for source in sorted(prepared.forward):
        answer = prepared._build(source)
        if answer:
            rows.append({"pair_id": pair_id, "from_code": source, "targets": ";".join(
                f"{t.code}|{t.relation}|{int(t.conversion)}|{','.join(t.via)}"
                for t in answer)})
    for start in range(0, len(rows), CHUNK):
        conn.execute(insert(hs_composed), rows[start:start + CHUNK])


def stored_targets(conn: Connection, chain: list[str], key: str,
                   digits: str) -> list[Target] | None:
    """The stored answer for one code, in order ([] when the code has no counterpart), or
    None when the pair is not built for these tables.  One query reads the pair and the
    answer's single row; the targets are shared per process (a tangled group's thousand
    targets recur in the answer of each of its codes)."""
    p, c = hs_composed_pairs, hs_composed
    query = (
        select(c.c.targets)
        .select_from(p.outerjoin(c, and_(c.c.pair_id == p.c.id, c.c.from_code == digits)))
        .where(p.c.from_edition == chain[0], p.c.to_edition == chain[-1],
               p.c.path == "/".join(chain), p.c.tables_key == key)
    )
    row = conn.execute(query).first()
    if row is None:
        return None
    if not row.targets:
        return []
    names_key, names = subheading_names(conn, chain[-1])
    shared_key = (names_key, "/".join(chain), key)
    shared = _TARGETS.get(shared_key)
    if shared is None:
        if len(_TARGETS) >= _TARGETS_KEPT:
            _TARGETS.pop(next(iter(_TARGETS)))
        shared = _TARGETS[shared_key] = {}
    out = []
    for entry in row.targets.split(";"):
        target = shared.get(entry)
        if target is None:
            code, relation, conversion, via = entry.split("|")
            target = shared[entry] = Target(
                code=code, relation=relation, description=names.get(code),
                conversion=conversion == "1", via=tuple(via.split(",")) if via else ())
        out.append(target)
    return out


_TARGETS: dict[tuple[Any, ...], dict[str, Target]] = {}
_TARGETS_KEPT = 16
_NAMES: dict[tuple[str, str], tuple[tuple[Any, ...], dict[str, str]]] = {}


def subheading_names(conn: Connection, edition: str) -> tuple[tuple[Any, ...], dict[str, str]]:
    """The 6-digit descriptions of an edition, kept per process while its rows are the same.

    ``hs_codes`` rows are only ever inserted or deleted (imports replace them), never
    updated, so their count and highest id tell whether the copy is current."""
    h = hs_codes.c
    where = (h.edition == edition, h.level == 6)
    count, top = conn.execute(select(func.count(), func.coalesce(func.max(h.id), 0))
                              .where(*where)).one()
    cache_key = (conn.engine.url.render_as_string(hide_password=True), edition)
    state = (*cache_key, count, top)
    cached = _NAMES.get(cache_key)
    if cached is None or cached[0] != state:
        names = {r.code: r.description for r in conn.execute(
            select(h.code, h.description).where(*where))}
        cached = _NAMES[cache_key] = (state, names)
    return cached
