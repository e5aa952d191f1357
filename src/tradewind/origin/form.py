"""The origin-check form (plain GET query): values kept as typed, one error per field.

Materials come as numbered fields ``mat_hs_N``, ``mat_value_N``, ``mat_origin_N``; empty rows
are dropped; "add a material" re-renders with one more row (no JavaScript).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from tradewind.errors import InvalidCode
from tradewind.i18n import gettext as _
from tradewind.nomenclature.codes import normalize_code
from tradewind.origin.check import OriginRequest

FIELDS = {"product": 40, "origin": 12, "destination": 12, "agreement": 60, "price": 20,
          "wo": 3, "rule": 200}
MAX_ROWS = 30
_ECONOMY = re.compile(r"^[A-Z]{3}$")


@dataclass
class OriginForm:
    values: dict[str, str]
    rows: list[dict[str, str]]
    errors: dict[str, str] = field(default_factory=dict)
    request: OriginRequest | None = None

    @property
    def submitted(self) -> bool:
        return bool(self.values["product"] or self.values["origin"])


def _amount(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", "").replace(" ", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() and 0 <= value < Decimal(10) ** 15 else None


def parse_form(params: Mapping[str, str]) -> OriginForm:
    """Read the query; ``request`` is set only when there are no errors."""
    values = {name: (params.get(name) or "").strip()[:limit] for name, limit in FIELDS.items()}
    for key in ("origin", "destination"):
        values[key] = values[key].upper()
    numbers = sorted({int(m.group(1)) for k in params
                      if (m := re.fullmatch(r"mat_(?:hs|value|origin)_(\d{1,3})", k))})
    rows = [{"hs": (params.get(f"mat_hs_{n}") or "").strip()[:40],
             "value": (params.get(f"mat_value_{n}") or "").strip()[:20],
             "origin": (params.get(f"mat_origin_{n}") or "").strip()[:12].upper()}
            for n in numbers]
    rows = [r for r in rows if any(r.values())][:MAX_ROWS]
    form = OriginForm(values, rows)
    if not form.submitted:
        return form
    errors = form.errors
    product = ""
    try:
        product = normalize_code(values["product"])
        if len(product) != 6:
            errors["product"] = _("Give the 6-digit HS subheading of the product.")
    except InvalidCode as exc:
        errors["product"] = str(exc)
    for key in ("origin", "destination"):
        if values[key] and not _ECONOMY.match(values[key]):
            errors[key] = _("Choose an economy from the list.")
    if not values["origin"]:
        errors["origin"] = _("Choose where the product is made.")
    price = None
    if values["price"]:
        price = _amount(values["price"])
        if price is None or price == 0:
            errors["price"] = _("Give the ex-works price as a positive number.")
    wo = {"yes": True, "no": False}.get(values["wo"])
    materials: list[tuple[str | None, Decimal, str | None]] = []
    for i, row in enumerate(rows):
        hs: str | None = None
        if row["hs"]:
            try:
                hs = normalize_code(row["hs"])
            except InvalidCode as exc:
                errors[f"mat_hs_{i}"] = str(exc)
        value = _amount(row["value"])
        if value is None:
            errors[f"mat_value_{i}"] = _("Give the value of the material as a number.")
        if row["origin"] and not _ECONOMY.match(row["origin"]):
            errors[f"mat_origin_{i}"] = _("Choose an economy from the list.")
        materials.append((hs, value or Decimal(0), row["origin"] or None))
    if not errors:
        form.request = OriginRequest(product, values["origin"], values["destination"] or None,
                                     values["agreement"] or None, price, wo, materials,
                                     values["rule"] or None)
    return form
