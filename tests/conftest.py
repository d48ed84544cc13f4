"""Shared fixtures: one mock server for every portal and one headless Chromium mapped to
it, for the whole session; a fresh browser context (and a reset portal) per run."""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from portal_bot.browser import LaunchOptions, context_arguments, find_browser, launch_arguments
from portal_bot.events import Listener
from portal_bot.evidence import read_events
from portal_bot.flow import Flow
from portal_bot.job import JobRequest, JobResult, execute
from portal_bot.loader import load_flow
from portal_bot.mocks import all_portals, make_portal
from portal_bot.mocks.server import MockServer
from portal_bot.prompt import Prompter, ScriptedPrompter

ROOT = Path(__file__).resolve().parents[1]
FLOWS = ROOT / "flows"


@pytest.fixture(scope="session")
def mock_server() -> Iterator[MockServer]:
    with MockServer(all_portals()) as server:
        yield server


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], mock_server: MockServer
) -> dict[str, Any]:
    """pytest-playwright's browser, as portal-bot launches it, mapped to the mock server."""
    options = LaunchOptions(
        choice=find_browser(headless=browser_type_launch_args.get("headless", True)),
        headless=browser_type_launch_args.get("headless", True),
        mock_address=mock_server.address,
        mock_domains=tuple(mock_server.hosts),
    )
    return {**browser_type_launch_args, **launch_arguments(options)}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, **context_arguments(mock=True)}


QUICK = ("loader", "unit", "test_certificates.py")
"""Tests of a second or less each (no browser): they run last."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Spread every folder's tests evenly over the run, the quick ones last: whole runs
    that keep the processor busy then run beside the mocks' tests that mostly wait for a
    page, and the quick tests fill the workers' last minute instead of one long run going
    on alone at the end (with ``--maxschedchunk 2``, scripts/test.sh, pytest-xdist hands
    out tests two at a time in this order)."""
    folders: dict[str, list[pytest.Item]] = {}
    for item in items:
        folders.setdefault(item.path.relative_to(ROOT / "tests").parts[0], []).append(item)
    place = {
        id(item): (name in QUICK, number / len(group))
        for name, group in folders.items()
        for number, item in enumerate(group)
    }
    items.sort(key=lambda item: place[id(item)])


def flow(name: str) -> Flow:
    return load_flow(FLOWS / f"{name}.yaml")


@dataclass
class Runner:
    """Runs flows through the same code as ``portal-bot run`` with the shared browser."""

    server: MockServer
    browser: Browser
    tmp: Path

    def reset(self, portal: str, **settings: Any) -> None:
        self.server.reset(portal)
        if settings:
            self.server.portal(portal).configure(settings)

    def state(self, portal: str) -> dict[str, Any]:
        return self.server.state(portal)

    def __call__(
        self,
        name: str,
        inputs: dict[str, str],
        secrets: dict[str, str] | None = None,
        *,
        prompter: Prompter | None = None,
        yes: bool = True,
        evidence: Path | None = None,
        mode: str = "run",
        trace: bool = False,
        step_timeout_ms: int | None = None,
        deadline_s: float | None = None,
        listeners: tuple[Listener, ...] = (),
        browser: Browser | None = None,
        **flow_changes: Any,
    ) -> JobResult:
        """Run the flow ``name`` (``flow_changes`` override its top-level fields)."""
        environ = {f"PORTAL_BOT_SECRET_{k.upper()}": v for k, v in (secrets or {}).items()}
        request = JobRequest(
            flow=flow(name).model_copy(update=flow_changes),
            given=inputs,
            evidence=evidence or self.tmp / f"ev-{name}-{len(list(self.tmp.iterdir()))}",
            mock_server=self.server.address,
            yes=yes,
            mode=mode,  # type: ignore[arg-type]
            trace=trace,
            step_timeout_ms=step_timeout_ms,
            deadline_s=deadline_s,
        )
        with pytest.MonkeyPatch.context() as patch:
            for key, value in environ.items():
                patch.setenv(key, value)
            return execute(request, prompter, None, listeners, browser=browser or self.browser)


@pytest.fixture
def run(mock_server: MockServer, browser: Browser, tmp_path: Path) -> Runner:
    return Runner(mock_server, browser, tmp_path)


def step_ended_line(line: str, number: int) -> bool:
    """Is this ``portal-bot run``'s line for step ``number`` («  4/24 ✔ …»)? Not any line
    with «4/» in it: the evidence folder's path is printed too (``pytest-324/``)."""
    return re.match(rf"\s*{number}/\d+ ", line) is not None


def all_bytes(folder: Path) -> bytes:
    """Every byte of a folder, with the members of zip files (traces) unpacked too."""
    import io
    import zipfile

    chunks: list[bytes] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        chunks.append(data)
        if zipfile.is_zipfile(io.BytesIO(data)):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                chunks.extend(archive.read(name) for name in archive.namelist())
    return b"".join(chunks)


def assert_no_secret(folder: Path, secrets: dict[str, str]) -> None:
    """No secret's value is anywhere in the folder, traces unpacked."""
    evidence = all_bytes(folder)
    for name, value in secrets.items():
        assert value.encode() not in evidence, f"{name} found in {folder}"


def portal_bot_process(
    args: list[str], secrets: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m portal_bot ARGS`` as a real process with no terminal, in Spanish, with
    only the given PORTAL_BOT_SECRET_* in its environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_BOT_")}
    env["PORTAL_BOT_LANG"] = "es"
    env.update({f"PORTAL_BOT_SECRET_{k.upper()}": v for k, v in (secrets or {}).items()})
    return subprocess.run(
        [sys.executable, "-m", "portal_bot", *args],
        env=env,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=180,
    )


# Real runs of every seed flow whose evidence folders many tests read (and copy before
# changing): each is made once per test session, whichever pytest-xdist worker asks first.


@pytest.fixture(scope="session")
def pristine(demo_runs: DemoRuns) -> Path:
    """A successful pe-sunat-pse-alta run (the demo run the other evidence tests read too);
    tests copy it before changing anything."""
    folder = demo_runs("pe-sunat-pse-alta")
    completed(folder)
    return folder


SEED_RUNS = {
    "pe-sunat-pse-alta": {},
    "cl-sii-autenticacion-certificado": {},
    "cl-sii-centralizar-certificado": {},
    "co-siigo-certificado-digital": {},
    "co-siigo-certificado-digital-impago": {"usuario": "pendiente@empresa.co", "nit": "9012345677"},
}
"""Every seed flow on its mock's demo account with ``--yes`` (the unpaid Siigo account
too: it pays, so it has the most screens), as a customer guide and a supervisor see it."""


@dataclass
class DemoRuns:
    """Runs each seed flow once per test session, on demand, and keeps its folder.

    The folders are shared by every pytest-xdist worker: they live in the session's common
    temporary folder, and the first worker that asks for one makes it while any other that
    asks waits on its lock (xdist's own recipe for a fixture made once; its ``loadgroup``
    no longer groups tests under pytest 9.2, pytest-dev/pytest-xdist#1386)."""

    runner: Runner
    shared: Path

    def __call__(self, name: str, mode: str = "run", approve: bool = True) -> Path:
        label = f"{name}-{mode}-{approve}"
        folder, made = self.shared / label, self.shared / f"{label}.hecho"
        with _locked(self.shared / f"{label}.lock"):
            if not made.exists():
                shutil.rmtree(folder, ignore_errors=True)  # a worker stopped half-way
                self._run(name, mode, approve, folder)
                made.touch()
        return folder

    def _run(self, name: str, mode: str, approve: bool, folder: Path) -> None:
        flow_id = name.removesuffix("-impago")
        loaded = load_flow(FLOWS / f"{flow_id}.yaml")
        assert loaded.mock is not None
        inputs = self.shared / f"{folder.name}-entradas"
        inputs.mkdir(exist_ok=True)
        demo = {**make_portal(loaded.mock).demo(flow_id, inputs), **SEED_RUNS[name]}
        secrets = {k: v for k, v in demo.items()
                   if k in loaded.inputs and loaded.inputs[k].type == "secret"}  # fmt: skip
        given = {k: v for k, v in demo.items() if k not in secrets}
        self.runner.reset(loaded.mock)
        prompter = None if approve else ScriptedPrompter(False, by="agente")
        self.runner(
            flow_id, given, secrets, mode=mode, yes=approve, prompter=prompter, evidence=folder
        )


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (made if missing) across processes."""
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def completed(folder: Path) -> str:
    """The run's end message; fails the test unless the run completed."""
    end = read_events(folder)[-1]
    assert end["type"] == "run_ended" and end["outcome"] in ("done", "already_done"), end
    return str(end["message"])


@pytest.fixture(scope="session")
def demo_runs(
    tmp_path_factory: pytest.TempPathFactory, mock_server: MockServer, browser: Browser
) -> DemoRuns:
    base = tmp_path_factory.getbasetemp()
    # Under pytest-xdist every worker has its own folder inside the session's.
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "demo-runs"
    shared.mkdir(exist_ok=True)
    return DemoRuns(Runner(mock_server, browser, shared), shared)
