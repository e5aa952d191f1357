"""Errors that users see. Each names the problem in plain words; the web turns them into 4xx.

An error carries a message id (an English sentence with ``%(name)s`` placeholders, marked with
``N_`` so that it is extracted into the catalogues) and its parameters; it is rendered in the
language of the request (or command) only when shown: ``str(error)`` and :meth:`message` give
the current language, :meth:`english` the English text (logs).  The JSON API answers with a
stable machine ``code`` next to the translated ``message``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tradewind.i18n import gettext as _
from tradewind.i18n import lazy_noop as N_


def _format(template: str, params: dict[str, Any]) -> str:
    if not params:
        return template
    try:
        return template % _english_params(params)
    except (KeyError, ValueError, TypeError):  # a broken translation must not hide the error
        return template


#: Names of fields and roles that messages insert ("%(name)s is required"): translated too.
FIELD_NAMES = frozenset([
    N_("product"), N_("origin"), N_("destination"), N_("country"), N_("market"), N_("amount"),
    N_("other charge"), N_("export costs"), N_("freight"), N_("insurance"), N_("quantity"),
    N_("value"), N_("from"), N_("to"), N_("unit"), N_("currency"), N_("date"),
])

_NAMED = frozenset({"name", "what", "role"})


class _Worded:
    """A message id with its parameters, shown in English (logs) or the current language."""

    msgid: str
    params: dict[str, Any]

    def english(self) -> str:
        """The message in English, whatever the current language (for logs)."""
        return _format(self.msgid, self.params)

    def message(self) -> str:
        """The message in the current language."""
        return _translate(self.msgid, self.params)

    def __str__(self) -> str:
        return self.message()


class Phrase(_Worded):
    """A translatable fragment given as a parameter of a message ("entry 3", "all products"):
    rendered in the language of the message that holds it."""

    def __init__(self, message: str, /, **params: Any) -> None:
        self.msgid = message
        self.params = params


def _english_params(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters for the English text: an error given as a parameter (the reason of
    another) or a :class:`Phrase` shows its English text."""
    return {k: v.english() if isinstance(v, TradewindError | Phrase) else v
            for k, v in params.items()}


def _shown_params(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters in the current language: field names, phrases and nested errors
    translated."""
    return {k: v.message() if isinstance(v, TradewindError | Phrase)
            else _(v) if k in _NAMED and isinstance(v, str) and v in FIELD_NAMES else v
            for k, v in params.items()}


def _translate(msgid: str, params: dict[str, Any]) -> str:
    return _format(_(msgid) if msgid else msgid, _shown_params(params))


def _plain(value: object) -> object:
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)


class TradewindError(_Worded, Exception):
    """Base class: a problem with the user's input or data, never a bug.

    ``machine_code`` is the stable ``code`` of API answers (per class, or given when raised).
    """

    status_code = 400
    title = N_("Bad request")
    machine_code = "bad_request"
    field: str | None = None

    def __init__(self, message: str = "", /, *, code: str | None = None,
                 field: str | None = None, **params: Any) -> None:
        self.msgid = message
        self.params = params
        if code is not None:
            self.machine_code = code
        if field is not None:
            self.field = field
        super().__init__(message)

    def to_problem(self) -> dict[str, object]:
        """RFC 9457 problem-details body, in the current language, with a machine code."""
        message = self.message()
        body: dict[str, object] = {"type": "about:blank", "title": _(self.title),
                                   "status": self.status_code, "detail": message,
                                   "code": self.machine_code, "message": message}
        if self.field:
            body["field"] = self.field
        if self.params:
            body["params"] = {k: _plain(v) for k, v in self.params.items()}
        return body


class InvalidInput(TradewindError):
    status_code = 422
    title = N_("Invalid input")
    machine_code = "invalid_input"


class NotFound(TradewindError):
    status_code = 404
    title = N_("Not found")
    machine_code = "not_found"


class UnknownValue(InvalidInput):
    """Well-formed input that names nothing known here (a country, an edition, a currency).

    An :class:`InvalidInput` for the code that catches bad input (forms show it next to the
    field), but the API answers 404: the request was valid, the thing it names is not found.
    """

    status_code = 404
    title = N_("Not found")
    machine_code = "not_found"


class ConflictingInput(InvalidInput):
    """Values each valid alone that cannot go together (the origin is the destination, the
    freight exceeds the price): a 422 no schema of single parameters can foresee, so the
    API names it with its own machine code."""

    machine_code = "conflicting_input"


@dataclass
class InvalidCode(InvalidInput):
    """A code that is malformed or not in the edition; names the nearest valid codes.

    ``reason`` is a message id (marked with ``N_``) formatted with ``reason_params``.
    """

    code: str  # the code the user gave (the machine code is "invalid_code")
    edition: str
    reason: str
    suggestions: list[str] = field(default_factory=list)
    reason_params: dict[str, Any] = field(default_factory=dict)
    field_name: str | None = None  # the form field that held the code
    missing: bool = False  # well formed but not in the edition: 404, not 422

    def __post_init__(self) -> None:
        if self.missing:
            self.status_code = 404
            self.title = N_("Not found")
        Exception.__init__(self, self.reason)
        self.msgid = self.reason
        self.params = {}
        self.field = self.field_name

    def english(self) -> str:
        text = (f"{self.code!r} is not a valid {self.edition} code: "
                f"{_format(self.reason, self.reason_params)}.")
        if self.suggestions:
            text += " Nearest valid codes: " + ", ".join(self.suggestions) + "."
        return text

    def message(self) -> str:
        text = _("%(code)s is not a valid %(edition)s code: %(reason)s.",
                 code=repr(self.code), edition=self.edition,
                 reason=_translate(self.reason, self.reason_params))
        if self.suggestions:
            text += " " + _("Nearest valid codes: %(codes)s.",
                            codes=", ".join(self.suggestions))
        return text

    def __str__(self) -> str:
        return self.message()

    def to_problem(self) -> dict[str, object]:
        message = self.message()
        return {"type": "about:blank", "title": _(self.title), "status": self.status_code,
                "detail": message, "code": "invalid_code", "message": message,
                "params": {"code": self.code, "edition": self.edition},
                "suggestions": self.suggestions}


class ImportFailed(TradewindError):
    """An import was refused; nothing was written.  Names file, line and field.

    ``problem`` is a message id marked with ``N_`` and formatted with the named parameters
    (``ImportFailed(N_("%(text)r is not a number"), file=f, line=3, field="rate",
    text=cell)``), so the whole sentence, its framing ("line 3, field 'rate'") included,
    is shown in the language of the request or command; :meth:`english` serves the logs.
    """

    status_code = 422
    title = N_("Import failed")
    machine_code = "import_failed"

    def __init__(self, problem: str, /, *, file: str | None = None, line: int | None = None,
                 field: str | None = None, **params: Any) -> None:
        self.file = file
        self.line = line
        super().__init__(problem, field=field, **params)

    @staticmethod
    def _render(template: str, params: dict[str, Any]) -> str:
        try:  # always %-formatted: a message id may hold an escaped "%%"
            return template % _english_params(params)
        except (KeyError, ValueError, TypeError):  # a broken translation must not hide it
            return template

    @property
    def problem(self) -> str:
        """The problem alone (no file, line or field), in English."""
        return self._render(self.msgid, self.params)

    def problem_message(self) -> str:
        """The problem alone, in the current language."""
        return self._render(_(self.msgid) if self.msgid else self.msgid,
                            _shown_params(self.params))

    def _place(self, line_word: str, field_word: str) -> str:
        where = []
        if self.file:
            where.append(str(self.file))
        if self.line is not None:
            where.append(line_word)
        if self.field:
            where.append(field_word)
        return ", ".join(where)

    def describe(self) -> str:
        """"file, line N, field 'x': problem" in the current language."""
        place = self._place(_("line %(line)s", line=self.line),
                            _("field %(field)s", field=repr(self.field)))
        problem = self.problem_message()
        return _("%(place)s: %(problem)s", place=place, problem=problem) if place else problem

    def english(self) -> str:
        place = self._place(f"line {self.line}", f"field {self.field!r}")
        return f"{place}: {self.problem}" if place else self.problem

    def message(self) -> str:
        return self.describe()

    def to_problem(self) -> dict[str, object]:
        body = super().to_problem()
        body["file"] = self.file
        body["line"] = self.line
        body["field"] = self.field
        body["params"] = {k: _plain(v) for k, v in self.params.items()}
        return body
