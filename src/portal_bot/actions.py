"""One small function per step kind that acts on the browser or the human.

Handlers raise :class:`ActionFailed` with a Spanish reason; the runner names the step.
Gates, frames, evidence and events are the runner's business, not theirs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from playwright.sync_api import (
    BrowserContext,
    ElementHandle,
    Frame,
    FrameLocator,
    Locator,
    Page,
    expect,
)
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from portal_bot import describe, inputs, once, shots, templating
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
    Ambiguous,
    Scope,
    closest,
    condition_locator,
    every_match,
    locate,
    mark_nearest,
    name_pattern,
    normalize,
    resolve_element,
    shown_now,
    sliced,
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
    found: ElementHandle | None = None
    """The element ``target`` found, from the same look (what the action acts on)."""
    acted_on: ElementHandle | None = None
    """The very element the current step's action was done on (a retry acts on that one
    only, never on another with the same name)."""
    wanted: Target | None = None
    """What the current step looks for (for the closest candidates when it is missing)."""
    nearest_marked: bool = False
    """A closest candidate is outlined on the page (cleared at the next look)."""
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
        """The element, as a person would pick it (see ``locators``): waits until it shows,
        then takes the earliest way of finding it that matches."""
        self.looking_for = (self.shown(target.kind()), timeout_ms)
        self.wanted = target
        if self.nearest_marked:
            mark_nearest(self.scope, None, shots.NEAREST)
            self.nearest_marked = False
        try:
            self.target, self.found = resolve_element(self.scope, target, timeout_ms, self.render)
        except AssertionError:
            raise self.not_found() from None
        except Ambiguous as exc:
            raise ActionFailed(self.shown(str(exc))) from None
        return self.target

    def not_found(self) -> ActionFailed:
        """«No se encontró …», with what the page shows that comes closest."""
        what, timeout_ms = self.looking_for
        message = f"no se encontró {what} en la página (se esperó {timeout_ms / 1000:.0f} s)"
        if self.wanted is not None:
            near = closest(self.scope, self.wanted, self.render)
            if near:
                message += "; lo más parecido: " + ", ".join(c.describe() for c in near)
                mark_nearest(self.scope, near[0], shots.NEAREST)  # blue in the failure's picture
                self.nearest_marked = True
        return ActionFailed(message)

    def host_allowed(self, url: str) -> bool:
        host = url_host(url)  # None for any address a browser could read differently
        if host is None:
            return False
        return any(
            host == d or (d.startswith("*.") and host.endswith(d[1:])) for d in self.flow.domains
        )


# --- pop-ups --------------------------------------------------------------------------------


def watch_page(session: Session, page: Page) -> None:
    """Close the flow's pop-ups whenever they cover ``page``, and forget the page's typed
    secrets once it navigates away from them.

    Playwright looks for each locator handler's pop-up before every action and every check
    of a run, so the rules whose pop-ups live in the same frame share one handler (one
    look instead of one per rule; a look cannot reach into two frames). When it fires, the
    first of its rules (in the flow's order) whose pop-up shows closes it; a pop-up
    uncovered by that is closed at the next look."""
    groups: dict[str, list[tuple[Dismiss, Scope, Locator]]] = {}
    for dismiss in session.flow.dismiss:
        where = dismiss.frame.model_dump_json() if dismiss.frame is not None else ""
        groups.setdefault(where, []).append(_rule(page, dismiss))
    for rules in groups.values():
        _watch(session, page, rules)

    def navigated(frame: Frame) -> None:
        if frame == page.main_frame:
            session.masks.pop(id(page), None)

    page.on("framenavigated", navigated)


def _watch(session: Session, page: Page, rules: list[tuple[Dismiss, Scope, Locator]]) -> None:
    any_shown = rules[0][2]
    for _, _, shown in rules[1:]:
        any_shown = any_shown.or_(shown)

    def close(_: Locator) -> None:
        for dismiss, scope, shown in rules:
            if len(rules) == 1 or shown.is_visible():
                # Pop-ups pile up in page order: the one on top, which takes the click,
                # is the last.
                every_match(scope, dismiss.click).last.click()
                session.say(f"Se cerró la ventana emergente «{dismiss.name}».")
                return

    # no_wait_after: a pop-up closed may uncover another that matches a rule.
    page.add_locator_handler(any_shown, close, no_wait_after=True)


def _rule(page: Page, dismiss: Dismiss) -> tuple[Dismiss, Scope, Locator]:
    scope: Scope = page
    if dismiss.frame is not None:
        scope = locate(page, dismiss.frame).content_frame
    return dismiss, scope, locate(scope, dismiss.visible)


# --- acting and checking the result -------------------------------------------------------

LOOKS_LIKE_ERROR = """e => {
  const words = /(error|danger|invalid|fail|critical|negative)/i;
  const red = c => {
    const m = /rgba?\\(([\\d.]+),\\s*([\\d.]+),\\s*([\\d.]+)(?:,\\s*([\\d.]+))?/.exec(c || '');
    if (!m || (m[4] !== undefined && +m[4] < 0.3)) return false;
    const [r, g, b] = [m[1], m[2], m[3]].map(v => +v / 255);
    const max = Math.max(r, g, b), min = Math.min(r, g, b), d = max - min, l = (max + min) / 2;
    if (max !== r || d < 0.15 || l < 0.12 || l > 0.92) return false;
    let h = 60 * (((g - b) / d) % 6); if (h < 0) h += 360;
    return (h <= 20 || h >= 340) && d / (1 - Math.abs(2 * l - 1)) >= 0.4;
  };
  for (let n = e, i = 0; n && n.nodeType === 1 && i < 4; n = n.parentElement, i++) {
    if (words.test(n.getAttribute('class') || '') || n.getAttribute('aria-invalid') === 'true')
      return true;
    const s = getComputedStyle(n);
    if ([s.color, s.backgroundColor, s.borderLeftColor, s.borderTopColor].some(red)) return true;
  }
  return false;
}"""
"""``level: error`` (see ``flow.ERROR_LEVEL_RULE``): the element or one of its three
nearest containers has an error class, aria-invalid, or a clearly red colour."""

COVERED = """e => {
  if (!e.isConnected) return 'gone';
  const r = e.getBoundingClientRect();
  if (!r.width || !r.height) return 'gone';
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) return 'free';
  const top = document.elementFromPoint(x, y);
  return !top || top === e || e.contains(top) || top.contains(e) ? 'free' : 'covered';
}"""
"""Is the element still there, and is it the topmost thing at its centre (no spinner or
overlay over it)?"""

STILL_THERE = f"""(e, pinned) => {{
  const covered = {COVERED};
  const state = covered(pinned);
  // the target now finds another element: never act on that one
  return state === 'free' && e !== pinned ? 'gone' : state;
}}"""

PROBE_MS = 1_000
LOOK_AGAIN_MS = 300


class UntilNotSeen(ActionFailed):
    """The action was done but its ``until`` never showed (it may still have worked)."""


def _fail_locator(session: Session, fail: FailIf) -> Locator:
    if fail.visible is not None:
        found = locate(session.scope, fail.visible, session.render)
        if fail.text is not None:
            found = found.filter(has_text=session.render(fail.text))
        return found
    assert fail.text is not None
    return session.scope.get_by_text(session.render(fail.text)).filter(visible=True).first


def _counts(fail: FailIf, locator: Locator) -> bool:
    """Is this shown sign a failure (with ``level: error``, does it look like one)?"""
    try:
        if not locator.is_visible():
            return False
        if fail.level is None:
            return True
        return bool(locator.evaluate(LOOKS_LIKE_ERROR, timeout=PROBE_MS))
    except PlaywrightError:
        return False


def _outcome(session: Session, step: ActionBase, timeout_ms: float) -> bool:
    """Wait for ``until`` (or a ``fail_if``); True when it held, raise on a failure sign.

    A sign that does not count (a success toast with role=alert under a ``level: error``
    sign) is not a failure: the wait for ``until`` goes on."""
    assert step.until is not None
    if not step.fail_if:
        return wait_until(session.page, session.scope, step.until, timeout_ms, session.render)
    good = condition_locator(session.scope, step.until, session.render)
    assert good is not None
    fails = [(fail, _fail_locator(session, fail)) for fail in step.fail_if]
    any_fail = fails[0][1]
    for _, locator in fails[1:]:
        any_fail = any_fail.or_(locator)
    combined = good.or_(any_fail)
    ends = time.monotonic() + timeout_ms / 1000
    slice_ms = FIRST_SLICE_MS
    while True:
        left = (ends - time.monotonic()) * 1000
        try:
            sliced(lambda ms: expect(combined.first).to_be_visible(timeout=ms), max(1.0, left))
        except AssertionError:
            return False
        # One look for any sign first: on the usual way (no sign) that is all it costs.
        shown = shown_now(any_fail.first)
        for fail, locator in fails if shown else ():
            if _counts(fail, locator):
                if step.submits_password:
                    title = session.shown(step.title or "inicio de sesión")
                    raise CredentialsRejected(title, session.shown(fail.message))
                raise PortalRefused(session.shown(fail.message))
        if good.is_visible():
            return True
        # Only a sign that does not count is shown: wait a little for ``until`` alone.
        left = (ends - time.monotonic()) * 1000
        if left <= 0:
            return False
        try:
            expect(good).to_be_visible(timeout=max(1.0, min(slice_ms, left)))
            return True
        except AssertionError:
            slice_ms *= 2


def repeatable(step: ActionBase) -> bool:
    """May the action be done again when its effect did not show? Only a read-only one
    whose effect is certainly absent: never a submission, a password, an upload, a
    download or a click that opens a window."""
    if step.irreversible or step.submits_password or isinstance(step, Upload):
        return False
    return not (isinstance(step, Click) and (step.download or step.new_window))


def act(
    session: Session,
    step: ActionBase,
    action: Callable[[], None],
    pinned: ElementHandle | Literal["find"] | None = "find",
) -> None:
    """Do ``action``; with ``until``, wait for it, repeating a read-only action the page
    ignored (handlers attached late) with doubling waits, inside the step's timeout.

    A repeat acts only on the very element acted on before, only while it is still shown
    and nothing covers it (a spinner or an overlay means the page is working: wait for
    it). An element that is gone did its work and the page is on its way: never a
    "not found" then, only a wait for ``until``."""
    timeout = session.timeout(step)
    if pinned == "find":
        pinned = pin(session, timeout)
    session.acted_on = pinned
    if step.until is None:
        _attempt(session, action)
        return
    again = repeatable(step)
    deadline = time.monotonic() + timeout / 1000
    wait_ms = FIRST_SLICE_MS if again else timeout
    _attempt(session, action)
    while True:
        remaining = (deadline - time.monotonic()) * 1000
        if _outcome(session, step, max(1.0, min(wait_ms, remaining))):
            return
        if not again or remaining <= wait_ms:
            raise UntilNotSeen(
                f"después de actuar, {session.shown(describe.missing(step.until))} "
                f"(se esperó {timeout / 1000:.0f} s)"
            )
        wait_ms *= 2
        if still_there(session, pinned) == "free":
            _repeat(session, action, min(wait_ms, remaining), timeout)
        # else: gone (the page is moving on) or covered (the page is working): wait


def pin(session: Session, timeout_ms: int) -> ElementHandle | None:
    """The element about to be acted on, so a repeat can act on that one only. (``act``
    pins it itself, unless it is given: one a person acts on must be pinned before.)"""
    if session.target is None:
        return None
    if session.found is not None:
        return session.found
    try:
        return session.target.element_handle(timeout=timeout_ms)
    except PlaywrightTimeout:
        raise session.not_found() from None
    except PlaywrightError:
        return None


def still_there(session: Session, pinned: ElementHandle | None) -> str:
    """``free`` when the element acted on is still shown, uncovered, and is still the one
    the step's target finds; ``covered`` when something lies over it; else ``gone``."""
    if pinned is None or session.target is None:
        return "gone"
    try:
        # Through the target's locator, so the look is bounded: a call on the element
        # alone waits for as long as a navigation under way takes to commit. The element
        # was found a moment ago: one that does not answer at once is as good as gone.
        return str(session.target.evaluate(STILL_THERE, pinned, timeout=LOOK_AGAIN_MS))
    except PlaywrightError:
        return "gone"


def _repeat(
    session: Session, action: Callable[[], None], timeout_ms: float, step_timeout_ms: int
) -> None:
    """Act again, waiting for the element no longer than the next look at the outcome; an
    element that is no longer actionable is not an error (the first action may have
    worked after all)."""
    session.context.set_default_timeout(max(1.0, timeout_ms))
    try:
        action()
    except PlaywrightError:
        pass
    finally:
        session.context.set_default_timeout(step_timeout_ms)


def _attempt(session: Session, action: Callable[[], None]) -> None:
    """Run a Playwright action; its timeout means the element never showed, unless the
    action was done and what timed out is the page it opened (Playwright waits for a
    navigation a click starts): then the element was there and used."""
    try:
        action()
    except PlaywrightTimeout as exc:
        if ACTION_DONE in str(exc):
            what, timeout_ms = session.looking_for
            raise ActionFailed(
                f"se usó {what}, pero la página que abrió no terminó de cargar "
                f"(se esperó {timeout_ms / 1000:.0f} s)"
            ) from None
        raise session.not_found() from None


ACTION_DONE = "action done"
"""A line of Playwright's call log (in a timeout's message): the click or key press
itself happened."""


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
    act(session, step, lambda: on_element(session, locator, lambda el: el.click()))


def fill(session: Session, step: Fill) -> None:
    locator = session.find(step.fill, session.timeout(step))
    if session.carries_secret(step.value):  # blanked in pictures before the first keystroke
        _attempt(session, lambda: shots.hide_before_typing(locator))
        session.mask(locator)
    value = session.render(step.value)
    act(session, step, lambda: on_element(session, locator, lambda el: type_into(el, value)))


TYPED_BY_KEYS = (
    "e => e.isContentEditable || e.tagName === 'TEXTAREA' || (e.tagName === 'INPUT'"
    " && /^(|text|search|email|tel|password|url|number)$/.test(e.type))"
)
"""Does the field take typed keys?"""


def type_into(field: Locator | ElementHandle, value: str) -> None:
    """Replace the field's value as a person would: the text goes in at once, and its last
    character is typed as a key press, so a widget that listens to keys (a menu search box,
    a mask) reacts as it would for a person."""
    if isinstance(field, Locator):  # one look, no wait: the field was just found
        keys = bool(field.evaluate_all(f"els => els.some({TYPED_BY_KEYS})"))
        press = field.press_sequentially
    else:
        keys = bool(field.evaluate(TYPED_BY_KEYS))
        press = field.type
    if not value or not keys:
        field.fill(value)
        return
    field.fill(value[:-1])
    press(value[-1])


def on_element(
    session: Session, locator: Locator, use: Callable[[Locator | ElementHandle], object]
) -> None:
    """``use`` the element pinned for this step, without looking for it again (a target
    found by its visible name costs a look over the whole page each time); when the page
    has replaced it since (a widget drawn again), ``use`` what the target finds now."""
    pinned = session.acted_on
    if pinned is not None:
        try:
            use(pinned)
            return
        except PlaywrightError as exc:
            if DETACHED not in str(exc):
                raise
    use(locator)


DETACHED = "not attached to the DOM"
"""Playwright's words for an element the page has removed since it was pinned."""


def press(session: Session, step: Press) -> None:
    locator = session.find(step.on, session.timeout(step))
    act(session, step, lambda: locator.press(step.press))


def select(session: Session, step: Select) -> None:
    locator = session.find(step.select, session.timeout(step))
    field = session.shown(step.select.describe())
    act(
        session,
        step,
        lambda: choose(
            session.page, locator, session.render(step.option), field, session.flow.timeout_ms
        ),
    )


OPTIONS_JS = "e => e.tagName === 'SELECT' ? [...e.options].map(o => o.label || o.text) : null"


def choose(page: Page, locator: Locator, option: str, field: str, timeout_ms: int) -> None:
    """Pick an option by its visible text (case, accents and spacing aside): in a native
    ``<select>``, or in an ARIA list box or combo box opened with a click."""
    native: list[str] | None = locator.evaluate(OPTIONS_JS)
    want = normalize(option)
    if native is not None:
        for label in native:
            if normalize(label) == want:
                locator.select_option(label=label)
                return
        raise _no_option(field, option, native)
    role = locator.get_attribute("role")
    if role != "listbox":
        locator.click()
    options = page.get_by_role("option").filter(visible=True)
    try:
        expect(options.first).to_be_visible(timeout=min(5_000, timeout_ms))
    except AssertionError:
        raise ActionFailed(f"{field} no mostró ninguna opción al abrirse") from None
    names = [" ".join(text.split()) for text in options.all_inner_texts()]
    for index, name in enumerate(names):
        if normalize(name) == want:
            options.nth(index).click()
            return
    locator.press("Escape")
    raise _no_option(field, option, names)


def _no_option(field: str, option: str, offered: list[str]) -> ActionFailed:
    shown = ", ".join(f"«{name.strip()}»" for name in offered if name.strip()) or "ninguna"
    return ActionFailed(f"{field} no ofrece la opción «{option}»; ofrece: {shown}")


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
    hidden = _hidden_file_input(session, step.upload)
    locator = hidden or session.find(step.upload, session.timeout(step))
    once.attached(session.context, path)

    def attach() -> None:
        if locator.evaluate("e => e.tagName === 'INPUT' && e.type === 'file'"):
            locator.set_input_files(path)
            return
        with session.page.expect_file_chooser(timeout=session.timeout(step)) as chooser:
            locator.click()
        chooser.value.set_files(path)

    act(session, step, attach)


def _hidden_file_input(session: Session, target: Target) -> Locator | None:
    """A file input labelled so but hidden behind a styled «Examinar…» button: the file
    goes straight into it, as the chooser would put it."""
    if target.any or target.way not in ("field", "label"):
        return None
    wanted = target.wanted or ""
    scope: Scope = session.scope
    if target.inside is not None:
        scope = locate(scope, target.inside, session.render)
    found = scope.get_by_label(
        name_pattern(session.render(wanted), target.exact), exact=target.exact
    ).and_(scope.locator("input[type=file]"))
    if found.count() == 1:
        session.target = session.found = None
        return found
    return None


def expect_step(session: Session, step: Expect | WaitFor) -> None:
    cond = step.expect if isinstance(step, Expect) else step.wait_for
    if not wait_until(session.page, session.scope, cond, session.timeout(step), session.render):
        failure = step.failure if isinstance(step, Expect) else None
        raise ActionFailed(
            session.shown(failure) if failure else session.shown(describe.missing(cond))
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
        raise ActionFailed(session.shown(f"{describe.missing(step.until)} a tiempo"))


def read(session: Session, step: Read) -> None:
    locator = session.find(step.read, session.timeout(step))
    found: list[tuple[str, bool]] = []
    _attempt(
        session,
        lambda: found.append(
            (
                locator.input_value() if step.from_value else locator.inner_text(),
                bool(locator.evaluate(HOLDS_SECRET)),
            )
        ),
    )
    text, secret = found[0]
    session.values.values[step.into] = " ".join(text.split())
    if secret:  # a value read from where a secret was typed is that secret
        session.values.secrets.add(step.into)


HOLDS_SECRET = f"e => e.hasAttribute('{shots.SECRET}') || !!e.querySelector('[{shots.SECRET}]')"


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
