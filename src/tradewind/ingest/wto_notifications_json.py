"""Importer for WTO SPS/TBT notifications in the notification-search JSON layout.

The file is a list of objects (or an object holding the list under ``items``, ``results``,
``data`` or ``notifications``) with fields such as ``DocumentSymbol``, ``Area``,
``NotifyingMember``, ``DistributionDate``, ``CommentDeadline``, ``ProposedAdoption``,
``EntryIntoForce``, ``Title``, ``Description``, ``Products``, ``HSCodes``, ``ICSCodes``,
``Objectives``, ``Keywords``, ``CountriesAffected``, ``Links`` and ``Language``.  Field
names are matched case- and punctuation-insensitively, with common variants
(``Symbol``, ``FinalDateForComments``, ``ProductsCovered``…).  Lists may be JSON lists or
text separated by ``;``.  Missing HS codes are inferred from the products text with the
product finder (marked inferred).  Atomic: any error refuses the whole file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tradewind.db import Database
from tradewind.errors import ImportFailed, Phrase
from tradewind.i18n import lazy_noop as N_
from tradewind.ingest import rawfile
from tradewind.notifications.store import (
    HsInferrer,
    NotificationImport,
    RawNotification,
    field_for,
    finder_inferrer,
    run_import,
)

SOURCE = "wto-eping-json"
LICENCE = "WTO documents: public; check the WTO terms of use"
_WRAPPERS = ("items", "results", "data", "notifications", "Items", "Results", "Data")
_USE_FINDER = object()


def _decode(path: Path) -> str:
    data = rawfile.read_bytes(path)
    rawfile.check_text(data, str(path))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ImportFailed(N_("not UTF-8 text (byte 0x%(byte)02x at offset "
                           "%(start)s); save the file as UTF-8"), file=str(path),
                           line=line, byte=data[exc.start], start=exc.start) from None


def read_records(path: Path) -> list[RawNotification]:
    text = _decode(path)
    file = str(path)
    if not text.strip():
        raise ImportFailed(N_("the file is empty"), file=file)
    doc = rawfile.parse_json(text, file)
    start = 0
    if isinstance(doc, dict):
        key = next((k for k in _WRAPPERS if isinstance(doc.get(k), list)), None)
        if key is None:
            raise ImportFailed(N_("expected a list of notifications (or an object with an "
                               "'items' list)"), file=file, line=1)
        doc = doc[key]
        m = re.search(r'"' + re.escape(key) + r'"\s*:\s*\[', text)
        start = m.end() - 1 if m else 0
    if not isinstance(doc, list):
        raise ImportFailed(N_("expected a list of notifications"), file=file, line=1)
    lines = _element_lines(text, start, len(doc))
    layouts: dict[tuple[Any, ...], list[tuple[Any, str]]] = {}
    out = []
    for i, item in enumerate(doc):
        line = lines[i] if i < len(lines) else i + 1
        if not isinstance(item, dict):
            raise ImportFailed(N_("item %(value)s is not an object"), file=file, line=line, value=i + 1)
        keys = tuple(item)
        names = layouts.get(keys)
        if names is None:  # records of one file usually share their keys: mapped once
            names = layouts[keys] = _field_names(keys)
        values = {name: item[k] for k, name in names}
        if "symbol" not in values:
            raise ImportFailed(N_("item %(value)s has no DocumentSymbol field (fields: "
                               "%(item)s)"), file=file, line=line,
                               field="DocumentSymbol", value=i + 1, item=', '.join(sorted(item)) or Phrase(N_("none")))
        out.append(RawNotification(values, line))
    return out


def _field_names(keys: tuple[Any, ...]) -> list[tuple[Any, str]]:
    """(key, field) for the keys of a record that name a field (the first key wins)."""
    out: list[tuple[Any, str]] = []
    seen: set[str] = set()
    for k in keys:
        name = field_for(k)
        if name and name not in seen:
            seen.add(name)
            out.append((k, name))
    return out


def _element_lines(text: str, start: int, count: int) -> list[int]:
    """Line number where each element of the array at ``start`` begins."""
    decoder = json.JSONDecoder()
    pos = text.index("[", start) + 1
    out = []
    ws = re.compile(r"[\s,]*")
    line, counted = 1, 0  # newlines are counted once, incrementally (not from 0 each time)
    for _ in range(count):
        pos = ws.match(text, pos).end()  # type: ignore[union-attr]
        line += text.count("\n", counted, pos)
        counted = pos
        out.append(line)
        _, pos = decoder.raw_decode(text, pos)
    return out


def import_wto_notifications_json(db: Database, path: Path, *, edition: str = "",
                                  infer: HsInferrer | object | None = _USE_FINDER,
                                  ) -> NotificationImport:
    """Import notifications from ``path``; refuse the whole file on any error."""
    path = Path(path)
    raw = read_records(path)
    inferrer = finder_inferrer(db) if infer is _USE_FINDER else infer
    return run_import(db, raw, file=str(path), source=SOURCE, name=f"WTO notifications "
                      f"({path.name})", edition=edition or path.stem, licence=LICENCE,
                      infer=inferrer)  # type: ignore[arg-type]
