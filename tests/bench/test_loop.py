"""The benches' coroutine runner works with and without a loop already running in the thread."""

from __future__ import annotations

import asyncio
import threading

import pytest

from tradewind.bench.loop import run_coroutine


async def _thread_name() -> str:
    await asyncio.sleep(0)
    return threading.current_thread().name


async def _fails() -> None:
    raise ValueError("inner failure")


def test_runs_in_this_thread_when_no_loop_runs() -> None:
    assert run_coroutine(_thread_name()) == threading.current_thread().name


def test_runs_in_a_worker_thread_inside_a_running_loop() -> None:
    async def outer() -> str:
        return run_coroutine(_thread_name())

    assert asyncio.run(outer()) == "tradewind-bench-loop"


def test_errors_reach_the_caller_inside_a_running_loop() -> None:
    async def outer() -> None:
        run_coroutine(_fails())

    with pytest.raises(ValueError, match="inner failure"):
        asyncio.run(outer())
