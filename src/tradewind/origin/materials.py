"""Materials for the origin check from the command line: ``HS:VALUE[:ORIGIN]`` options, or
a JSON or CSV file (``hs, value, origin`` columns; origin an ISO3 code, blank = unknown).

Errors name the file, line and field (:class:`ImportFailed`) or the option
(:class:`InvalidInput`); nothing is guessed.
"""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from tradewind.errors import ImportFailed, InvalidCode, InvalidInput
from tradewind.i18n import lazy_noop as N_
from tradewind.nomenclature.codes import normalize_code

MaterialRow = tuple[str | None, Decimal, str | None]
MAX_MATERIALS = 100
_ECONOMY = re.compile(r"^[A-Za-z]{3}$")


def _value(text: Any) -> Decimal | None:
    try:
        value = Decimal(str(text).replace(",", "").replace(" ", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() and 0 <= value < Decimal(10) ** 15 else None


def _row(hs: Any, value: Any, origin: Any, where: dict[str, Any]) -> MaterialRow:
    """One validated material; ``where`` says how to name the place of an error."""

    def fail(message: str, field: str, **params: Any) -> Exception:
        if "file" in where:
            return ImportFailed(message, file=where["file"], line=where["line"], field=field,
                                **params)
        return InvalidInput(N_("%(option)s: %(reason)s"), option=where["option"],
                            reason=InvalidInput(message, **params))

    code: str | None = None
    if hs not in (None, ""):
        try:
            code = normalize_code(str(hs))
        except InvalidCode as exc:
            raise fail(N_("%(reason)s"), "hs", reason=exc) from None
    amount = _value(value) if value not in (None, "") else None
    if amount is None:
        raise fail(N_("value %(value)r is not a number (the material's value, e.g. 250.00)"),
                   "value", value=value)
    economy: str | None = None
    if origin not in (None, ""):
        if not _ECONOMY.match(str(origin).strip()):
            raise fail(N_("origin %(origin)r is not an ISO3 code such as KEN (blank: unknown)"),
                       "origin", origin=origin)
        economy = str(origin).strip().upper()
    return code, amount, economy


def parse_material_option(text: str) -> MaterialRow:
    """``"090111:600:ETH"`` → ("090111", Decimal(600), "ETH"); origin optional."""
    parts = [p.strip() for p in text.split(":")]
    if len(parts) not in (2, 3):
        raise InvalidInput(f"--material {text!r}: expected HS:VALUE or HS:VALUE:ORIGIN, "
                           "e.g. 0901.11:600:ETH")
    return _row(parts[0], parts[1], parts[2] if len(parts) == 3 else None,
                {"option": f"--material {text!r}"})


def read_materials(path: Path) -> list[MaterialRow]:
    """Materials from a ``.json`` file (a list of ``{"hs", "value", "origin"}`` objects) or
    a CSV file with a header ``hs,value,origin``."""
    path = Path(path)
    file = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(N_("cannot read the file (%(strerror)s)"), file=file, strerror=exc.strerror) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed(N_("not UTF-8 text (byte 0x%(byte)02x); save the file as "
                           "UTF-8"), file=file, line=data[:exc.start].count(b"\n") + 1, byte=data[exc.start]) from None
    if not text.strip():
        raise ImportFailed(N_("the file is empty"), file=file)
    out: list[MaterialRow] = []
    if path.suffix.lower() == ".json":
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFailed(N_("not valid JSON (%(msg)s)"), file=file,
                               line=exc.lineno, msg=exc.msg) from None
        if isinstance(doc, dict):
            doc = doc.get("materials")
        if not isinstance(doc, list):
            raise ImportFailed(N_('expected a list of materials (or {"materials": [...]})'),
                               file=file, line=1)
        for i, item in enumerate(doc, start=1):
            if not isinstance(item, dict):
                raise ImportFailed(N_("material %(entry)s is not an object"), file=file, line=i, entry=i)
            out.append(_row(item.get("hs"), item.get("value"), item.get("origin"),
                            {"file": file, "line": i}))
    else:
        reader = csv.DictReader(io.StringIO(text))
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
        missing = [c for c in ("hs", "value") if c not in header]
        if missing:
            raise ImportFailed(N_("missing column(s) %(missing)s (header: hs,value,"
                               "origin)"), file=file, line=1, field=missing[0], missing=', '.join(missing))
        reader.fieldnames = header
        for row in reader:
            line = reader.line_num
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            if None in row:
                raise ImportFailed(N_("more cells than columns"), file=file, line=line)
            out.append(_row((row.get("hs") or "").strip(), (row.get("value") or "").strip(),
                            (row.get("origin") or "").strip(), {"file": file, "line": line}))
    if not out:
        raise ImportFailed(N_("no materials in the file"), file=file)
    if len(out) > MAX_MATERIALS:
        raise ImportFailed(N_("more than %(max_materials)s materials"), file=file, max_materials=MAX_MATERIALS)
    return out
