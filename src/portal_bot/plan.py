"""A flow as a numbered Spanish checklist, without a browser."""

from __future__ import annotations

from portal_bot import describe, inputs
from portal_bot.flow import ActionBase, Ask, Flow, Verify, leaves


def plan_steps(flow: Flow) -> list[str]:
    """Each step as a Spanish instruction, with what the agent must know about it."""
    sentences: list[str] = []
    verified = False
    for step in leaves(flow.steps):
        notes = []
        if isinstance(step, ActionBase) and step.irreversible:
            notes.append("ENVÍA DATOS: pide confirmación antes")
            if not verified and flow.identity_check is not None:
                notes.append(f"sin comprobar la identidad: {flow.identity_check.skip}")
        if isinstance(step, Verify):
            notes.append("COMPRUEBA LA IDENTIDAD: si no coincide, se detiene sin enviar nada")
            verified = verified or step.when is None
        if isinstance(step, Ask) and step.type == "secret":
            notes.append("respuesta oculta")
        if step.when is not None:
            notes.append(f"solo cuando {describe.condition(step.when)}")
        suffix = f"  [{'; '.join(notes)}]" if notes else ""
        sentences.append(f"{describe.step(step)}{suffix}")
    return sentences


def _inputs(flow: Flow) -> list[str]:
    """Every value the run needs before it starts, with its rules."""
    lines = []
    for name, spec in flow.inputs.items():
        secret = " (secreto: se pide sin mostrarlo)" if spec.type == "secret" else ""
        default = f" [por defecto {spec.default}]" if spec.default else ""
        rules = inputs.rules(spec)
        ruled = f" — {'; '.join(rules)}" if rules else ""
        lines.append(f"{name}: {spec.prompt}{default}{secret}{ruled}")
    return lines


def _questions(flow: Flow) -> list[str]:
    """What is asked during the run (the portal's own challenges), not known before it."""
    return [
        describe.step(step) + (" (se responde sin mostrarlo)" if step.type == "secret" else "")
        for step in leaves(flow.steps)
        if isinstance(step, Ask)
    ]


def plan_text(flow: Flow) -> str:
    head = [f"{flow.title} — {flow.portal} ({flow.country})", ""]
    if flow.inputs:
        head.append("Datos necesarios:")
        head.extend(f"  - {line}" for line in _inputs(flow))
        head.append("")
    if _questions(flow):
        head.append("Se preguntan durante la ejecución:")
        head.extend(f"  - {line}" for line in _questions(flow))
        head.append("")
    head.append("Pasos:")
    head.extend(f"{n:>3}. {text}" for n, text in enumerate(plan_steps(flow), 1))
    return "\n".join(head)


def plan_markdown(flow: Flow) -> str:
    out = [f"# {flow.title}", "", f"{flow.portal} ({flow.country})", ""]
    if flow.inputs:
        out += ["## Datos necesarios", ""] + [f"- {line}" for line in _inputs(flow)] + [""]
    if _questions(flow):
        out += ["## Se preguntan durante la ejecución", ""]
        out += [f"- {line}" for line in _questions(flow)] + [""]
    out += ["## Pasos", ""]
    out += [f"{n}. {text}" for n, text in enumerate(plan_steps(flow), 1)]
    return "\n".join(out) + "\n"


def plan_html(flow: Flow) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("portal_bot", "templates"), autoescape=select_autoescape(["html"])
    )
    return env.get_template("plan.html").render(
        flow=flow, inputs=_inputs(flow), questions=_questions(flow), steps=plan_steps(flow)
    )
