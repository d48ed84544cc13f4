"""events.jsonl → summary.json and junit.xml, for scripts and CI next to report.html."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from portal_bot.evidence import read_events

SUMMARY = "summary.json"
JUNIT = "junit.xml"
UNDONE = ("skipped", "running", "not_reached")
"""Statuses of steps that were not done: JUnit's «skipped»."""


def build(folder: Path) -> dict[str, Any]:
    events = read_events(folder)
    start = next((e for e in events if e["type"] == "run_started"), {})
    end = next((e for e in events if e["type"] == "run_ended"), {})
    steps: dict[int, dict[str, Any]] = {}
    for event in events:
        if event["type"] == "step_started":
            steps[event["index"]] = {
                "index": event["index"],
                "id": event["step_id"],
                "title": event["title"],
                "irreversible": event["irreversible"],
                "status": "running",
            }
        elif event["type"] == "step_ended" and event["index"] in steps:
            steps[event["index"]].update(
                status=event["status"],
                duration_ms=event["duration_ms"],
                message=event.get("message"),
                screenshot=event.get("screenshot"),
            )
    return {
        "flow": start.get("flow_id"),
        "target": start.get("target"),
        "mode": start.get("mode"),
        "operator": start.get("operator"),
        "ticket": start.get("ticket"),
        "outcome": end.get("outcome", "unfinished"),
        "exit_code": end.get("exit_code"),
        "message": end.get("message"),
        "duration_ms": end.get("duration_ms"),
        "steps": list(steps.values()),
    }


def junit(summary: dict[str, Any]) -> bytes:
    steps = summary["steps"]
    suite = ET.Element(
        "testsuite",
        name=str(summary["flow"]),
        tests=str(len(steps)),
        failures=str(sum(s["status"] == "failed" for s in steps)),
        skipped=str(sum(s["status"] in UNDONE for s in steps)),
        time=f"{(summary['duration_ms'] or 0) / 1000:.3f}",
    )
    for step in steps:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=str(summary["flow"]),
            name=f"{step['index']:03d} {step['title']}",
            time=f"{step.get('duration_ms', 0) / 1000:.3f}",
        )
        if step["status"] == "failed":
            failure = ET.SubElement(case, "failure", message=step.get("message") or "")
            failure.text = f"Captura: {step.get('screenshot') or '—'}"
        elif step["status"] in UNDONE:
            ET.SubElement(case, "skipped", message=step.get("message") or "")
    suites = ET.Element("testsuites")
    suites.append(suite)
    data: bytes = ET.tostring(suites, encoding="utf-8", xml_declaration=True)
    return data


def write(folder: Path) -> None:
    summary = build(folder)
    text = json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
    (folder / SUMMARY).write_text(text, encoding="utf-8")
    (folder / JUNIT).write_bytes(junit(summary))
