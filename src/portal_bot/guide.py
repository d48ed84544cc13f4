"""``portal-bot guide``: a customer's step-by-step guide with pictures, made from a flow.

The flow is walked as a dry-run against its mock with the mock's demo data, so the
pictures are real screens with the element to use outlined, and nothing is submitted.
Instructions name the customer's own data by its prompt («RUC del contribuyente»), never
by the demo values.
"""

from __future__ import annotations

import base64
import tempfile
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from portal_bot import describe, templating
from portal_bot.errors import UsageError
from portal_bot.evidence import read_events
from portal_bot.flow import (
    ActionBase,
    Ask,
    Flow,
    Goto,
    Manual,
    Step,
    Verify,
    leaves,
)
from portal_bot.report import MIME

GUIDE_KINDS = (ActionBase, Ask, Goto, Manual, Verify)


@dataclass
class GuideStep:
    number: int
    text: str
    note: str | None
    image: str


def instruction(flow: Flow, step: Step) -> str:
    """The step's sentence with each ``${name}`` replaced by what it stands for."""
    text = describe.step(step)
    names = {name: f"‹{spec.prompt}›" for name, spec in flow.inputs.items()}
    names["tomorrow"] = names["today"] = "‹DD/MM/AAAA›"
    for ask in (s for s in leaves(flow.steps) if isinstance(s, Ask)):
        names[ask.into] = f"‹{ask.ask}›"

    def known(name: str) -> str:
        return names.get(name, "‹dato›")

    values = {name: known(name) for name in templating.references_safe(text)}
    filled = templating.render(text, values, frozenset()).value
    return filled.replace("«‹", "‹").replace("›»", "›")


def collect(flow: Flow, folder: Path) -> list[GuideStep]:
    """The guide's steps from a dry-run's evidence folder."""
    ordered = leaves(flow.steps)
    ended = {e["index"]: e for e in read_events(folder) if e["type"] == "step_ended"}
    steps: list[GuideStep] = []
    for index, step in enumerate(ordered, start=1):
        event = ended.get(index)
        if not isinstance(step, GUIDE_KINDS) or event is None or not event.get("screenshot"):
            continue
        note = None
        if isinstance(step, ActionBase) and step.irreversible:
            note = "Este paso envía sus datos al portal: revíselos antes de hacer clic."
        if isinstance(step, Verify):
            note = "Si el portal muestra otro dato, deténgase: la cuenta no es la suya."
        picture = folder / event["screenshot"]
        image = picture.read_bytes()
        steps.append(
            GuideStep(
                number=len(steps) + 1,
                text=instruction(flow, step),
                note=note,
                image=f"data:{MIME.get(picture.suffix, 'image/png')};base64,"
                + base64.b64encode(image).decode(),
            )
        )
    return steps


def render(flow: Flow, steps: list[GuideStep]) -> str:
    env = Environment(
        loader=PackageLoader("portal_bot", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("guide.html").render(flow=flow, steps=steps)


def make_guide(flow: Flow, out: Path, browser_path: str | None = None) -> list[GuideStep]:
    """Walk the flow on its mock and write guide.html and guide.pdf into ``out``."""
    from playwright.sync_api import sync_playwright

    from portal_bot.browser import LaunchOptions, find_browser, launch
    from portal_bot.job import JobRequest, execute
    from portal_bot.mocks import make_portal

    if flow.mock is None:
        raise UsageError(f"El flujo {flow.id} no tiene simulación: no se puede hacer su guía.")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="portal-bot-guide-") as tmp:
        demo = make_portal(flow.mock).demo(flow.id, Path(tmp))
        secrets = {
            k: v for k, v in demo.items() if k in flow.inputs and flow.inputs[k].type == "secret"
        }
        given = {k: v for k, v in demo.items() if k not in secrets}
        request = JobRequest(
            flow=flow,
            given=given,
            evidence=Path(tmp) / "ensayo",
            mock=True,
            yes=True,
            mode="dry-run",
            browser=browser_path,
            simulation_banner=False,
            environ={f"PORTAL_BOT_SECRET_{k.upper()}": v for k, v in secrets.items()},
        )
        result = execute(request, None, None)
        if result.exit_code != 0:
            raise UsageError(f"El ensayo del flujo falló; no se hizo la guía: {result.message}")
        steps = collect(flow, result.folder)
    html_path = out / "guide.html"
    html_path.write_text(render(flow, steps), encoding="utf-8")
    with sync_playwright() as playwright:
        browser = launch(playwright, LaunchOptions(find_browser(browser_path)))
        page = browser.new_page()
        page.goto(html_path.resolve().as_uri())
        page.pdf(path=str(out / "guide.pdf"), format="A4", print_background=True)
        browser.close()
    return steps
