"""Declared fields shared by the content loader and the editors' forms.

One declaration per editable thing says how a value is parsed and checked, so a file
loaded at ``tradewind init`` and a form posted by an editor pass exactly the same rules.
Values come either from YAML/CSV (lists, dates, booleans already typed) or from HTML forms
(strings); :func:`clean` accepts both.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from tradewind.i18n import gettext
from tradewind.i18n import lazy_noop as N_

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class FieldError(ValueError):
    """A value that does not fit its field; the message is shown next to the field.

    ``message`` is kept apart from its ``variables`` so a form shows it translated
    (``"at most %(max)d characters"`` is one catalogue entry whatever the limit).
    """

    def __init__(self, message: str, **variables: object) -> None:
        super().__init__(message % variables if variables else message)
        self.message = message
        self.variables = variables


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"  # text textarea markdown int date datetime bool select list pairs url email slug
    required: bool = True
    choices: tuple[str, ...] = ()
    max_len: int = 300
    help: str = ""
    item_check: Callable[[str], str] | None = None  # normalises/validates list items
    pair_keys: tuple[str, str] = ("label", "path")

    @property
    def multiline(self) -> bool:
        return self.kind in {"textarea", "markdown", "pairs", "lines"}


@dataclass(frozen=True)
class Spec:
    """An editable kind of record: its fields and a label."""

    entity: str
    label: str
    fields: tuple[Field, ...]
    extra_check: Callable[[dict[str, Any], dict[str, str]], None] | None = field(default=None)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _split(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [_text(v) for v in value if _text(v)]
    return [p.strip() for p in re.split(r"[;,\n]", str(value)) if p.strip()]


def parse_value(f: Field, value: Any) -> Any:
    """The typed value of one field, or raises :class:`FieldError`."""
    if f.kind == "bool":
        if isinstance(value, bool):
            return value
        text = _text(value).lower()
        if text in {"1", "true", "yes", "on", "y"}:
            return True
        if text in {"", "0", "false", "no", "off", "n"}:
            return False
        raise FieldError(N_("expected yes or no"))
    if f.kind in {"list"}:
        items = _split(value)
        if f.required and not items:
            raise FieldError(N_("at least one value is required"))
        out = []
        for item in items:
            if f.choices and item not in f.choices:
                raise FieldError(f"{item!r}: not one of {', '.join(f.choices)}")
            try:
                out.append(f.item_check(item) if f.item_check else item)
            except ValueError as exc:
                raise FieldError(str(exc)) from exc
        return list(dict.fromkeys(out))
    if f.kind == "pairs":
        return _parse_pairs(f, value)
    if f.kind == "lines":  # structured lines checked by the spec's extra_check
        return value if isinstance(value, list) else _text(value)
    text = _text(value)
    if not text:
        if f.required:
            raise FieldError(N_("this field is required"))
        return None if f.kind in {"int", "date", "datetime"} else ""
    if f.kind not in {"textarea", "markdown"} and len(text) > f.max_len:
        raise FieldError(N_("at most %(max)d characters"), max=f.max_len)
    if len(text) > 100_000:
        raise FieldError(N_("too long"))
    if f.kind == "int":
        try:
            return int(text)
        except ValueError as exc:
            raise FieldError(N_("expected a whole number")) from exc
    if f.kind == "date":
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            raise FieldError(N_("expected a date like 2024-05-01")) from exc
    if f.kind == "datetime":
        parsed = value if isinstance(value, datetime) else None
        if parsed is None:
            try:
                parsed = datetime.fromisoformat(text)
            except ValueError as exc:
                raise FieldError(N_("expected a date and time like 2024-05-01T14:00+02:00")) from exc
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed
    if f.kind == "select" and f.choices and text not in f.choices:
        raise FieldError(f"{text!r}: not one of {', '.join(f.choices)}")
    if f.kind == "url" and not re.match(r"^https?://[^\s<>\"]+$", text):
        raise FieldError(N_("expected a web address starting with https:// or http://"))
    if f.kind == "email" and not EMAIL_RE.match(text):
        raise FieldError(N_("expected an e-mail address"))
    if f.kind == "slug" and not SLUG_RE.match(text):
        raise FieldError(N_("use lower-case letters, digits and hyphens only"))
    if f.kind == "path" and not (text.startswith("/") and not text.startswith("//")):
        raise FieldError(N_("expected a site path starting with /"))
    return text


def _parse_pairs(f: Field, value: Any) -> list[dict[str, str]]:
    """``[{label, path}]`` from YAML, or ``label | path`` lines from a form."""
    first, second = f.pair_keys
    items: list[dict[str, str]] = []
    if isinstance(value, list):
        for raw in value:
            if not isinstance(raw, Mapping):
                raise FieldError(f"each item needs {first} and {second}")
            items.append({first: _text(raw.get(first)), second: _text(raw.get(second))})
    else:
        for line in _text(value).splitlines():
            if not line.strip():
                continue
            a, sep, b = line.partition("|")
            if not sep:
                raise FieldError(f"write each line as: {first} | {second}")
            items.append({first: a.strip(), second: b.strip()})
    for item in items:
        if not item[first] or not item[second]:
            raise FieldError(f"each item needs {first} and {second}")
        target = item[second]
        if second == "url" and not re.match(r"^https?://[^\s<>\"]+$", target):
            raise FieldError(f"{target!r}: expected a web address starting with https://")
        if second == "path" and not (target.startswith("/") and not target.startswith("//")):
            raise FieldError(f"{target!r}: expected a site path starting with /")
    if f.required and not items:
        raise FieldError(N_("at least one value is required"))
    return items


def clean(spec: Spec, raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Typed values and the problems found, keyed by field name."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for f in spec.fields:
        try:
            values[f.name] = parse_value(f, raw.get(f.name))
        except FieldError as exc:
            # fixed messages are in the catalogues
            errors[f.name] = gettext(exc.message, **exc.variables)
    if spec.extra_check:
        spec.extra_check(values, errors)
    return values, errors


def as_form(spec: Spec, values: Mapping[str, Any]) -> dict[str, str]:
    """Values turned back into the strings an HTML form shows."""
    out: dict[str, str] = {}
    for f in spec.fields:
        v = values.get(f.name)
        if f.kind == "list":
            out[f.name] = "; ".join(v or [])
        elif f.kind == "pairs":
            a, b = f.pair_keys
            out[f.name] = "\n".join(f"{p[a]} | {p[b]}" for p in (v or []))
        elif f.kind == "bool":
            out[f.name] = "yes" if v else ""
        else:
            out[f.name] = _text(v)
    return out


def jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    """Values ready for the audit log's JSON columns."""
    out: dict[str, Any] = {}
    for k, v in values.items():
        out[k] = v.isoformat() if isinstance(v, datetime | date) else v
    return out
