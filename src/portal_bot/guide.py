"""``portal-bot guide``: a guide a customer follows alone, with pictures, made from a flow.

The flow is run for real against its mock, on the mock's demo account, with every gate
approved (as ``run --mock --yes``): the pictures are the screens a customer meets, with
the element to use outlined, down to the last one, which shows what they see when it
worked. Nothing reaches a real portal.

What goes in, in the flow's order:

- the portal's address first (the flow's first ``goto``);
- one instruction per thing the customer does: clicks, typing, choices, files, the
  checks a person does by hand (``manual``), codes typed into the page (``ask`` with
  ``fill_in``);
- what they do away from the screen with a file the portal gave them (a note between a
  download and the upload that brings it back: print, sign, scan);
- the procedure's branches: a step the demo run did not need (its ``when`` did not hold,
  e.g. the payment of an account that had already paid) is kept, without a picture,
  as «Si …: …»;
- never what only the agent does (notes to the agent, questions typed nowhere such as a
  file's path, gates, checks the tool makes, windows it switches to).

A step's ``guide:`` text, when the flow gives one, replaces the generated instruction (and
puts a note in the guide even if it would be left out). Instructions name the customer's
own data by its prompt («‹RUC del contribuyente›»), never by the demo values.
"""

from __future__ import annotations

import base64
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from portal_bot import describe
from portal_bot.errors import UsageError
from portal_bot.evidence import read_events
from portal_bot.flow import (
    ActionBase,
    Ask,
    AtUrl,
    Click,
    Condition,
    Expect,
    Finish,
    Flow,
    Goto,
    HasText,
    Hidden,
    Manual,
    Read,
    Say,
    Screenshot,
    Step,
    Upload,
    Verify,
    Visible,
    WaitFor,
    leaves,
)
from portal_bot.report import MIME

CHECKS = (Expect, WaitFor, Read, Finish, Screenshot)
"""Steps that look at the page without acting on it."""

REFERENCE = re.compile(r"\$\{\s*([a-z][a-z0-9_]*)\s*(?:\|\s*[a-z_]+\s*)?\}")
"""``${name}`` or ``${name|filter}``: the guide shows what the name stands for, never a
filter's output (``|compact`` on a prompt would glue its words together)."""


@dataclass
class GuideStep:
    number: int
    text: str
    note: str | None
    image: str | None
    branch: str | None = None
    """«Si …»: the step belongs to a branch the demo run did not take."""
    step_id: str | None = None


def placeholders(flow: Flow) -> dict[str, str]:
    """What each ``${name}`` stands for, in the customer's words."""
    names = {name: f"‹{_short(spec.prompt)}›" for name, spec in flow.inputs.items()}
    names["tomorrow"] = names["today"] = "‹DD/MM/AAAA›"
    for ask in (s for s in leaves(flow.steps) if isinstance(s, Ask)):
        names[ask.into] = f"‹{_short(_what(ask))}›"
    return names


def _short(prompt: str) -> str:
    """A prompt without the agent's explanations after it: «Teléfono del representante
    legal (7 a 10 dígitos)» → «Teléfono del representante legal»."""
    return re.split(r",\s|\s\(|:\s|;\s", prompt, maxsplit=1)[0].strip() or prompt


def _what(ask: Ask) -> str:
    """An ask's answer as a thing («el PDF de la carta…»), not as the agent's question
    («Ruta del PDF de la carta…»)."""
    text = ask.title or ask.ask
    return re.sub(r"^(?:Ruta|Archivo|Ubicación) del? ", "el ", text, flags=re.IGNORECASE)


def fill_in(text: str, names: dict[str, str]) -> str:
    filled = REFERENCE.sub(lambda m: names.get(m.group(1), "‹dato›"), text)
    return filled.replace("«‹", "‹").replace("›»", "›")


def instruction(flow: Flow, step: Step) -> str:
    """The step's sentence with each ``${name}`` replaced by what it stands for."""
    if step.guide:
        return fill_in(step.guide, placeholders(flow))
    text = fill_in(describe.step(step), placeholders(flow))
    if isinstance(step, Goto):
        return f"{text.rstrip('.')}: {step.goto}" if step.title else f"Entre en {step.goto}"
    return text


def condition(cond: Condition) -> str:
    """A branch's condition as the customer sees it: «Si ve el botón …»."""
    match cond:
        case Visible():
            return f"Si ve {cond.visible.describe()}"
        case Hidden():
            return f"Si no ve {cond.hidden.describe()}"
        case HasText():
            return f"Si aparece el texto «{cond.text}»"
        case AtUrl():
            return f"Si la dirección es {cond.url}"


def for_customer(step: Step, offline: bool) -> bool:
    """Whether a customer does this step (see the module's docstring)."""
    if step.guide:
        return True
    if isinstance(step, Goto):
        return True
    if isinstance(step, ActionBase | Manual | Verify):
        return True
    if isinstance(step, Ask):
        return step.fill_in is not None
    return isinstance(step, Say) and offline


def _offline_notes(ordered: list[Step]) -> set[int]:
    """Positions of the notes between a download and the next upload: what the customer
    does with the downloaded file away from the screen (print, sign, scan)."""
    found: set[int] = set()
    downloaded = False
    for position, step in enumerate(ordered):
        if isinstance(step, Click) and step.download:
            downloaded = True
        elif isinstance(step, Upload):
            downloaded = False
        elif downloaded and isinstance(step, Say) and step.when is None:
            found.add(position)
    return found


def collect(flow: Flow, folder: Path) -> list[GuideStep]:
    """The guide's steps from a full run's evidence folder."""
    ordered = leaves(flow.steps)
    events = read_events(folder)
    ended = {e["index"]: e for e in events if e["type"] == "step_ended"}
    offline = _offline_notes(ordered)
    steps: list[GuideStep] = []
    for position, step in enumerate(ordered):
        event = ended.get(position + 1)
        if event is None or not for_customer(step, position in offline):
            continue
        branch = None
        if event["status"] == "skipped":
            if step.when is None:
                continue  # skipped for another reason than a branch (e.g. a frame's)
            branch = condition(step.when)
        note = None
        if isinstance(step, ActionBase) and step.irreversible:
            note = "Este paso envía sus datos al portal: revíselos antes de hacer clic."
        if isinstance(step, Verify):
            note = "Si el portal muestra otro dato, deténgase: la cuenta no es la suya."
        image = _image(folder, event.get("screenshot")) if branch is None else None
        steps.append(
            GuideStep(len(steps) + 1, instruction(flow, step), note, image, branch, step.id)
        )
    last = _result_picture(ordered, folder, ended)
    if last is not None:
        steps.append(
            GuideStep(
                len(steps) + 1,
                "Listo: si todo salió bien, el portal le muestra una pantalla como esta.",
                "Guarde o imprima esta pantalla como comprobante del trámite.",
                last,
                step_id="resultado",
            )
        )
    return steps


def _image(folder: Path, relative: str | None) -> str | None:
    if not relative:
        return None
    picture = folder / relative
    if not picture.is_file():
        return None
    data = base64.b64encode(picture.read_bytes()).decode()
    return f"data:{MIME.get(picture.suffix, 'image/png')};base64,{data}"


def _result_picture(
    ordered: list[Step], folder: Path, ended: dict[int, dict[str, object]]
) -> str | None:
    """What the customer sees when it worked: the first check after the last submission
    (a message, the list that now holds the request), else the submission's own picture
    (taken once the portal confirmed it), else the run's last picture."""
    pictures = {i: e.get("screenshot") for i, e in ended.items() if e.get("screenshot")}
    sent = [i for i, s in enumerate(ordered, 1)
            if isinstance(s, ActionBase) and s.irreversible and i in pictures]  # fmt: skip
    if sent:
        checks = [i for i, s in enumerate(ordered, 1)
                  if i > sent[-1] and i in pictures and isinstance(s, CHECKS)]  # fmt: skip
        chosen = checks[0] if checks else sent[-1]
    elif pictures:
        chosen = max(pictures)
    else:
        return None
    picture = pictures[chosen]
    return _image(folder, picture if isinstance(picture, str) else None)


def render(flow: Flow, steps: list[GuideStep]) -> str:
    env = Environment(
        loader=PackageLoader("portal_bot", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("guide.html").render(flow=flow, steps=steps)


def make_guide(flow: Flow, out: Path, browser_path: str | None = None) -> list[GuideStep]:
    """Run the flow on its mock's demo account and write guide.html and guide.pdf."""
    from playwright.sync_api import sync_playwright

    from portal_bot.browser import LaunchOptions, find_browser, launch
    from portal_bot.job import JobRequest, execute
    from portal_bot.mocks import make_portal

    if flow.mock is None:
        raise UsageError(
            f"El flujo {flow.id} no tiene portal de práctica: no se puede hacer su guía."
        )
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
            evidence=Path(tmp) / "demo",
            mock=True,
            yes=True,
            mode="run",
            browser=browser_path,
            environ={f"PORTAL_BOT_SECRET_{k.upper()}": v for k, v in secrets.items()},
        )
        result = execute(request, None, None)
        if result.exit_code != 0:
            raise UsageError(
                f"La ejecución en el portal de práctica falló; no se hizo la guía: {result.message}"
            )
        steps = collect(flow, result.folder)
    html_path = out / "guide.html"
    html_path.write_text(render(flow, steps), encoding="utf-8")
    with sync_playwright() as playwright:
        browser = launch(playwright, LaunchOptions(find_browser(browser_path, headless=True)))
        page = browser.new_page()
        page.goto(html_path.resolve().as_uri())
        page.pdf(path=str(out / "guide.pdf"), format="A4", print_background=True)
        browser.close()
    return steps
