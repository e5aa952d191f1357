"""``tradewind hs …``, ``import nomenclature|concordance|search-references``, ``bench hs``."""

from __future__ import annotations

import typer

from tradewind.cli.app import app

hs_app = typer.Typer(help="Harmonized System codes: search, show, convert.", no_args_is_help=True)
app.add_typer(hs_app, name="hs")
