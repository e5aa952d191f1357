"""Parse search parameters (text from a form, the API or the CLI) for the library."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tradewind.errors import InvalidInput
from tradewind.i18n import lazy_noop as N_


def _date(text: str | None, name: str) -> date | None:
    if text is None or not str(text).strip():
        return None
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise InvalidInput(N_("%(name)s: %(text)r is not a date (use YYYY-MM-DD)"),
                           name=name, text=text, field=name) from None


def _int(text: str | int | None, name: str, default: int) -> int:
    if text is None or str(text).strip() == "":
        return default
    try:
        return int(str(text).strip())
    except ValueError:
        raise InvalidInput(N_("%(name)s: %(text)r is not a whole number"),
                           name=name, text=text, field=name) from None


@dataclass(frozen=True)
class SearchForm:
    member: str = ""
    area: str = ""
    hs: str = ""
    ics: str = ""
    text: str = ""
    date_from: date | None = None
    date_to: date | None = None
    open_on: date | None = None
    page: int = 1
    per_page: int = 20

    @classmethod
    def parse(cls, *, member: str | None = None, area: str | None = None,
              hs: str | None = None, ics: str | None = None, text: str | None = None,
              date_from: str | None = None, date_to: str | None = None,
              open_on: str | None = None, page: str | int | None = None,
              per_page: str | int | None = None) -> SearchForm:
        return cls(member=(member or "").strip().upper()[:3], area=(area or "").strip().upper(),
                   hs=(hs or "").strip(), ics=(ics or "").strip(), text=(text or "").strip(),
                   date_from=_date(date_from, "date_from"), date_to=_date(date_to, "date_to"),
                   open_on=_date(open_on, "open_on"), page=_int(page, "page", 1),
                   per_page=_int(per_page, "per_page", 20))

    def kwargs(self) -> dict[str, object]:
        return {"member": self.member or None, "area": self.area or None,
                "hs": self.hs or None, "ics": self.ics or None, "text": self.text or None,
                "date_from": self.date_from, "date_to": self.date_to, "open_on": self.open_on,
                "page": self.page, "per_page": self.per_page}
