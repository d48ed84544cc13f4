"""Playwright's driver: started once per run, and by ``portal-bot run`` while it loads.

The driver is a Node.js process that loads Playwright; starting it takes about 0.3 s in
which this process only waits for it. Importing the run's own modules (the flow's models,
the runner) and loading the flow take about as long and need only Python. So
``portal-bot run`` does both at once (:func:`started_while`): the driver starts on the main
thread (Playwright's sync API belongs to the thread that starts it) while a helper thread
imports and loads. No browser starts here: that waits until every input is checked.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Generic, TypeVar, cast

from portal_bot.errors import UsageError

if TYPE_CHECKING:
    from playwright.sync_api import Playwright

T = TypeVar("T")


class Driver:
    """A started Playwright driver. :meth:`stop` may be called more than once."""

    def __init__(self) -> None:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright

        self._manager = sync_playwright()
        try:
            self.playwright: Playwright = self._manager.__enter__()
        except PlaywrightError as exc:
            raise UsageError(f"No se pudo iniciar Playwright: {reason(exc)}") from None
        self._stopped = False

    def stop(self) -> None:
        if not self._stopped:
            self._stopped = True
            self._manager.__exit__(None, None, None)


def reason(exc: BaseException) -> str:
    """A Playwright error's first line (the log that follows it is for developers)."""
    first = next((line for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
    return first[:200]


def _in_asyncio_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class _Helper(threading.Thread, Generic[T]):
    """Runs ``work`` once and keeps what it returned or raised."""

    def __init__(self, work: Callable[[], T]) -> None:
        super().__init__(name="portal-bot-carga", daemon=True)
        self.work = work
        self.value: T | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.value = self.work()
        except BaseException as exc:  # handed to the main thread, which raises it
            self.error = exc


@contextmanager
def started_while(work: Callable[[], T]) -> Iterator[tuple[Driver | None, T]]:
    """Start the driver on this thread while ``work`` runs on another; both are done on
    entry. What ``work`` raises is raised here (the driver stopped first); the driver is
    stopped on exit unless the run stopped it already.

    In a thread that already runs an asyncio loop (a process hosting portal-bot with its
    own Playwright, such as the tests), a second sync driver cannot start: ``work`` then
    just runs, and the driver is None (the run starts one where it can, as before)."""
    if _in_asyncio_loop():  # a host process's own Playwright (tests): start it later
        yield None, work()
        return
    helper = _Helper(work)
    helper.start()
    driver: Driver | None = None
    try:
        driver = Driver()
        helper.join()
        if helper.error is not None:
            raise helper.error
        yield driver, cast(T, helper.value)
    finally:
        helper.join()  # (a Ctrl-C while it loads: the import it is in ends first)
        if driver is not None:
            # Stopping a driver whose connection a killed browser or a Ctrl-C broke must
            # not hide what ended the run.
            with contextlib.suppress(Exception):
                driver.stop()
