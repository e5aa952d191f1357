"""Validate the shipped content files (glossary, library, network, champions, Working Group, guides).

These files are written by hand and loaded by the platform at init; a typo in a slug, a broken
cross-reference or a bad country code would only show up at run time, so they are checked here.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pycountry
import pytest
import yaml

import tradewind

CONTENT = Path(tradewind.__file__).parent / "content"
LANGS = ("en", "fr", "es")
INCOTERMS = ("exw", "fca", "cpt", "cip", "dap", "dpu", "ddp", "fas", "fob", "cfr", "cif")
CORE_TERMS = (
    "mfn", "hs-code", "tariff", "ad-valorem-duty", "specific-duty", "compound-duty",
    "rules-of-origin", "certificate-of-origin", "preferential-tariff", "gsp",
    "tariff-rate-quota", "customs-value", "landed-cost", "vat", "excise", "sps", "tbt",
    "letter-of-credit", "incoterms", "free-trade-agreement", "customs-union", "cumulation",
    "export-potential", "revealed-comparative-advantage", "msme", "trade-facilitation",
    "single-window", "authorized-economic-operator",
)  # fmt: skip
LIBRARY_TYPES = {
    "guide", "report", "tool", "database", "course", "handbook", "toolkit", "portal",
    "standard", "legal text",
}  # fmt: skip
TOPICS = {
    "trade in goods", "services", "e-commerce", "trade finance", "standards and SPS/TBT",
    "trade facilitation", "rules of origin", "regional trade agreements",
    "intellectual property", "sustainability", "market research", "customs",
    "women in trade", "MSME policy",
}  # fmt: skip
NETWORK_HEADER = [
    "name", "acronym", "kind", "countries", "services", "languages", "website", "email",
    "phone", "description", "trade4msmes_partner",
]  # fmt: skip
NETWORK_KINDS = {
    "international organisation", "chamber of commerce", "trade promotion agency",
    "SME agency", "export credit agency", "development bank", "business association",
    "standards body", "customs administration",
}  # fmt: skip
NETWORK_SERVICES = {
    "market information", "export training", "trade finance", "export credit insurance",
    "trade fairs", "certification and standards", "legal and dispute advice", "e-commerce",
    "matchmaking", "customs and logistics", "policy advocacy",
}  # fmt: skip
GUIDE_KEYS = ("slug", "audience", "order", "title", "summary", "topics", "tools", "sources")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def load_yaml(relative: str) -> Any:
    """Parse one content file with the same safe loader the platform uses."""
    return yaml.safe_load((CONTENT / relative).read_text(encoding="utf-8"))


def is_economy(code: str, extra: tuple[str, ...] = ()) -> bool:
    """True for a valid ISO 3166-1 alpha-3 code or one of the allowed pseudo-codes."""
    return code in extra or pycountry.countries.get(alpha_3=code) is not None


def assert_unique(values: list[str], what: str) -> None:
    dupes = [v for v, n in Counter(values).items() if n > 1]
    assert not dupes, f"duplicate {what}: {dupes}"


def assert_https(url: object, where: str) -> None:
    assert isinstance(url, str) and url.startswith("https://"), f"{where}: bad URL {url!r}"
    assert " " not in url, f"{where}: space in URL {url!r}"


def split_front_matter(path: Path) -> tuple[dict[str, Any], str]:
    """Return (front matter, body) of a guide, failing clearly if the front matter is missing."""
    text = path.read_text(encoding="utf-8")
    match = re.match(r"^---\n(.*?)\n---\n(.*)$", text, re.DOTALL)
    assert match, f"{path}: no front matter between --- lines"
    meta = yaml.safe_load(match.group(1))
    assert isinstance(meta, dict), f"{path}: front matter is not a mapping"
    return meta, match.group(2)


# --- glossary ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def glossary() -> list[dict[str, Any]]:
    data = load_yaml("glossary.yaml")
    assert isinstance(data, list)
    return data


def test_glossary_entries_are_complete_and_unique(glossary: list[dict[str, Any]]) -> None:
    assert len(glossary) >= 150
    for entry in glossary:
        for key in ("slug", "term", "definition"):
            assert isinstance(entry.get(key), str) and entry[key].strip(), (entry, key)
        assert SLUG.match(entry["slug"]), entry["slug"]
        assert all(isinstance(a, str) and a for a in entry.get("aliases", [])), entry["slug"]
    assert_unique([e["slug"] for e in glossary], "glossary slugs")


def test_glossary_has_incoterms_and_core_terms(glossary: list[dict[str, Any]]) -> None:
    slugs = {e["slug"] for e in glossary}
    assert set(INCOTERMS) <= slugs, set(INCOTERMS) - slugs
    assert set(CORE_TERMS) <= slugs, set(CORE_TERMS) - slugs
    for code in INCOTERMS:
        term = next(e for e in glossary if e["slug"] == code)["term"]
        assert term.startswith(code.upper()), term


def test_glossary_see_also_targets_exist(glossary: list[dict[str, Any]]) -> None:
    slugs = {e["slug"] for e in glossary}
    broken = [
        (e["slug"], target)
        for e in glossary
        for target in e.get("see_also", [])
        if target not in slugs or target == e["slug"]
    ]
    assert not broken, broken


def test_glossary_aliases_point_to_one_term(glossary: list[dict[str, Any]]) -> None:
    """Auto-linking would be ambiguous if two entries claimed the same alias."""
    owners: dict[str, set[str]] = {}
    for entry in glossary:
        for alias in [entry["term"], *entry.get("aliases", [])]:
            owners.setdefault(alias.lower(), set()).add(entry["slug"])
    clashes = {a: s for a, s in owners.items() if len(s) > 1}
    assert not clashes, clashes


def test_glossary_translations(glossary: list[dict[str, Any]]) -> None:
    translated = [e for e in glossary if e.get("translations")]
    assert len(translated) >= 40
    for entry in translated:
        assert set(entry["translations"]) <= {"fr", "es"}, entry["slug"]
        for lang, tr in entry["translations"].items():
            assert isinstance(tr.get("term"), str) and tr["term"], (entry["slug"], lang)
            assert isinstance(tr.get("definition"), str) and tr["definition"], (entry["slug"], lang)
    for code in (*INCOTERMS, "mfn", "hs-code", "rules-of-origin", "vat", "letter-of-credit"):
        entry = next(e for e in glossary if e["slug"] == code)
        assert {"fr", "es"} <= set(entry.get("translations", {})), code


# --- library ----------------------------------------------------------------------------------


def test_library_entries() -> None:
    library = load_yaml("library.yaml")
    assert isinstance(library, list) and len(library) >= 60
    for entry in library:
        for key in ("slug", "title", "organisation", "type", "url", "summary"):
            assert isinstance(entry.get(key), str) and entry[key].strip(), (entry, key)
        assert SLUG.match(entry["slug"]), entry["slug"]
        assert entry["type"] in LIBRARY_TYPES, (entry["slug"], entry["type"])
        assert entry["topics"] and set(entry["topics"]) <= TOPICS, (entry["slug"], entry["topics"])
        assert entry["languages"] and set(entry["languages"]) <= set(LANGS), entry["slug"]
        assert_https(entry["url"], entry["slug"])
        if "year" in entry:
            assert isinstance(entry["year"], int) and 1947 <= entry["year"] <= 2030
    assert_unique([e["slug"] for e in library], "library slugs")
    for lang in ("fr", "es"):
        assert any(e["languages"] == [lang] for e in library), f"no {lang}-only entry"


# --- network ----------------------------------------------------------------------------------


def test_network_csv() -> None:
    with (CONTENT / "network.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == [*NETWORK_HEADER, "description_fr", "description_es"]
        rows = list(reader)
    assert len(rows) >= 70
    for line, row in enumerate(rows, start=2):
        where = f"network.csv line {line}"
        assert row["name"].strip() and row["description"].strip(), where
        assert row["kind"] in NETWORK_KINDS, (where, row["kind"])
        countries = row["countries"].split(";")
        assert all(is_economy(c, ("WORLD",)) for c in countries), (where, countries)
        services = row["services"].split(";")
        assert services and set(services) <= NETWORK_SERVICES, (where, services)
        langs = row["languages"].split(";")
        assert all(pycountry.languages.get(alpha_2=code) for code in langs), (where, langs)
        assert_https(row["website"], where)
        assert row["trade4msmes_partner"] in {"yes", "no"}, where
        for lang in ("fr", "es"):
            text = row[f"description_{lang}"].strip()
            assert text and text != row["description"].strip(), (where, lang)
    assert_unique([r["name"] for r in rows], "organisation names")
    partners = [r for r in rows if r["trade4msmes_partner"] == "yes"]
    national = [r for r in rows if r["countries"] != "WORLD" and ";" not in r["countries"]]
    assert len(partners) >= 10 and len(national) >= 50


# --- champions --------------------------------------------------------------------------------


def test_champions() -> None:
    editions = load_yaml("champions.yaml")
    assert isinstance(editions, list) and editions
    for edition in editions:
        assert isinstance(edition["year"], int), edition
        for key in ("title", "theme", "summary"):
            assert isinstance(edition.get(key), str) and edition[key].strip(), (edition, key)
        assert edition["partners"] and all(isinstance(p, str) for p in edition["partners"])
        assert isinstance(edition["winners"], list)
        for winner in edition["winners"]:
            assert winner["name"] and winner["summary"], winner
            assert is_economy(winner["country"]), winner
    assert_unique([str(e["year"]) for e in editions], "champion years")


# --- Working Group --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def recommendations() -> list[dict[str, Any]]:
    data = load_yaml("working_group/recommendations.yaml")
    assert isinstance(data, list)
    return data


def test_working_group_members() -> None:
    members = load_yaml("working_group/members.yaml")
    assert isinstance(members, list) and len(members) >= 40
    for member in members:
        assert is_economy(member["economy"], ("EUN",)), member
        assert isinstance(member["joined"], dt.date), member
        assert dt.date(2017, 12, 13) <= member["joined"] <= dt.date.today(), member
    assert_unique([m["economy"] for m in members], "member economies")
    assert {"URY", "EUN"} <= {m["economy"] for m in members}


def test_working_group_recommendations(recommendations: list[dict[str, Any]]) -> None:
    assert len(recommendations) >= 6
    for rec in recommendations:
        for key in ("slug", "title", "summary"):
            assert isinstance(rec.get(key), str) and rec[key].strip(), (rec, key)
        assert SLUG.match(rec["slug"]), rec["slug"]
        assert rec["kind"] in {"declaration", "recommendation"}, rec["slug"]
        assert rec["adopted"] == dt.date(2020, 12, 11), rec["slug"]
        assert rec["topics"] and set(rec["topics"]) <= TOPICS, rec["slug"]
    assert_unique([r["slug"] for r in recommendations], "recommendation slugs")


def test_working_group_events() -> None:
    events = load_yaml("working_group/events.yaml")
    assert isinstance(events, list) and len(events) >= 6
    for event in events:
        assert SLUG.match(event["slug"]) and event["title"] and event["agenda"], event
        start, end = event["start"], event["end"]
        assert isinstance(start, dt.datetime) and start.tzinfo is not None, event["slug"]
        assert isinstance(end, dt.datetime) and end.tzinfo is not None, event["slug"]
        assert start < end, event["slug"]
        assert isinstance(event["online"], bool) and event["place"], event["slug"]
        if event.get("url"):
            assert_https(event["url"], event["slug"])
    assert_unique([e["slug"] for e in events], "event slugs")


def test_working_group_tracker(recommendations: list[dict[str, Any]]) -> None:
    tracker = load_yaml("working_group/tracker.yaml") or []
    known = {r["slug"] for r in recommendations}
    for row in tracker:
        assert is_economy(row["economy"], ("EUN",)), row
        assert row["recommendation"] in known, row
        assert row["status"] in {"planned", "in progress", "implemented", "not started"}, row
        assert_https(row["evidence_url"], row["economy"])
        assert isinstance(row["date"], dt.date), row
    assert_unique([f"{r['economy']}/{r['recommendation']}" for r in tracker], "tracker rows")


# --- guides -----------------------------------------------------------------------------------


def guide_files(lang: str) -> dict[str, Path]:
    return {p.stem: p for p in sorted((CONTENT / "guides" / lang).glob("*.md"))}


@pytest.mark.parametrize("lang", LANGS)
def test_guides_front_matter(lang: str) -> None:
    files = guide_files(lang)
    assert files, f"no guides in {lang}"
    for stem, path in files.items():
        meta, body = split_front_matter(path)
        missing = [k for k in GUIDE_KEYS if k not in meta]
        assert not missing, (path.name, missing)
        assert meta["slug"] == stem, path.name
        assert meta["audience"] in {"business", "policy"}, path.name
        assert isinstance(meta["order"], int), path.name
        assert meta["title"].strip() and meta["summary"].strip(), path.name
        assert meta["topics"], path.name
        for tool in meta["tools"]:
            assert tool["label"] and tool["path"].startswith("/"), (path.name, tool)
        for source in meta["sources"]:
            assert source["title"], (path.name, source)
            assert_https(source["url"], path.name)
        assert "## " in body, f"{path.name}: body has no sections"


def test_guides_cover_both_audiences_in_order() -> None:
    metas = [split_front_matter(p)[0] for p in guide_files("en").values()]
    business = sorted(m["order"] for m in metas if m["audience"] == "business")
    policy = sorted(m["order"] for m in metas if m["audience"] == "policy")
    assert business == list(range(10, 90, 10)), business
    assert policy == list(range(110, 160, 10)), policy


def test_english_guides_are_short_but_substantial() -> None:
    for path in guide_files("en").values():
        words = len(split_front_matter(path)[1].split())
        assert 400 <= words <= 900, (path.name, words)


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_translated_guides_match_english(lang: str) -> None:
    english = guide_files("en")
    translated = guide_files(lang)
    assert set(translated) == set(english), set(english) ^ set(translated)
    for stem, path in translated.items():
        meta = split_front_matter(path)[0]
        original = split_front_matter(english[stem])[0]
        assert meta["audience"] == original["audience"], path.name
        assert meta["order"] == original["order"], path.name
        assert [t["path"] for t in meta["tools"]] == [t["path"] for t in original["tools"]]
        assert [s["url"] for s in meta["sources"]] == [s["url"] for s in original["sources"]]
        assert meta["title"] != original["title"], f"{path.name}: title not translated"


def test_guide_links_to_other_guides_exist() -> None:
    slugs = set(guide_files("en"))
    glossary_slugs = {e["slug"] for e in load_yaml("glossary.yaml")}
    for lang in LANGS:
        for path in guide_files(lang).values():
            meta, body = split_front_matter(path)
            for target in re.findall(r"\(/guides/([a-z0-9-]+)\)", body):
                assert target in slugs, (path, target)
            paths = [t["path"] for t in meta["tools"]]
            paths += re.findall(r"\]\((/[^)\s]*)\)", body)
            for link in paths:
                if link.startswith("/glossary/"):
                    assert link.removeprefix("/glossary/") in glossary_slugs, (path, link)


# --- French and Spanish versions of library, champions, package and events -------------------

TRANSLATED: dict[str, tuple[str, ...]] = {
    "library.yaml": ("title", "summary"),
    "champions.yaml": ("title", "theme", "summary"),
    "working_group/recommendations.yaml": ("title", "summary"),
    "working_group/events.yaml": ("title", "agenda"),
}


def assert_translations(entry: dict[str, Any], fields: tuple[str, ...], where: str) -> None:
    """Both fr and es, exactly the translatable fields, non-empty; the summary-like text is
    not simply the English copied over."""
    tr = entry.get("translations")
    assert isinstance(tr, dict) and set(tr) == {"fr", "es"}, f"{where}: needs fr and es"
    for lang, values in tr.items():
        assert isinstance(values, dict) and set(values) == set(fields), (where, lang, values)
        for name in fields:
            assert isinstance(values[name], str) and values[name].strip(), (where, lang, name)
        long_field = fields[-1]
        assert values[long_field].strip() != str(entry[long_field]).strip(), (where, lang)
    assert tr["fr"][fields[-1]] != tr["es"][fields[-1]], where


@pytest.mark.parametrize("rel", sorted(TRANSLATED))
def test_every_entry_is_translated(rel: str) -> None:
    entries = load_yaml(rel)
    assert entries
    for i, entry in enumerate(entries, start=1):
        label = entry.get("slug") or entry.get("year")
        assert_translations(entry, TRANSLATED[rel], f"{rel} entry {i} ({label})")


def test_every_champion_winner_is_translated() -> None:
    for edition in load_yaml("champions.yaml"):
        for winner in edition["winners"]:
            assert set(winner) <= {"name", "country", "summary", "translations"}, winner
            assert_translations(winner, ("summary",), f"{edition['year']} {winner['name']}")


def test_shipped_content_loads_strictly_with_translations() -> None:
    """The loader itself (strict) accepts the shipped files and sees every translation."""
    from tradewind.ingest.content import read_content

    batches, _ = read_content()
    records = {b.kind: b.records for b in batches}
    for kind, fields in (("library", ("title", "summary")),
                         ("champions", ("title", "theme", "summary")),
                         ("recommendations", ("title", "summary")),
                         ("events", ("title",)), ("network", ("description",))):
        assert records[kind], kind
        for values in records[kind]:
            for lang in ("fr", "es"):
                for name in fields:
                    assert values[f"{name}_{lang}"], (kind, lang, name)
    winners = [w for e in records["champions"] for w in e["winners"]]
    assert winners and all(w["summary_fr"] and w["summary_es"] for w in winners)
