"""The Chile SII flows end to end, in headless Chromium against the SII mock.

cl-sii-centralizar-certificado uploads the legal representative's certificate;
cl-sii-autenticacion-certificado recovers the clave with an e-mailed code and sets the
way to enter the SII. Bad inputs are refused through the CLI before any browser starts.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portal_bot.certificates import make_pkcs12, read_pkcs12
from portal_bot.evidence import read_events
from portal_bot.prompt import ScriptedPrompter
from tests.conftest import Runner, all_bytes, assert_no_secret

CENTRALIZAR = "cl-sii-centralizar-certificado"
AUTENTICACION = "cl-sii-autenticacion-certificado"
RUT = "12345678-5"
HOLDER = "MARÍA GONZÁLEZ PÉREZ"
CLAVE_SII = "sii-demo"
CLAVE_CERT = "Firma-2024x"
NUEVA_CLAVE = "NuevaCl24"  # 8 to 10 letters and digits
PREGUNTA = "¿En qué ciudad nació su madre?"
RESPUESTA = "Valdivia"
MODE = "Utilizando Clave Tributaria o Certificado Digital"
CODE_QUESTION = "Escriba el código provisorio que el SII envió al correo electrónico del cliente"


def pfx(folder: Path, rut: str = RUT, password: str = CLAVE_CERT, **validity: datetime) -> Path:
    path = folder / "firma.pfx"
    path.write_bytes(make_pkcs12(rut, HOLDER, password, **validity))
    return path


def statuses(folder: Path) -> dict[str, str]:
    """step id → status, for the steps that have an id."""
    events = read_events(folder)
    ids = {e["index"]: e["step_id"] for e in events if e["type"] == "step_started"}
    return {ids[e["index"]]: e["status"] for e in events if e["type"] == "step_ended"}


# -- cl-sii-centralizar-certificado ------------------------------------------------------


def test_centralizes_once_and_a_second_run_submits_nothing(run: Runner, tmp_path: Path) -> None:
    run.reset("sii")
    certificate = pfx(tmp_path)
    inputs = {"rut": "12.345.678-5", "certificado": str(certificate)}
    secrets = {"clave_sii": CLAVE_SII, "clave_certificado": CLAVE_CERT}

    first = run(CENTRALIZAR, inputs, secrets)

    assert first.exit_code == 0, first.message
    state = run.state("sii")
    [saved] = state["centralized"]
    assert (saved["rut"], saved["subject"]) == (RUT, HOLDER)
    assert saved["sha256"] == read_pkcs12(certificate.read_bytes(), CLAVE_CERT).sha256
    assert (state["submissions"], state["login_attempts"], state["sessions"]) == (1, 1, [])
    events = read_events(first.folder)
    [gate] = [e for e in events if e["type"] == "gate_asked"]
    assert gate["details"]["RUT del representante"] == RUT
    assert gate["details"]["Archivo"] == str(certificate.resolve())
    assert statuses(first.folder)["ya-centralizado"] == "skipped"
    assert (first.folder / "report.html").is_file()
    evidence = all_bytes(first.folder)
    assert CLAVE_SII.encode() not in evidence
    assert CLAVE_CERT.encode() not in evidence

    second = run(CENTRALIZAR, inputs, secrets)

    assert second.exit_code == 0, second.message
    assert "Ya estaba hecho" in second.message
    state = run.state("sii")
    assert (len(state["centralized"]), state["submissions"], state["login_attempts"]) == (1, 1, 2)
    steps = statuses(second.folder)
    assert steps["enviar"] == "already_done"
    assert steps["adjuntar-certificado"] == steps["clave-certificado"] == "skipped"
    assert (steps["ya-centralizado"], steps["salir"]) == ("passed", "passed")
    assert not [e for e in read_events(second.folder) if e["type"] == "gate_asked"]
    assert CLAVE_CERT.encode() not in all_bytes(second.folder)


def test_wrong_clave_fails_after_exactly_one_login_attempt(run: Runner, tmp_path: Path) -> None:
    run.reset("sii")
    inputs = {"rut": "123456785", "certificado": str(pfx(tmp_path))}
    result = run(CENTRALIZAR, inputs, {"clave_sii": "otra-clave", "clave_certificado": CLAVE_CERT})

    assert result.exit_code == 1
    assert "no aceptó la Clave Tributaria" in result.message
    assert "No se reintenta" in result.message
    state = run.state("sii")
    assert state["login_attempts"] == 1
    assert state["wrong_claves"] == {RUT: 1}
    assert (state["centralized"], state["submissions"]) == ([], 0)
    failed = [e for e in read_events(result.folder) if e.get("status") == "failed"]
    assert len(failed) == 1 and failed[0]["screenshot"]
    assert b"otra-clave" not in all_bytes(result.folder)
    assert CLAVE_CERT.encode() not in all_bytes(result.folder)


# -- refused before any browser starts (CLI) ----------------------------------------------


@pytest.fixture
def no_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Starting a mock server or finding a browser would fail the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("se intentó abrir el navegador o la simulación")

    monkeypatch.setattr("portal_bot.job.find_browser", refuse)
    monkeypatch.setattr("portal_bot.job._mock", refuse)


def cli(tmp_path: Path, rut: str, certificate: Path, clave_certificado: str) -> tuple[int, str]:
    from portal_bot.cli import app

    inputs = ["--input", f"rut={rut}", "--input", f"certificado={certificate}"]
    evidence = ["--evidence", str(tmp_path / "ev")]
    result = CliRunner().invoke(
        app,
        ["run", CENTRALIZAR, "--mock", "--yes", *evidence, *inputs],
        env={
            "PORTAL_BOT_SECRET_CLAVE_SII": CLAVE_SII,
            "PORTAL_BOT_SECRET_CLAVE_CERTIFICADO": clave_certificado,
        },
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


NOW = datetime.now(UTC)
EXPIRED = {"not_before": NOW - timedelta(days=400), "not_after": NOW - timedelta(days=2)}
BAD_INPUTS = {
    "clave-del-certificado": (
        ("12.345.678-5", RUT, "otra-clave", {}),
        "La clave del certificado digital no es correcta",
    ),
    "certificado-vencido": (
        ("12.345.678-5", RUT, CLAVE_CERT, EXPIRED),
        f"el certificado venció el {EXPIRED['not_after']:%d/%m/%Y}; el cliente debe renovarlo",
    ),
    "digito-verificador": (
        ("12.345.678-4", RUT, CLAVE_CERT, {}),
        "el RUT «12.345.678-4» tiene el dígito verificador equivocado",
    ),
    "otro-rut": (
        ("12.345.678-5", "11.111.111-1", CLAVE_CERT, {}),
        "el certificado es del RUT 11111111-1, no del RUT 12345678-5 indicado",
    ),
}


@pytest.mark.parametrize(("case", "expected"), BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_inputs_exit_2_before_any_browser_starts(
    no_browser: None,
    tmp_path: Path,
    case: tuple[str, str, str, dict[str, datetime]],
    expected: str,
) -> None:
    rut, cert_rut, password, validity = case
    code, output = cli(tmp_path, rut, pfx(tmp_path, rut=cert_rut, **validity), password)

    assert code == 2
    assert expected in " ".join(output.split())
    assert password not in output and CLAVE_SII not in output
    assert not (tmp_path / "ev").exists()


# -- cl-sii-autenticacion-certificado -----------------------------------------------------

GIVEN = {"rut": "12.345.678-5", "pregunta_secreta": PREGUNTA}
SECRETS = {"nueva_clave": NUEVA_CLAVE, "respuesta_secreta": RESPUESTA}


def test_new_clave_and_way_in_are_set_once_without_any_login_attempt(run: Runner) -> None:
    run.reset("sii")
    first = run(AUTENTICACION, GIVEN, SECRETS)

    assert first.exit_code == 0, first.message
    state = run.state("sii")
    assert state["auth_mode"] == {RUT: MODE}
    assert (state["clave_changes"], state["submissions"]) == (1, 1)
    [mail] = state["mailbox"]
    assert mail["to"] == "rgonzalez@empresa.cl"
    assert state["challenges"]["codes"] == {}
    # No clave is ever tried: a rejected one counts towards locking the Clave Tributaria.
    assert (state["login_attempts"], state["wrong_claves"], state["locked"]) == (0, {}, [])
    steps = statuses(first.folder)
    assert steps["pedir-codigo"] == steps["enviar-formulario"] == "passed"
    gates = [e for e in read_events(first.folder) if e["type"] == "gate_asked"]
    assert [g["details"].get("Forma de ingreso al SII") for g in gates] == [None, None, MODE]
    assert all(g["details"]["RUT"] == RUT for g in gates)
    evidence = all_bytes(first.folder)
    assert NUEVA_CLAVE.encode() not in evidence
    assert RESPUESTA.encode() not in evidence
    assert mail["code"].encode() not in evidence

    # A second run sees the way in already chosen on the form and submits nothing.
    second = run(AUTENTICACION, GIVEN, SECRETS)
    assert second.exit_code == 0, second.message
    assert second.result is not None and second.result.outcome == "already_done"
    again = run.state("sii")
    assert (again["clave_changes"], again["submissions"], again["login_attempts"]) == (1, 1, 0)
    assert (len(again["mailbox"]), again["code_attempts"]) == (2, 2)  # a fresh code each run
    steps = statuses(second.folder)
    assert steps["ya-habilitado"] == "already_done"
    assert "enviar-formulario" not in steps


def test_wrong_code_is_sent_once_and_changes_nothing(run: Runner) -> None:
    run.reset("sii")
    prompter = ScriptedPrompter(approve=True, answers={CODE_QUESTION: "ZZZZZZ"}, by="agente")
    result = run(AUTENTICACION, GIVEN, SECRETS, yes=False, prompter=prompter)

    assert result.exit_code == 1
    assert "no aceptó el código provisorio" in result.message
    assert "No se reintenta" in result.message
    state = run.state("sii")
    assert (state["clave_changes"], state["auth_mode"], len(state["mailbox"])) == (0, {}, 1)
    assert statuses(result.folder)["enviar-codigo"] == "failed"
    assert prompter.asked.count(CODE_QUESTION) == 1
    evidence = all_bytes(result.folder)
    assert b"ZZZZZZ" not in evidence
    assert NUEVA_CLAVE.encode() not in evidence


def test_dry_run_e_mails_no_code_and_changes_nothing(run: Runner) -> None:
    run.reset("sii")
    result = run(AUTENTICACION, GIVEN, SECRETS, mode="dry-run")

    assert result.exit_code == 0, result.message
    steps = statuses(result.folder)
    assert steps["pedir-codigo"] == steps["enviar-codigo"] == "simulated"
    assert steps["volver-recuperar"] == "skipped"  # its «Continuar» would e-mail a code
    state = run.state("sii")
    assert (state["mailbox"], state["submissions"], state["clave_changes"]) == ([], 0, 0)


def test_declining_the_code_request_e_mails_nothing(run: Runner) -> None:
    run.reset("sii")
    result = run(
        AUTENTICACION,
        GIVEN,
        SECRETS,
        yes=False,
        prompter=ScriptedPrompter(False, by="agente"),
    )

    assert result.exit_code == 3
    state = run.state("sii")
    assert (state["mailbox"], state["challenges"]["codes"], state["submissions"]) == ([], {}, 0)
    answered = [e for e in read_events(result.folder) if e["type"] == "gate_answered"]
    assert [(e["approved"], e["by"]) for e in answered] == [(False, "agente")]
    assert result.leaks == []
    assert_no_secret(result.folder, SECRETS)
