"""Whole processes: ``portal-bot run pe-sunat-pse-alta`` against a hand-written script.

Both sides are separate processes that start their own Playwright and Chromium and
register the PSE in one ``portal-bot mock`` process, started once (its pop-ups and
captcha off, its state reset before every run):

* ``portal-bot run pe-sunat-pse-alta --mock-server ADDRESS --yes -q`` (screenshots,
  events, report, summary, leak scan, manifest);
* ``benchmarks/sunat_script.py``: plain Playwright, the flow's steps, a PNG per step.

Runs alternate, after one warm-up round of each that is not counted. Wall time is
measured around the process, CPU time is the user + system time of the process and all
its children (Playwright's driver, Chromium) from ``getrusage(RUSAGE_CHILDREN)``.

    .venv/bin/python benchmarks/whole.py [ROUNDS]     # default 7: the median of 7
    .venv/bin/python benchmarks/whole.py 7 --also OTHER/.venv/bin   # before/after

``--also`` adds a third side, alternated with the other two: the ``portal-bot`` of another
checkout's virtual environment (e.g. main's), so that a before/after comparison sees the
same load. Run ``scripts/bootstrap.sh`` first: it compiles the project's bytecode.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from portal_bot.browser import find_browser
from portal_bot.mocks import client

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SUNAT = "e-menu.sunat.gob.pe"
CLAVE = "moddatos"


def start_mock() -> tuple[subprocess.Popen[str], str]:
    mock = subprocess.Popen(
        [str(BIN / "portal-bot"), "mock", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert mock.stdout is not None
    for line in mock.stdout:
        found = re.search(r"https://(\S+:\d+)", line)
        if found:
            return mock, found[1]
    raise RuntimeError("portal-bot mock did not say where it listens")


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one process and everything it started."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        command, env=env, cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True, text=True
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:  # e.g. a step that timed out on an overloaded machine
        sys.exit(f"{' '.join(command[:3])}… failed ({done.returncode}):\n"
                 f"{(done.stdout + done.stderr)[-2000:]}")  # fmt: skip
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main(rounds: int, also: Path | None = None) -> None:
    chromium = find_browser(headless=True).executable
    assert chromium, "the benchmark needs a Chromium executable (not a --channel)"
    env = {**os.environ, "PORTAL_BOT_SECRET_CLAVE_SOL": CLAVE}
    env.pop("PORTAL_BOT_LANG", None)
    mock, address = start_mock()
    bins = {"portal-bot": BIN} | ({"portal-bot (--also)": also} if also else {})
    sides = [*bins, "script"]
    walls: dict[str, list[float]] = {side: [] for side in sides}
    cpus: dict[str, list[float]] = {side: [] for side in sides}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for i in range(rounds + 1):  # round 0 warms caches up and is not counted
                for side in sides:
                    client.reset(address, SUNAT)
                    client.configure(address, SUNAT, {"popups": "none", "captcha": "never"})
                    folder = Path(tmp) / f"{side}-{i}"
                    if side in bins:
                        command = [
                            str(bins[side] / "portal-bot"), "run", "pe-sunat-pse-alta",
                            "--mock-server", address, "--yes", "-q",
                            "--input", "ruc=20100066603", "--input", "usuario_sol=MODDATOS",
                            "--evidence", str(folder),
                        ]  # fmt: skip
                    else:
                        script = ROOT / "benchmarks" / "sunat_script.py"
                        command = [sys.executable, str(script), address, chromium, str(folder)]
                    wall, cpu = timed(command, env)
                    registrations = client.read_state(address, SUNAT)["registrations"]
                    assert len(registrations) == 1, f"{side}: {registrations}"
                    if i:
                        walls[side].append(wall)
                        cpus[side].append(cpu)
    finally:
        mock.terminate()
        mock.wait(10)
    report(rounds, walls, cpus, also)


def report(
    rounds: int, walls: dict[str, list[float]], cpus: dict[str, list[float]], also: Path | None
) -> None:
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}"
    )
    print(f"rounds: {rounds} each, whole processes, alternating, after one warm-up round")
    if also:
        print(f"portal-bot (--also): {also / 'portal-bot'}")
    for side in walls:
        for what, figures in (("wall", walls[side]), ("CPU", cpus[side])):
            runs = ", ".join(f"{t:.2f}" for t in figures)
            print(
                f"{side:<19} {what:<4} median {statistics.median(figures):5.2f} s  "
                f"(min {min(figures):.2f}, max {max(figures):.2f}; runs: {runs})"
            )
    for side in [s for s in walls if s != "script"]:
        for what, data in (("wall", walls), ("CPU", cpus)):
            ratio = statistics.median(data[side]) / statistics.median(data["script"])
            print(f"ratio {side} / script, {what}: {ratio:.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rounds", nargs="?", type=int, default=7)
    parser.add_argument("--also", type=Path, help="another virtual environment's bin folder")
    arguments = parser.parse_args()
    main(arguments.rounds, arguments.also)
