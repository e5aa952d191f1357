"""``bench hs`` library: reading labelled CSVs and scoring at 2, 4 and 6 digits."""

from __future__ import annotations

from pathlib import Path

import pytest

from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.finder.benchmark import bench_file, read_labels

CSV = """description,hs_code,source
roasted coffee beans,0901210000,hand
cocoa beans,18010000,hand
ballpoint pens,9608,hand
a thing that is not coded,0000000000,hand
"""


def test_bench_scores_and_skips(hs_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text(CSV, encoding="utf-8")
    result = bench_file(hs_db, path).as_dict()
    assert result["n"] == 3 and result["skipped"] == 1 and result["n_hs6"] == 2
    assert result["hs2_top1"] == 100.0 and result["hs4_top5"] == 100.0
    assert result["hs6_top5"] == 100.0
    for key in ("hs2_top1", "hs2_top5", "hs4_top1", "hs4_top5", "hs6_top1", "hs6_top5",
                "p50_ms", "p95_ms", "n", "skipped"):
        assert key in result
    limited = bench_file(hs_db, path, limit=1).as_dict()
    assert limited["n"] == 1


def test_hmrc_header_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "extra.csv"
    path.write_text("Goods Description,Commodity Code\nwool socks,61159500\n", encoding="utf-8")
    rows = read_labels(path)
    assert rows[0].description == "wool socks" and rows[0].code == "61159500"


def test_wrong_header_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("text,code\nx,0101\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as err:
        read_labels(path)
    assert "bad.csv" in str(err.value) and "line 1" in str(err.value)
    explicit = read_labels(path, description_column="text", code_column="code")
    assert explicit[0].code == "0101"
