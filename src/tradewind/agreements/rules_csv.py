"""CSV importers for rules of origin: notes per agreement and product-specific rules.

* ``origin-rules``: ``agreement, general_rule, cumulation, proof_of_origin, legal_text_url,
  notes`` — one row per agreement (plain-language notes shown with preferences).
* ``product-rules``: ``agreement, hs_code, rule_text`` — product-specific rules (PSR) at
  chapter (2), heading (4) or subheading (6+) level, e.g. ``6109, CC`` or
  ``090121, "Manufacture from materials of any heading"``.

``agreement`` is an agreement code (``rta:123``, ``desta:869``) or its exact name; the
agreement must already be imported.  Atomic; re-importing replaces the rules of the
agreements named in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, func, select

from tradewind.agreements.models import agreements, origin_rules, product_specific_rules
from tradewind.datasets.queries import record_dataset
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.i18n import lazy_noop as N_
from tradewind.tariffs.csvfile import CsvFile
from tradewind.tariffs.store import insert_rows

ORIGIN_COLUMNS = ("agreement", "general_rule", "cumulation", "proof_of_origin",
                  "legal_text_url", "notes")
PSR_COLUMNS = ("agreement", "hs_code", "rule_text")


@dataclass(frozen=True)
class RulesImport:
    dataset_id: int
    agreements: int
    rules: int


def _agreement(conn: Connection, src: CsvFile, text: str, line: int,
               cache: dict[str, int]) -> int:
    if text in cache:
        return cache[text]
    row = conn.execute(select(agreements.c.id).where(agreements.c.code == text)).first() or \
        conn.execute(select(agreements.c.id).where(
            func.lower(agreements.c.name) == text.lower()).order_by(agreements.c.id)).first()
    if row is None:
        raise src.fail(N_("unknown agreement %(text)r: import the agreements first and use their "
                       "code (e.g. rta:123) or exact name"), line, "agreement", text=text)
    cache[text] = int(row[0])
    return cache[text]


def import_origin_rules(db: Database, path: Path) -> RulesImport:
    """Import rules-of-origin notes (one row per agreement)."""
    path = Path(path)
    with db.transaction() as conn:
        src = CsvFile(path, ("agreement", "general_rule"))
        cache: dict[str, int] = {}
        rows: dict[int, dict[str, Any]] = {}
        for line, row in src:
            agreement_id = _agreement(conn, src, row["agreement"], line, cache)
            if agreement_id in rows:
                raise src.fail(N_("agreement %(agreement)r appears twice"), line,
                               "agreement", agreement=row['agreement'])
            url = row.get("legal_text_url", "")
            if url and not re.match(r"^https?://", url):
                raise src.fail(N_("legal_text_url %(url)r is not an http(s) link"), line,
                               "legal_text_url", url=url)
            rows[agreement_id] = {"agreement_id": agreement_id,
                                  **{c: row.get(c, "") for c in ORIGIN_COLUMNS[1:]}}
        if not rows:
            raise ImportFailed(N_("no rules in the file"), file=src.name, line=1)
        dataset_id = record_dataset(conn, kind="origin-rules", name="Rules-of-origin notes",
                                    source=path.name, licence="as stated by the publisher",
                                    edition=path.stem, row_count=len(rows))
        conn.execute(delete(origin_rules).where(origin_rules.c.agreement_id.in_(list(rows))))
        insert_rows(conn, origin_rules, list(rows.values()))
    return RulesImport(dataset_id, len(rows), len(rows))


def import_product_rules(db: Database, path: Path) -> RulesImport:
    """Import product-specific rules of origin."""
    path = Path(path)
    with db.transaction() as conn:
        src = CsvFile(path, PSR_COLUMNS)
        cache: dict[str, int] = {}
        rows: list[dict[str, Any]] = []
        seen: dict[tuple[int, str], int] = {}
        for line, row in src:
            agreement_id = _agreement(conn, src, row["agreement"], line, cache)
            code = re.sub(r"[.\s]", "", row["hs_code"])
            if not re.fullmatch(r"\d{2}|\d{4}|\d{6,10}", code):
                raise src.fail(N_("hs_code %(hs_code)r must be a chapter (2 digits), "
                               "heading (4) or subheading (6 to 10)"), line, "hs_code", hs_code=row['hs_code'])
            if not row["rule_text"]:
                raise src.fail(N_("rule_text missing"), line, "rule_text")
            if (agreement_id, code) in seen:
                raise src.fail(N_("duplicate rule for %(code_text)s (line %(first_line)s)"),
                               line, "hs_code", code_text=code, first_line=seen[agreement_id, code])
            seen[(agreement_id, code)] = line
            rows.append({"agreement_id": agreement_id, "hs_code": code,
                         "rule_text": row["rule_text"]})
        if not rows:
            raise ImportFailed(N_("no rules in the file"), file=src.name, line=1)
        ids = sorted({r["agreement_id"] for r in rows})
        dataset_id = record_dataset(conn, kind="origin-rules", name="Product-specific rules",
                                    source=path.name, licence="as stated by the publisher",
                                    edition=path.stem, row_count=len(rows))
        conn.execute(delete(product_specific_rules).where(
            product_specific_rules.c.agreement_id.in_(ids)))
        insert_rows(conn, product_specific_rules,
                    [{**r, "dataset_id": dataset_id} for r in rows])
    return RulesImport(dataset_id, len(ids), len(rows))
