"""The brief as a PDF, typeset by typst (the PyPI ``typst`` package; no PDF writer here).

Data go to ``data.json`` read by the template with ``json()`` — the safe way to pass user and
data strings to typst markup.  Charts are the page's SVGs, embedded as vector graphics.
Only typst's bundled fonts are used (Libertinus Serif covers Latin with all accents) and
they are embedded; typst ≥ 0.12 writes tagged PDF (``pdf_tags=True``).
"""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from tradewind.brief.compose import Brief
from tradewind.brief.present import charts, labels
from tradewind.countries.reference import country_name
from tradewind.errors import TradewindError

TEMPLATE = Path(__file__).with_name("brief.typ")


class PdfUnavailable(TradewindError):
    status_code = 503


def render_pdf(brief: Brief) -> bytes:
    """PDF bytes of ``brief`` in the brief's language."""
    try:
        import typst
    except ImportError as exc:  # pragma: no cover - typst is a declared dependency
        raise PdfUnavailable("PDF output needs the 'typst' package") from exc
    with tempfile.TemporaryDirectory(prefix="tw-brief-") as tmp:
        root = Path(tmp)
        names = []
        for name, svg in charts(brief).items():
            (root / f"{name}.svg").write_text(svg, encoding="utf-8")
            names.append(f"{name}.svg")
        data = {"brief": brief.as_dict(), "labels": labels(), "charts": names,
                "origin_name": country_name(brief.origin, brief.lang),
                "destination_name": country_name(brief.destination, brief.lang),
                "generated": datetime.now(UTC).date().isoformat()}
        (root / "data.json").write_text(json.dumps(data, ensure_ascii=False, default=str),
                                        encoding="utf-8")
        (root / "brief.typ").write_text(TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
        fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True)
        compiler = typst.Compiler(root=str(root), font_paths=fonts, ignore_system_fonts=True)
        out = compiler.compile(input=str(root / "brief.typ"), format="pdf", pdf_tags=True)
    assert isinstance(out, bytes)
    return out
