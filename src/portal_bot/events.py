"""The typed events a run emits. The console, events.jsonl and the report all listen.

Events hold only what may be shown: secret values never reach them (inputs are masked
before a ``RunStarted`` is made; filled secrets are described, not quoted).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

Outcome = Literal["done", "already_done", "failed", "declined", "interrupted", "leak"]
StepStatus = Literal["passed", "failed", "skipped", "simulated", "already_done", "not_reached"]
"""``not_reached``: a dry-run stopped acting at an earlier miss, so the step's page never
came (the step was only looked for, never done)."""


def now() -> datetime:
    return datetime.now(UTC)


class EventBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    at: datetime = Field(default_factory=now)


class RunStarted(EventBase):
    type: Literal["run_started"] = "run_started"
    flow_id: str
    flow_title: str
    portal: str
    country: str
    target: Literal["mock", "live"]
    mode: Literal["run", "dry-run", "guided"]
    operator: str
    ticket: str | None = None
    inputs: dict[str, str]
    """Input values with every secret shown as •••."""
    steps_total: int
    lang: str = "es"
    version: str | None = None
    """portal-bot's version."""
    flow_sha256: str | None = None
    """SHA-256 of the flow file as it was read."""
    timezone: str | None = None
    """The portal country's time zone (the flow's ``timezone``), for the report's times."""
    step_titles: list[str] = Field(default_factory=list)
    """Every step's title in order (``${…}`` as written), so that a report can name the
    steps a run never reached."""


class StepStarted(EventBase):
    type: Literal["step_started"] = "step_started"
    index: int
    """1-based number of the step in execution order (nested steps included)."""
    step_id: str | None
    kind: str
    title: str
    irreversible: bool = False


class StepEnded(EventBase):
    type: Literal["step_ended"] = "step_ended"
    index: int
    status: StepStatus
    duration_ms: int
    screenshot: str | None = None
    """Path of the screenshot, relative to the evidence folder."""
    message: str | None = None
    unresolved: list[str] = Field(default_factory=list)


class GateAsked(EventBase):
    type: Literal["gate_asked"] = "gate_asked"
    index: int
    question: str
    details: dict[str, str]


class GateAnswered(EventBase):
    type: Literal["gate_answered"] = "gate_answered"
    index: int
    approved: bool
    by: str
    """Who answered: the operator's name, ``--yes`` or ``sin terminal``."""


class Said(EventBase):
    type: Literal["said"] = "said"
    index: int
    text: str


class FileSaved(EventBase):
    type: Literal["file_saved"] = "file_saved"
    index: int
    path: str
    sha256: str
    size: int
    what: str


class RunEnded(EventBase):
    type: Literal["run_ended"] = "run_ended"
    outcome: Outcome
    exit_code: int
    message: str
    duration_ms: int
    failed_step: int | None = None


Event = Annotated[
    RunStarted | StepStarted | StepEnded | GateAsked | GateAnswered | Said | FileSaved | RunEnded,
    Field(discriminator="type"),
]
EVENT = TypeAdapter(Event)

Listener = Callable[[Event], None]


class EventBus:
    """Fans every event out to its listeners, in order."""

    def __init__(self, *listeners: Listener) -> None:
        self.listeners = list(listeners)

    def emit(self, event: Event) -> None:
        for listener in self.listeners:
            listener(event)
