"""Start-up, mock readiness and evidence size, as issue 9 asks; prints the figures.

.venv/bin/python benchmarks/measure.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from portal_bot.browser import LaunchOptions, find_browser, launch
from portal_bot.job import JobRequest, execute
from portal_bot.loader import load_flow
from portal_bot.mocks import all_portals, make_portal
from portal_bot.mocks.server import MockServer

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "portal_bot"]


def median_seconds(command: list[str], times: int = 5) -> float:
    runs = []
    for _ in range(times):
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def startup() -> None:
    for args in (["--help"], ["flows"], ["validate"]):
        print(f"portal-bot {' '.join(args):<9} median of 5: {median_seconds(CLI + args):.2f} s")


def mock_ready() -> None:
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        with MockServer(all_portals()):
            runs.append(time.perf_counter() - started)
    print(f"mock server (every portal) ready, median of 5: {statistics.median(runs):.2f} s")


def evidence_sizes() -> None:
    flows = sorted((ROOT / "flows").glob("*.yaml"))
    with (
        MockServer(all_portals()) as server,
        sync_playwright() as playwright,
        tempfile.TemporaryDirectory() as tmp,
    ):
        options = LaunchOptions(
            find_browser(headless=True),
            mock_address=server.address,
            mock_domains=tuple(server.hosts),
        )
        browser = launch(playwright, options)
        for path in flows:
            flow = load_flow(path)
            assert flow.mock is not None
            server.portal(flow.mock).reset()
            if flow.mock == "sunat":
                server.portal("sunat").configure({"popups": "none", "captcha": "never"})
            values = make_portal(flow.mock).demo(flow.id, Path(tmp))
            secret = {k for k, spec in flow.inputs.items() if spec.type == "secret"}
            folder = Path(tmp) / flow.id
            request = JobRequest(
                flow=flow,
                given={k: v for k, v in values.items() if k not in secret},
                evidence=folder,
                mock_server=server.address,
                yes=True,
                environ={f"PORTAL_BOT_SECRET_{k.upper()}": values[k] for k in secret},
            )
            result = execute(request, None, None, browser=browser)
            size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
            shots = len(list((folder / "shots").glob("*")))
            line = f"evidence {flow.id:<34} exit {result.exit_code}  {size / 1e6:.2f} MB"
            print(f"{line}  ({shots} screenshots)")
        browser.close()


if __name__ == "__main__":
    os.environ.setdefault("PORTAL_BOT_LANG", "es")
    startup()
    mock_ready()
    evidence_sizes()
