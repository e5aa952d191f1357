"""The bench's bulk generator leaves exactly the rollups the recorder would."""

from __future__ import annotations

from datetime import date

import numpy as np

from tradewind.policy import store
from tradewind.policy.bench import decode, generate_events, make_names, rollups_from_arrays


def test_numpy_rollups_equal_the_recorders() -> None:
    names = make_names(date(2026, 6, 30))
    arrays = generate_events(np.random.default_rng(3), 3000, names)
    fast = rollups_from_arrays(arrays, names)
    slow = store.Rollups.empty()
    for event in decode(arrays, names):
        slow.add(event)
    assert fast.daily == slow.daily
    assert fast.cube == slow.cube
    assert fast.queries == slow.queries
