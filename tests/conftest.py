"""Shared fixtures: one mock server for every portal and one headless Chromium mapped to
it, for the whole session; a fresh browser context (and a reset portal) per run."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from portal_bot.browser import LaunchOptions, context_arguments, find_browser, launch_arguments
from portal_bot.events import Listener
from portal_bot.flow import Flow
from portal_bot.job import JobRequest, JobResult, execute
from portal_bot.loader import load_flow
from portal_bot.mocks import all_portals
from portal_bot.mocks.server import MockServer
from portal_bot.prompt import Prompter

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


SHARED_RUNS = frozenset({"pristine", "demo_runs"})
"""Session fixtures holding real runs that many tests read: made once per worker."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that reads a shared run goes to one pytest-xdist worker (with
    ``--dist loadgroup``, as scripts/test.sh runs): the runs are then made once, not once
    on every worker."""
    for item in items:
        if SHARED_RUNS & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group("shared-runs"))


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
