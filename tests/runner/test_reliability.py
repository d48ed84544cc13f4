"""Retries, the run's deadline and Ctrl-C, against the SUNAT mock.

A read-only step that the portal fails once (an error page, a dropped connection) is tried
again and the run goes on; a persistent fault ends the run with its cause; ``--deadline``
bounds the whole run; Ctrl-C ends it with exit 130 and a closed, valid evidence folder.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from portal_bot.evidence import read_events
from portal_bot.mocks.server import MockServer
from portal_bot.mocks.sunat import catalog as sunat
from portal_bot.verify import verify
from tests.conftest import ROOT, Runner
from tests.runner.test_sunat import CLAVE, DEMO

FLOW = "pe-sunat-pse-alta"


def said(folder: Path) -> list[str]:
    return [e["text"] for e in read_events(folder) if e["type"] == "said"]


def test_a_page_the_portal_fails_once_is_asked_for_again_and_the_run_goes_on(
    run: Runner,
) -> None:
    run.reset("sunat", popups="none", captcha="never")
    menu = run.server.inject("sunat", kind="error500", path=sunat.MENU_PATH, times=1)
    module = run.server.inject("sunat", kind="drop", path=sunat.PSE_PATH, method="GET", times=1)

    result = run(FLOW, DEMO, CLAVE, step_timeout_ms=3000)

    assert result.exit_code == 0, result.message
    assert (menu.hits, module.hits) == (1, 1)
    retries = [text for text in said(result.folder) if "se intenta de nuevo" in text]
    assert len(retries) == 2, retries
    assert "(HTTP 500)" in retries[0] and "Se cortó la conexión" in retries[1]
    state = run.state("sunat")
    assert (len(state["registrations"]), state["submissions"], state["login_attempts"]) == (1, 1, 1)


def test_retries_stop_at_three_tries_with_the_cause_in_the_message(run: Runner) -> None:
    run.reset("sunat", popups="none", captcha="never")
    menu = run.server.inject("sunat", kind="error500", path=sunat.MENU_PATH, times=99)

    result = run(FLOW, DEMO, CLAVE)

    assert result.exit_code == 1
    assert menu.hits == 3  # the first try and two more, then stop
    assert result.message.startswith("Falló el paso 1 «Abra SUNAT Operaciones en Línea»")
    assert "(HTTP 500)" in result.message
    assert run.state("sunat")["login_attempts"] == 0


def test_the_deadline_bounds_the_whole_run(run: Runner) -> None:
    run.reset("sunat", popups="none", captcha="never")
    run.server.inject("sunat", kind="slow", path=sunat.PSE_PATH, method="GET", seconds=120)

    started = time.monotonic()
    result = run(FLOW, DEMO, CLAVE, deadline_s=8)
    took = time.monotonic() - started

    assert result.exit_code == 1
    assert "se acabó el plazo de la ejecución (--deadline 8 s)" in result.message
    assert "no terminó de responder" in result.message
    assert took < 8 + 10, took  # the deadline, then the picture, the report and the close
    assert run.state("sunat")["submissions"] == 0


def test_ctrl_c_ends_with_130_and_a_closed_valid_evidence_folder(
    mock_server: MockServer, tmp_path: Path
) -> None:
    mock_server.reset("sunat")
    mock_server.portal("sunat").configure({"popups": "none", "captcha": "never"})
    mock_server.inject("sunat", kind="slow", path=sunat.PSE_PATH, method="GET", seconds=120)
    folder = tmp_path / "evidencia"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_BOT_")}
    env.update(PORTAL_BOT_LANG="es", PORTAL_BOT_SECRET_CLAVE_SOL=CLAVE["clave_sol"])
    args = [sys.executable, "-m", "portal_bot", "run", FLOW, "--yes"]
    args += ["--mock-server", mock_server.address, "--evidence", str(folder)]
    args += [f"--input={name}={value}" for name, value in DEMO.items()]
    process = subprocess.Popen(
        args, env=env, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    seen = []
    for line in process.stdout:  # one line per finished step
        seen.append(line)
        if "Haga clic en «Altas/Bajas de PSE»" in line:  # the next step waits for the module
            break
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    stdout = "".join(seen) + stdout

    assert process.returncode == 130, stdout + stderr
    assert "Interrumpido" in stdout + stderr
    assert verify(folder) == [], stdout + stderr
    lines = [json.loads(line) for line in (folder / "events.jsonl").read_text().splitlines()]
    assert lines[-1]["type"] == "run_ended" and lines[-1]["outcome"] == "interrupted"
    assert (folder / "report.html").is_file() and (folder / "manifest.json").is_file()
    assert mock_server.state("sunat")["submissions"] == 0
