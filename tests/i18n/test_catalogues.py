"""The French and Spanish catalogues cover every interface string and stay usable.

Each language has ``messages.po`` (core, kept with ``make messages``) and one ``.po`` file per
feature; the loader merges them.  These tests extract every marked string from the code and
catch one without a (non-fuzzy) translation in the merged catalogue, a translation that drops or
renames a ``%(name)s`` placeholder (which would crash at render time), and a catalogue that no
longer compiles.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from gettext import c2py
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from tradewind import i18n

ROOT = Path(__file__).resolve().parents[2]
I18N_DIR = ROOT / "src" / "tradewind" / "i18n"
TRANSLATED = [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT_LANGUAGE]
# Named placeholders and escaped percent signs ("0,5 %" for "0.5%" is fine: same count of %).
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]|%%")


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def _key(message: Message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def _messages(catalog: Catalog) -> Iterator[Message]:
    return (m for m in catalog if m.id)


def _forms(message: Message) -> list[str]:
    string = message.string
    if isinstance(string, (list, tuple)):
        return list(string)
    return [string or ""]


def _placeholders(text: str) -> list[str]:
    """Named placeholders, ``%%`` and bare ``%`` signs: templates always %-format the text,
    so a translation that adds a bare ``%`` (or drops one) would break or change the page."""
    bare = PLACEHOLDER.sub("", text).count("%")
    return sorted(PLACEHOLDER.findall(text)) + ["%"] * bare


@pytest.fixture(scope="module")
def template() -> Catalog:
    """The strings the code marks, as a catalogue (what ``make messages`` extracts)."""
    catalog = Catalog()
    with (ROOT / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    keywords = {**DEFAULT_KEYWORDS, "lazy_noop": None}
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT / "src"), [(p.removeprefix("src/"), m) for p, m in method_map],
            {p.removeprefix("src/"): o for p, o in options_map.items()}, keywords=keywords):
        if message and (message if isinstance(message, str) else message[0]):
            catalog.add(message)
    return catalog


@pytest.fixture(scope="module", params=TRANSLATED)
def catalogue(request: pytest.FixtureRequest) -> tuple[str, Catalog]:
    lang: str = request.param
    return lang, i18n.merged_catalog(lang)


def test_every_template_message_is_translated(template: Catalog,
                                              catalogue: tuple[str, Catalog]) -> None:
    lang, catalog = catalogue
    missing = []
    for message in _messages(template):
        found = catalog.get(message.id)
        if found is None or found.fuzzy or not all(_forms(found)):
            missing.append(_key(message))
    assert not missing, (f"{len(missing)} message(s) without a {lang} translation in "
                         "locales/{lang}/LC_MESSAGES/*.po (add them, then translate):\n"
                         + "\n".join(missing))


def test_placeholders_match(catalogue: tuple[str, Catalog]) -> None:
    lang, catalog = catalogue
    wrong = []
    for message in _messages(catalog):
        forms = _forms(message)
        if isinstance(message.id, str):
            pairs = [(message.id, forms[0])]
        else:  # plural: first form is the singular, every other form the plural
            pairs = [(message.id[0], forms[0])] + [(message.id[1], f) for f in forms[1:]]
        for source, translation in pairs:
            if translation and _placeholders(source) != _placeholders(translation):
                wrong.append(f"{source!r} -> {translation!r}")
    assert not wrong, f"{lang}: placeholders differ from the English text:\n" + "\n".join(wrong)


def test_catalogue_compiles_and_translates(catalogue: tuple[str, Catalog]) -> None:
    _lang, catalog = catalogue
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    compiled = Translations(fp=buffer)
    plural_form = c2py(catalog.plural_expr)
    checked = 0
    for message in _messages(catalog):
        forms = _forms(message)
        if isinstance(message.id, str):
            if forms[0]:
                assert compiled.gettext(message.id) == forms[0]
                checked += 1
        else:  # plural: the catalogue's own plural rule picks the form for each count
            singular, plural = message.id[0], message.id[1]
            for count in (1, 5, 1_000_000):
                assert compiled.ngettext(singular, plural, count) == forms[plural_form(count)]
    assert checked > 100


def test_runtime_loader_uses_the_catalogue() -> None:
    token = i18n.current_language.set("fr")
    try:
        assert i18n.gettext("Glossary") == "Glossaire"
        assert i18n.ngettext("%(num)d term", "%(num)d terms", 3) == "3 termes"
    finally:
        i18n.current_language.reset(token)
    token = i18n.current_language.set("es")
    try:
        assert i18n.gettext("Glossary") == "Glosario"
        assert i18n.ngettext("%(num)d term", "%(num)d terms", 1) == "1 término"
    finally:
        i18n.current_language.reset(token)


def test_catalogue_files_are_well_formed() -> None:
    """Each .po file parses on its own and none carries a fuzzy entry."""
    problems = []
    for lang in TRANSLATED:
        for path in i18n.catalogue_files(lang):
            catalog = _read(path, lang)
            problems += [f"{path.name}: fuzzy {_key(m)!r}" for m in _messages(catalog) if m.fuzzy]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("header", "expected"), [
    ("fr-CA,fr;q=0.9,en;q=0.5", "fr"),
    ("es-419,es;q=0.8", "es"),
    ("de-DE,de;q=0.9,es;q=0.4,fr;q=0.3", "es"),
    ("en;q=0.2,fr;q=0.8", "fr"),
    ("de-DE", "en"),
    ("", "en"),
    (None, "en"),
])
def test_negotiate_picks_the_preferred_supported_language(header: str | None,
                                                          expected: str) -> None:
    assert i18n.negotiate(header) == expected
