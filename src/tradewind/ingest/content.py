"""Load the platform's content files (guides, glossary, library, network, champions,
Working Group) into the database.

Every file is parsed and checked first (errors name the file, the entry and the field);
then everything is written in one transaction.  By default only records that are not in
the database yet are inserted, so a later ``tradewind init`` never overwrites what editors
changed; ``replace=True`` (``tradewind content load --replace``) resets them to the files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Connection

from tradewind.champions import queries as champions
from tradewind.datasets.queries import record_dataset
from tradewind.db import Database
from tradewind.errors import ImportFailed, Phrase
from tradewind.i18n import LANGUAGES
from tradewind.i18n import lazy_noop as N_
from tradewind.ingest.network_csv import parse_network_csv
from tradewind.knowledge import queries as knowledge
from tradewind.knowledge.fields import Spec, clean
from tradewind.knowledge.translations import pop_translations
from tradewind.network import queries as network
from tradewind.settings import Settings
from tradewind.workinggroup import queries as wg

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
ACTOR = "content files"

Saver = Callable[[Connection, dict[str, Any], str], str]
Reader = Callable[[Connection, str], dict[str, Any] | None]


@dataclass
class Batch:
    """Validated records of one kind, ready to write."""

    kind: str
    key: Callable[[dict[str, Any]], str]
    exists: Reader
    save: Saver
    records: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class LoadReport:
    inserted: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def total_inserted(self) -> int:
        return sum(self.inserted.values())


def _yaml_list(path: Path, root: Path) -> list[dict[str, Any]]:
    name = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ImportFailed(N_("the file is not UTF-8 text"), file=name) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ImportFailed(N_("invalid YAML: %(reason)s"), file=name,
                           line=mark.line + 1 if mark else None, reason=getattr(exc, 'problem', exc)) from exc
    if data is None:
        return []
    if not isinstance(data, list):
        raise ImportFailed(N_("expected a list of entries"), file=name)
    for i, entry in enumerate(data, start=1):
        if not isinstance(entry, dict):
            raise ImportFailed(N_("entry %(entry)s is not a mapping"), file=name, entry=i)
    return data


def _entry(index: int, label: object) -> Phrase:
    """"entry 3 (slug)": where a problem is in a list of records."""
    if label:
        return Phrase(N_("entry %(entry)s (%(label)s)"), entry=index, label=label)
    return Phrase(N_("entry %(entry)s"), entry=index)


def _validated(spec: Spec, raw: dict[str, Any], file: str, index: int) -> dict[str, Any]:
    unknown = set(raw) - {f.name for f in spec.fields}
    label = raw.get("slug") or raw.get("name") or raw.get("economy") or raw.get("year") or ""
    where = _entry(index, label)
    if unknown:
        raise ImportFailed(N_("%(where)s: unknown field(s) %(names)s"),
                           file=file, field=sorted(map(str, unknown))[0], where=where, names=', '.join(sorted(map(str, unknown))))
    values, errors = clean(spec, raw)
    if errors:
        name, problem = next(iter(errors.items()))
        raise ImportFailed(N_("%(where)s: %(problem_text)s"), file=file, field=name, where=where, problem_text=problem)
    return values


def _translated(raw: dict[str, Any], names: tuple[str, ...], file: str, index: int
                ) -> dict[str, Any]:
    """An entry with its ``translations`` block turned into ``<field>_<lang>`` fields."""
    entry = dict(raw)
    problem = pop_translations(entry, names)
    if problem:
        label = entry.get("slug") or entry.get("year") or ""
        where = _entry(index, label)
        raise ImportFailed(N_("%(where)s: %(problem_text)s"), file=file, field="translations", where=where, problem_text=problem)
    return entry


def _unique(batch: Batch, file: str) -> None:
    seen: set[str] = set()
    for i, record in enumerate(batch.records, start=1):
        key = batch.key(record)
        if key in seen:
            raise ImportFailed(N_("entry %(entry)s: duplicate %(key)r"), file=file, entry=i, key=key)
        seen.add(key)


def _front_matter(path: Path, name: str) -> tuple[dict[str, Any], str]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ImportFailed(N_("the file is not UTF-8 text"), file=name) from exc
    if not text.startswith("---"):
        raise ImportFailed(N_("missing front matter (the file must start with ---)"), file=name,
                           line=1)
    parts = text.split("\n---", 1)
    if len(parts) != 2:
        raise ImportFailed(N_("front matter is not closed by a --- line"), file=name, line=1)
    head = parts[0][3:]
    body = parts[1].split("\n", 1)[1] if "\n" in parts[1] else ""
    try:
        meta = yaml.safe_load(head) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ImportFailed(N_("invalid front matter: %(reason)s"), file=name,
                           line=mark.line + 2 if mark else None, reason=getattr(exc, 'problem', exc)) from exc
    if not isinstance(meta, dict):
        raise ImportFailed(N_("front matter must be a mapping"), file=name, line=1)
    return meta, body.strip() + "\n"


def read_content(root: Path = CONTENT_DIR, strict: bool = True
                 ) -> tuple[list[Batch], list[str]]:
    """Parse and validate every content file under ``root``.

    ``strict`` raises ImportFailed at the first problem; otherwise a broken file is skipped
    and named in the warnings (``tradewind init`` must not lose all content to one typo).
    """
    batches: list[Batch] = []
    warnings: list[str] = []

    def skip(exc: ImportFailed) -> None:
        if strict:
            raise exc
        warnings.append(f"skipped: {exc}")

    guides = Batch("guides", lambda v: f"{v['slug']}/{v['lang']}", knowledge.guide_values,
                   knowledge.save_guide)
    for path in sorted((root / "guides").glob("*/*.md")):
        name = str(path.relative_to(root))
        lang = path.parent.name
        if lang not in LANGUAGES:
            raise ImportFailed(N_("unknown language folder %(lang)r"), file=name, lang=lang)
        try:
            meta, body = _front_matter(path, name)
            meta.setdefault("lang", lang)
            if meta["lang"] != lang:
                raise ImportFailed(N_("lang %(lang)r does not match folder %(lang2)r"),
                                   file=name, field="lang", lang=meta['lang'], lang2=lang)
            meta["body"] = body
            values = _validated(knowledge.GUIDE_SPEC, meta, name, 1)
        except ImportFailed as exc:
            skip(exc)
            continue
        if values["slug"] != path.stem:
            warnings.append(f"{name}: slug {values['slug']!r} differs from the file name")
        guides.records.append(values)
    _unique(guides, "guides/")
    batches.append(guides)

    glossary = Batch("glossary", lambda v: v["slug"], knowledge.glossary_values,
                     knowledge.save_term)
    path = root / "glossary.yaml"
    try:
        glossary.records = _glossary(path, root) if path.is_file() else []
    except ImportFailed as exc:
        skip(exc)
    if glossary.records:
        slugs = {v["slug"] for v in glossary.records}
        for v in glossary.records:
            missing = [s for s in v["see_also"] if s not in slugs]
            if missing:
                warnings.append(f"glossary.yaml: {v['slug']}: see_also names unknown "
                                f"term(s) {', '.join(missing)} (ignored)")
                v["see_also"] = [s for s in v["see_also"] if s in slugs]
    batches.append(glossary)

    # (kind, file, spec, key, reader, saver, fields that may carry fr/es translations)
    simple: list[tuple[str, str, Spec, Callable[[dict[str, Any]], str], Reader, Saver,
                       tuple[str, ...]]] = [
        ("library", "library.yaml", knowledge.LIBRARY_SPEC, lambda v: v["slug"],
         knowledge.library_values, knowledge.save_library_entry, ("title", "summary")),
        ("champions", "champions.yaml", champions.EDITION_SPEC, lambda v: str(v["year"]),
         champions.edition_values, champions.save_edition, ("title", "theme", "summary")),
        ("members", "working_group/members.yaml", wg.MEMBER_SPEC, lambda v: v["economy"],
         wg.member_values, wg.save_member, ()),
        ("recommendations", "working_group/recommendations.yaml", wg.RECOMMENDATION_SPEC,
         lambda v: v["slug"], wg.recommendation_values, wg.save_recommendation,
         ("title", "summary")),
        ("events", "working_group/events.yaml", wg.EVENT_SPEC, lambda v: v["slug"],
         wg.event_values, wg.save_event, ("title", "agenda")),
        ("tracker", "working_group/tracker.yaml", wg.TRACKER_SPEC,
         lambda v: f"{v['economy']}/{v['recommendation']}", wg.tracker_values,
         wg.save_tracker_entry, ()),
    ]
    for kind, rel, spec, key, reader, saver, translated in simple:
        batch = Batch(kind, key, reader, saver)
        path = root / rel
        if path.is_file():
            try:
                batch.records = [
                    _validated(spec, _translated(raw, translated, rel, i) if translated
                               else raw, rel, i)
                    for i, raw in enumerate(_yaml_list(path, root), start=1)]
                _unique(batch, rel)
            except ImportFailed as exc:
                batch.records = []
                skip(exc)
        batches.append(batch)

    recs = next(b for b in batches if b.kind == "recommendations")
    tracker = next(b for b in batches if b.kind == "tracker")
    known = {r["slug"] for r in recs.records}
    for i, t in enumerate(tracker.records, start=1):
        if t["recommendation"] not in known:
            tracker.records = []
            skip(ImportFailed(N_("entry %(entry)s: unknown recommendation %(recommendation)r"),
                              file="working_group/tracker.yaml", field="recommendation", entry=i, recommendation=t['recommendation']))
            break

    orgs = Batch("network", lambda v: v["name"], network.organisation_values,
                 lambda conn, v, actor: network.save_organisation(conn, v, actor))
    path = root / "network.csv"
    if path.is_file():
        try:
            orgs.records = parse_network_csv(path.read_bytes(), "network.csv")
        except ImportFailed as exc:
            skip(exc)
    batches.append(orgs)
    return batches, warnings


def _glossary(path: Path, root: Path) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for i, raw in enumerate(_yaml_list(path, root), start=1):
        entry = dict(raw)
        translations = entry.pop("translations", None) or {}
        if not isinstance(translations, dict):
            raise ImportFailed(N_("entry %(entry)s: translations must be a mapping"),
                               file="glossary.yaml", field="translations", entry=i)
        for lang, tr in translations.items():
            if lang not in ("fr", "es") or not isinstance(tr, dict):
                raise ImportFailed(N_("entry %(entry)s: translations.%(lang)s is not fr/es "
                                   "with term and definition"), file="glossary.yaml",
                                   field="translations", entry=i, lang=lang)
            entry[f"term_{lang}"] = tr.get("term")
            entry[f"definition_{lang}"] = tr.get("definition")
        records.append(_validated(knowledge.GLOSSARY_SPEC, entry, "glossary.yaml", i))
    batch = Batch("glossary", lambda v: v["slug"], knowledge.glossary_values,
                  knowledge.save_term, records)
    _unique(batch, "glossary.yaml")
    return records


def load_content(db: Database, root: Path = CONTENT_DIR, replace: bool = False,
                 actor: str = ACTOR, strict: bool = True) -> LoadReport:
    """Write the content files: missing records only, or all of them with ``replace``."""
    batches, warnings = read_content(root, strict)
    report = LoadReport(warnings=warnings)
    with db.transaction() as conn:
        for batch in batches:
            inserted = skipped = 0
            for record in batch.records:
                if not replace and batch.exists(conn, batch.key(record)) is not None:
                    skipped += 1
                    continue
                batch.save(conn, record, actor)
                inserted += 1
            report.inserted[batch.kind] = inserted
            report.skipped[batch.kind] = skipped
        if report.total_inserted:
            record_dataset(conn, kind="content", name="Trade4MSMEs platform content",
                           source="Tradewind content files (src/tradewind/content)",
                           licence="Apache-2.0 (Tradewind project)", edition="files",
                           row_count=report.total_inserted,
                           notes="; ".join(f"{k}: {v}" for k, v in report.inserted.items()))
    return report


def init_content(db: Database, settings: Settings, report: Callable[[str], None]) -> None:
    """Init step: insert content records that are not in the database yet.

    A broken content file must not stop ``tradewind init``: that file is skipped and
    named; ``tradewind content load`` (strict) shows the problem again after a fix.
    """
    try:
        result = load_content(db, strict=False)
    except ImportFailed as exc:
        report(f"  content NOT loaded: {exc}")
        return
    for warning in result.warnings:
        report(f"  warning: {warning}")
    if result.total_inserted:
        report("  " + ", ".join(f"{v} {k}" for k, v in result.inserted.items() if v)
               + " loaded")
