"""``tradewind origin check``: the rules-of-origin self-assessment from the command line."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import typer

from tradewind.cli.app import app, database, emit, user_errors
from tradewind.errors import InvalidCode, InvalidInput

origin_app = typer.Typer(help="Rules of origin: does my product originate?",
                         no_args_is_help=True)
app.add_typer(origin_app, name="origin")

VERDICTS = {"meets": "Likely MEETS the rule of origin",
            "does_not_meet": "Likely DOES NOT MEET the rule of origin",
            "cannot_tell": "CANNOT TELL"}


def _render(data: dict[str, Any]) -> str:
    out = []
    if data["sample"]:
        out.append("SAMPLE data: demonstration rules, not the legal text.\n")
    out.append(VERDICTS.get(data["verdict"], data["verdict"]))
    if data["agreement_name"]:
        out.append(f"Agreement: {data['agreement_name']} ({data['agreement']})")
    elif data["choices"]:
        out.append("Agreements between origin and destination: " + ", ".join(data["choices"])
                   + " (choose one with --agreement)")
    if data["rule"]:
        where = f" (recorded for {data['rule_code']})" if data["rule_code"] else ""
        out.append(f"Rule: {data['rule']}{where}")
    out.extend(f"  - {r['text']}" for r in data["reasons"])
    if data["missing_text"]:
        out.append("Missing: " + "; ".join(data["missing_text"]))
    if data["proofs_of_origin"]:
        out.append("Proofs of origin accepted:")
        out.extend(f"  - {p}" for p in data["proofs_of_origin"])
    for p in data["provenance"]:
        out.append(f"Source: {'SAMPLE ' if p['is_sample'] else ''}{p['name']} — {p['source']}")
    return "\n".join(out)


def _decimal(text: str | None, option: str) -> Decimal | None:
    if text is None or text == "":
        return None
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise InvalidInput(f"{option} {text!r} is not a number") from None
    if not value.is_finite() or value < 0:
        raise InvalidInput(f"{option} {text!r} must be a positive number")
    return value


@origin_app.command("check")
def check_cmd(
    product: str = typer.Option(..., "--product", "-p", help="HS subheading (6 digits)"),
    origin: str = typer.Option(..., "--origin", "-o", help="where the product is made (ISO3)"),
    destination: str = typer.Option("", "--destination", "-d", help="market (ISO3)"),
    agreement: str = typer.Option("", "--agreement", "-a",
                                  help="agreement code (e.g. sample:eu-ken)"),
    price: str = typer.Option("", "--price", help="ex-works price of the product"),
    wholly_obtained: str = typer.Option("", "--wholly-obtained",
                                        help="yes or no (blank: not known)"),
    material: list[str] = typer.Option([], "--material", "-m",
                                       help="HS:VALUE[:ORIGIN], repeatable; origin blank = "
                                            "unknown"),
    materials_file: Path | None = typer.Option(None, "--materials",
                                               help="JSON or CSV file (hs,value,origin)"),
    rule: str = typer.Option("", "--rule", help="rule to use when none is recorded, "
                                                "e.g. 'CTH or MaxNOM 50%'"),
    tolerance: str = typer.Option("10", "--tolerance", help="tolerance, % of the price"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Self-assess a product against the agreement's product-specific rule of origin."""
    from tradewind.nomenclature.codes import normalize_code
    from tradewind.origin.check import OriginRequest, answer_as_dict, run_check
    from tradewind.origin.materials import parse_material_option, read_materials

    with user_errors():
        try:
            code = normalize_code(product)
        except InvalidCode as exc:
            raise InvalidInput(f"--product: {exc}") from None
        if len(code) != 6:
            raise InvalidInput("--product: give the 6-digit HS subheading, e.g. 0901.21")
        wo = {"yes": True, "no": False, "": None}.get(wholly_obtained.strip().lower(), "bad")
        if wo == "bad":
            raise InvalidInput("--wholly-obtained must be yes or no")
        rows = [parse_material_option(m) for m in material]
        if materials_file is not None:
            rows += read_materials(materials_file)
        pct = _decimal(tolerance, "--tolerance")
        if pct is None or pct > 100:
            raise InvalidInput("--tolerance must be between 0 and 100")
        value = _decimal(price, "--price")
        if value is not None and value == 0:
            raise InvalidInput("--price must be a positive number")
        req = OriginRequest(code, origin.strip().upper(), destination.strip().upper() or None,
                            agreement.strip() or None, value, wo,  # type: ignore[arg-type]
                            rows, rule.strip() or None, pct)
        with database().connect() as conn:
            data = answer_as_dict(run_check(conn, req))
    emit(data, as_json, _render)
