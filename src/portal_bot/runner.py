"""run_flow(flow, …) → RunResult: walks the steps, gates the irreversible ones, emits events.

The runner knows no file system and no terminal: screenshots and kept files go to the
evidence sink, words to the event bus, questions to the prompter.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, assert_never

from playwright.sync_api import BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError

from portal_bot import (
    __version__,
    actions,
    describe,
    diagnose,
    guided,
    locators,
    once,
    retry,
    sent,
    shots,
    templating,
)
from portal_bot.actions import ActionFailed, FlowFinished, PortalRefused, Session
from portal_bot.errors import (
    CredentialsRejected,
    GateDeclined,
    InputError,
    PortalBotError,
    StepFailed,
)
from portal_bot.events import (
    EventBus,
    FileSaved,
    GateAnswered,
    GateAsked,
    Outcome,
    RunEnded,
    RunStarted,
    Said,
    StepEnded,
    StepStarted,
    StepStatus,
)
from portal_bot.evidence import Evidence
from portal_bot.flow import (
    ActionBase,
    Ask,
    Check,
    Click,
    Confirm,
    Expect,
    Fill,
    Finish,
    Flow,
    Frame,
    Goto,
    Manual,
    Press,
    Read,
    Say,
    Screenshot,
    Select,
    Step,
    Upload,
    Verify,
    Visible,
    WaitFor,
    Window,
    leaves,
)
from portal_bot.identity import gate_details, verify_identity
from portal_bot.inputs import Values
from portal_bot.prompt import GateRequest, Prompter
from portal_bot.scrub import Scrubber
from portal_bot.tracing import TraceRecorder

Mode = Literal["run", "dry-run", "guided"]
SIMULATED_BANNER = "Ensayo: no se envió"
AFTER_SIMULATION = "Depende del envío simulado; en un ensayo no se puede comprobar"
NOT_REACHED = "No se alcanzó: el ensayo dejó de actuar en el paso {miss}, que no se encontró"
WHEN_DEFAULT_MS = 2_000
"""How long a ``when`` without ``when_timeout_ms`` may wait, while the page is busy."""
WHEN_QUIET_S = 0.5
"""A page that asked nothing of the portal for this long has shown its branches."""
CONFIRM_GRACE_MS = 3_000
"""After a lost confirmation: how long ``done_when`` may take to show the step done."""


@dataclass
class RunOptions:
    target: Literal["mock", "live"] = "mock"
    mode: Mode = "run"
    operator: str = "operador"
    ticket: str | None = None
    lang: str = "es"
    step_timeout_ms: int | None = None
    """Overrides the flow's default step timeout (slow portals, quick checks)."""
    simulation_banner: bool = True
    """Dry-run screenshots carry «Ensayo: no se envió» (not in customer guides)."""
    deadline_s: float | None = None
    """The whole run's limit (``--deadline``): no step waits past it, none starts after."""
    flow_sha256: str | None = None
    """SHA-256 of the flow file, for the evidence."""


@dataclass
class RunResult:
    outcome: Outcome
    exit_code: int
    message: str
    failed_step: int | None = None
    steps: dict[int, StepStatus] = field(default_factory=dict)


class _Run:
    def __init__(
        self,
        flow: Flow,
        session: Session,
        evidence: Evidence,
        bus: EventBus,
        options: RunOptions,
        mock_state: Callable[[str], Mapping[str, Any]] | None,
        scrub: Scrubber,
        tracer: TraceRecorder | None,
    ) -> None:
        self.flow = flow
        self.session = session
        self.evidence = evidence
        self.bus = bus
        self.options = options
        self.mock_state = mock_state
        self.scrub = scrub
        self.tracer = tracer
        self.index = 0
        self.statuses: dict[int, StepStatus] = {}
        self.irreversible: set[int] = set()
        self.simulated = False
        self.unresolved: list[str] = []
        self.signed_in = not any(
            isinstance(step, ActionBase) and step.submits_password for step in leaves(flow.steps)
        )
        """A ``signed_out`` sign counts only once a password step passed (if there is one)."""
        self.missed: int | None = None
        """Dry-run: the first step not found; from then on, nothing is done, only looked at."""
        self.unreached: list[int] = []
        self.sent: list[sent.Sent] = []
        self.outline = shots.Outline()
        self.camera = shots.Camera()
        self.network = diagnose.Network(session.host_allowed)
        self.identities: list[str] = []
        """The identities ``verify`` steps saw the portal show, for the gates."""

    # --- walking --------------------------------------------------------------------

    def steps(self, steps: list[Step]) -> None:
        for step in steps:
            if isinstance(step, Frame):
                self.frame(step)
            else:
                self.step(step)

    def frame(self, step: Frame) -> None:
        if self.missed is not None or (step.when is not None and not self._when(step)):
            for inner in leaves(step.steps):
                self.index += 1
                self._start(inner)
                if self.missed is not None:
                    self._not_reached(inner, time.monotonic())
                else:
                    message = "no se cumplió la condición del marco"
                    self._end(inner, "skipped", 0, message=message)
            return
        frame_element = self.session.find(step.frame, self.session.timeout(step))
        self.session.frames.append(frame_element.content_frame)
        try:
            self.steps(step.steps)
        finally:
            self.session.frames.pop()

    def step(self, step: Step) -> None:
        self.index += 1
        self.session.target = self.session.found = self.session.acted_on = None
        self.session.deadline_capped = False
        self._start(step)
        started = time.monotonic()
        dry = self.options.mode == "dry-run"
        if dry and self.missed is not None:
            self._not_reached(step, started)
            return
        if (
            dry
            and self.simulated
            and isinstance(step, ActionBase | Goto | Ask | Confirm | Manual | Finish)
        ):
            self._after_simulation(step, started)
            return
        if step.when is not None and not self._when(step):
            reason = self.session.shown(describe.missing(step.when))
            self._end(step, "skipped", started, message=reason)
            return
        try:
            self._check_deadline()
            status = self._tries(step)
        except FlowFinished as finished:
            self._end(step, "already_done" if finished.already_done else "passed", started)
            raise
        except CredentialsRejected as exc:
            self._end(step, "failed", started, message=self.scrub(self._warned(exc.reason)))
            raise
        except (ActionFailed, StepFailed, PlaywrightError) as exc:
            reason = self.scrub(_reason(exc))
            if dry:
                self._missed(step, started, reason)
                return
            reason = self._warned(reason)
            self._end(step, "failed", started, message=reason)
            raise StepFailed(self._title(step), reason, self.index) from None
        except GateDeclined as exc:
            self._end(step, "skipped", started, message=str(exc))
            raise
        except InputError as exc:
            self._end(step, "failed", started, message=self.scrub(self._warned(str(exc))))
            raise
        if isinstance(step, ActionBase) and step.submits_password and status == "passed":
            self.signed_in = True
        self._end(step, status, started)

    def _when(self, step: Step) -> bool:
        """Does the step's ``when`` hold? Waited for up to ``when_timeout_ms``; by default
        up to :data:`WHEN_DEFAULT_MS`, but only while the page is busy (loading, talking
        to the portal, or within :data:`WHEN_QUIET_S` of its last request)."""
        assert step.when is not None
        if step.when_timeout_ms is not None:
            return self._holds(step.when, self._capped(step.when_timeout_ms))
        ends = time.monotonic() + self._capped(WHEN_DEFAULT_MS) / 1000
        while True:
            until = min(ends, self.network.settles_at(WHEN_QUIET_S))
            wait_ms = int((until - time.monotonic()) * 1000)
            if wait_ms <= 0:
                return self._holds(step.when, 0)
            if self._holds(step.when, wait_ms):
                return True

    def _capped(self, ms: int) -> int:
        """``ms``, or less when the run's deadline comes first."""
        deadline = self.session.deadline
        if deadline is None:
            return ms
        return max(0, min(ms, int((deadline - time.monotonic()) * 1000)))

    def _warned(self, reason: str) -> str:
        """A failure's reason, with what this run already sent to the portal."""
        if not self.sent or sent.MARK in reason:
            return reason
        return f"{reason.rstrip('.')}. {sent.warning(self.sent, self.flow.timezone)}"

    def _check_deadline(self) -> None:
        deadline = self.session.deadline
        if deadline is not None and time.monotonic() >= deadline:
            raise StepFailed(
                "", f"se acabó el plazo de la ejecución (--deadline {self.options.deadline_s:g} s)"
            )

    def _tries(self, step: Step) -> StepStatus:
        """Run the step; when the portal failed it, bring the page back and try again
        (see ``retry.py`` for when). The reason of a final failure names the cause."""
        budget = retry.Budget.start(step, self.flow.retry_budget_ms, self.session.deadline)
        if self.options.mode == "guided":
            budget.tries = 0  # the person acts; the tool does not repeat anything
        cause: diagnose.Cause | None = None
        while True:
            began = time.monotonic()
            try:
                return self._execute(step) if cause is None else self._again(step, cause)
            except PortalRefused as exc:
                found = self._cause(began)
                if found is not None and found.kind == "signed_out":
                    raise ActionFailed(self._explained(step, exc, found)) from None
                raise
            except (ActionFailed, PlaywrightError) as exc:
                cause = self._cause(began)
                pause = budget.next_pause(cause)
                if cause is None or pause is None:
                    raise ActionFailed(self._explained(step, exc, cause)) from None
                self.session.say(
                    f"{cause.text[0].upper()}{cause.text[1:]}; se intenta de nuevo en "
                    f"{pause / 1000:g} s (intento {budget.used + 1} de {budget.tries + 1})."
                )
                self._pause(pause)

    def _again(self, step: Step, cause: diagnose.Cause) -> StepStatus:
        s = self.session
        if isinstance(step, Goto):
            self.dispatch(step)
            return "passed"
        brought = retry.bring_back(s.page, cause, s.timeout(step))
        acted = s.acted_on
        if not brought and acted is not None and actions.still_there(s, acted) == "gone":
            raise StepFailed(  # the page moved on: never act on its namesake there
                "",
                f"el elemento sobre el que se actuó ({s.looking_for[0]}) ya no está en la "
                "página: no se repite la acción sobre otro con el mismo nombre",
            )
        if isinstance(step, ActionBase):
            if step.irreversible and step.done_when and self._holds(step.done_when, 0):
                return "already_done"
            if brought and step.until is not None and self._holds(step.until, s.timeout(step)):
                return "passed"
        self.dispatch(step)
        return "passed"

    def _cause(self, since: float) -> diagnose.Cause | None:
        s = self.session
        return diagnose.cause(
            self.network,
            s.page,
            since,
            self.flow.signed_out,
            lambda condition: (
                self._holds(condition, 0)
                or (bool(s.frames) and locators.wait_until(s.page, s.page, condition, 0))
            ),
            signed_in=self.signed_in,
        )

    def _explained(self, step: Step, exc: Exception, cause: diagnose.Cause | None) -> str:
        reason = _reason(exc).rstrip()
        deadline = self.session.deadline
        if deadline is not None and (self.session.deadline_capped or time.monotonic() >= deadline):
            reason += (
                f"; se acabó el plazo de la ejecución (--deadline {self.options.deadline_s:g} s)"
            )
        if cause is None:
            return reason
        if cause.kind == "browser_closed":
            return cause.text
        text = f"{reason}; causa: {cause.text}"
        sent = isinstance(step, ActionBase) and step.irreversible
        # A step already counted as sent gets the «Atención: … ya se envió» line instead.
        counted = any(s.index == self.index for s in self.sent)
        if sent and not counted and cause.kind in ("connection", "slow"):
            text += (
                ". El envío pudo haber llegado al portal: no lo repita a mano; vuelva a "
                "ejecutar el flujo, que comprueba primero si ya está hecho"
            )
        return text

    def _pause(self, ms: int) -> None:
        try:
            self.session.page.wait_for_timeout(ms)
        except PlaywrightError:
            time.sleep(ms / 1000)

    def _after_simulation(self, step: Step, started: float) -> None:
        """Dry-run past a simulated submission: act on nothing, only look for the target
        (the page did not change, so a same-named button could do something real). Later
        submissions are still shown as simulated, with their picture."""
        message: str | None = AFTER_SIMULATION
        status: StepStatus = "skipped"
        if isinstance(step, ActionBase):
            if step.irreversible:
                status, message = "simulated", None
            if not self._shown(actions.target_of(step), self.session.timeout(step)):
                message = f"{AFTER_SIMULATION} (su objetivo no está en esta página)"
        self._end(step, status, started, message=message)

    def _shown(self, target: Any, timeout_ms: int) -> bool:
        """Look for a target (never act): is it shown within ``timeout_ms``?"""
        try:
            self.session.find(target, timeout_ms)  # what the step looks for, outlined
            return self._holds(Visible(visible=target), timeout_ms)
        except (ActionFailed, PlaywrightError):
            return False

    def _not_reached(self, step: Step, started: float) -> None:
        """Dry-run past a miss: the page the step needs never came (nothing was done to
        bring it). Act on nothing; only say whether its target happens to be shown."""
        assert self.missed is not None
        message = NOT_REACHED.format(miss=self.missed)
        target = actions.target_of(step) if isinstance(step, ActionBase) else None
        if target is not None and self._shown(target, self.session.timeout(step)):
            message += " (su objetivo está en esta página, pero no se actuó sobre él)"
        self.unreached.append(self.index)
        self._end(step, "not_reached", started, message=message)

    def _missed(self, step: Step, started: float, reason: str) -> None:
        """Dry-run: note what did not resolve; from now on only look, waiting less (a
        same-named button on this page could do something real, e.g. sign in)."""
        self.session.timeout_cap = DRY_RUN_CAP_MS
        if self.simulated:
            self._end(step, "skipped", started, message=f"{AFTER_SIMULATION} ({reason})")
            return
        self.unresolved.append(f"paso {self.index} «{self._title(step)}»: {reason}")
        self.missed = self.index
        self._end(step, "failed", started, message=reason, unresolved=[reason])

    def _types_secret(self, step: Step) -> bool:
        if isinstance(step, Fill):
            return self.session.carries_secret(step.value)
        return isinstance(step, Ask) and step.type == "secret"

    def _execute(self, step: Step) -> StepStatus:
        self.session.context.set_default_timeout(self.session.timeout(step))
        if self.tracer is not None:
            self.tracer.record(not (self._types_secret(step) or self.session.secret_on_screen()))
        if isinstance(step, ActionBase) and step.irreversible:
            if step.done_when is not None and self._holds(step.done_when, 0):
                return "already_done"
            if self.options.mode == "dry-run":
                if not self._shown(actions.target_of(step), self.session.timeout(step)):
                    raise self.session.not_found()
                self.simulated = True
                self.session.timeout_cap = DRY_RUN_CAP_MS
                return "simulated"
            self.gate(step, step.gate.question if step.gate else None,
                      step.gate.show if step.gate else {})  # fmt: skip
        if self.options.mode == "guided" and isinstance(step, ActionBase):
            guided.perform(self.session, step, self._title(step), self.index)
            self._sent(step)
            return "passed"
        with once.guard(self.session.context, step, self.session.timeout(step)):
            try:
                self.dispatch(step)
            except actions.UntilNotSeen as exc:
                if isinstance(step, ActionBase) and step.irreversible:
                    return self._unconfirmed(step, exc)
                raise
        self._sent(step)
        return "passed"

    def _sent(self, step: Step) -> None:
        if isinstance(step, ActionBase) and step.irreversible:
            self.sent.append(sent.Sent.now(self.index, self._title(step)))

    def _unconfirmed(self, step: Step, exc: actions.UntilNotSeen) -> StepStatus:
        """An irreversible step was sent but its confirmation never showed: the portal
        may have accepted it. ``done_when`` decides before anything is declared failed."""
        self._sent(step)
        assert isinstance(step, ActionBase) and step.done_when is not None
        if self._holds(step.done_when, self._capped(CONFIRM_GRACE_MS)):
            self.session.say(
                f"No se vio la confirmación ({exc}), pero el portal ya muestra el paso "
                "hecho (su «done_when» se cumple): el envío se da por hecho."
            )
            return "passed"
        raise actions.ActionFailed(
            f"{exc}; el portal pudo haber aceptado el envío aunque no lo muestre"
        ) from None

    def dispatch(self, step: Step) -> None:
        s = self.session
        match step:
            case Goto():
                actions.goto(s, step)
            case Click():
                actions.click(s, step)
            case Fill():
                actions.fill(s, step)
            case Press():
                actions.press(s, step)
            case Select():
                actions.select(s, step)
            case Check():
                actions.check(s, step)
            case Upload():
                actions.upload(s, step)
            case Expect() | WaitFor():
                actions.expect_step(s, step)
            case Screenshot():
                pass  # every step is photographed; this one only asks for a named shot
            case Say():
                actions.say(s, step)
            case Confirm():
                self.gate(step, step.confirm, step.show)
            case Ask():
                actions.ask(s, step, self.mock_state)
            case Manual():
                actions.manual(s, step)
            case Read():
                actions.read(s, step)
            case Verify():
                self.identities.append(verify_identity(s, step))
            case Finish():
                s.say(s.shown(step.finish))
                raise FlowFinished(s.shown(step.finish), step.already_done)
            case Window():
                actions.window(s, step)
            case Frame():
                self.frame(step)
            case _:
                assert_never(step)

    # --- gates ----------------------------------------------------------------------

    def gate(self, step: Step, question: str | None, show: Mapping[str, str]) -> None:
        s = self.session
        text = s.shown(question) if question else f"¿Confirma: {s.shown(self._title(step))}?"
        details = gate_details(self.identities, self.flow)
        details.update({label: s.shown(value) for label, value in show.items()})
        self.bus.emit(GateAsked(index=self.index, question=text, details=details))
        answer = s.prompter.confirm(GateRequest(self._title(step), text, details))
        self.bus.emit(GateAnswered(index=self.index, approved=answer.approved, by=answer.by))
        if not answer.approved:
            raise GateDeclined(
                f"Se detuvo en la confirmación del paso {self.index} ({answer.by}): "
                "no se envió nada más al portal."
            )

    def nothing_submitted(self) -> bool:
        """Every irreversible step was found already done."""
        found = [self.statuses.get(i) for i in self.irreversible]
        return bool(found) and all(status == "already_done" for status in found)

    # --- events and evidence -------------------------------------------------------

    def _title(self, step: Step) -> str:
        return self.session.shown(describe.step(step))

    def _start(self, step: Step) -> None:
        irreversible = isinstance(step, ActionBase) and step.irreversible
        if irreversible:
            self.irreversible.add(self.index)
        self.bus.emit(
            StepStarted(
                index=self.index,
                step_id=step.id,
                kind=_kind(step),
                title=self._title(step),
                irreversible=irreversible,
            )
        )

    def _end(
        self,
        step: Step,
        status: StepStatus,
        started: float,
        message: str | None = None,
        unresolved: list[str] | None = None,
    ) -> None:
        shot = self._photo(step, status) if pictured(step, status) else None
        duration = int((time.monotonic() - started) * 1000) if started else 0
        self.statuses[self.index] = status
        self.bus.emit(
            StepEnded(
                index=self.index,
                status=status,
                duration_ms=duration,
                screenshot=shot,
                message=message,
                unresolved=unresolved or [],
            )
        )

    def _photo(self, step: Step, status: StepStatus) -> str | None:
        page = self.session.page
        where = (id(page), tuple(id(frame) for frame in self.session.frames))
        if not self.network.loading():  # a page on its way would hold the outline up
            self.outline.move(self.session.acted_on or self.session.target, where)
        elif status == "failed":  # the run ends here: picture the page the person sees
            self.camera.stop_loading(page)
        banner = status == "simulated" and self.options.simulation_banner
        png = self.camera.take(
            page,
            banner=SIMULATED_BANNER if banner else None,
            full_page=isinstance(step, Screenshot) and step.full_page,
        )
        if png is None:
            return None
        name = f"{step.id or _kind(step)}-{status}"
        return self.evidence.screenshot(
            self.index, name, functools.partial(shots.to_webp, png), suffix=shots.FORMAT
        )

    def _holds(self, cond: Any, timeout_ms: int) -> bool:
        s = self.session
        return locators.wait_until(s.page, s.scope, cond, timeout_ms, s.render)

    def keep(self, name: str, original: str, data: bytes) -> str:
        path = self.evidence.keep_file(self.index, name, original, data)
        self.bus.emit(
            FileSaved(
                index=self.index,
                path=path,
                sha256=hashlib.sha256(data).hexdigest(),
                size=len(data),
                what=name,
            )
        )
        return path


DRY_RUN_CAP_MS = 1_000


def _reason(exc: Exception) -> str:
    if isinstance(exc, StepFailed):
        return exc.reason
    if isinstance(exc, PlaywrightError):
        return actions.explain(exc)
    return str(exc)


def _kind(step: Step) -> str:
    return type(step).__name__.lower().replace("waitfor", "wait_for")


def pictured(step: Step, status: StepStatus) -> bool:
    """Whether the step's end is photographed. Not when it was skipped, nor when it
    passed without touching or reading the page (a note, a gate of its own, a question
    typed nowhere): its picture would repeat the step before's, and every picture is
    stored twice (the file and the report)."""
    if status == "skipped":
        return False
    if status != "passed":
        return True
    if isinstance(step, Ask):
        return step.fill_in is not None or step.show is not None
    return not isinstance(step, Say | Confirm)


def run_flow(
    flow: Flow,
    values: Values,
    context: BrowserContext,
    evidence: Evidence,
    prompter: Prompter,
    bus: EventBus,
    options: RunOptions,
    mock_state: Callable[[str], Mapping[str, Any]] | None = None,
    tracer: TraceRecorder | None = None,
) -> RunResult:
    """Run ``flow`` in a fresh page of ``context``; every outcome ends in a RunEnded event."""
    started = time.monotonic()
    values.values.update(templating.builtin_values(flow.timezone, flow.date_format))
    scrub = Scrubber(values)
    context.add_init_script(shots.PAGE_STYLE_SCRIPT)
    page: Page = context.new_page()
    holder: dict[str, _Run] = {}

    def say(text: str) -> None:
        bus.emit(Said(index=holder["run"].index, text=scrub(text)))

    session = Session(
        flow=flow,
        context=context,
        main=page,
        values=values,
        prompter=prompter,
        say=say,
        keep=lambda name, original, data: holder["run"].keep(name, original, data),
    )
    if options.step_timeout_ms is not None:
        flow = flow.model_copy(update={"timeout_ms": options.step_timeout_ms})
        session.flow = flow
    if options.deadline_s is not None:
        session.deadline = started + options.deadline_s
    run = _Run(flow, session, evidence, bus, options, mock_state, scrub, tracer)
    run.network.attach(context)
    holder["run"] = run
    actions.watch_page(session, page)
    outcome: Outcome = "done"
    failed: int | None = None
    exit_code: int | None = None
    try:  # from the first event on, a Ctrl-C still ends the run with its last event
        bus.emit(
            RunStarted(
                flow_id=flow.id,
                flow_title=flow.title,
                portal=flow.portal,
                country=flow.country,
                target=options.target,
                mode=options.mode,
                operator=options.operator,
                ticket=options.ticket,
                inputs={k: v for k, v in values.shown().items() if k in flow.inputs},
                steps_total=len(leaves(flow.steps)),
                lang=options.lang,
                version=__version__,
                flow_sha256=options.flow_sha256,
                timezone=flow.timezone,
                step_titles=[describe.step(step) for step in leaves(flow.steps)],
            )
        )
        try:
            run.steps(flow.steps)
        except (FlowFinished, GateDeclined):
            evidence.written()  # a picture lost on a full disk outweighs how the run ended
            raise
        evidence.written()
        message = "Flujo completado."
        if run.nothing_submitted():
            outcome, message = "already_done", "Ya estaba hecho: no se envió nada nuevo al portal."
        if options.mode == "dry-run":
            message = "Ensayo completado: no se envió nada al portal."
            if run.unresolved:
                outcome, failed = "failed", None
                message = "Ensayo: no se encontró lo esperado en " + "; ".join(run.unresolved)
    except FlowFinished as finished:
        message = str(finished)
        if finished.already_done:
            outcome = "already_done"
    except GateDeclined as exc:
        outcome, message = "declined", str(exc)
    except StepFailed as exc:
        outcome, message, failed = "failed", str(exc), run.index
    except KeyboardInterrupt:
        outcome, message = "interrupted", "Interrumpido por el operador (Ctrl-C)."
    except PortalBotError as exc:
        outcome, message, failed = "failed", scrub(str(exc)), run.index
        exit_code = exc.exit_code
    except Exception as exc:  # a bug must still end the run and close the evidence
        outcome, failed = "failed", run.index
        message = scrub(f"Error interno en el paso {run.index}: {type(exc).__name__}: {exc}")
    codes = {
        "done": 0,
        "already_done": 0,
        "failed": 1,
        "declined": 3,
        "interrupted": 130,
        "leak": 4,
    }
    if outcome in ("failed", "interrupted"):
        message = run._warned(message)
    if options.mode == "dry-run" and run.unreached:
        count = len(run.unreached)
        steps = "1 paso" if count == 1 else f"{count} pasos"
        message = f"{message.rstrip('.')}. No se alcanzaron {steps}: el ensayo dejó de actuar."
    code = codes[outcome] if exit_code is None else exit_code
    result = RunResult(outcome, code, scrub(message), failed, dict(run.statuses))
    bus.emit(
        RunEnded(
            outcome=outcome,
            exit_code=result.exit_code,
            message=result.message,
            duration_ms=int((time.monotonic() - started) * 1000),
            failed_step=failed,
        )
    )
    return result
