"""Case 11: ``/proc/PID/environ`` of a running ``portal-bot run`` holds no
PORTAL_BOT_SECRET_* (the process starts itself again without them and gets them through
a pipe), and neither does any of its children (the Playwright driver, Chromium)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from portal_bot.mocks.server import MockServer
from tests.conftest import ROOT, step_ended_line
from tests.runner.test_sunat import CLAVE, DEMO

pytestmark = pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="sin /proc")


def _descendants(pid: int) -> list[int]:
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        children = [child for child, parent in parents.items() if parent == current]
        found.extend(children)
        frontier.extend(children)
    return found


def _environ(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return b""


def test_no_process_of_the_run_has_the_secret_in_its_environment(
    mock_server: MockServer, tmp_path: Path
) -> None:
    mock_server.reset("sunat")
    mock_server.portal("sunat").configure({"popups": "none", "captcha": "never"})
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_BOT_")}
    env.update(PORTAL_BOT_LANG="es", PYTHONUNBUFFERED="1")
    env["PORTAL_BOT_SECRET_CLAVE_SOL"] = CLAVE["clave_sol"]
    demo = [f"--input={k}={v}" for k, v in DEMO.items()]
    command = [
        *(sys.executable, "-m", "portal_bot", "run", "pe-sunat-pse-alta", *demo),
        *("--mock-server", mock_server.address, "--yes", "--evidence", str(tmp_path / "ev")),
    ]
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    seen: dict[int, bytes] = {}
    try:
        assert process.stdout is not None
        for line in process.stdout:  # look while the run is under way, browser open
            if step_ended_line(line, 2):
                for pid in [process.pid, *_descendants(process.pid)]:
                    seen[pid] = _environ(pid)
                break
        _, stderr = process.communicate(timeout=180)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    assert process.returncode == 0, stderr
    assert len(seen) >= 3  # portal-bot, the Playwright driver, Chromium
    for pid, environ in seen.items():
        assert b"PORTAL_BOT_SECRET_" not in environ, pid
        assert b"moddatos" not in environ, pid
    assert mock_server.state("sunat")["login_attempts"] == 1
