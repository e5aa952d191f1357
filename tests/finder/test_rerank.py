"""The learned reranker on a tiny nomenclature and tariff schedule written here.

Feature extraction, training on the crafted corpus, storage with provenance, fallback to
the lexical ranking without a model, and the guard that keeps evaluation files out of
training.
"""

from __future__ import annotations

import builtins
import json
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from tradewind.datasets.queries import record_dataset
from tradewind.db import Database
from tradewind.errors import InvalidInput
from tradewind.finder import training
from tradewind.finder.engine import score_query, search_index
from tradewind.finder.features import FEATURES, SideEvidence, extract
from tradewind.finder.index import forget_index, get_index
from tradewind.finder.models import finder_models
from tradewind.nomenclature.models import hs_codes, hs_sections
from tradewind.tariffs.store import LineIn, create_schedule, write_lines

pytest.importorskip("lightgbm")

CODES = [
    ("09", None, "Coffee, tea, mate and spices"),
    ("0901", "09", "Coffee, whether or not roasted or decaffeinated"),
    ("090111", "0901", "Coffee; not roasted, not decaffeinated"),
    ("090112", "0901", "Coffee; not roasted, decaffeinated"),
    ("090121", "0901", "Coffee; roasted, not decaffeinated"),
    ("090122", "0901", "Coffee; roasted, decaffeinated"),
    ("090190", "0901", "Coffee; husks and skins, coffee substitutes containing coffee"),
    ("0902", "09", "Tea, whether or not flavoured"),
    ("090210", "0902", "Tea; green, in immediate packings not exceeding 3kg"),
    ("090230", "0902", "Tea; black, fermented, in immediate packings not exceeding 3kg"),
    ("0904", "09", "Pepper of the genus Piper; dried or crushed fruits of the genus Capsicum"),
    ("090411", "0904", "Pepper; neither crushed nor ground"),
    ("090412", "0904", "Pepper; crushed or ground"),
    ("61", None, "Apparel and clothing accessories; knitted or crocheted"),
    ("6109", "61", "T-shirts, singlets and other vests; knitted or crocheted"),
    ("610910", "6109", "T-shirts, singlets and other vests; of cotton, knitted or crocheted"),
    ("610990", "6109", "T-shirts, singlets and other vests; of textile materials (other than "
                       "cotton), knitted or crocheted"),
    ("6110", "61", "Jerseys, pullovers, cardigans, waistcoats; knitted or crocheted"),
    ("611011", "6110", "Jerseys, pullovers; of wool, knitted or crocheted"),
    ("611020", "6110", "Jerseys, pullovers; of cotton, knitted or crocheted"),
    ("611030", "6110", "Jerseys, pullovers; of man-made fibres, knitted or crocheted"),
    ("611090", "6110", "Jerseys, pullovers; of other textile materials, knitted or crocheted"),
]
LINES = [
    ("0901110015", "090111", "Arabica coffee beans, green"),
    ("0901110025", "090111", "Robusta coffee beans, green"),
    ("0901210035", "090121", "Roasted coffee beans in retail containers"),
    ("0901210045", "090121", "Ground roasted coffee, espresso blend"),
    ("0901220010", "090122", "Decaf roasted coffee beans"),
    ("0901900100", "090190", "Coffee husks and skins"),
    ("0902100010", "090210", "Green tea, sencha, in tea bags"),
    ("0902300010", "090230", "Black tea, earl grey, in tea bags"),
    ("0904110010", "090411", "Black peppercorns, whole"),
    ("0904120010", "090412", "Ground black pepper"),
    ("6109100004", "610910", "Cotton T-shirts for men, crew neck"),
    ("6109100012", "610910", "Cotton tank tops for women"),
    ("6109900010", "610990", "Polyester T-shirts, sports"),
    ("6110110010", "611011", "Wool sweaters for men"),
    ("6110110020", "611011", "Cashmere cardigans"),
    ("6110200010", "611020", "Cotton sweatshirts, hooded"),
    ("6110300010", "611030", "Acrylic pullovers"),
    ("6110900010", "611090", "Silk cardigans"),
]


def _corpus(db: Database) -> None:
    with db.transaction() as conn:
        conn.execute(insert(hs_sections), [
            {"edition": "HS2022", "section": "II", "position": 2, "name": "Vegetable products"},
            {"edition": "HS2022", "section": "XI", "position": 11, "name": "Textiles"}])
        conn.execute(insert(hs_codes), [
            {"edition": "HS2022", "code": c, "level": len(c), "parent": p,
             "section": "II" if c.startswith("09") else "XI", "description": d}
            for c, p, d in CODES])
        ds = record_dataset(conn, kind="tariff", name="Test schedule", source="tests",
                            licence="test", edition="2026")
        sid = create_schedule(conn, economy="USA", name="Test HTS", nomenclature="HTS",
                              national_digits=10, currency="USD", source_format="csv",
                              dataset_id=ds)
        write_lines(conn, sid, [LineIn(n, h, d) for n, h, d in LINES])
    forget_index(db)


@pytest.fixture
def corpus(db: Database) -> Database:
    _corpus(db)
    return db


def _train(db: Database) -> training.TrainingReport:
    return training.train(db, nomenclature=100, lines=100)


def test_features_describe_each_candidate(corpus: Database) -> None:
    index = get_index(corpus)
    assert index.reranker is None
    scored = score_query(index, "roasted coffee")
    assert scored is not None
    with corpus.connect() as conn:
        from tradewind.finder.rerank import side_evidence

        side = side_evidence(conn)
    ex = extract(index, scored, side)
    assert ex.matrix.shape == (len(ex.docs), len(FEATURES))
    codes = [index.codes[d] for d in ex.docs]
    # every subheading of the best heading is a candidate, the catch-all included
    assert {"090111", "090112", "090121", "090122", "090190"} <= set(codes)
    row = dict(zip(FEATURES, ex.matrix[codes.index("090121")].tolist(), strict=True))
    other = dict(zip(FEATURES, ex.matrix[codes.index("090190")].tolist(), strict=True))
    assert row["cover_sub"] > 0.5 and row["head_in_sub"] == 1.0
    assert row["attr_agree"] >= 1 and row["attr_conflict"] == 0  # "roasted" agrees
    unroasted = dict(zip(FEATURES, ex.matrix[codes.index("090111")].tolist(), strict=True))
    assert unroasted["attr_conflict"] >= 1  # "not roasted" contradicts the query
    assert other["residual"] == 1.0 and row["residual"] == 0.0
    assert row["line_cover"] > 0.9  # "Roasted coffee beans in retail containers"
    assert row["head_missing"] == 0.0
    assert row["head_ev_rel"] == 1.0


def test_side_evidence_leaves_out_the_query_s_own_line() -> None:
    side = SideEvidence.build([("line:1", "090121", "espresso blend"),
                               ("line:2", "090122", "espresso blend decaf")], [])
    stems = frozenset({"espresso", "blend"})
    assert side.best_lines(stems, None)[0][0] == "090121"
    assert side.best_lines(stems, "line:1")[0][0] == "090122"


def test_training_on_a_tiny_corpus_stores_a_model_with_provenance(corpus: Database) -> None:
    report = _train(corpus)
    assert report.used >= 20 and report.trees >= 1 and report.model_id
    with corpus.connect() as conn:
        row = conn.execute(select(finder_models)).one()
    prov = json.loads(row.provenance)
    kinds = {s["source"] for s in prov["sources"]}
    assert kinds <= {"nomenclature", "tariff-lines", "tariff-lines (sampled)", "rulings",
                     "confirmations"}
    sched = next(s for s in prov["sources"] if s["source"] == "tariff-lines")
    assert sched["schedule"] == "Test HTS" and sched["usable_lines"] == len(LINES)
    assert prov["features"] == list(FEATURES)
    assert not training.needs_training(corpus)
    index = get_index(corpus)
    assert index.reranker is not None and index.reranker.model_id == report.model_id
    result = search_index(index, "roasted coffee beans", limit=5)
    assert result.candidates[0].code[:4] == "0901"
    assert all(c.score > 0 for c in result.candidates)
    assert result.candidates[0].reason  # the lexical explanation is kept


def test_reasons_name_a_matching_national_line(corpus: Database) -> None:
    _train(corpus)
    result = search_index(get_index(corpus), "cashmere cardigans", limit=5)
    why = {c.code: c.reason for c in result.candidates}
    assert "611011" in why and "Cashmere cardigans" in why["611011"]


def test_training_is_deterministic(corpus: Database) -> None:
    _train(corpus)
    _train(corpus)
    with corpus.connect() as conn:
        models = [r.model for r in conn.execute(select(finder_models.c.model)
                                                .order_by(finder_models.c.id))]
    assert len(models) == 2 and models[0] == models[1]


def test_without_a_model_the_lexical_ranking_is_used(corpus: Database) -> None:
    index = get_index(corpus)
    assert index.reranker is None
    a = search_index(index, "cotton t-shirts", limit=5)
    b = search_index(index, "cotton t-shirts", limit=5, rerank=False)
    assert [c.code for c in a.candidates] == [c.code for c in b.candidates]
    assert training.needs_training(corpus)


def test_setting_off_keeps_the_lexical_ranking(corpus: Database,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    _train(corpus)
    monkeypatch.setenv("TRADEWIND_FINDER_RERANK", "false")
    forget_index(corpus)
    assert get_index(corpus).reranker is None


def test_a_model_of_older_features_is_ignored(corpus: Database,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _train(corpus)
    monkeypatch.setattr("tradewind.finder.rerank.FEATURE_VERSION", 999)
    forget_index(corpus)
    assert get_index(corpus).reranker is None


def test_evaluation_files_are_refused(tmp_path: Path) -> None:
    dev = tmp_path / "labelled_dev.csv"
    dev.write_text("description,hs_code\nroasted coffee,0901210000\n", encoding="utf-8")
    with pytest.raises(InvalidInput):
        training.refuse_evaluation_file(dev)
    copy = tmp_path / "mine.csv"
    copy.write_bytes(dev.read_bytes())
    with pytest.raises(InvalidInput):  # same contents under another name
        training.refuse_evaluation_file(copy, [dev])
    other = tmp_path / "portal.csv"
    other.write_text("description,hs_code\ngreen tea,0902100000\n", encoding="utf-8")
    training.refuse_evaluation_file(other, [dev])


def test_training_refuses_the_labels_file_and_stores_nothing(corpus: Database,
                                                             tmp_path: Path) -> None:
    dev = tmp_path / "labelled_dev.csv"
    dev.write_text("description,hs_code\nroasted coffee,0901210000\n", encoding="utf-8")
    with pytest.raises(InvalidInput):
        training.train(corpus, nomenclature=100, lines=100, queries_file=dev)
    with corpus.connect() as conn:
        assert conn.execute(select(finder_models.c.id)).first() is None


def test_training_never_opens_the_evaluation_set(corpus: Database,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Training reads the database only: no file is opened, least of all the dev set."""
    opened: list[str] = []
    real_open = builtins.open

    def spy(file: object, *args: object, **kwargs: object) -> object:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    get_index(corpus)  # the index reads the synonym file; build it before spying
    monkeypatch.setattr(builtins, "open", spy)
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: opened.append(str(self)) or "")
    report = _train(corpus)
    assert report.model_id
    assert not [p for p in opened if "labelled_dev" in p or p.endswith(".csv")]


def test_real_dev_file_is_refused(shared_data: Path, corpus: Database) -> None:
    dev = shared_data / "hs-dev" / "labelled_dev.csv"
    if not dev.is_file():
        pytest.skip("labelled_dev.csv absent")
    with pytest.raises(InvalidInput):
        training.train(corpus, queries_file=dev)


def test_init_trains_when_the_data_changed(corpus: Database, tmp_path: Path) -> None:
    from tradewind.finder.init import init_finder
    from tradewind.settings import Settings

    settings = Settings.load(env={}, dotenv=tmp_path / "absent.env",
                             finder_train_at_init=True)
    messages: list[str] = []
    init_finder(corpus, settings, messages.append)
    assert any("reranker trained" in m for m in messages)
    messages.clear()
    init_finder(corpus, settings, messages.append)  # nothing changed: no second model
    assert any("up to date" in m for m in messages)
    with corpus.connect() as conn:
        assert len(conn.execute(select(finder_models.c.id)).all()) == 1
