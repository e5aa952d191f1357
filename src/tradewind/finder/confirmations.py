"""Advisors' confirmations: an editor confirms or corrects the code for a description.

A confirmation is a reference with provenance — who, when, on which portal — that later
searches for similar descriptions use: the confirmed code is lifted (or brought in) and
says "confirmed by an advisor".  Confirmations travel between portals as CSV
(:func:`export_csv` / :func:`import_csv`); an imported file is a dataset with its own
provenance, replaced as a whole when the same file name is imported again, and checked
completely (file, line, field named) before anything is written.
"""

from __future__ import annotations

import csv
import io
import math
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, delete, func, insert, select

from tradewind.audit import record_change
from tradewind.datasets.models import datasets
from tradewind.datasets.queries import record_dataset, set_row_count
from tradewind.db import Database
from tradewind.errors import ImportFailed, InvalidInput
from tradewind.finder.models import finder_confirmations
from tradewind.finder.rulings import weighted_dice
from tradewind.finder.text import analyse
from tradewind.i18n import gettext as _
from tradewind.i18n import lazy_noop as N_
from tradewind.nomenclature.models import DEFAULT_EDITION, hs_codes

KIND = "confirmations"
MAX_DESCRIPTION = 500
MIN_SIMILARITY = 0.6  # of a later description to a confirmed one, to use it
COLUMNS = ("description", "code", "action", "proposed", "confirmed_by", "confirmed_at",
           "portal", "note")


@dataclass(frozen=True)
class Confirmation:
    id: int
    description: str
    code: str
    proposed: str | None
    action: str  # confirm | correct
    confirmed_by: str
    confirmed_at: datetime
    portal: str
    note: str
    imported: bool

    def as_dict(self) -> dict[str, object]:
        return {"description": self.description, "code": self.code, "proposed": self.proposed,
                "action": self.action, "confirmed_by": self.confirmed_by,
                "confirmed_at": self.confirmed_at.isoformat(), "portal": self.portal,
                "note": self.note, "imported": self.imported}


def _subheading(conn: Connection, raw: str) -> str:
    digits = "".join(ch for ch in raw or "" if ch.isdigit())
    if len(digits) < 6:
        raise InvalidInput(_("“%(code)s” is not a 6-digit HS code.", code=(raw or "")[:20]))
    code = digits[:6]
    found = conn.execute(select(hs_codes.c.code).where(
        hs_codes.c.edition == DEFAULT_EDITION, hs_codes.c.code == code)).first()
    if found is None:
        raise InvalidInput(_("%(code)s is not an HS 2022 subheading.", code=code))
    return code


def record_confirmation(conn: Connection, *, description: str, code: str, proposed: str | None,
                        actor: str, portal: str, note: str = "") -> Confirmation:
    """Store an editor's confirmation (code == proposed) or correction, with an audit row."""
    text = " ".join((description or "").split())
    if not text:
        raise InvalidInput(_("The description to confirm is empty."))
    if len(text) > MAX_DESCRIPTION:
        raise InvalidInput(_("The description is too long (at most %(n)s characters).",
                             n=MAX_DESCRIPTION))
    chosen = _subheading(conn, code)
    first = "".join(ch for ch in proposed or "" if ch.isdigit())[:6] or None
    action = "confirm" if first == chosen else "correct"
    now = datetime.now(UTC)
    values = {"description": text, "code": chosen, "proposed": first, "action": action,
              "confirmed_by": actor, "confirmed_at": now, "portal": portal[:300],
              "note": " ".join((note or "").split())[:1000], "dataset_id": None}
    pk = conn.execute(insert(finder_confirmations).values(**values)).inserted_primary_key
    assert pk is not None
    record_change(conn, actor=actor, action=action, entity="finder-confirmation",
                  key=f"{chosen} {text[:150]}", before={"code": first} if first else None,
                  after={"code": chosen, "description": text})
    return Confirmation(int(pk[0]), text, chosen, first, action, actor, now, portal[:300],
                        values["note"], False)  # type: ignore[arg-type]


def _row(r: object) -> Confirmation:
    at = r.confirmed_at  # type: ignore[attr-defined]
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return Confirmation(r.id, r.description, r.code, r.proposed, r.action,  # type: ignore[attr-defined]
                        r.confirmed_by, at, r.portal, r.note,  # type: ignore[attr-defined]
                        r.dataset_id is not None)  # type: ignore[attr-defined]


def list_confirmations(conn: Connection, limit: int | None = None) -> list[Confirmation]:
    query = select(finder_confirmations).order_by(finder_confirmations.c.confirmed_at.desc(),
                                                  finder_confirmations.c.id.desc())
    if limit:
        query = query.limit(limit)
    return [_row(r) for r in conn.execute(query)]


# ---------------------------------------------------------------- similarity
@dataclass
class _Index:
    signature: tuple[object, ...]
    items: list[Confirmation]
    stems: list[frozenset[str]]
    idf: dict[str, float]


_CACHE: dict[str, _Index] = {}
_LOCK = threading.Lock()


def _index(db: Database) -> _Index:
    with db.connect() as conn:
        sig = tuple(conn.execute(select(func.count(), func.max(finder_confirmations.c.id),
                                        func.min(finder_confirmations.c.id))).one())
        cached = _CACHE.get(db.url)
        if cached is not None and cached.signature == sig:
            return cached
        with _LOCK:
            items = list_confirmations(conn)
    stems = [frozenset(analyse(c.description)) for c in items]
    df: dict[str, int] = {}
    for words in stems:
        for s in words:
            df[s] = df.get(s, 0) + 1
    n = len(items) or 1
    built = _Index(sig, items, stems, {s: math.log(2.0 + n / (d + 0.5)) for s, d in df.items()})
    _CACHE[db.url] = built
    return built


def similar_confirmations(db: Database, query: str) -> list[tuple[Confirmation, float]]:
    """Confirmations whose description is close to ``query``, best per code, best first.

    The latest confirmation of a description wins over older ones (a correction made
    after a confirmation replaces it)."""
    index = _index(db)
    if not index.items:
        return []
    words = frozenset(analyse(query))
    best: dict[str, tuple[Confirmation, float]] = {}
    latest_by_text: dict[frozenset[str], Confirmation] = {}
    for item, stems in zip(index.items, index.stems, strict=True):
        latest_by_text.setdefault(stems, item)  # items are newest first
    for item, stems in zip(index.items, index.stems, strict=True):
        if latest_by_text[stems] is not item:
            continue
        sim = weighted_dice(words, stems, index.idf)
        if sim < MIN_SIMILARITY:
            continue
        if item.code not in best or sim > best[item.code][1]:
            best[item.code] = (item, round(sim, 3))
    return sorted(best.values(), key=lambda t: (-t[1], t[0].code))


def forget(db: Database) -> None:
    _CACHE.pop(db.url, None)


# ---------------------------------------------------------------- CSV
def _cell(value: str) -> str:
    """Neutralise spreadsheet formulas in text typed by people."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def export_csv(conn: Connection) -> str:
    """Every confirmation (own and imported) as CSV text, oldest first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for c in reversed(list_confirmations(conn)):
        writer.writerow([_cell(c.description), c.code, c.action, c.proposed or "",
                         _cell(c.confirmed_by), c.confirmed_at.isoformat(), _cell(c.portal),
                         _cell(c.note)])
    return out.getvalue()


@dataclass
class ConfirmationsImport:
    dataset_id: int
    rows: int
    stored: int
    replaced: bool


def _strip_guard(value: str) -> str:
    return value[1:] if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@") else value


def parse_csv(path: Path) -> list[dict[str, object]]:
    """Rows of a confirmations CSV; raises ImportFailed naming file, line and field."""
    from tradewind.ingest.rulings_eu import read_text

    name = str(path)
    reader = csv.reader(io.StringIO(read_text(path), newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise ImportFailed(N_("not a readable CSV file"), file=name, line=1) from exc
    missing = [c for c in ("description", "code", "confirmed_by", "confirmed_at", "portal")
               if c not in header]
    if missing:
        raise ImportFailed(N_("missing columns %(missing)s; expected "
                           "%(columns)s"), file=name, line=1, missing=', '.join(missing), columns=','.join(COLUMNS))
    col = {h: i for i, h in enumerate(header)}
    rows: list[dict[str, object]] = []
    while True:
        try:
            rec = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ImportFailed(N_("broken CSV record (%(reason)s)"), file=name,
                               line=reader.line_num, reason=exc) from exc
        line = reader.line_num
        if not any(cell.strip() for cell in rec):
            continue

        def get(key: str, rec: list[str] = rec) -> str:
            i = col.get(key)
            return _strip_guard(rec[i].strip()) if i is not None and i < len(rec) else ""

        description = " ".join(get("description").split())
        if not description or len(description) > MAX_DESCRIPTION:
            raise ImportFailed(N_("description empty or longer than %(max_description)s characters"),
                               file=name, line=line, field="description", max_description=MAX_DESCRIPTION)
        code = get("code").replace(".", "")
        if not code.isdigit() or len(code) != 6:
            raise ImportFailed(N_("bad code %(value)r: expected 6 digits"), file=name,
                               line=line, field="code", value=get('code'))
        proposed = get("proposed").replace(".", "")
        if proposed and (not proposed.isdigit() or len(proposed) != 6):
            raise ImportFailed(N_("bad proposed code %(proposed)r"), file=name, line=line,
                               field="proposed", proposed=proposed)
        action = get("action") or ("confirm" if proposed == code else "correct")
        if action not in ("confirm", "correct"):
            raise ImportFailed(N_("bad action %(action)r: expected confirm or correct"),
                               file=name, line=line, field="action", action=action)
        try:
            at = datetime.fromisoformat(get("confirmed_at"))
        except ValueError as exc:
            raise ImportFailed(N_("bad date-time %(value)r: expected ISO 8601"),
                               file=name, line=line, field="confirmed_at", value=get('confirmed_at')) from exc
        if at.tzinfo is None:
            at = at.replace(tzinfo=UTC)
        who, portal = get("confirmed_by"), get("portal")
        if not who or not portal:
            raise ImportFailed(N_("confirmed_by and portal are required (provenance)"),
                               file=name, line=line,
                               field="confirmed_by" if not who else "portal")
        rows.append({"line": line, "description": description, "code": code,
                     "proposed": proposed or None, "action": action,
                     "confirmed_by": who[:254], "confirmed_at": at, "portal": portal[:300],
                     "note": get("note")[:1000]})
    if not rows:
        raise ImportFailed(N_("the file holds no confirmations"), file=name)
    return rows


def import_csv(db: Database, path: Path, *, name: str | None = None) -> ConfirmationsImport:
    """Import another portal's confirmations atomically (codes must be HS 2022)."""
    rows = parse_csv(path)
    dataset_name = name or f"Advisor confirmations ({path.name})"
    with db.transaction() as conn:
        valid = set(conn.execute(select(hs_codes.c.code).where(
            hs_codes.c.edition == DEFAULT_EDITION, hs_codes.c.level == 6)).scalars())
        if not valid:
            raise ImportFailed(N_("HS 2022 is not loaded; run `tradewind init` first"),
                               file=str(path))
        for row in rows:
            if row["code"] not in valid:
                raise ImportFailed(N_("%(code_text)s is not an HS 2022 subheading"),
                                   file=str(path), line=int(row["line"]),  # type: ignore[call-overload]
                                   field="code", code_text=row['code'])
        ids = list(conn.execute(select(datasets.c.id).where(
            datasets.c.kind == KIND, datasets.c.name == dataset_name)).scalars())
        for dataset_id in ids:
            conn.execute(delete(finder_confirmations).where(
                finder_confirmations.c.dataset_id == dataset_id))
            conn.execute(delete(datasets).where(datasets.c.id == dataset_id))
        portals = sorted({str(r["portal"]) for r in rows})
        dataset_id = record_dataset(
            conn, kind=KIND, name=dataset_name, source=f"file {path.name} from "
            + ", ".join(portals)[:500], licence="as agreed between portals",
            edition=DEFAULT_EDITION, notes="Advisors' confirmed codes for descriptions.")
        conn.execute(insert(finder_confirmations), [
            {k: v for k, v in r.items() if k != "line"} | {"dataset_id": dataset_id}
            for r in rows])
        set_row_count(conn, dataset_id, len(rows))
    forget(db)
    return ConfirmationsImport(dataset_id, len(rows), len(rows), bool(ids))
