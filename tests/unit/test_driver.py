"""Playwright's driver started while the command line loads the flow (portal_bot.driver).

Each case runs in a thread of its own: the test process's main thread may already hold
pytest-playwright's driver, and a thread runs at most one sync driver."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import pytest

from portal_bot.driver import Driver, started_while
from portal_bot.errors import UsageError


def in_a_thread(case: Callable[[], Any]) -> Any:
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = case()
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(60)
    if "error" in box:
        raise box["error"]
    return box["value"]


def test_the_work_is_done_on_another_thread_while_the_driver_starts() -> None:
    def case() -> tuple[str, str, bool]:
        caller = threading.current_thread().name
        with started_while(lambda: threading.current_thread().name) as (driver, worker):
            assert driver is not None
            browsers = driver.playwright.chromium.name
        assert driver._stopped
        return caller, worker, browsers == "chromium"

    caller, worker, ready = in_a_thread(case)
    assert worker != caller and worker == "portal-bot-carga"
    assert ready


def test_what_the_work_raises_is_raised_and_the_driver_is_stopped() -> None:
    started: list[Driver] = []
    real_init = Driver.__init__

    def recording_init(self: Driver) -> None:
        real_init(self)
        started.append(self)

    def broken() -> None:
        raise UsageError("No hay un flujo llamado «x».")

    def case() -> None:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(Driver, "__init__", recording_init)
            with started_while(broken):
                raise AssertionError("not entered")

    with pytest.raises(UsageError, match="No hay un flujo"):
        in_a_thread(case)
    assert len(started) == 1 and started[0]._stopped


def test_inside_an_asyncio_loop_nothing_starts_early_and_the_work_still_runs() -> None:
    async def case() -> tuple[Driver | None, int]:
        with started_while(lambda: 42) as (driver, value):
            return driver, value

    assert in_a_thread(lambda: asyncio.run(case())) == (None, 42)
