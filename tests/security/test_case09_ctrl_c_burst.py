"""Case 9: a burst of Ctrl-C (40 SIGINT, 50 ms apart) on a real ``portal-bot run`` still
leaves a closed folder: report, secret scan and manifest, and ``verify`` finds it whole,
whether it comes the moment the folder exists or a few steps in."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from portal_bot.mocks.server import MockServer
from portal_bot.verify import verify
from tests.conftest import ROOT, step_ended_line
from tests.runner.test_sunat import CLAVE, DEMO


def _under_way(line: str, attempt: int) -> bool:
    """Is this the line the burst waits for? ``attempt`` 0: the evidence folder was just
    made; N: step N+1 has ended (its line starts «  N+1/24»; a path may hold «4/» too)."""
    if attempt == 0:
        return line.startswith("Evidencia en")
    return step_ended_line(line, 1 + attempt)


@pytest.mark.parametrize("attempt", [0, 1, 2, 3])
def test_a_burst_of_ctrl_c_still_closes_the_evidence(
    mock_server: MockServer, tmp_path: Path, attempt: int
) -> None:
    mock_server.reset("sunat")
    mock_server.portal("sunat").configure({"popups": "none", "captcha": "never"})
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_BOT_")}
    env.update(PORTAL_BOT_LANG="es", PYTHONUNBUFFERED="1")
    env["PORTAL_BOT_SECRET_CLAVE_SOL"] = CLAVE["clave_sol"]
    folder = tmp_path / "ev"
    demo = [f"--input={k}={v}" for k, v in DEMO.items()]
    command = [
        *(sys.executable, "-m", "portal_bot", "run", "pe-sunat-pse-alta", *demo),
        *("--mock-server", mock_server.address, "--yes", "--evidence", str(folder)),
    ]
    process = subprocess.Popen(
        command,
        env=env,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if _under_way(line, attempt):
                break
        else:
            raise AssertionError(f"the run ended before the burst: {process.communicate()}")
        for _ in range(40):  # the attack: Ctrl-C held down
            if process.poll() is not None:
                break
            process.send_signal(signal.SIGINT)
            time.sleep(0.05)
        process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    assert (folder / "report.html").is_file()
    assert (folder / "manifest.json").is_file()
    assert verify(folder) == []
    assert process.returncode == 130
    assert b"moddatos" not in b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())
