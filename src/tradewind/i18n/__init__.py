"""Interface languages (English, French, Spanish) with gettext catalogues managed by Babel.

The current language lives in a context variable set per request (web) or per command (CLI).
Catalogues are the ``.po`` files under ``locales/<lang>/LC_MESSAGES/``: ``messages.po`` for the
core and one file per feature (``requirements.po``, ``watch.po`` …) so that features translate
their own strings.  All files of a language are merged and compiled in memory on first use, so
no build step is needed.  A message without a translation falls back to English.
"""

from __future__ import annotations

import io
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LANGUAGES: dict[str, str] = {"en": "English", "fr": "Français", "es": "Español"}
DEFAULT_LANGUAGE = "en"
LOCALES_DIR = Path(__file__).parent / "locales"

current_language: ContextVar[str] = ContextVar("current_language", default=DEFAULT_LANGUAGE)


def catalogue_files(lang: str) -> list[Path]:
    """The ``.po`` files of one language: ``messages.po`` first, then the feature files."""
    folder = LOCALES_DIR / lang / "LC_MESSAGES"
    if not folder.is_dir():
        return []
    files = sorted(folder.glob("*.po"), key=lambda p: (p.name != "messages.po", p.name))
    return files


def merged_catalog(lang: str) -> Catalog:
    """Every catalogue file of ``lang`` merged into one (a non-empty translation wins)."""
    merged: Catalog | None = None
    for po_path in catalogue_files(lang):
        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        if merged is None:  # the first file (messages.po) gives the header and plural rule
            merged = catalog
            continue
        for message in catalog:
            if not message.id:
                continue
            known = merged.get(message.id)
            if known is None or (not _has_text(known.string) and _has_text(message.string)):
                merged[message.id] = message
    return merged if merged is not None else Catalog(locale=lang)


def _has_text(string: object) -> bool:
    if isinstance(string, (list, tuple)):
        return all(string)
    return bool(string)


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: str) -> NullTranslations:
    if lang == DEFAULT_LANGUAGE or not catalogue_files(lang):
        return NullTranslations()
    buffer = io.BytesIO()
    write_mo(buffer, merged_catalog(lang), use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer)


def gettext(message: str, **variables: object) -> str:
    text = translations(current_language.get()).ugettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: object) -> str:
    text = translations(current_language.get()).ungettext(singular, plural, n)
    variables.setdefault("num", n)
    return text % variables


def lazy_noop(message: str) -> str:
    """Marks a string for extraction where it is translated later (``N_``)."""
    return message


def negotiate(accept_language: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """Pick a supported language from an ``Accept-Language`` header."""
    if not accept_language:
        return default
    choices: list[tuple[float, str]] = []
    for part in accept_language.split(","):
        piece = part.strip()
        if not piece:
            continue
        tag, _, params = piece.partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        choices.append((quality, tag.strip().lower().split("-")[0]))
    for _, lang in sorted(choices, key=lambda c: -c[0]):
        if lang in LANGUAGES:
            return lang
    return default


_ = gettext
