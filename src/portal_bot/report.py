"""events.jsonl → report.html: one self-contained page an agent attaches to the ticket.

The report is made from the event log alone (and the screenshots it names), so
``portal-bot report RUN_DIR`` can rebuild it at any time.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from portal_bot.evidence import GENESIS, REPORT, line_hash, read_events
from portal_bot.i18n import translator

MIME = {".webp": "image/webp", ".jpg": "image/jpeg", ".png": "image/png"}
STATUS_CLASS = {
    "passed": "ok",
    "failed": "bad",
    "skipped": "skip",
    "simulated": "sim",
    "already_done": "ok",
}


@dataclass
class StepView:
    index: int
    title: str
    kind: str
    irreversible: bool
    status: str = "running"
    duration_ms: int = 0
    message: str | None = None
    screenshot: str | None = None
    gate: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)


def _chain(folder: Path) -> str:
    chain = GENESIS
    for line in (folder / "events.jsonl").read_bytes().splitlines():
        if line.strip():
            chain = line_hash(line)
    return chain


def build(folder: Path, lang: str | None = None) -> dict[str, Any]:
    """The report's data, from events.jsonl (in the run's language unless ``lang``)."""
    events = read_events(folder)
    start = next((e for e in events if e["type"] == "run_started"), None)
    end = next((e for e in events if e["type"] == "run_ended"), None)
    steps: dict[int, StepView] = {}
    images: dict[str, str] = {}
    styles: dict[str, str] = {}
    for event in events:
        kind = event["type"]
        if kind == "step_started":
            steps[event["index"]] = StepView(
                event["index"], event["title"], event["kind"], event["irreversible"]
            )
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
                images[view.screenshot] = _image_class(folder, view.screenshot, styles)
        elif kind == "gate_asked":
            view.gate = {"question": event["question"], "details": event["details"]}
        elif kind == "gate_answered" and view.gate is not None:
            view.gate.update(approved=event["approved"], by=event["by"], at=event["at"])
        elif kind == "said":
            view.notes.append(event["text"])
        elif kind == "file_saved":
            view.files.append(event)
    return {
        "start": start,
        "end": end,
        "steps": list(steps.values()),
        "images": images,
        "styles": styles,
        "status_class": STATUS_CLASS,
        "t": translator(lang or (start or {}).get("lang") or "es"),
        "chain": _chain(folder),
    }


def inside(folder: Path, relative: object) -> Path | None:
    """``folder / relative`` when it is a plain file inside ``folder`` reached without
    any symbolic link; None for anything else (an absolute path, ``..``, a link out)."""
    if not isinstance(relative, str) or not relative or "\\" in relative or "\0" in relative:
        return None
    parts = Path(relative).parts
    if Path(relative).is_absolute() or ".." in parts:
        return None
    root = folder.resolve()
    path = root
    for part in parts:
        path = path / part
        if path.is_symlink():
            return None
    if not path.is_file() or root not in path.resolve().parents:
        return None
    return path


def _image_class(folder: Path, relative: str, styles: dict[str, str]) -> str:
    """A CSS class showing the image; identical screenshots share one embedded copy.
    Only a screenshot inside the run folder is embedded, whatever events.jsonl says."""
    path = inside(folder, relative)
    if path is None or path.suffix not in MIME:
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


def write_report(folder: Path, lang: str | None = None) -> Path:
    target = folder / REPORT
    target.write_text(render(folder, lang), encoding="utf-8")
    return target
