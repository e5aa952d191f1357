"""Fetch UK Trade Tariff API commodity responses to files (``tradewind fetch uk-tariff``).

Only the operator runs this, explicitly; Tradewind never downloads at run time.  The saved
files are then imported with ``tradewind import uk-tariff``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx

from tradewind.errors import ImportFailed, InvalidInput
from tradewind.i18n import lazy_noop as N_

BASE_URL = "https://www.trade-tariff.service.gov.uk/api/v2"


def commodity_url(code: str, base_url: str = BASE_URL) -> str:
    digits = re.sub(r"[.\s]", "", code)
    if not re.fullmatch(r"\d{10}", digits):
        raise InvalidInput(f"{code!r} is not a 10-digit UK commodity code")
    return f"{base_url.rstrip('/')}/commodities/{digits}"


def fetch_commodity(code: str, out_dir: Path, *, base_url: str = BASE_URL,
                    client: httpx.Client | None = None, timeout: float = 30.0) -> Path:
    """Download one commodity response and save it as ``out_dir/<code>.json``."""
    url = commodity_url(code, base_url)
    own = client is None
    http = client or httpx.Client(timeout=timeout, headers={"Accept": "application/json"})
    try:
        response = http.get(url)
    except httpx.HTTPError as exc:
        raise ImportFailed(N_("could not reach the UK Trade Tariff API: %(reason)s"), reason=exc) from exc
    finally:
        if own:
            http.close()
    if response.status_code == 404:
        raise InvalidInput(f"commodity {code} is not in the UK tariff (404); use a declarable "
                           "10-digit code")
    if response.status_code != 200:
        raise ImportFailed(N_("the UK Trade Tariff API answered %(status_code)s for %(url)s"), status_code=response.status_code, url=url)
    try:
        doc = response.json()
    except ValueError as exc:
        raise ImportFailed(N_("the UK Trade Tariff API did not return JSON for %(url)s"), url=url) from exc
    if not isinstance(doc, dict) or (doc.get("data") or {}).get("type") != "commodity":
        raise ImportFailed(N_("unexpected response for %(url)s: no commodity data"), url=url)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{url.rsplit('/', 1)[-1]}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), "utf-8")
    return path
