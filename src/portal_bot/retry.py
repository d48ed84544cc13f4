"""When a failed step is tried again, and how the page is brought back first.

Only a portal failure that a new try may get past (an error page, a dropped connection, an
answer that never came) is retried, never a password and never a submission that has no
``done_when`` to tell whether it already went through. Pauses double from
:data:`FIRST_PAUSE_MS`; tries stop at the step's ``retries``, at the flow's
``retry_budget_ms`` and at the run's deadline, whichever comes first.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from playwright.sync_api import Error as PlaywrightError

from portal_bot.flow import DEFAULT_RETRIES, ActionBase, Expect, Goto, Step, WaitFor

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from portal_bot.diagnose import Cause

FIRST_PAUSE_MS = 500


def allowed(step: Step) -> int:
    """How many new tries the step may get."""
    if isinstance(step, Goto | Expect | WaitFor):
        return DEFAULT_RETRIES if step.retries is None else step.retries
    if not isinstance(step, ActionBase) or step.submits_password:
        return 0
    if step.retries is not None:
        return step.retries
    return 0 if step.irreversible else DEFAULT_RETRIES


@dataclass
class Budget:
    """The tries left to one step."""

    tries: int
    ends: float
    """``time.monotonic()`` after which no new try starts."""
    pause_ms: int = FIRST_PAUSE_MS
    used: int = 0

    @classmethod
    def start(cls, step: Step, budget_ms: int, deadline: float | None) -> Budget:
        ends = time.monotonic() + budget_ms / 1000
        return cls(allowed(step), ends if deadline is None else min(ends, deadline))

    def next_pause(self, cause: Cause | None) -> int | None:
        """Milliseconds to wait before the next try, or None when there is none."""
        if cause is None or not cause.transient or self.used >= self.tries:
            return None
        if time.monotonic() + self.pause_ms / 1000 >= self.ends:
            return None
        pause = self.pause_ms
        self.used += 1
        self.pause_ms *= 2
        return pause


def bring_back(page: Page, cause: Cause, timeout_ms: int) -> bool:
    """Ask the portal again for the page that failed; True if it was a page (not a call
    made by its script, which the step's own action makes again)."""
    incident = cause.incident
    if incident is None or not incident.document:
        return False
    frame = incident.frame if incident.frame is not None else page.main_frame
    try:
        if frame.is_detached():
            frame = page.main_frame
        if incident.method == "GET":
            frame.goto(incident.url, wait_until="domcontentloaded", timeout=timeout_ms)
        else:
            page.go_back(wait_until="domcontentloaded", timeout=timeout_ms)
    except PlaywrightError:
        return True  # still failing: the next check says so
    return True
