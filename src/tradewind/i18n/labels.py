"""Human names, with one sentence each, for the codes stored in the database.

Stored values such as ``section_301``, ``ad_valorem`` or ``quota_in`` are machine codes: pages
and downloads show :func:`label` (and :func:`explanation` where a reader may not know the
term).  A code missing here is shown in a readable form, never as the raw token; the label test
crawls pages for raw tokens.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from tradewind.i18n import current_language, gettext
from tradewind.i18n import lazy_noop as N_

#: code → (name, what it is).  Additional-duty authorities, tax kinds, rate and duty types.
LABELS: dict[str, tuple[str, str]] = {
    # additional duties (authority codes)
    "section_301": (N_("Section 301 duty"),
                    N_("A United States duty on goods from countries found to follow unfair "
                       "trade practices (Trade Act of 1974, section 301).")),
    "section_232": (N_("Section 232 duty"),
                    N_("A United States duty on imports judged a threat to national security "
                       "(Trade Expansion Act of 1962, section 232), such as steel and "
                       "aluminium.")),
    "section_201": (N_("Section 201 safeguard"),
                    N_("A temporary United States safeguard duty protecting an industry hurt "
                       "by a surge of imports.")),
    "ieepa_reciprocal": (N_("Reciprocal duty (IEEPA)"),
                         N_("A United States duty added to most imports under the International "
                            "Emergency Economic Powers Act, on top of the normal duty.")),
    "ieepa": (N_("Emergency duty (IEEPA)"),
              N_("A United States duty imposed under the International Emergency Economic "
                 "Powers Act.")),
    "anti_dumping": (N_("Anti-dumping duty"),
                     N_("A duty on goods sold abroad below their normal value, charged on "
                        "listed products from listed exporters.")),
    "countervailing": (N_("Countervailing duty"),
                       N_("A duty that offsets a subsidy the exporting country gives to the "
                          "goods.")),
    "safeguard": (N_("Safeguard duty"),
                  N_("A temporary duty protecting an industry hurt by a surge of imports.")),
    # tax kinds
    "VAT": (N_("VAT"), N_("Value added tax, charged at import on the customs value plus "
                          "duties.")),
    "GST": (N_("GST"), N_("Goods and services tax, charged at import like VAT.")),
    "excise": (N_("excise"), N_("A tax on particular goods such as alcohol, tobacco or fuel.")),
    "sales": (N_("sales tax"), N_("A tax on the sale of goods, charged at import in some "
                                  "countries.")),
    "consumption": (N_("consumption tax"), N_("Japan's tax on consumption, charged at import "
                                              "like VAT.")),
    "other": (N_("other charge"), N_("A fee or levy charged at import.")),
    # rate types
    "mfn": (N_("MFN"), N_("The rate WTO members normally pay.")),
    "preferential": (N_("Preferential rate"),
                     N_("A lower rate for goods meeting an agreement's rules of origin.")),
    "quota_in": (N_("In-quota rate"), N_("The rate within a tariff-rate quota.")),
    "quota_out": (N_("Out-of-quota rate"), N_("The rate beyond a tariff-rate quota.")),
    # duty types
    "ad_valorem": (N_("percentage of the value"), N_("A duty charged as a percentage of the "
                                                     "customs value.")),
    "specific": (N_("amount per quantity"), N_("A duty charged per kilogram, litre or unit.")),
    "compound": (N_("percentage plus amount"), N_("A duty combining a percentage of the value "
                                                  "and an amount per quantity.")),
    "mixed": (N_("percentage with a minimum or maximum"),
              N_("A duty charged as a percentage, with an amount per quantity as a minimum or "
                 "maximum.")),
    "free": (N_("duty-free"), N_("No duty is charged.")),
    # market-finder weights and indicators
    "imports+gdp": (N_("imports and GDP"), N_("Market size from imports and gross domestic "
                                              "product.")),
    # units of quantity with a code for a name
    "pf_l": (N_("proof litres"), N_("Litres of spirits at 50% alcohol by volume (US proof).")),
    "m2": (N_("square metres"), ""), "m3": (N_("cubic metres"), ""),
    "pcs": (N_("pieces"), ""), "doz": (N_("dozens"), ""), "hl": (N_("hectolitres"), ""),
}

#: The demand-growth signals the market finder combines ("imports+gdp").
SIGNALS: dict[str, str] = {"imports": N_("imports"), "gdp": N_("GDP"),
                           "population": N_("population"), "none": N_("no growth signal")}


def readable(code: str) -> str:
    """A code with no label, made readable (``anti_dumping_2`` → ``anti dumping 2``)."""
    return code.replace("_", " ").replace("+", " and ").strip()


def label(code: str | None) -> str:
    """The translated human name of ``code``."""
    if not code:
        return ""
    known = LABELS.get(code)
    return gettext(known[0]) if known else readable(code)


def explanation(code: str | None) -> str:
    """One translated sentence on what ``code`` is ("" when unknown)."""
    known = LABELS.get(code or "")
    return gettext(known[1]) if known and known[1] else ""


def growth_signals(code: str | None) -> str:
    """"imports+gdp" → "imports and GDP" in the reader's language."""
    parts = [gettext(SIGNALS[p]) if p in SIGNALS else readable(p)
             for p in (code or "none").split("+")]
    return gettext("%(first)s and %(second)s", first=", ".join(parts[:-1]),
                   second=parts[-1]) if len(parts) > 1 else parts[0]


def tax_kind(kind: str) -> str:
    return label(kind)


def english_only(text: str | None) -> Markup:
    """Data published only in English, marked for readers and screen readers of other languages.

    ``<span lang="en">…</span> (in English only)`` on French and Spanish pages; the text as it is
    on English pages.
    """
    if not text:
        return Markup("")
    if current_language.get() == "en" or text_language(text) == current_language.get():
        return Markup("{}").format(text)
    return Markup('<span lang="en">{}</span> <span class="muted small">({})</span>').format(
        text, gettext("in English only"))


class InLanguage(str):
    """Text known to be written in ``lang`` (an imported French or Spanish description)."""

    lang: str

    def __new__(cls, text: str, lang: str) -> InLanguage:
        obj = super().__new__(cls, text)
        obj.lang = lang
        return obj

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        return (InLanguage, (str.__str__(self), self.lang))


def text_language(text: str) -> str:
    """The language of a data text: its own if known, else English (as published)."""
    return str(getattr(text, "lang", "en"))


def data_text(text: str | None, length: int | None = None) -> Markup:
    """A text from the data (an HS description) marked with its language when it is not the
    page's: ``<span lang="en">…</span>`` on French and Spanish pages; pages with such texts say
    once that descriptions are shown as published.  ``length`` truncates (on a word)."""
    if not text:
        return Markup("")
    lang = text_language(text)
    shown = str(text)
    if length is not None and len(shown) > length:
        shown = shown[:length - 3].rsplit(" ", 1)[0] + "..."
    # escape() and %: Markup.format goes through string.Formatter, several times slower, and
    # a results page shows a hundred of these.
    if lang == current_language.get():
        return escape(shown)
    return Markup('<span lang="%s">%s</span>') % (lang, shown)


class MixedText(str):
    """A sentence in the page language quoting data in English: plain text where text is
    needed (JSON, CSV), and with the English parts marked ``lang="en"`` on pages."""

    html: Markup

    def __new__(cls, text: str, html: Markup) -> MixedText:
        obj = super().__new__(cls, text)
        obj.html = html
        return obj

    def __html__(self) -> Markup:
        return self.html

    def __reduce__(self) -> tuple[type, tuple[str, Markup]]:  # copy and pickle keep both
        return (MixedText, (str.__str__(self), self.html))


def sentence_quoting_english(message: str, english: tuple[str, ...],
                             **params: object) -> str:
    """``gettext(message, **params)``, with the parameters named in ``english`` marked as
    English-only data on French and Spanish pages (see :func:`english_only`)."""
    text = gettext(message, **params)
    if current_language.get() == "en":
        return text
    template = Markup.escape(gettext(message))
    html = template % {k: english_only(str(v)) if k in english and v else v
                       for k, v in params.items()}
    return MixedText(text, html)


def _text_of(item: object) -> object:
    return item if isinstance(item, str) else getattr(item, "description", None)


def hs_description_note(items: object) -> Markup:
    """The note a French or Spanish page shows once about HS descriptions it shows in English.

    ``items`` are descriptions or objects with a ``description``.  Nothing on English pages or
    when every description shown is in the page language; "published in English" when none
    is; "shown in English where no translation is loaded" when the operator imported some.
    """
    page = current_language.get()
    texts = [t for t in (_text_of(i) for i in (items or []))  # type: ignore[attr-defined]
             if isinstance(t, str) and t]
    if page == "en" or not texts:
        return Markup("")
    english = [t for t in texts if text_language(t) != page]
    if not english:
        return Markup("")
    if len(english) == len(texts):
        message = gettext("The official descriptions of HS codes are published in English; "
                          "they are shown as published.")
    else:
        message = gettext("Descriptions with no translation loaded are shown in English, as "
                          "published.")
    return Markup('<p class="note fallback-note" role="note">{}</p>').format(message)
