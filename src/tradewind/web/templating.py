"""The Jinja2 environment: autoescaping, gettext, language-aware URLs, provenance helpers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from tradewind import i18n
from tradewind.agreements.vocabulary import agreement_word
from tradewind.countries.reference import country_name
from tradewind.i18n import formatting, grammar, labels
from tradewind.i18n.duties import reader_duty

TEMPLATES_DIR = Path(__file__).parent / "templates"


def _economy_name(code: str) -> str:
    """A localised name for an ISO3 code or an economy group such as EUN."""
    from tradewind.access.answer import economy_label

    return economy_label(code)


def _make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(["html", "xml", "svg"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        # Templates ship with the package and do not change while a server runs: compiled
        # once per process, without a stat() of every template (and base) on each render.
        auto_reload=False,
        cache_size=-1,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext, i18n.ngettext, newstyle=True)
    env.globals["languages"] = i18n.LANGUAGES
    env.filters["agreement_word"] = agreement_word
    env.globals["economy_label"] = _economy_name
    env.globals["country_name"] = lambda iso3: country_name(iso3, i18n.current_language.get())
    # --- right answers (issue 11): locale formatting and human labels for stored codes ---
    env.filters["country_name"] = env.globals["country_name"]
    env.filters["percent"] = formatting.format_percent_value
    env.filters["number"] = formatting.format_number
    env.filters["money"] = formatting.format_money
    env.filters["day"] = formatting.format_day
    env.globals["label"] = labels.label
    env.globals["explain"] = labels.explanation
    env.globals["signals_label"] = labels.growth_signals
    env.filters["en_only"] = labels.english_only
    env.filters["data_text"] = labels.data_text
    env.globals["hs_description_note"] = labels.hs_description_note
    env.globals["reader_duty"] = reader_duty
    env.globals["country_phrase"] = grammar.country_phrase
    return env


environment = _make_environment()
templates = Jinja2Templates(env=environment)


def url_for_lang(request: Request, path: str) -> str:
    """A site path with the language prefix the visitor arrived with (``/fr/…``)."""
    prefix = getattr(request.state, "lang_prefix", "")
    if not path.startswith("/"):
        path = "/" + path
    return prefix + path if path != "/" or not prefix else prefix + "/"


def field_errors(exc: Exception, default: str | None = None) -> dict[str, str]:
    """The message of a validation error keyed by the form field it is about (for forms that
    re-render with the message next to the field); ``default`` names the field of a bad code."""
    from tradewind.errors import InvalidCode

    name = getattr(exc, "field", None) or (default if isinstance(exc, InvalidCode) else None)
    return {name: str(exc)} if name else {}


def render(request: Request, template: str, context: dict[str, Any] | None = None,
           status_code: int = 200) -> HTMLResponse:
    """Render a page; every page gets ``u()`` (language-aware URL) and ``lang``."""
    ctx: dict[str, Any] = {
        "request": request,
        "lang": i18n.current_language.get(),
        "u": lambda path: url_for_lang(request, path),
        "current_path": getattr(request.state, "unprefixed_path", request.url.path),
    }
    if context:
        ctx.update(context)
    return templates.TemplateResponse(request, template, ctx, status_code=status_code)
