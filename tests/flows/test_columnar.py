"""The columnar (pyarrow) BACI reader: padded quantities, nulls, and when it declines."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tradewind.flows.columnar import FastPathRejected, read_batches

HEADER = '"t","i","j","k","v","q"\n'


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "BACI_HS22_Y2021_V202401.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_padded_quantities_and_nulls(tmp_path: Path) -> None:
    path = _write(tmp_path, '2021,4,842,90111,1.5,"       13.235"\n'
                            '2021,4,842,90121,2,"           NA"\n'
                            "2021,4,842,90130,3,NA\n"
                            "\n"
                            "2021,4,842,90140,4,\n")
    seen: list[int] = []
    batches = list(read_batches(path, progress=seen.append))
    k = np.concatenate([b.k for b in batches])
    q = np.concatenate([b.q for b in batches])
    assert k.tolist() == [90111, 90121, 90130, 90140]
    assert q[0] == pytest.approx(13.235) and np.isnan(q[1:]).all()
    assert sum(seen) == path.stat().st_size


@pytest.mark.parametrize("body", [
    "2021,4,842,90111,abc,1\n",  # not a number
    "2021,4,842,90111.0,1,1\n",  # a whole number written as a decimal (the exact reader accepts)
    "2021,4,842,9011100,1,1\n",  # product code out of range
    "2021,4,1842,90111,1,1\n",  # country code out of range
    "2021,4,842,90111,,1\n",  # value missing
    "2021,4,842,90111,-1,1\n",  # negative value
    "2021,4,842\n",  # short line
])
def test_declines_what_it_cannot_vouch_for(tmp_path: Path, body: str) -> None:
    with pytest.raises(FastPathRejected):
        list(read_batches(_write(tmp_path, "2021,4,842,90100,1,1\n" + body)))
