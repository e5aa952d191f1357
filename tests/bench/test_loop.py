"""The benches' coroutine runner works with and without a loop already running in the thread.

Each case runs in a thread of its own: in the full suite the main thread may already be running
an event loop (a sync Playwright browser in the same worker), which is the very case under test."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import pytest

from tradewind.bench.loop import run_coroutine


async def _thread_name() -> str:
    await asyncio.sleep(0)
    return threading.current_thread().name


async def _fails() -> None:
    raise ValueError("inner failure")


def _in_fresh_thread(body: Callable[[], Any]) -> Any:
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = body()
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="test-thread")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def test_runs_in_this_thread_when_no_loop_runs() -> None:
    assert _in_fresh_thread(lambda: run_coroutine(_thread_name())) == "test-thread"


def test_runs_in_a_worker_thread_inside_a_running_loop() -> None:
    async def outer() -> str:
        return run_coroutine(_thread_name())

    assert _in_fresh_thread(lambda: asyncio.run(outer())) == "tradewind-bench-loop"


def test_errors_reach_the_caller_inside_a_running_loop() -> None:
    async def outer() -> None:
        run_coroutine(_fails())

    with pytest.raises(ValueError, match="inner failure"):
        _in_fresh_thread(lambda: asyncio.run(outer()))
