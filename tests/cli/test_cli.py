"""The CLI through typer's runner (no browser) and, for runs, as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portal_bot.cli import app
from portal_bot.mocks.server import MockServer
from tests.conftest import ROOT, all_bytes, portal_bot_process

runner = CliRunner()
DEMO = ["--input", "ruc=20100066603", "--input", "usuario_sol=MODDATOS"]


def test_flows_lists_every_flow() -> None:
    result = runner.invoke(app, ["flows"])
    assert result.exit_code == 0
    assert "pe-sunat-pse-alta" in result.output


def test_validate_all_flows_passes() -> None:
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert "pe-sunat-pse-alta.yaml" in result.output


def test_validate_a_broken_flow_exits_2_with_file_line_col(tmp_path: Path) -> None:
    broken = tmp_path / "roto.yaml"
    broken.write_text(
        "id: roto\ntitle: x\ncountry: PE\nportal: x\ndomains: [a.b.pe]\nsteps:\n  - clik: x\n"
    )
    result = runner.invoke(app, ["validate", str(broken)])
    assert result.exit_code == 2
    assert f"{broken}:7:5: steps[0]:" in result.output
    assert "Traceback" not in result.output


def test_plan_prints_a_numbered_spanish_checklist() -> None:
    result = runner.invoke(app, ["plan", "pe-sunat-pse-alta"])
    assert result.exit_code == 0
    assert "  1. Abra SUNAT Operaciones en Línea" in result.output
    assert "ENVÍA DATOS" in result.output


def test_unknown_flow_names_the_available_ones() -> None:
    result = runner.invoke(app, ["run", "no-existe", "--mock"])
    assert result.exit_code == 2
    assert "pe-sunat-pse-alta" in result.output


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (
            ["--input", "ruc=20100066604", "--input", "usuario_sol=MODDATOS"],
            {"PORTAL_BOT_SECRET_CLAVE_SOL": "x"},
            "dígito verificador",
        ),
        ([*DEMO, "--input", "clave_sol=moddatos"], {}, "no se acepta en la línea de órdenes"),
        (
            [*DEMO, "--input", "color=rojo"],
            {"PORTAL_BOT_SECRET_CLAVE_SOL": "x"},
            "no tiene esa entrada",
        ),
        (DEMO, {}, "PORTAL_BOT_SECRET_CLAVE_SOL"),
    ],
    ids=["bad-ruc-check-digit", "secret-on-command-line", "unknown-input", "missing-secret"],
)
def test_bad_input_exits_2_before_any_browser_starts(
    args: list[str], env: dict[str, str], expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORTAL_BOT_BROWSER", "/nonexistent/browser-must-not-be-needed")
    monkeypatch.delenv("PORTAL_BOT_SECRET_CLAVE_SOL", raising=False)
    result = runner.invoke(app, ["run", "pe-sunat-pse-alta", "--mock", "--yes", *args], env=env)
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert "moddatos" not in result.output


def test_yes_against_a_live_portal_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    result = runner.invoke(
        app, ["run", "pe-sunat-pse-alta", "--yes", *DEMO], env={"PORTAL_BOT_SECRET_CLAVE_SOL": "x"}
    )
    assert result.exit_code == 2
    assert "--yes solo se permite contra una simulación" in result.output


def _cli(args: list[str], secret: str, evidence: Path) -> subprocess.CompletedProcess[str]:
    command = ["run", "pe-sunat-pse-alta", *DEMO, *args, "--evidence", str(evidence)]
    return portal_bot_process(command, {"clave_sol": secret})


def test_run_without_terminal_and_without_yes_exits_3_and_registers_nothing(
    mock_server: MockServer, tmp_path: Path
) -> None:
    mock_server.reset("sunat")
    mock_server.portal("sunat").configure({"popups": "none", "captcha": "never"})
    done = _cli(["--mock-server", mock_server.address], "moddatos", tmp_path / "ev")

    assert done.returncode == 3, done.stdout + done.stderr
    assert mock_server.state("sunat")["registrations"] == []
    assert "sin terminal" in done.stdout
    assert b"moddatos" not in all_bytes(tmp_path / "ev")


def test_demo_command_with_in_process_mock_exits_0(tmp_path: Path) -> None:
    done = _cli(["--mock", "--yes"], "moddatos", tmp_path / "ev")

    assert done.returncode == 0, done.stdout + done.stderr
    assert "Flujo completado" in done.stdout
    assert "report.html" in done.stdout
    files = {p.name for p in (tmp_path / "ev").iterdir()}
    assert {"events.jsonl", "report.html", "manifest.json", "shots"} <= files
    assert b"moddatos" not in all_bytes(tmp_path / "ev")


def test_mock_command_serves_every_portal_until_interrupted() -> None:
    import re
    import signal

    from portal_bot.mocks.client import read_state

    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_BOT_")}
    env["PORTAL_BOT_LANG"] = "es"
    env["COLUMNS"] = "200"
    process = subprocess.Popen(
        [sys.executable, "-m", "portal_bot", "mock", "--port", "0"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        found = re.search(r"https://(127\.0\.0\.1:\d+)", first)
        assert found, first
        address = found.group(1)
        for host in ("e-menu.sunat.gob.pe", "zeusr.sii.cl", "siigonube.siigo.com"):
            state = read_state(address, host)
            assert {"login_attempts", "submissions", "challenges"} <= set(state)
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=20)
    assert process.returncode == 0, output
    assert "Portal de práctica detenido" in output


@pytest.mark.parametrize(
    ("fmt", "expected"), [("md", "\n1. Abra SUNAT"), ("html", "<ol><li>Abra SUNAT")]
)
def test_plan_formats(fmt: str, expected: str) -> None:
    result = runner.invoke(app, ["plan", "pe-sunat-pse-alta", "--format", fmt])
    assert result.exit_code == 0
    assert expected in result.output


def test_help_flows_and_validate_import_neither_playwright_nor_the_mocks() -> None:
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from portal_bot.cli import app\n"
        "for args in (['--help'], ['flows'], ['validate']):\n"
        "    assert CliRunner().invoke(app, args).exit_code == 0, args\n"
        "heavy = [m for m in sys.modules\n"
        "         if m.split('.')[0] in ('playwright', 'starlette', 'uvicorn')\n"
        "         or m.startswith('portal_bot.mocks')]\n"
        "print(heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
