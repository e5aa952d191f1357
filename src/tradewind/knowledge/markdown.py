"""Safe Markdown: raw HTML is shown as text, only http(s)/site links survive, and glossary
terms are linked to their definition on first use."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from functools import lru_cache

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

SAFE_URL = re.compile(r"^(https?://|mailto:|/(?!/)|#)", re.IGNORECASE)
# Site paths that are the same in every language (files, API) or already carry a language.
UNPREFIXED = re.compile(r"^/(static|api|en|fr|es)(/|$|\?|#)")
SKIP_TAGS = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}


class _SafeLinks(Treeprocessor):
    """Drops link targets and images that are not plain web or site addresses; site links
    keep the reader's language prefix (a French reader stays on /fr/ pages)."""

    def __init__(self, md: markdown.Markdown, prefix: str = "") -> None:
        super().__init__(md)
        self.prefix = prefix

    def run(self, root: ET.Element) -> None:
        for el in root.iter():
            if el.tag == "a":
                href = el.get("href", "").strip()
                if not SAFE_URL.match(href):
                    el.attrib.pop("href", None)
                elif href.startswith("http"):
                    el.set("rel", "noopener nofollow")
                elif self.prefix and href.startswith("/") and not UNPREFIXED.match(href):
                    el.set("href", self.prefix + href)
            if el.tag == "img":
                el.tag = "span"
                alt = el.get("alt", "")
                el.attrib.clear()
                el.text = alt


@lru_cache(maxsize=16)
def _terms_pattern(alternatives: tuple[str, ...]) -> re.Pattern[str]:
    """Compiled once per glossary state (hundreds of alternatives are slow to compile)."""
    return re.compile(
        r"(?<![\w-])(" + "|".join(re.escape(a) for a in alternatives) + r")(?![\w-])",
        re.IGNORECASE)


class _GlossaryLinker(Treeprocessor):
    """Links the first occurrence of each glossary term (or alias) in the body."""

    def __init__(self, md: markdown.Markdown, terms: dict[str, str], prefix: str) -> None:
        super().__init__(md)
        self.prefix = prefix
        self.pattern: re.Pattern[str] | None = None
        self.lookup = {k.lower(): v for k, v in terms.items() if k.strip()}
        if self.lookup:
            self.pattern = _terms_pattern(tuple(sorted(self.lookup, key=lambda a: (-len(a), a))))

    def run(self, root: ET.Element) -> None:
        if self.pattern is None:
            return
        self.done: set[str] = set()
        self._walk(root)

    def _walk(self, el: ET.Element) -> None:
        if el.tag in SKIP_TAGS:
            return
        if el.text:
            new_nodes, el.text = self._split(el.text)
            for i, node in enumerate(new_nodes):
                el.insert(i, node)
        for child in list(el):
            self._walk(child)
            if child.tail:
                new_nodes, child.tail = self._split(child.tail)
                index = list(el).index(child)
                for offset, node in enumerate(new_nodes, start=1):
                    el.insert(index + offset, node)

    def _split(self, text: str) -> tuple[list[ET.Element], str]:
        """Return (link elements, leading text); each link carries the following text as tail."""
        assert self.pattern is not None
        nodes: list[ET.Element] = []
        head = text
        pos = 0
        out_head: str | None = None
        last: ET.Element | None = None
        for match in self.pattern.finditer(text):
            slug = self.lookup[match.group(1).lower()]
            if slug in self.done:
                continue
            self.done.add(slug)
            link = ET.Element("a", {"href": f"{self.prefix}/glossary/{slug}",
                                    "class": "glossary-link"})
            link.text = match.group(1)
            if last is None:
                out_head = text[:match.start()]
            else:
                last.tail = text[pos:match.start()]
            pos = match.end()
            nodes.append(link)
            last = link
        if last is None:
            return [], head
        last.tail = text[pos:]
        return nodes, out_head or ""


class _SafeExtension(Extension):
    def __init__(self, terms: dict[str, str], prefix: str) -> None:
        super().__init__()
        self.terms = terms
        self.prefix = prefix

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SafeLinks(md, self.prefix), "tw_safe_links", 1)
        md.treeprocessors.register(_GlossaryLinker(md, self.terms, self.prefix),
                                   "tw_glossary", 0)


def render_markdown(text: str, terms: dict[str, str] | None = None, prefix: str = "") -> str:
    """HTML for editor-written Markdown; safe to mark as trusted in templates.

    ``terms`` maps a term or alias (any case) to a glossary slug; ``prefix`` is the
    language prefix of links (``/fr``).
    """
    md = markdown.Markdown(extensions=["sane_lists", _SafeExtension(terms or {}, prefix)],
                           output_format="html")
    return md.convert(text)


def term_index(rows: Iterable[tuple[str, str, list[str]]]) -> dict[str, str]:
    """``{text: slug}`` for auto-linking from ``(slug, term, aliases)`` rows.

    A term like "FOB (Free On Board)" is matched as "FOB" and as "Free On Board".
    """
    index: dict[str, str] = {}
    for slug, term, aliases in rows:
        names = [term, *aliases]
        m = re.match(r"^(.*?)\s*\((.*)\)\s*$", term)
        if m:
            names += [m.group(1), m.group(2)]
        for name in names:
            name = name.strip()
            if len(name) >= 2:
                index.setdefault(name.lower(), slug)
    return index
