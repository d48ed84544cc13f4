"""events.jsonl → report.html: one self-contained page an agent attaches to the ticket.

The report is made from the event log alone (and the screenshots it names), so
``portal-bot report RUN_DIR`` can rebuild it at any time. It reads top down, as a
supervisor does: the outcome in plain words; what was sent, who approved it and when;
the identity the portal showed; what was not done and why; the tool's version, the flow
file's hash and the chain hash. Then an index of the steps with small pictures that open
the full screenshot (each distinct screenshot is embedded once, as a CSS class, and the
thumbnail is the same picture scaled down: no second copy). Times are the portal
country's local time (the flow's ``timezone``), with the zone named.

A report in another language than the run's is written beside the folder, not into it
(:func:`write_report`), so the folder still matches its manifest.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import Environment, PackageLoader, select_autoescape

from portal_bot.evidence import GENESIS, REPORT, line_hash, read_events
from portal_bot.i18n import Translate, translator

MIME = {".webp": "image/webp", ".jpg": "image/jpeg", ".png": "image/png"}
STATUS_CLASS = {
    "passed": "ok",
    "failed": "bad",
    "skipped": "skip",
    "simulated": "sim",
    "already_done": "ok",
    "not_reached": "skip",
    "unreached": "skip",
}
GENERIC_END = "Flujo completado."
"""The runner's end message when the flow has no words of its own: the headline says it."""


@dataclass
class StepView:
    index: int
    title: str
    kind: str
    irreversible: bool
    status: str = "running"
    duration_ms: int = 0
    started: str = ""
    message: str | None = None
    screenshot: str | None = None
    gate: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)

    @property
    def branch_not_taken(self) -> bool:
        """Skipped because its condition did not hold: another branch of the procedure."""
        return self.status == "skipped" and self.gate is None


def _chain(folder: Path) -> str:
    chain = GENESIS
    for line in (folder / "events.jsonl").read_bytes().splitlines():
        if line.strip():
            chain = line_hash(line)
    return chain


class Clock:
    """Event times (UTC, ISO) shown in the portal country's local time."""

    def __init__(self, zone: str | None) -> None:
        try:
            self.zone = ZoneInfo(zone or "UTC")
        except (ZoneInfoNotFoundError, ValueError):
            self.zone = ZoneInfo("UTC")

    def local(self, stamp: str | None) -> datetime | None:
        if not stamp:
            return None
        try:
            return datetime.fromisoformat(stamp).astimezone(self.zone)
        except ValueError:
            return None

    def full(self, stamp: str | None) -> str:
        moment = self.local(stamp)
        return moment.strftime("%d/%m/%Y %H:%M:%S") if moment else "—"

    def time(self, stamp: str | None) -> str:
        moment = self.local(stamp)
        return moment.strftime("%H:%M:%S") if moment else ""

    def label(self, stamp: str | None) -> str:
        """``America/Lima, UTC−05:00``."""
        moment = self.local(stamp)
        offset = moment.strftime("%z") if moment else "+0000"
        sign = "−" if offset.startswith("-") else "+"
        return f"{self.zone.key}, UTC{sign}{offset[1:3]}:{offset[3:5]}"


def build(folder: Path, lang: str | None = None) -> dict[str, Any]:
    """The report's data, from events.jsonl (in the run's language unless ``lang``)."""
    events = read_events(folder)
    start = next((e for e in events if e["type"] == "run_started"), None)
    end = next((e for e in events if e["type"] == "run_ended"), None)
    chosen = lang or (start or {}).get("lang") or "es"
    t = translator(chosen)
    clock = Clock((start or {}).get("timezone"))
    steps: dict[int, StepView] = {}
    images: dict[str, str] = {}
    styles: dict[str, str] = {}
    identity: list[str] = []
    for event in events:
        kind = event["type"]
        if kind == "step_started":
            steps[event["index"]] = StepView(
                event["index"], event["title"], event["kind"], event["irreversible"],
                started=clock.time(event.get("at")),
            )  # fmt: skip
            continue
        if "identity" in kind:  # an event of its own for the verified identity, if any
            identity.append(_identity_text(event))
            continue
        view = steps.get(event.get("index", -1))
        if view is None:
            continue
        if kind == "step_ended":
            view.status = event["status"]
            view.duration_ms = event["duration_ms"]
            view.message = event.get("message")
            view.screenshot = event.get("screenshot")
            if view.screenshot and view.screenshot not in images:
                images[view.screenshot] = _image_class(folder / view.screenshot, styles)
        elif kind == "gate_asked":
            view.gate = {"question": event["question"], "details": event["details"]}
        elif kind == "gate_answered" and view.gate is not None:
            view.gate.update(approved=event["approved"], by=event["by"], at=event["at"])
        elif kind == "said":
            view.notes.append(event["text"])
            if view.kind == "verify" or event["text"].startswith("Identidad comprobada"):
                identity.append(event["text"])
        elif kind == "file_saved":
            view.files.append(event)
    shown = [s for s in steps.values() if not (s.kind == "finish" and s.status == "skipped")]
    unreached = _unreached(start, steps)
    dry = (start or {}).get("mode") == "dry-run"
    return {
        "start": start,
        "end": end,
        "lang": chosen,
        "dry": dry,
        "steps": shown,
        "unreached": unreached,
        "summary": _summary(t, start, end, steps, unreached, clock),
        "sent": [s for s in steps.values() if s.irreversible and s.status == "passed"],
        "identity": identity,
        "not_done": _not_done(t, steps.values(), unreached, end),
        "images": images,
        "styles": styles,
        "status_class": STATUS_CLASS,
        "t": t,
        "clock": clock,
        "chain": _chain(folder),
    }


def _identity_text(event: dict[str, Any]) -> str:
    skip = {"type", "at", "prev", "index"}
    return " · ".join(f"{value}" for key, value in event.items() if key not in skip and value)


def _unreached(start: dict[str, Any] | None, steps: dict[int, StepView]) -> list[StepView]:
    """The flow's steps with no end recorded: never reached (a failure or a stop came
    first). Titles come from ``RunStarted.step_titles`` when the run recorded them."""
    if start is None:
        return []
    titles: list[str] = list(start.get("step_titles") or [])
    total = max(int(start.get("steps_total") or 0), len(titles))
    ended = {i for i, s in steps.items() if s.status != "running"}
    out: list[StepView] = []
    for index in range(1, total + 1):
        if index in ended:
            continue
        view = steps.get(index)
        title = view.title if view else (titles[index - 1] if index <= len(titles) else "")
        kind = view.kind if view else ""
        out.append(StepView(index, title, kind, False, status="unreached"))
    return out


def _summary(
    t: Translate,
    start: dict[str, Any] | None,
    end: dict[str, Any] | None,
    steps: dict[int, StepView],
    unreached: list[StepView],
    clock: Clock,
) -> dict[str, str]:
    """The headline in plain words, its tone (ok, bad, stop, dry) and one line of detail."""
    if start is not None and start.get("mode") == "dry-run":
        missed = [s for s in steps.values() if s.status == "failed"]
        detail = (
            t("summary.dry_missed", n=len(missed), steps=_numbers(missed))
            if missed
            else t("summary.dry_ok")
        )
        return {"tone": "dry", "headline": t("summary.dry"), "detail": detail}
    if end is None:
        return {"tone": "bad", "headline": t("summary.unfinished"), "detail": ""}
    outcome = end["outcome"]
    failed = steps.get(end.get("failed_step") or -1)
    if outcome == "failed" and failed is not None:
        detail = t("summary.failed_at", n=failed.index, title=failed.title)
        if failed.message:
            detail += f": {failed.message}"
        return {"tone": "bad", "headline": t("outcome.failed"), "detail": detail}
    tone = {"done": "ok", "already_done": "ok", "declined": "stop", "interrupted": "stop"}
    detail = end.get("message") or ""
    return {
        "tone": tone.get(outcome, "bad"),
        "headline": t(f"outcome.{outcome}"),
        "detail": "" if detail == GENERIC_END else detail,
    }


def _numbers(steps: list[StepView]) -> str:
    return ", ".join(str(s.index) for s in steps)


def _not_done(
    t: Translate,
    steps: Any,
    unreached: list[StepView],
    end: dict[str, Any] | None,
) -> list[str]:
    """One line per thing that was not done, with why."""
    lines: list[str] = []
    for step in steps:
        if step.status == "failed":
            lines.append(t("not_done.failed", n=step.index, title=step.title,
                           why=step.message or "—"))  # fmt: skip
        elif step.status == "simulated":
            lines.append(t("not_done.simulated", n=step.index, title=step.title))
        elif step.status == "not_reached":
            lines.append(t("not_done.not_reached", n=step.index, title=step.title))
        elif step.gate is not None and step.gate.get("approved") is False:
            lines.append(t("not_done.declined", n=step.index, title=step.title,
                           by=step.gate.get("by", "")))  # fmt: skip
    if unreached:
        why = t(f"not_done.why.{end['outcome']}") if end else t("not_done.why.unfinished")
        lines.append(t("not_done.unreached", n=len(unreached), why=why))
    return lines


def _image_class(path: Path, styles: dict[str, str]) -> str:
    """A CSS class showing the image; identical screenshots share one embedded copy."""
    if not path.is_file():
        return ""
    data = path.read_bytes()
    name = "img-" + hashlib.sha256(data).hexdigest()[:16]
    if name not in styles:
        mime = MIME.get(path.suffix, "image/png")
        styles[name] = f"data:{mime};base64," + base64.b64encode(data).decode()
    return name


def render(folder: Path, lang: str | None = None) -> str:
    env = Environment(
        loader=PackageLoader("portal_bot", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("report.html").render(**build(folder, lang))


def run_language(folder: Path) -> str:
    start = next((e for e in read_events(folder) if e["type"] == "run_started"), {})
    return str(start.get("lang") or "es")


def report_path(folder: Path, lang: str | None = None) -> Path:
    """``report.html`` in the run's language; another language goes beside the folder
    (``RUN.report.en.html``), so the folder keeps matching its manifest."""
    if lang is None or lang == run_language(folder):
        return folder / REPORT
    return folder.parent / f"{folder.name}.report.{lang}.html"


def write_report(folder: Path, lang: str | None = None) -> Path:
    target = report_path(folder, lang)
    target.write_text(render(folder, lang), encoding="utf-8")
    return target
