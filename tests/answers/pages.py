"""The main pages a user reads, and their visible text, for the label and language checks."""

from __future__ import annotations

from html.parser import HTMLParser

#: One page per section, with the queries that make them show answers, not only forms.
MAIN_PAGES: tuple[str, ...] = (
    "/",
    "/hs/search?q=roasted+coffee",
    "/hs/0901",
    "/hs/090111",
    "/tariffs",
    "/tariffs/access?product=090111&origin=KEN&destination=USA&date=2025-06-01",
    "/tariffs/access?product=850440&origin=CHN&destination=USA&date=2025-06-01",
    "/tariffs/access?product=090111&origin=BGD&destination=EUN&date=2025-06-01",
    "/tariffs/cost?product=090111&origin=KEN&destination=GBR&incoterm=CIF&value=10000"
    "&currency=USD&freight=800&date=2025-06-01",
    "/markets",
    "/markets/rank?product=090111&origin=KEN",
    "/stats",
    "/stats/market/KEN",
    "/stats/product-market?product=090111&market=USA",
    "/agreements",
    "/guides",
    "/glossary",
    "/library",
    "/network",
    "/working-group",
    "/watch",
    "/brief?product=090111&origin=KEN&destination=USA",
    "/requirements?product=090111&destination=KEN",
    "/origin-check",
    "/hs/convert",
    "/hs/search?q=shirt",
    "/notifications",
)

#: Downloads next to the pages (CSV/XLSX); the CSV ones are read as text.
DOWNLOADS: tuple[str, ...] = (
    "/markets/rank.csv?product=090111&origin=KEN",
    "/stats/product-market.csv?product=090111&market=USA",
    "/network.csv",
    "/markets/products.csv?market=USA&origin=KEN",
    "/stats/market/KEN.csv",
    "/stats/origin/KEN.csv",
)


class _Visible(HTMLParser):
    """Text a reader sees: not scripts, styles, or verbatim source text in <code>."""

    SKIP = {"script", "style", "code", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skip += 1
        for name, value in attrs:  # labels people read or hear
            if name in ("title", "aria-label", "placeholder", "alt") and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> list[str]:
    parser = _Visible()
    parser.feed(html)
    return parser.parts
