"""A flow as a numbered Spanish checklist, without a browser."""

from __future__ import annotations

from portal_bot import describe
from portal_bot.flow import ActionBase, Ask, Flow, Frame, Step


def plan_lines(flow: Flow) -> list[str]:
    lines: list[str] = []

    def add(steps: list[Step], depth: int) -> None:
        for step in steps:
            if isinstance(step, Frame):
                add(step.steps, depth)
                continue
            text = describe.step(step)
            notes = []
            if isinstance(step, ActionBase) and step.irreversible:
                notes.append("ENVÍA DATOS: pide confirmación antes")
            if isinstance(step, Ask) and step.type == "secret":
                notes.append("respuesta oculta")
            if step.when is not None:
                notes.append(f"solo si {describe.condition(step.when)}")
            suffix = f"  [{'; '.join(notes)}]" if notes else ""
            lines.append(f"{len(lines) + 1:>3}. {text}{suffix}")

    add(flow.steps, 0)
    return lines


def plan_text(flow: Flow) -> str:
    head = [f"{flow.title} — {flow.portal} ({flow.country})", ""]
    if flow.inputs:
        head.append("Datos necesarios:")
        for name, spec in flow.inputs.items():
            secret = " (secreto: se pide sin mostrarlo)" if spec.type == "secret" else ""
            default = f" [por defecto {spec.default}]" if spec.default else ""
            head.append(f"  - {name}: {spec.prompt}{default}{secret}")
        head.append("")
    head.append("Pasos:")
    return "\n".join(head + plan_lines(flow))
