"""CSV downloads: one machine number format without float noise, and the SAMPLE marker."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from tests.answers.pages import DOWNLOADS
from tradewind.charts.downloads import CSV_DECIMALS, csv_bytes

NOISE = re.compile(rf"^-?\d+\.\d{{{CSV_DECIMALS + 1},}}$")


def test_floats_are_rounded_to_the_stated_precision() -> None:
    text = csv_bytes([("t", ["a", "b", "c"], [[0.1 + 0.2, 2.0, 1 / 3]])]).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1] == ["0.3", "2", "0.333333"]
    assert any(f"{CSV_DECIMALS} decimal places" in r[0] for r in rows if r)


def test_sample_downloads_say_sample_and_have_no_float_noise(client: Any) -> None:
    for path in DOWNLOADS:
        if not path.split("?")[0].endswith(".csv"):
            continue
        response = client.get(path)
        assert response.status_code == 200, path
        text = response.content.decode("utf-8-sig")
        cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
        assert not [c for c in cells if NOISE.match(c)], path
        if not path.startswith("/network"):  # SAMPLE trade flows
            assert "SAMPLE" in text, path
