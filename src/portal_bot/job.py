"""One ``portal-bot run``: everything around :func:`run_flow`, in order.

1. check the options and the inputs (no browser yet: bad input is exit 2 at once);
2. open the evidence folder, start the mock when asked, launch the browser;
3. run the flow; close the browser; write the report;
4. scan the whole folder for secrets, write the manifest, return the chain hash.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from portal_bot import inputs, leaks
from portal_bot.browser import SECRET_ENV_PREFIX, BrowserChoice, LaunchOptions, find_browser
from portal_bot.errors import UsageError
from portal_bot.events import EventBus, Listener
from portal_bot.evidence import Evidence, default_folder, write_manifest
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


@dataclass
class JobResult:
    exit_code: int
    message: str
    folder: Path
    chain: str
    result: RunResult | None = None
    leaks: list[leaks.Leak] = field(default_factory=list)


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
        host, _, port = request.mock_server.rpartition(":")
        if not host or not port.isdigit():
            raise UsageError("--mock-server espera HOST:PUERTO, por ejemplo 127.0.0.1:8443")
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
) -> JobResult:
    """Run a flow end to end; ``prompter`` None means: decide from ``--yes``/no terminal.

    ``browser`` lends an already launched browser (tests, the pytest plugin, benchmarks);
    it must already be mapped to ``request.mock_server``. ``context`` lends a browser
    context instead (a guided run shared with a stand-in person in tests).
    """
    check_request(request)
    values = inputs.collect(
        request.flow, request.given, _asker(request, prompter, ask_input), request.environ,
        request.secrets,
    )  # fmt: skip
    scrub_environment()
    lent = browser is not None or context is not None
    choice = None if lent else find_browser(request.browser, request.channel)
    folder = request.evidence or default_folder(request.flow.id)
    evidence = Evidence(folder)
    if on_folder is not None:
        on_folder(evidence.folder)
    if request.yes:
        prompter = ScriptedPrompter(approve=True, by="--yes")
    elif prompter is None:
        prompter = NoTerminalPrompter()
    bus = EventBus(evidence, *listeners)
    ended: list[RunResult] = []
    try:
        _run(request, values, evidence, prompter, bus, choice, browser, context, ended)
    except (Exception, KeyboardInterrupt):
        if not ended:  # the run never started: nothing to close
            raise
        # The run ended and said how; closing the browser failed after it (a Ctrl-C or a
        # killed browser): the evidence is closed all the same.
    return finish(evidence, values, ended[0])


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
) -> None:
    """Start the mock and the browser, run the flow, close them; the run's result goes
    into ``ended`` as soon as it exists, before anything is closed."""
    with ExitStack() as stack:
        address, mock_state = _mock(request, stack)
        from portal_bot.browser import launch, new_context

        if browser is None and context is None:
            from playwright.sync_api import sync_playwright

            manager = sync_playwright()
            playwright = manager.__enter__()
            stack.callback(_quietly, manager.__exit__, None, None, None)
            assert choice is not None
            options = LaunchOptions(
                choice=choice,
                headless=not request.headed,
                mock_address=address,
                mock_domains=tuple(request.flow.domains),
                extra_args=request.browser_args,
            )
            browser = launch(playwright, options)
            stack.callback(_quietly, browser.close)
        if context is None:
            assert browser is not None
            locale = LOCALES[request.flow.country]
            context = new_context(browser, mock=address is not None, locale=locale)
            stack.callback(_quietly, context.close)
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
    write_report(evidence.folder)
    summary.write(evidence.folder)
    found = leaks.scan(evidence.folder, values.secret_values())
    write_manifest(evidence.folder, chain)
    if found:
        names = "; ".join(f"{leak.file} contenía «{leak.secret}»" for leak in found)
        return JobResult(
            4,
            f"Se encontró un secreto en la evidencia y se borró el archivo: {names}",
            evidence.folder,
            chain,
            result,
            found,
        )
    return JobResult(result.exit_code, result.message, evidence.folder, chain, result)
