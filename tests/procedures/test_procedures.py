"""Procedures and documents: the advisor CSV importer, the SAMPLE, and the checklist."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tradewind.agreements.init import load_groups
from tradewind.datasets.models import datasets
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.i18n import current_language
from tradewind.ingest.procedures_csv import import_procedures_csv
from tradewind.ingest.requirements_csv import COLUMNS, import_requirements_csv
from tradewind.procedures.models import procedure_documents, procedure_steps
from tradewind.procedures.queries import in_scope, procedure_for, typical_time
from tradewind.procedures.sample import init_sample_procedures
from tradewind.requirements.queries import lookup

TEMPLATE = Path(__file__).resolve().parents[2] / "src/tradewind/procedures/template.csv"


@pytest.fixture
def groups(db: Database) -> Database:
    with db.transaction() as conn:
        load_groups(conn)
    return db


def _count(db: Database) -> tuple[int, int, int]:
    with db.connect() as conn:
        return tuple(conn.execute(select(func.count()).select_from(t)).scalar_one()  # type: ignore[return-value]
                     for t in (procedure_steps, procedure_documents,
                               datasets.select().where(datasets.c.kind == "procedures")
                               .subquery()))


def test_template_imports_and_replaces_the_sample(groups: Database) -> None:
    init_sample_procedures(groups, None, lambda _m: None)  # type: ignore[arg-type]
    steps, docs, _ = _count(groups)
    assert steps and docs
    result = import_procedures_csv(groups, TEMPLATE, source="Advisor")
    assert (result.steps, result.documents, result.economies) == (1, 1, ["KEN"])
    with groups.connect() as conn:
        kenya = procedure_for(conn, destination="KEN", product="090111", as_of=date(2025, 1, 1))
        assert [s.title for s in kenya.steps] == ["Register as an importer (EXAMPLE)"]
        assert [d.code for d in kenya.documents] == ["phytosanitary-certificate"]
        assert not kenya.sample and kenya.provenance[0].source == "Advisor"
        assert kenya.steps[0].typical_time == "1 to 3 days"
        # Other markets keep their SAMPLE
        assert procedure_for(conn, destination="USA", product="090111").sample
        token = current_language.set("fr")
        try:
            fr = procedure_for(conn, destination="KEN", product="090111")
            assert fr.steps[0].title == "S'enregistrer comme importateur (EXEMPLE)"
            assert fr.documents[0].condition == "Plantes et produits végétaux"
        finally:
            current_language.reset(token)


def _csv(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "proc.csv"
    header = TEMPLATE.read_text("utf-8").splitlines()[0]
    path.write_text(header + "\n" + rows, "utf-8")
    return path


@pytest.mark.parametrize(("row", "field"), [
    ("stage,KEN,1,,registration,T,,,D,,,,,,,,,,,,,,,", "record"),
    ("step,XXX,1,,registration,T,,,D,,,,,,,,,,,,,,,", "economy"),
    ("step,KEN,1,,boarding,T,,,D,,,,,,,,,,,,,,,", "kind"),
    ("document,KEN,1,,commercial,T,,,D,,,,,,,,,,,,,,,", "code"),
    ("step,KEN,1,,registration,T,,,D,,,,,,,09x,,,,,,,,", "hs_codes"),
    ("step,KEN,1,,registration,T,,,D,,,,,,,,5,2,,,,,,", "days_max"),
    ("step,KEN,1,,registration,T,,,D,,,,,,,,,,,,tourism,,,", "help_service"),
    ("step,KEN,1,,registration,T,,,D,,,,,,,,,,,,,,ftp://x,", "source_url"),
    ("step,KEN,1,,registration,,,,D,,,,,,,,,,,,,,,", "title"),
])
def test_bad_rows_are_refused_with_line_and_field(groups: Database, tmp_path: Path, row: str,
                                                  field: str) -> None:
    good = "step,KEN,1,,registration,T,,,D,,,,,,,,,,,,,,,\n"
    with pytest.raises(ImportFailed) as caught:
        import_procedures_csv(groups, _csv(tmp_path, good + row + "\n"))
    assert (caught.value.line, caught.value.field) == (3, field)
    assert caught.value.file and caught.value.file.endswith("proc.csv")
    assert _count(groups) == (0, 0, 0)


def test_duplicates_and_empty_files(groups: Database, tmp_path: Path) -> None:
    doc = "document,KEN,,invoice,commercial,Invoice,,,D,,,,,,,,,,,,,,,\n"
    with pytest.raises(ImportFailed, match="duplicate document"):
        import_procedures_csv(groups, _csv(tmp_path, doc + doc))
    step = "step,KEN,2,,registration,T,,,D,,,,,,,,,,,,,,,\n"
    with pytest.raises(ImportFailed, match="position 2"):
        import_procedures_csv(groups, _csv(tmp_path, step + step))
    with pytest.raises(ImportFailed, match="no steps"):
        import_procedures_csv(groups, _csv(tmp_path, ""))
    assert _count(groups) == (0, 0, 0)


def test_scope_and_time_helpers() -> None:
    assert in_scope("", "090111") and in_scope("09 85", "0901") and in_scope("0901", "09")
    assert not in_scope("85", "090111")
    assert typical_time(None, None) == "" and typical_time(0, 0) == "the same day"
    assert typical_time(2, 2) == "about 2 days" and typical_time(1, 5) == "1 to 5 days"


def test_checklist_merges_measure_documents_and_origin_proof(hs_db: Database) -> None:
    with hs_db.connect() as conn:
        answer = lookup(conn, "0901.11", "FRA", "KEN", "2025-06-01")
    assert answer.procedure is not None and answer.procedure.economy == "EUN"
    assert [s.kind for s in answer.procedure.steps][:2] == ["registration", "licence"]
    codes = [d.code for d in answer.checklist]
    assert codes[:3] == ["commercial-invoice", "packing-list", "transport-document"]
    phyto = next(d for d in answer.checklist if d.code == "phytosanitary-certificate")
    assert phyto.required_by and phyto.glossary == "phytosanitary-certificate"
    assert phyto.helpers, "a network organisation that helps with certification"
    origin = next(d for d in answer.checklist if d.code == "proof-of-origin")
    assert origin.origin_proofs and origin.origin_proofs[0].proof_of_origin
    # a document only a measure names is listed as named
    assert any(d.code.startswith("measure:") and d.required_by for d in answer.checklist)
    # electrical goods: conformity, no phytosanitary certificate
    with hs_db.connect() as conn:
        electrical = lookup(conn, "850440", "KEN", None, "2025-06-01")
    kinds = {d.code for d in electrical.checklist}
    assert "declaration-of-conformity" in kinds and "phytosanitary-certificate" not in kinds
    data = electrical.as_dict()
    assert data["procedure"]["sample"] is True and data["origin_check_url"] is None


def test_no_procedure_data_says_so(groups: Database, tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(",".join(COLUMNS) + "\nKEN,A83,0901,,T,S,,,A,2020-01-01,,Certificate X\n",
                    "utf-8")
    import_requirements_csv(groups, path)
    with groups.connect() as conn:
        answer = lookup(conn, "090111", "KEN", "UGA", "2024-01-01")
    assert answer.procedure is not None and not answer.procedure.covered
    assert [d.name for d in answer.checklist] == ["Certificate X"]
    assert answer.as_dict()["origin_check_url"] == (
        "/origin-check?product=090111&origin=UGA&destination=KEN")
