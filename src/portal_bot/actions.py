"""One small function per step kind that acts on the browser or the human.

Handlers raise :class:`ActionFailed` with a Spanish reason; the runner names the step.
Gates, frames, evidence and events are the runner's business, not theirs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Frame, FrameLocator, Locator, Page, expect
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from portal_bot import describe, inputs, shots, templating
from portal_bot.errors import CredentialsRejected, GateDeclined, InputError
from portal_bot.flow import (
    ActionBase,
    Ask,
    Check,
    Click,
    Dismiss,
    Expect,
    FailIf,
    Fill,
    Flow,
    Goto,
    Manual,
    Press,
    Read,
    Say,
    Select,
    Target,
    Upload,
    WaitFor,
    Window,
    url_host,
)
from portal_bot.inputs import Values
from portal_bot.locators import (
    Scope,
    condition_locator,
    locate,
    resolve,
    wait_until,
)
from portal_bot.prompt import Prompter, Question

FIRST_SLICE_MS = 300


class ActionFailed(Exception):
    """A step could not be done; the message is Spanish and holds no secret."""


class PortalRefused(ActionFailed):
    """The portal showed one of the step's ``fail_if`` signs: a refusal, never retried."""


class FlowFinished(Exception):
    """A ``finish`` step ended the run early, as done."""

    def __init__(self, message: str, already_done: bool = False) -> None:
        super().__init__(message)
        self.already_done = already_done


@dataclass
class Session:
    """What the handlers share during one run."""

    flow: Flow
    context: BrowserContext
    main: Page
    values: Values
    prompter: Prompter
    say: Callable[[str], None]
    keep: Callable[[str, str, bytes], str]
    """Keep a file in the evidence: (name, original file name, bytes) → relative path."""
    page: Page = field(init=False)
    frames: list[FrameLocator] = field(default_factory=list)
    masks: dict[int, list[Locator]] = field(default_factory=dict)
    target: Locator | None = None
    """The element the current step acts on, outlined in its screenshot."""
    looking_for: tuple[str, int] = ("", 0)
    """What the current step looks for, and for how long (for a clear message)."""
    timeout_cap: int | None = None
    """In a dry-run past a miss or a simulation: wait less for what may never come."""
    deadline: float | None = None
    """``time.monotonic()`` when the whole run must end (``--deadline``)."""
    deadline_capped: bool = False
    """The current step waited less than its timeout because of the deadline."""

    def __post_init__(self) -> None:
        self.page = self.main

    @property
    def scope(self) -> Page | FrameLocator:
        return self.frames[-1] if self.frames else self.page

    def render(self, text: str) -> str:
        return templating.render(text, self.values.values, self.values.secret_names()).value

    def shown(self, text: str) -> str:
        return templating.render(text, self.values.values, self.values.secret_names()).shown

    def carries_secret(self, text: str) -> bool:
        rendered = templating.render(text, self.values.values, self.values.secret_names())
        return bool(rendered.secrets)

    def timeout(self, step: Any) -> int:
        value: int = step.timeout_ms or self.flow.timeout_ms
        if self.timeout_cap is not None:
            value = min(value, self.timeout_cap)
        if self.deadline is not None:
            left = max(1, int((self.deadline - time.monotonic()) * 1000))
            if left < value:
                value, self.deadline_capped = left, True
        return value

    def mask(self, locator: Locator) -> None:
        """A secret was typed into this field: blank it in pictures, pause any trace."""
        self.masks.setdefault(id(self.page), []).append(locator)
        shots.hide_secret(locator)

    def secret_on_screen(self) -> bool:
        """Does any open page still hold a value typed from a secret?"""
        return any(self.masks.values())

    def find(self, target: Target, timeout_ms: int) -> Locator:
        """The element, for acting on it. A plain target is returned at once (Playwright's
        actions wait for it themselves); ordered fallbacks wait for whichever shows."""
        self.looking_for = (self.shown(target.describe()), timeout_ms)
        if not target.any:
            self.target = locate(self.scope, target, self.render)
            return self.target
        try:
            self.target = resolve(self.scope, target, timeout_ms, self.render)
            return self.target
        except AssertionError:
            raise self.not_found() from None

    def not_found(self) -> ActionFailed:
        what, timeout_ms = self.looking_for
        return ActionFailed(
            f"no se encontró {what} en la página (se esperó {timeout_ms / 1000:.0f} s)"
        )

    def host_allowed(self, url: str) -> bool:
        host = url_host(url)  # None for any address a browser could read differently
        if host is None:
            return False
        return any(
            host == d or (d.startswith("*.") and host.endswith(d[1:])) for d in self.flow.domains
        )


# --- pop-ups --------------------------------------------------------------------------------


def watch_page(session: Session, page: Page) -> None:
    """Close the flow's pop-ups whenever they cover ``page`` (Playwright locator handlers),
    and forget the page's typed secrets once it navigates away from them."""
    for dismiss in session.flow.dismiss:
        _watch(session, page, dismiss)

    def navigated(frame: Frame) -> None:
        if frame == page.main_frame:
            session.masks.pop(id(page), None)

    page.on("framenavigated", navigated)


def _watch(session: Session, page: Page, dismiss: Dismiss) -> None:
    scope: Scope = page
    if dismiss.frame is not None:
        scope = locate(page, dismiss.frame).content_frame

    def close(_: Locator) -> None:
        locate(scope, dismiss.click).click()
        session.say(f"Se cerró la ventana emergente «{dismiss.name}».")

    page.add_locator_handler(locate(scope, dismiss.visible), close)


# --- acting and checking the result -------------------------------------------------------


def _fail_locator(session: Session, fail: FailIf) -> Locator:
    if fail.visible is not None:
        return locate(session.scope, fail.visible, session.render)
    assert fail.text is not None
    return session.scope.get_by_text(session.render(fail.text)).filter(visible=True).first


def _outcome(session: Session, step: ActionBase, timeout_ms: float) -> bool:
    """Wait for ``until`` (or a ``fail_if``); True when it held, raise on a failure sign."""
    assert step.until is not None
    if not step.fail_if:
        return wait_until(session.page, session.scope, step.until, timeout_ms, session.render)
    good = condition_locator(session.scope, step.until, session.render)
    assert good is not None
    fails = [(fail, _fail_locator(session, fail)) for fail in step.fail_if]
    combined = good
    for _, locator in fails:
        combined = combined.or_(locator)
    try:
        expect(combined.first).to_be_visible(timeout=timeout_ms)
    except AssertionError:
        return False
    for fail, locator in fails:
        if locator.is_visible():
            error = CredentialsRejected if step.submits_password else ActionFailed
            if error is CredentialsRejected:
                title = session.shown(step.title or "inicio de sesión")
                raise CredentialsRejected(title, session.shown(fail.message))
            raise PortalRefused(session.shown(fail.message))
    return good.is_visible()


def act(session: Session, step: ActionBase, action: Callable[[], None]) -> None:
    """Do ``action``; with ``until``, wait for it, repeating a read-only action the page
    ignored (handlers attached late) with doubling waits, inside the step's timeout. An
    action is repeated only while its element is still shown: a button that is gone did
    its work and the page is on its way."""
    timeout = session.timeout(step)
    if step.until is None:
        _attempt(session, action)
        return
    repeatable = not (step.irreversible or step.submits_password)
    deadline = time.monotonic() + timeout / 1000
    wait_ms = FIRST_SLICE_MS if repeatable else timeout
    _attempt(session, action)
    while True:
        remaining = (deadline - time.monotonic()) * 1000
        if _outcome(session, step, max(1.0, min(wait_ms, remaining))):
            return
        if not repeatable or remaining <= wait_ms:
            raise ActionFailed(
                f"después de actuar no {session.shown(describe.condition(step.until))} "
                f"(se esperó {timeout / 1000:.0f} s)"
            )
        wait_ms *= 2
        if _still_there(session.target):
            _attempt(session, action)
        # else: the element is gone, the page is moving on; wait for it, do not act again


def _still_there(target: Locator | None) -> bool:
    """Is the element acted on still shown (so the page really ignored the action)?"""
    if target is None:
        return True
    try:
        return target.is_visible()
    except PlaywrightError:
        return False


def _attempt(session: Session, action: Callable[[], None]) -> None:
    """Run a Playwright action; its timeout means the element never showed."""
    try:
        action()
    except PlaywrightTimeout:
        raise session.not_found() from None


# --- handlers ---------------------------------------------------------------------------------


def goto(session: Session, step: Goto) -> None:
    url = session.render(step.goto)
    if not session.host_allowed(url):
        raise ActionFailed(f"{url} está fuera de los dominios del flujo")
    try:
        response = session.page.goto(
            url, wait_until="domcontentloaded", timeout=session.timeout(step)
        )
    except PlaywrightError as exc:
        raise ActionFailed(f"no se pudo abrir {url}: {_first_line(exc)}") from None
    if response is not None and response.status >= 500:
        raise ActionFailed(f"{url} respondió con un error (HTTP {response.status})")


def click(session: Session, step: Click) -> None:
    locator = session.find(step.click, session.timeout(step))
    if step.new_window:
        with session.context.expect_page(timeout=session.timeout(step)) as info:
            locator.click()
        page = info.value
        page.wait_for_load_state("domcontentloaded")
        watch_page(session, page)
        session.page = page
        session.frames.clear()
        act(session, step, lambda: None)
        return
    if step.download:
        with session.page.expect_download(timeout=session.timeout(step)) as download:
            locator.click()
        saved = download.value
        data = Path(saved.path()).read_bytes()
        session.keep(step.download, saved.suggested_filename, data)
        act(session, step, lambda: None)
        return
    act(session, step, locator.click)


def fill(session: Session, step: Fill) -> None:
    locator = session.find(step.fill, session.timeout(step))
    if session.carries_secret(step.value):  # blanked in pictures before the first keystroke
        _attempt(session, lambda: shots.hide_before_typing(locator))
    act(session, step, lambda: locator.fill(session.render(step.value)))
    if session.carries_secret(step.value):
        session.mask(locator)


def press(session: Session, step: Press) -> None:
    locator = session.find(step.on, session.timeout(step))
    act(session, step, lambda: locator.press(step.press))


def select(session: Session, step: Select) -> None:
    locator = session.find(step.select, session.timeout(step))
    act(session, step, lambda: _select(locator, session.render(step.option)))


def _select(locator: Locator, option: str) -> None:
    locator.select_option(label=option)


def check(session: Session, step: Check) -> None:
    locator = session.find(step.check, session.timeout(step))
    act(session, step, lambda: locator.set_checked(step.checked))


def target_of(step: ActionBase) -> Target:
    """The element an action step acts on."""
    if isinstance(step, Press):
        return step.on
    found: Target = getattr(step, type(step).__name__.lower())
    return found


def upload(session: Session, step: Upload) -> None:
    path = session.render(step.file)
    if not Path(path).is_file():
        raise ActionFailed(f"no existe el archivo a adjuntar: {Path(path).name}")
    locator = session.find(step.upload, session.timeout(step))

    def attach() -> None:
        if locator.evaluate("e => e.tagName === 'INPUT' && e.type === 'file'"):
            locator.set_input_files(path)
            return
        with session.page.expect_file_chooser(timeout=session.timeout(step)) as chooser:
            locator.click()
        chooser.value.set_files(path)

    act(session, step, attach)


def expect_step(session: Session, step: Expect | WaitFor) -> None:
    cond = step.expect if isinstance(step, Expect) else step.wait_for
    if not wait_until(session.page, session.scope, cond, session.timeout(step), session.render):
        failure = step.failure if isinstance(step, Expect) else None
        raise ActionFailed(
            session.shown(failure) if failure else session.shown(f"no {describe.condition(cond)}")
        )


def say(session: Session, step: Say) -> None:
    session.say(session.shown(step.say))


ASK_TRIES = 3


def ask(session: Session, step: Ask, mock_state: Callable[[str], Mapping[str, Any]] | None) -> None:
    """Ask the human (unless ``--input`` answered in advance), checking the answer like an
    input; a wrong answer is explained and asked again, up to three times."""
    if step.show is not None:
        shown = session.find(step.show, session.timeout(step))
        session.keep("pregunta", "pregunta.png", shown.screenshot())
    value = session.values.values.get(step.into)
    if value is not None:
        session.say(f"Respuesta dada de antemano con --input {step.into}.")
    else:
        value = _answer(session, step, mock_state)
    session.values.values[step.into] = value
    if step.type == "secret":
        session.values.secrets.add(step.into)
    if step.fill_in is not None:
        locator = session.find(step.fill_in, session.timeout(step))
        _attempt(session, lambda: locator.fill(value))
        if step.type == "secret":
            session.mask(locator)


def _answer(
    session: Session, step: Ask, mock_state: Callable[[str], Mapping[str, Any]] | None
) -> str:
    mock_value = None
    if step.mock_answer and mock_state is not None:
        host = urlsplit(session.page.url).hostname or ""
        mock_value = dig(mock_state(host), session.render(step.mock_answer))
    question = Question(
        text=session.shown(step.ask), secret=step.type == "secret", mock_value=mock_value
    )
    problem = ""
    for _ in range(ASK_TRIES):
        answer = session.prompter.ask(question)
        if answer is None:
            raise GateDeclined(f"Nadie respondió a «{question.text}»; la ejecución se detuvo.")
        try:
            return inputs.check(inputs.ask_spec(step), answer, session.values.values)
        except InputError as exc:
            problem = str(exc)
            session.say(f"Respuesta no válida: {problem}")
    raise InputError(f"«{question.text}»: {problem} (tras {ASK_TRIES} intentos)")


def manual(session: Session, step: Manual) -> None:
    instruction = session.shown(step.manual)
    if step.until is None:
        if not session.prompter.wait_for_human(instruction):
            raise GateDeclined(f"Nadie confirmó «{instruction}»; la ejecución se detuvo.")
        return
    session.say(instruction)
    if not wait_until(
        session.page, session.scope, step.until, session.timeout(step), session.render
    ):
        raise ActionFailed(session.shown(f"no {describe.condition(step.until)} a tiempo"))


def read(session: Session, step: Read) -> None:
    locator = session.find(step.read, session.timeout(step))
    found: list[str] = []
    _attempt(
        session,
        lambda: found.append(locator.input_value() if step.from_value else locator.inner_text()),
    )
    session.values.values[step.into] = " ".join(found[0].split())


def window(session: Session, step: Window) -> None:
    pages = [p for p in session.context.pages if not p.is_closed()]
    session.page = session.main if step.window == "main" else pages[-1]
    session.page.bring_to_front()
    session.frames.clear()


def dig(data: Mapping[str, Any], path: str) -> str | None:
    """The value at a dotted path of a mock's state, as text."""
    node: Any = data
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return None if node is None else str(node)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def explain(exc: Exception) -> str:
    """A Spanish reason for a Playwright error, without its call log."""
    if isinstance(exc, PlaywrightTimeout):
        return "la página no respondió a tiempo"
    if isinstance(exc, PlaywrightError):
        text = _first_line(exc)
        if "Target page, context or browser has been closed" in text or "closed" in text:
            return "el navegador o la página se cerró"
        return f"error del navegador: {text}"
    return str(exc)
