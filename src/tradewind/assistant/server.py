"""The MCP server: Tradewind's answers as tools, guides and glossary terms as resources.

Each tool parses its text inputs with the same library functions as the web API, so a bad
code, country or date is a tool error (``isError``) with the library's message; results are
the library's own ``as_dict()`` trees, with ``sample`` and ``provenance``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError, ToolError
from pydantic import Field
from sqlalchemy import Connection

from tradewind import __version__
from tradewind.db import Database
from tradewind.errors import TradewindError

T = TypeVar("T")

Product = Annotated[str, Field(description="A six-digit HS 2022 code (dots allowed)",
                               examples=["090111", "6109.10"])]
Economy = Annotated[str, Field(description="ISO3 code, country name, or group code (EUN)",
                               examples=["KEN", "France", "EUN"])]
Day = Annotated[str, Field(description="Date YYYY-MM-DD; empty means today",
                           examples=["2025-06-02"])]
Lang = Annotated[str, Field(description="Language of the texts: en, fr or es",
                            examples=["en", "fr"])]

INSTRUCTIONS = ("Trade information for small businesses: HS codes, duties and preferences, "
                "landed cost, markets, requirements, agreements. Results built on SAMPLE "
                "data say so (sample: true): tell the user they are not real figures.")


def build_server(db: Database) -> MCPServer:
    """An MCP server answering from ``db`` (one short connection per call)."""
    server: MCPServer = MCPServer("tradewind", version=__version__, instructions=INSTRUCTIONS,
                                  log_level="WARNING")

    @contextmanager
    def connection(lang: str = "en") -> Iterator[Connection]:
        from tradewind.i18n import current_language

        token = current_language.set(lang if lang in ("en", "fr", "es") else "en")
        try:
            with db.connect() as conn:
                yield conn
        except TradewindError as exc:
            raise ToolError(str(exc)) from exc
        finally:
            current_language.reset(token)

    def answer(fn: Callable[[Connection], T], lang: str = "en") -> T:
        with connection(lang) as conn:
            return fn(conn)

    @server.tool(title="Search HS codes")
    def hs_search(query: Annotated[str, Field(description="Product in plain words",
                                              examples=["roasted coffee", "cotton t-shirts"],
                                              min_length=1, max_length=200)],
                  limit: Annotated[int, Field(ge=1, le=25, description="Most candidates")] = 5
                  ) -> dict[str, Any]:
        """Find HS 2022 codes for a product described in words (EN, FR or ES)."""
        from tradewind.finder import search_products

        try:
            result = search_products(db, query, limit=limit)
        except TradewindError as exc:
            raise ToolError(str(exc)) from exc
        return {"query": query, "ambiguous": result.ambiguous,
                "candidates": [{"code": c.code, "description": c.description,
                                "score": round(c.score, 4),
                                "path": [s.code for s in c.path]} for c in result.candidates],
                "headings": [{"code": h.code, "description": h.description,
                              "confidence": round(h.confidence, 3)} for h in result.headings],
                "provenance": [{"name": "HS 2022 nomenclature (WCO)"}]}

    @server.tool(title="Find an HS code, with questions when unsure")
    def hs_guided(query: Annotated[str, Field(description="Product in plain words (EN, FR, ES)",
                                              examples=["cotton shirts"], min_length=1,
                                              max_length=200)],
                  answers: Annotated[list[str], Field(
                      description="Answers so far: the `answer` strings of the options "
                                  "chosen, e.g. [\"wearer:men\"]; at most three")] = [],  # noqa: B006
                  limit: Annotated[int, Field(ge=1, le=25)] = 5,
                  lang: Lang = "en") -> dict[str, Any]:
        """Like hs_search, but when the top codes are too close to call it returns a short
        question with options (ask the user, then call again with the chosen option's
        `answer` added to `answers`). Candidates carry evidence: similar binding rulings
        and advisors' confirmations."""
        from tradewind.finder.guided import guided_products, parse_answers

        def run(_conn: Connection) -> dict[str, Any]:
            found = guided_products(db, query, parse_answers(answers), limit=limit)
            return {"query": query, **found.as_dict(),
                    "candidates": [{"code": c.code, "description": c.description,
                                    "score": round(c.score, 4), "reason": c.reason,
                                    "evidence": [e.as_dict() for e in c.evidence]}
                                   for c in found.result.candidates],
                    "provenance": [{"name": "HS 2022 nomenclature (WCO)"}]}
        return answer(run, lang)

    @server.tool(title="Look up an HS code")
    def hs_code(code: Annotated[str, Field(description="HS code, 2 to 6 digits",
                                           examples=["0901", "090111"])],
                edition: Annotated[str, Field(description="HS edition",
                                              examples=["HS2022", "HS2017"])] = "HS2022"
                ) -> dict[str, Any]:
        """A code's description, its path (section › chapter › heading) and children."""
        from tradewind.nomenclature.queries import (
            children,
            edition_provenance,
            path,
            require_code,
            require_edition,
        )

        def run(conn: Connection) -> dict[str, Any]:
            chosen = require_edition(conn, edition)
            info = require_code(conn, code, chosen)
            return {"code": info.code, "description": info.description, "edition": chosen,
                    "path": [{"code": p.code, "description": p.description}
                             for p in path(conn, info.code, chosen)],
                    "children": [{"code": c.code, "description": c.description}
                                 for c in children(conn, info.code, chosen)],
                    "provenance": [p.as_dict() for p in edition_provenance(conn, chosen)]}
        return answer(run)

    @server.tool(title="Convert an HS code between editions")
    def convert_code(code: Annotated[str, Field(examples=["090111"])],
                     from_edition: Annotated[str, Field(examples=["HS2022"])] = "HS2022",
                     to_edition: Annotated[str, Field(examples=["HS2017"])] = "HS2017"
                     ) -> dict[str, Any]:
        """The codes of another HS edition that correspond to ``code`` (with the relation)."""
        from tradewind.nomenclature.concordance import (
            check_editions,
            concordance_provenance,
            convert,
        )

        def run(conn: Connection) -> dict[str, Any]:
            source, target = check_editions(from_edition, to_edition)
            conversion = convert(conn, code, source, target)
            body = conversion.as_dict()
            body["provenance"] = [p.as_dict()
                                  for p in concordance_provenance(conn, conversion)]
            return dict(body)
        return answer(run)

    @server.tool(title="Market access: duties for a product, origin and destination")
    def market_access(product: Product, origin: Economy, destination: Economy,
                      date: Day = "", lang: Lang = "en") -> dict[str, Any]:
        """MFN duty, preferences and their conditions, additional duties, quotas and taxes."""
        from tradewind.access import market_access as access
        from tradewind.access.requests import parse_date

        return answer(lambda conn: access(conn, product, origin, destination,
                                          parse_date(date)).as_dict(), lang)

    @server.tool(title="Landed cost")
    def landed_cost(product: Product, origin: Economy, destination: Economy,
                    value: Annotated[str, Field(description="Goods value", examples=["10000"])],
                    currency: Annotated[str, Field(examples=["USD", "EUR"])] = "USD",
                    incoterm: Annotated[str, Field(description="Incoterms 2020 rule",
                                                   examples=["FOB", "CIF"])] = "FOB",
                    date: Day = "", lang: Lang = "en") -> dict[str, Any]:
        """Customs value, duties, taxes and the total cost at the destination, line by line."""
        from tradewind.access.requests import CostForm
        from tradewind.costs.service import landed_cost as cost

        def run(conn: Connection) -> dict[str, Any]:
            form = CostForm(product=product, origin=origin, destination=destination,
                            incoterm=incoterm, value=value, currency=currency, date=date)
            result, access = cost(conn, form.inputs())
            return {**result.as_dict(), "sample": access.is_sample,
                    "provenance": [p.as_dict() for p in access.provenance]}
        return answer(run, lang)

    @server.tool(title="Rank markets for a product")
    def rank_markets(product: Product, origin: Economy,
                     limit: Annotated[int, Field(ge=1, le=100)] = 10) -> dict[str, Any]:
        """Markets ranked by export potential for sellers from ``origin`` (score 0–100)."""
        from tradewind.markets import rank_markets as rank
        from tradewind.markets.present import parse_origin

        return answer(lambda conn: rank(conn, product, parse_origin(origin),
                                        limit=limit).as_dict())

    @server.tool(title="Rank products for a market")
    def rank_products(market: Economy, origin: Economy,
                      limit: Annotated[int, Field(ge=1, le=100)] = 10) -> dict[str, Any]:
        """Products ``origin`` could sell to ``market``, ranked by potential."""
        from tradewind.markets import rank_products as rank
        from tradewind.markets.present import parse_origin

        return answer(lambda conn: rank(conn, parse_origin(market, "market"),
                                        parse_origin(origin), limit=limit).as_dict())

    @server.tool(title="Trade statistics for a product and a market")
    def statistics(product: Product, market: Economy,
                   origin: Annotated[str, Field(description="Optional origin (ISO3)",
                                                examples=["KEN"])] = "") -> dict[str, Any]:
        """Imports over five years, growth, top suppliers and the origin's share."""
        from tradewind.markets.present import parse_origin
        from tradewind.stats import queries as stats

        return answer(lambda conn: stats.product_market(
            conn, product, parse_origin(market, "market"),
            parse_origin(origin) if origin.strip() else None).as_dict())

    @server.tool(title="Agreements between two economies")
    def agreements(a: Economy, b: Economy, date: Day = "") -> dict[str, Any]:
        """Trade agreements in force between ``a`` and ``b`` on the date."""
        from tradewind.access.answer import resolve_economy
        from tradewind.access.requests import parse_date
        from tradewind.agreements.queries import agreements_between
        from tradewind.web.api.tariffs import agreement_dict

        def run(conn: Connection) -> dict[str, Any]:
            code_a, code_b = resolve_economy(conn, a), resolve_economy(conn, b)
            links = agreements_between(conn, code_a, code_b, parse_date(date))
            return {"a": code_a, "b": code_b,
                    "agreements": [{**agreement_dict(link.agreement), "one_way": link.one_way,
                                    "grantor": link.grantor} for link in links],
                    "sample": any(link.agreement.name.endswith("(SAMPLE)") for link in links)}
        return answer(run)

    @server.tool(title="Market brief")
    def brief(product: Annotated[str, Field(description="HS code or plain words",
                                            examples=["090111", "roasted coffee"])],
              origin: Economy, destination: Economy, date: Day = "",
              incoterm: Annotated[str, Field(examples=["FOB"])] = "",
              value: Annotated[str, Field(examples=["10000"])] = "",
              lang: Lang = "en") -> dict[str, Any]:
        """Everything in one answer: HS code, duties, landed cost, requirements, market
        statistics and score, rules of origin, guides, glossary and who can help."""
        from tradewind.brief.requests import BriefForm

        form = BriefForm(product, origin, destination, date, incoterm, value)
        return answer(lambda conn: form.compose(db, conn).as_dict(), lang)

    _optional_tools(server, answer)
    _resources(server, db)
    return server


def _optional_tools(server: MCPServer, answer: Callable[..., Any]) -> None:
    """Requirements and notifications tools, when those capabilities are installed."""
    try:
        from tradewind.notifications.queries import search_notifications
        from tradewind.requirements.queries import lookup
    except ImportError:  # pragma: no cover - optional capability
        return

    @server.tool(title="Import requirements and documents")
    def requirements(product: Product, destination: Economy,
                     origin: Annotated[str, Field(examples=["KEN"])] = "",
                     date: Day = "") -> dict[str, Any]:
        """Non-tariff measures (SPS, TBT, …) and documents for a product in a market."""
        return answer(lambda conn: lookup(conn, product, destination, origin or None,
                                          date or None).as_dict())  # type: ignore[no-any-return]

    @server.tool(title="Search WTO SPS/TBT notifications")
    def notifications(member: Annotated[str, Field(description="Notifying member (ISO3)",
                                                   examples=["FRA", "EUN"])] = "",
                      hs: Annotated[str, Field(description="HS code prefix",
                                               examples=["0901"])] = "",
                      q: Annotated[str, Field(description="Words", examples=["pesticide"])] = ""
                      ) -> dict[str, Any]:
        """Recent notifications matching a member, an HS code and/or words."""
        def run(conn: Any) -> dict[str, Any]:
            page = search_notifications(conn, member=member or None, hs=hs or None,
                                        text=q or None)
            return {"total": page.total,
                    "notifications": [n.as_dict() for n in page.items]}
        return answer(run)  # type: ignore[no-any-return]


def _resources(server: MCPServer, db: Database) -> None:
    from tradewind.knowledge.queries import get_guide, get_term, list_guides

    @server.resource("tradewind://guides", mime_type="application/json")
    def guides() -> list[dict[str, str]]:
        """The list of guides (slug, title, summary)."""
        with db.connect() as conn:
            return [{"slug": g.slug, "title": g.title, "summary": g.summary,
                     "uri": f"tradewind://guides/{g.slug}"} for g in list_guides(conn, "en")]

    @server.resource("tradewind://guides/{slug}", mime_type="text/markdown")
    def guide(slug: str) -> str:
        """A guide's text (Markdown)."""
        with db.connect() as conn:
            found = get_guide(conn, slug, "en")
        if found is None:
            raise ResourceNotFoundError(f"no guide {slug!r}")
        return f"# {found.title}\n\n{found.body}"

    @server.resource("tradewind://glossary/{slug}", mime_type="application/json")
    def term(slug: str) -> dict[str, Any]:
        """A glossary term and its definition."""
        with db.connect() as conn:
            found = get_term(conn, slug, "en")
        if found is None:
            raise ResourceNotFoundError(f"no glossary term {slug!r}")
        return found.as_dict()
