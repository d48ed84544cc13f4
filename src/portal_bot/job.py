"""One ``portal-bot run``: everything around :func:`run_flow`, in order.

1. check the options and the inputs (no browser yet: bad input is exit 2 at once);
2. open the evidence folder, start the mock when asked, launch the browser;
3. run the flow; close the browser and, at the same time (in a thread: closing is mostly
   waiting for Chromium and the driver to exit), write the report,
4. scan the whole folder for secrets, write the manifest, return the chain hash.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from portal_bot import inputs, interrupts, leaks, once
from portal_bot.browser import SECRET_ENV_PREFIX, BrowserChoice, LaunchOptions, find_browser
from portal_bot.driver import Driver, reason
from portal_bot.errors import UsageError
from portal_bot.events import EventBus, Listener
from portal_bot.evidence import Evidence, claim_folder, evidence_error, write_manifest
from portal_bot.flow import Flow, Goto, walk
from portal_bot.prompt import NoTerminalPrompter, Prompter, ScriptedPrompter
from portal_bot.runner import Mode, RunOptions, RunResult, run_flow
from portal_bot.tracing import TraceRecorder

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext


LOCALES = {"PE": "es-PE", "CL": "es-CL", "CO": "es-CO"}


@dataclass
class JobRequest:
    flow: Flow
    given: dict[str, str] = field(default_factory=dict)
    evidence: Path | None = None
    mock: bool = False
    mock_server: str | None = None
    yes: bool = False
    headed: bool = False
    browser: str | None = None
    channel: str | None = None
    mode: Mode = "run"
    operator: str = "operador"
    ticket: str | None = None
    lang: str = "es"
    trace: bool = False
    step_timeout_ms: int | None = None
    simulation_banner: bool = True
    environ: dict[str, str] | None = None
    """Where secret inputs are read from (default: this process's environment)."""
    secrets: str = "env"
    """``env`` (PORTAL_BOT_SECRET_* or a hidden prompt) or ``keyring`` (the OS keyring)."""
    deadline_s: float | None = None
    """The whole run's limit in seconds (``--deadline``)."""
    browser_args: tuple[str, ...] = ()
    """Extra Chromium switches (tests attach a stand-in person over CDP)."""
    flow_sha256: str | None = None
    """SHA-256 of the flow file, recorded in the evidence."""
    mock_token: str | None = None
    """The ``--mock-server``'s token (default: the one its server left on this machine)."""


@dataclass
class JobResult:
    exit_code: int
    message: str
    folder: Path
    chain: str
    """The last hash of the event chain (also in manifest.json)."""
    result: RunResult | None = None
    leaks: list[leaks.Leak] = field(default_factory=list)
    seal: str = ""
    """The SHA-256 of manifest.json, for the ticket: it commits to every file."""


def check_request(request: JobRequest) -> None:
    """Usage problems that must stop a run before anything starts."""
    if request.mock and request.mock_server:
        raise UsageError("Use --mock o --mock-server, no los dos.")
    on_mock = request.mock or request.mock_server is not None
    if request.yes and not on_mock:
        raise UsageError(
            "--yes solo se permite contra una simulación (--mock o --mock-server): "
            "en un portal real cada confirmación la da una persona."
        )
    if request.mock_server is not None:
        loopback_address(request.mock_server)
    if not on_mock:
        entry = next((s for s in walk(request.flow.steps) if isinstance(s, Goto)), None)
        if entry is not None and urlsplit(entry.goto).hostname in ("localhost", "127.0.0.1"):
            raise UsageError("Un portal real no está en localhost; ¿faltó --mock?")


def _asker(
    request: JobRequest, prompter: Prompter | None, ask_input: inputs.Ask | None
) -> inputs.Ask | None:
    """Who is asked for missing or refused inputs, before any browser: nobody with
    ``--yes`` (each missing one is named instead), else the person at the prompter."""
    if request.yes:
        return None
    if ask_input is None and prompter is not None:
        return inputs.asking(prompter)
    return ask_input


def loopback_address(address: str) -> str:
    """``--mock-server``: a loopback IP literal and a port, never a name (a name goes
    through DNS, and could be the real portal)."""
    import ipaddress

    host, _, port = address.rpartition(":")
    literal = host.removeprefix("[").removesuffix("]") if host.startswith("[") else host
    try:
        ip = ipaddress.ip_address(literal)
    except ValueError:
        ip = None
    if ip is None or not ip.is_loopback or not port.isdigit() or not 0 < int(port) < 65536:
        raise UsageError(
            f"--mock-server «{address[:60]}»: indique la dirección IP local de la simulación "
            "y su puerto, como la muestra «portal-bot mock» (por ejemplo 127.0.0.1:8443); "
            "no se aceptan nombres como localhost ni direcciones de otros equipos"
        )
    return address


def prove_mock(request: JobRequest) -> None:
    """A ``--mock-server`` must prove it is a portal-bot mock (its token's HMAC of a fresh
    challenge) before anything, and ``--yes`` above all, is sent to it."""
    from portal_bot.mocks.client import find_token, proves

    if request.mock_server is None:
        return
    token = request.mock_token or find_token(request.mock_server)
    if not token:
        raise UsageError(
            f"No se encontró la clave de la simulación en {request.mock_server}: iníciela en "
            "este equipo con «portal-bot mock», o indique la clave que muestra con --mock-token."
        )
    if not proves(request.mock_server, token):
        raise UsageError(
            f"El servidor en {request.mock_server} no demostró ser una simulación de "
            "portal-bot (no respondió al desafío con su clave): no se ejecuta nada contra él."
        )


def prove_ahead(address: str, token: str | None) -> None:
    """Ask a ``--mock-server`` for its proof ahead of the run (``portal-bot run`` does,
    while Playwright's driver starts): a proof given is remembered for :func:`prove_mock`;
    anything wrong is left for it to say, in its turn."""
    from portal_bot.mocks.client import find_token, proves

    try:
        loopback_address(address)
    except UsageError:
        return
    token = token or find_token(address)
    if token:
        proves(address, token)


def scrub_environment() -> None:
    """No PORTAL_BOT_SECRET_* may reach the Playwright driver or the browser."""
    for name in [n for n in os.environ if n.startswith(SECRET_ENV_PREFIX)]:
        del os.environ[name]


def execute(
    request: JobRequest,
    prompter: Prompter | None,
    ask_input: inputs.Ask | None,
    listeners: tuple[Listener, ...] = (),
    on_folder: Callable[[Path], None] | None = None,
    browser: Browser | None = None,
    context: BrowserContext | None = None,
    hold_ctrl_c: bool = False,
    driver: Driver | None = None,
) -> JobResult:
    """Run a flow end to end; ``prompter`` None means: decide from ``--yes``/no terminal.

    ``browser`` lends an already launched browser (tests, the pytest plugin, benchmarks);
    it must already be mapped to ``request.mock_server``. ``context`` lends a browser
    context instead (a guided run shared with a stand-in person in tests).
    ``hold_ctrl_c`` (the command line) keeps further Ctrl-C ignored after an interrupted
    run, until the process exits: one still held down must not kill the exit itself.
    ``driver`` lends a Playwright driver already started (the command line starts it
    while it loads the flow); the run stops it with the browser.
    """
    check_request(request)
    prove_mock(request)
    values = inputs.collect(
        request.flow, request.given, _asker(request, prompter, ask_input), request.environ,
        request.secrets,
    )  # fmt: skip
    scrub_environment()
    lent = browser is not None or context is not None
    no_display = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if request.headed and not lent and sys.platform.startswith("linux") and no_display:
        raise UsageError(NO_DISPLAY)
    choice = (
        None
        if lent
        else find_browser(request.browser, request.channel, headless=not request.headed)
    )
    folder = request.evidence or claim_folder(request.flow.id)
    if request.yes:
        prompter = ScriptedPrompter(approve=True, by="--yes")
    elif prompter is None:
        prompter = NoTerminalPrompter()
    ended: list[RunResult] = []
    evidence: Evidence | None = None
    # From the moment the folder exists, a Ctrl-C goes through CtrlC: the folder is closed.
    with CtrlC(hold=hold_ctrl_c) as ctrl_c:
        try:
            with interrupts.uncut():
                evidence = Evidence(folder)
            if on_folder is not None:
                on_folder(evidence.folder)
            finishing = _Finishing(evidence, values)
            bus = EventBus(evidence, *listeners)
            _run(request, values, evidence, prompter, bus, choice, browser, context, ended,
                 finishing, ctrl_c, driver)  # fmt: skip
        except (Exception, KeyboardInterrupt) as exc:
            ctrl_c.shield()
            if evidence is None:  # no folder was made: nothing to close
                raise _as_usage(exc) from None
            if not ended:  # the run could not finish: its folder is closed all the same
                close_unfinished(evidence, values)
                raise _as_usage(exc) from None
            # The run ended and said how; closing the browser failed after it (a Ctrl-C or
            # a killed browser): the evidence is closed all the same.
        return finishing.result(ended[0])


class CtrlC:
    """The first Ctrl-C stops the run; from then on, and once the run has ended, further
    ones are ignored until the evidence folder is closed (report, secret scan, manifest):
    a burst of Ctrl-C must not leave a folder half closed. With ``hold``, an interrupted
    run leaves them ignored for the rest of the process. Only the main thread can handle
    signals; elsewhere this does nothing."""

    def __init__(self, hold: bool = False) -> None:
        self.previous: Any = None
        self.ignored = 0
        self.hold = hold
        self.fired = False

    def __enter__(self) -> CtrlC:
        if threading.current_thread() is threading.main_thread():
            current = signal.getsignal(signal.SIGINT)
            if current is signal.default_int_handler:
                self.previous = current
                signal.signal(signal.SIGINT, self._first)
        return self

    def _first(self, signum: int, frame: object) -> None:
        self.fired = True
        self.shield()
        if not interrupts.put_off():  # else raised once the event line is whole
            raise KeyboardInterrupt

    def _more(self, signum: int, frame: object) -> None:
        self.ignored += 1

    def shield(self) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGINT, self._more)

    def __exit__(self, *exc: object) -> None:
        if self.previous is not None:
            held = self.hold and self.fired
            signal.signal(signal.SIGINT, signal.SIG_IGN if held else self.previous)


def _as_usage(exc: BaseException) -> BaseException:
    """A browser that cannot start (a wrong ``--browser``, no display for ``--headed``)
    is a usage problem with one Spanish line, not a traceback."""
    from playwright.sync_api import Error as PlaywrightError

    if isinstance(exc, PlaywrightError):
        text = str(exc)
        if "DISPLAY" in text or "X server" in text:
            return UsageError(NO_DISPLAY)
        return UsageError(f"No se pudo iniciar el navegador: {reason(exc)}")
    return exc


NO_DISPLAY = (
    "No hay una pantalla donde mostrar el navegador (--headed o --guided): ejecútelo en una "
    "sesión de escritorio, o sin esas opciones."
)


def close_unfinished(evidence: Evidence, values: inputs.Values) -> None:
    """Close the folder of a run that could not finish: report and summary when they can be
    written, then always the secret scan and the manifest."""
    from portal_bot import summary
    from portal_bot.report import write_report

    chain = evidence.close()
    for write in (write_report, summary.write):
        try:
            write(evidence.folder)
        except (Exception, KeyboardInterrupt):  # a full disk, a cut log: scan and seal
            continue
    try:
        leaks.scan(evidence.folder, values.secret_values(), public=values.public_values())
        write_manifest(evidence.folder, chain)
    except OSError as exc:
        raise evidence_error(evidence.folder, exc) from None


class _Finishing:
    """:func:`finish` in a thread, started once the run has ended and its last file is
    written, so that the report, the scan and the manifest are made while the browser
    and the driver close (that is mostly waiting for processes to exit)."""

    def __init__(self, evidence: Evidence, values: inputs.Values) -> None:
        self.evidence, self.values = evidence, values
        self.thread: threading.Thread | None = None
        self.outcome: JobResult | BaseException | None = None

    def start(self, result: RunResult) -> None:
        def work() -> None:
            try:
                self.outcome = finish(self.evidence, self.values, result)
            except BaseException as exc:  # handed to the caller by result()
                self.outcome = exc

        self.thread = threading.Thread(target=work, name="portal-bot-finish")
        self.thread.start()

    def result(self, result: RunResult) -> JobResult:
        if self.thread is None:
            self.start(result)
        assert self.thread is not None
        self.thread.join()
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        assert self.outcome is not None
        return self.outcome


def _run(
    request: JobRequest,
    values: inputs.Values,
    evidence: Evidence,
    prompter: Prompter,
    bus: EventBus,
    choice: BrowserChoice | None,
    browser: Browser | None,
    context: BrowserContext | None,
    ended: list[RunResult],
    finishing: _Finishing,
    ctrl_c: CtrlC | None = None,
    driver: Driver | None = None,
) -> None:
    """Start the mock and the browser, run the flow, close them; the run's result goes
    into ``ended`` as soon as it exists, and ``finishing`` starts, before anything is
    closed (and from then on a Ctrl-C is ignored until the folder is closed)."""
    with ExitStack() as stack:
        address, mock_state = _mock(request, stack)
        from portal_bot.browser import launch, new_context

        if browser is None and context is None:
            driver = driver or Driver()
            stack.callback(_quietly, driver.stop)
            assert choice is not None
            options = LaunchOptions(
                choice=choice,
                headless=not request.headed,
                mock_address=address,
                mock_domains=tuple(request.flow.domains),
                extra_args=request.browser_args,
            )
            browser = launch(driver.playwright, options)
            stack.callback(_quietly, browser.close)
        if context is None:
            assert browser is not None
            locale = LOCALES[request.flow.country]
            context = new_context(browser, mock=address is not None, locale=locale)
            stack.callback(_quietly, context.close)
        once.map_mock(context, address)
        tracer = None
        if request.trace:
            tracer = TraceRecorder(context, evidence.trace_part)
            tracer.start()
            stack.callback(_quietly, tracer.stop)
        ended.append(
            run_flow(
                request.flow,
                values,
                context,
                evidence,
                prompter,
                bus,
                RunOptions(
                    target="mock" if address else "live",
                    mode=request.mode,
                    operator=request.operator,
                    ticket=request.ticket,
                    lang=request.lang,
                    step_timeout_ms=request.step_timeout_ms,
                    simulation_banner=request.simulation_banner,
                    deadline_s=request.deadline_s,
                    flow_sha256=request.flow_sha256,
                ),
                mock_state=mock_state,
                tracer=tracer,
            )
        )
        if ctrl_c is not None:
            ctrl_c.shield()
        if tracer is not None:
            _quietly(tracer.stop)  # its last part goes into the folder before the scan
        finishing.start(ended[0])


def _quietly(close: Callable[..., object], *args: object) -> None:
    """Close a browser resource after the run, whatever state the run left it in.

    The run has already ended and recorded how (a killed browser or a Ctrl-C in the middle
    of a browser call leaves the connection unusable); a failure to close must not keep the
    evidence from being closed.
    """
    try:
        close(*args)
    except (Exception, KeyboardInterrupt):  # a second Ctrl-C must not lose the evidence
        return


def _mock(
    request: JobRequest, stack: ExitStack
) -> tuple[str | None, Callable[[str], Mapping[str, Any]] | None]:
    if not (request.mock or request.mock_server):
        return None, None
    from portal_bot.mocks.client import read_state

    if request.mock:
        from portal_bot.mocks import all_portals
        from portal_bot.mocks.server import MockServer

        server = stack.enter_context(MockServer(all_portals()))
        address = server.address
    else:
        assert request.mock_server is not None
        address = request.mock_server
    return address, lambda host: read_state(address, host)


def finish(evidence: Evidence, values: inputs.Values, result: RunResult) -> JobResult:
    """Report, scan for secrets, manifest; the folder is closed whatever happened."""
    from portal_bot import summary
    from portal_bot.report import write_report

    chain = evidence.close()
    try:
        write_report(evidence.folder)
        summary.write(evidence.folder)
    except OSError as exc:  # a full disk: the scan and the manifest still close the folder
        close_unfinished(evidence, values)
        raise evidence_error(evidence.folder, exc) from None
    found = leaks.scan(evidence.folder, values.secret_values(), public=values.public_values())
    try:
        seal = write_manifest(evidence.folder, chain)
    except OSError as exc:
        raise evidence_error(evidence.folder, exc) from None
    if found:
        names = "; ".join(f"{leak.file} contenía «{leak.secret}»" for leak in found)
        return JobResult(
            4,
            f"Se encontró un secreto en la evidencia y se borró el archivo: {names}",
            evidence.folder,
            chain,
            result,
            found,
            seal,
        )
    return JobResult(result.exit_code, result.message, evidence.folder, chain, result, seal=seal)
