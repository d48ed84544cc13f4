"""``portal-bot secrets …`` and ``run --secrets keyring``, with an in-memory OS keyring."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from keyring.backends import fail
from typer.testing import CliRunner

from portal_bot.cli import app
from portal_bot.evidence import read_events
from portal_bot.job import JobRequest, execute
from tests.conftest import Runner, all_bytes, flow
from tests.unit.test_secrets import MemoryKeyring, use

runner = CliRunner()
DEMO = ["--input", "ruc=20100066603", "--input", "usuario_sol=MODDATOS"]
SET_CLAVE = ["secrets", "set", "clave_sol", "--account", "20100066603"]


@pytest.fixture
def memory() -> Iterator[MemoryKeyring]:
    yield from use(MemoryKeyring())


@pytest.fixture
def no_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs that must stop before any browser starts."""
    monkeypatch.setenv("PORTAL_BOT_BROWSER", "/nonexistent/browser-must-not-be-needed")
    monkeypatch.delenv("PORTAL_BOT_SECRET_CLAVE_SOL", raising=False)


def test_set_stores_the_value_under_the_taxpayers_entry(memory: MemoryKeyring) -> None:
    result = runner.invoke(app, SET_CLAVE, input="moddatos\n")

    assert result.exit_code == 0, result.output
    assert memory.entries == {("portal-bot", "clave_sol@20100066603"): "moddatos"}
    assert "Guardado en el llavero del sistema como «clave_sol@20100066603»" in result.output
    assert "moddatos" not in result.output


def test_a_value_given_as_an_argument_is_refused_and_not_echoed(memory: MemoryKeyring) -> None:
    result = runner.invoke(app, ["secrets", "set", "clave_sol", "moddatos"], input="x\n")

    assert result.exit_code == 2
    assert "nunca se escribe en la línea de órdenes" in result.output
    assert "moddatos" not in result.output
    assert memory.entries == {}


def test_set_without_account_for_per_taxpayer_flows_says_how(memory: MemoryKeyring) -> None:
    result = runner.invoke(app, ["secrets", "set", "clave_sol"], input="moddatos\n")

    assert result.exit_code == 2
    assert "--account RUC" in result.output
    assert memory.entries == {}


def test_an_account_with_a_wrong_check_digit_is_refused(memory: MemoryKeyring) -> None:
    result = runner.invoke(
        app, ["secrets", "set", "clave_sol", "--account", "20100066604"], input="moddatos\n"
    )

    assert result.exit_code == 2
    assert "--account: el RUC «20100066604» tiene el dígito verificador equivocado" in result.output
    assert memory.entries == {}


def test_no_usable_keyring_exits_2_in_spanish_and_stores_nothing(
    no_browser: None, tmp_path: Path
) -> None:
    for _ in use(fail.Keyring()):
        stored = runner.invoke(app, SET_CLAVE, input="moddatos\n")
        ran = runner.invoke(
            app,
            ["run", "pe-sunat-pse-alta", "--mock", "--yes", "--secrets", "keyring", *DEMO],
            env={"PORTAL_BOT_SECRET_CLAVE_SOL": "moddatos"},
        )
    for result in (stored, ran):
        assert result.exit_code == 2, result.output
        assert "No hay un llavero del sistema seguro" in result.output
        assert "PORTAL_BOT_SECRET_<NOMBRE>" in result.output
        assert "moddatos" not in result.output
        assert "Traceback" not in result.output


def test_status_set_and_delete(memory: MemoryKeyring) -> None:
    status = ["secrets", "status", "pe-sunat-pse-alta", "--account", "20100066603"]

    before = runner.invoke(app, status)
    assert before.exit_code == 1
    assert "portal-bot secrets set clave_sol --account 20100066603" in before.output

    assert runner.invoke(app, SET_CLAVE, input="moddatos\n").exit_code == 0
    after = runner.invoke(app, status)
    assert after.exit_code == 0, after.output
    assert "guardado" in after.output
    assert "moddatos" not in after.output

    deleted = runner.invoke(app, ["secrets", "delete", "clave_sol", "--account", "20100066603"])
    assert deleted.exit_code == 0
    assert "Borrado «clave_sol@20100066603»" in deleted.output
    assert memory.entries == {}

    no_account = runner.invoke(app, ["secrets", "status", "pe-sunat-pse-alta"])
    assert no_account.exit_code == 2
    assert "por RUC: indique --account" in no_account.output


def test_run_with_a_secret_missing_from_the_keyring_names_the_command(
    memory: MemoryKeyring, no_browser: None
) -> None:
    result = runner.invoke(
        app, ["run", "pe-sunat-pse-alta", "--mock", "--yes", "--secrets", "keyring", *DEMO]
    )

    assert result.exit_code == 2, result.output
    assert "portal-bot secrets set clave_sol --account 20100066603" in result.output


def test_an_unknown_secret_source_is_refused(no_browser: None) -> None:
    result = runner.invoke(app, ["run", "pe-sunat-pse-alta", "--mock", "--secrets", "archivo"])

    assert result.exit_code == 2
    assert "--secrets admite env o keyring" in result.output


def test_a_real_run_takes_the_clave_from_the_keyring_and_keeps_it_out_of_the_evidence(
    memory: MemoryKeyring, run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PORTAL_BOT_SECRET_CLAVE_SOL", raising=False)
    memory.set_password("portal-bot", "clave_sol@20100066603", "moddatos")
    run.reset("sunat", popups="none", captcha="never")
    request = JobRequest(
        flow=flow("pe-sunat-pse-alta"),
        given={"ruc": "20100066603", "usuario_sol": "MODDATOS"},
        evidence=tmp_path / "ev",
        mock_server=run.server.address,
        yes=True,
        secrets="keyring",
    )

    result = execute(request, None, None, browser=run.browser)

    assert result.exit_code == 0, result.message
    assert run.state("sunat")["login_attempts"] == 1
    assert len(run.state("sunat")["registrations"]) == 1
    assert read_events(result.folder)[0]["inputs"]["clave_sol"] == "•••"
    assert b"moddatos" not in all_bytes(result.folder)
