"""A tiny content set and an app over the writable ``db`` fixture, shared by the platform tests.

The tests never depend on the full shipped content: they write these files to ``tmp_path``.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from fastapi.testclient import TestClient

from tradewind.db import Database
from tradewind.ingest.content import load_content
from tradewind.settings import Settings
from tradewind.web.app import create_app

XSS = ('<script>alert(1)</script>', '"><img src=x onerror=alert(1)>')

FILES: dict[str, str] = {
    "guides/en/first-steps.md": """\
        ---
        slug: first-steps
        audience: business
        order: 10
        title: Before you export
        summary: What to check before your first sale abroad.
        topics: [basics]
        tools:
          - {label: Find my HS code, path: /hs/search}
        sources:
          - {title: WTO, url: https://www.wto.org/}
        ---
        ## Price your goods

        Quote FOB or CIF. Later, FOB again should not be linked twice.
        A letter of credit protects you. <script>alert(1)</script>
        """,
    "guides/fr/first-steps.md": """\
        ---
        slug: first-steps
        audience: business
        order: 10
        title: Avant d'exporter
        summary: Ce qu'il faut vérifier avant la première vente.
        ---
        Indiquez un prix FOB.
        """,
    "guides/en/why-msmes.md": """\
        ---
        slug: why-msmes
        audience: policy
        order: 10
        title: Why MSMEs and trade
        summary: Small firms are most firms.
        ---
        Text for policymakers.
        """,
    "glossary.yaml": """\
        - slug: fob
          term: FOB (Free On Board)
          definition: The seller loads the goods on the ship named by the buyer.
          see_also: [cif, incoterms]
          aliases: [free on board]
          translations:
            fr: {term: FOB (Franco à bord), definition: Le vendeur charge la marchandise à bord.}
        - slug: cif
          term: CIF (Cost, Insurance and Freight)
          definition: The seller pays freight and insurance to the port of destination.
          see_also: [fob]
        - slug: incoterms
          term: Incoterms
          definition: Eleven ICC rules for delivery.
          see_also: [fob, unknown-term]
        - slug: letter-of-credit
          term: Letter of credit
          definition: A bank's promise to pay the seller against documents.
        """,
    "library.yaml": """\
        - slug: trade-finance-guide
          title: Trade Finance Guide
          organisation: ITC
          type: guide
          topics: [trade finance]
          languages: [en, fr]
          url: https://example.org/tf
          year: 2020
          summary: How small exporters get paid and financed.
        - slug: eping
          title: ePing SPS and TBT alerts
          organisation: WTO
          type: tool
          topics: [standards and SPS/TBT]
          languages: [en, fr, es]
          url: https://example.org/eping
          summary: Alerts about new product requirements in export markets.
        """,
    "network.csv": """\
        name,acronym,kind,countries,services,languages,website,email,phone,description,trade4msmes_partner
        Kenya Export Bank,KEB,export credit agency,KEN,trade finance;export credit insurance,en;sw,https://example.org/keb,info@example.org,,Loans and guarantees for Kenyan exporters.,no
        Global Trade Centre,GTC,international organisation,WORLD,market information;export training,en;fr;es,https://example.org/gtc,,,Market data for everyone.,yes
        Chambre de Paris,CCIP,chamber of commerce,FRA,trade fairs,fr,https://example.org/ccip,,,Salons et missions.,no
        """,
    "champions.yaml": """\
        - year: 2021
          title: Small Business Champions 2021
          theme: Greening small businesses
          partners: [WTO, ICC]
          summary: Projects that help small firms go green.
          winners:
            - {name: Green Co-op, country: KEN, summary: Solar drying for farmers.}
        """,
    "working_group/members.yaml": """\
        - {economy: KEN, joined: 2017-12-13}
        - {economy: EUN, joined: 2017-12-13}
        - {economy: CHL, joined: 2018-03-01}
        """,
    "working_group/recommendations.yaml": """\
        - {slug: trade-info, title: Access to information, kind: recommendation, adopted: 2020-12-11, summary: Make trade information easy to find., topics: [information]}
        - {slug: declaration-2020, title: Declaration on MSMEs, kind: declaration, adopted: 2020-12-11, summary: Members commit to help MSMEs.}
        """,
    "working_group/events.yaml": """\
        - slug: dialogue-2024
          title: Dialogue; small firms, big barriers
          start: 2024-05-01T14:00:00+02:00
          end: 2024-05-01T16:00:00+02:00
          place: Geneva, Switzerland
          online: true
          agenda: "Opening, panels; then questions. A long agenda line that certainly needs folding because it is longer than seventy-five octets: éàü"
        """,
    "working_group/tracker.yaml": """\
        - {economy: KEN, recommendation: trade-info, status: implemented, evidence_url: https://example.org/ken, date: 2023-01-01}
        """,
}


def write_content(root: Path, overrides: dict[str, str] | None = None) -> Path:
    files = dict(FILES)
    files.update(overrides or {})
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def platform_settings(db: Database, tmp: Path, **overrides: object) -> Settings:
    return Settings.load(env={}, dotenv=tmp / "absent.env", database_url=db.url,
                         var_dir=str(tmp / "var"), secret_key="platform-test-key", **overrides)


def loaded_app(db: Database, tmp: Path, base_url: str = "http://testserver",
               **overrides: object) -> TestClient:
    """A TestClient over ``db`` with the tiny content loaded (for tests that write)."""
    load_content(db, write_content(tmp / "content"))
    return TestClient(create_app(platform_settings(db, tmp, **overrides), db=db),
                      base_url=base_url)


def csrf_from(html: str) -> str:
    """The CSRF token of the first form on a page."""
    import re

    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF field"
    return match.group(1)


def make_user(db: Database, email: str = "editor@example.org", role: str = "editor",
              password: str = "correct horse battery") -> None:
    from tradewind.accounts import add_user

    with db.transaction() as conn:
        add_user(conn, email, role, password)


def log_in(client: TestClient, email: str = "editor@example.org",
           password: str = "correct horse battery") -> object:
    token = csrf_from(client.get("/login").text)
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": token, "next": "/admin"},
                       follow_redirects=False)
