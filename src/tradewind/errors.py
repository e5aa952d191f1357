"""Errors that users see. Each names the problem in plain words; the web turns them into 4xx."""

from __future__ import annotations

from dataclasses import dataclass, field


class TradewindError(Exception):
    """Base class: a problem with the user's input or data, never a bug."""

    status_code = 400
    title = "Bad request"

    def to_problem(self) -> dict[str, object]:
        """RFC 9457 problem-details body."""
        return {"type": "about:blank", "title": self.title, "status": self.status_code,
                "detail": str(self)}


class InvalidInput(TradewindError):
    status_code = 422
    title = "Invalid input"


class NotFound(TradewindError):
    status_code = 404
    title = "Not found"


@dataclass
class InvalidCode(InvalidInput):
    """A code that is malformed or not in the edition; names the nearest valid codes."""

    code: str
    edition: str
    reason: str
    suggestions: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.code!r} is not a valid {self.edition} code: {self.reason}."
        if self.suggestions:
            text += " Nearest valid codes: " + ", ".join(self.suggestions) + "."
        return text

    def to_problem(self) -> dict[str, object]:
        body = super().to_problem()
        body["suggestions"] = self.suggestions
        return body


class ImportFailed(TradewindError):
    """An import was refused; nothing was written.  Names file, line and field."""

    status_code = 422
    title = "Import failed"

    def __init__(self, problem: str, *, file: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        self.problem = problem
        self.file = file
        self.line = line
        self.field = field
        super().__init__(self.describe())

    def describe(self) -> str:
        where = []
        if self.file:
            where.append(str(self.file))
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.field:
            where.append(f"field {self.field!r}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.problem}" if prefix else self.problem
