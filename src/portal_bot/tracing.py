"""``--trace``: a Playwright trace for debugging a flow that never holds a secret.

DOM snapshots are off: they keep every typed value (``__playwright_value_``) and the
bodies of forms sent, long after the typing. Actions and screenshots are recorded, and
the recording is paused from the step that types a secret until no page still holds
one (the page has navigated away). The trace is therefore split into parts
(``trace/parte-01.zip``…); the moments a secret was on screen are not in any of them.
Each part goes through the same leak scan as the rest of the evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import BrowserContext


class TraceRecorder:
    def __init__(self, context: BrowserContext, part_path: Callable[[int], Path]) -> None:
        self.context = context
        self.part_path = part_path
        self.parts = 0
        self.running = False
        self.started = False

    def start(self) -> None:
        self.context.tracing.start(screenshots=True, snapshots=False, sources=False)
        self.started = self.running = True

    def record(self, allowed: bool) -> None:
        """Pause while a secret is being typed or shown; resume when none is."""
        if allowed and not self.running:
            self.context.tracing.start_chunk()
            self.running = True
        elif not allowed and self.running:
            self._cut()

    def _cut(self) -> None:
        self.parts += 1
        self.context.tracing.stop_chunk(path=self.part_path(self.parts))
        self.running = False

    def stop(self) -> None:
        if not self.started:
            return
        if self.running:
            self._cut()
        self.context.tracing.stop()
        self.started = False
