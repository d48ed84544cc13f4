"""Every input is known and checked before any browser starts (through the CLI, against
the session's mock server so that its state shows nothing reached the portal)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from portal_bot.cli import app
from portal_bot.mocks.server import MockServer
from tests.runner.test_siigo import DEMO as SIIGO_DEMO

runner = CliRunner()
NO_BROWSER = "/nonexistent/browser-must-not-be-needed"


def _inputs(given: dict[str, str]) -> list[str]:
    return [arg for name, value in given.items() for arg in ("--input", f"{name}={value}")]


def test_plan_lists_the_signed_letter_among_the_data_needed() -> None:
    result = runner.invoke(app, ["plan", "co-siigo-certificado-digital"])

    assert result.exit_code == 0, result.output
    needed = result.output.split("Datos necesarios:")[1].split("Pasos:")[0]
    assert "carta_firmada: Carta de exoneración de Siigo firmada" in needed
    assert "un PDF; máximo 1.00 MB" in needed
    assert "«Cédula de ciudadanía» (también CC" in needed
    assert "Se preguntan durante la ejecución" not in result.output  # nothing mid-run
    assert "COMPRUEBA LA IDENTIDAD" in result.output


def test_plan_lists_the_portals_own_challenges_as_the_only_mid_run_questions() -> None:
    result = runner.invoke(app, ["plan", "pe-sunat-pse-alta"])

    assert result.exit_code == 0, result.output
    mid_run = result.output.split("Se preguntan durante la ejecución:")[1].split("Pasos:")[0]
    assert mid_run.strip() == "- Escriba el código de la imagen de verificación que muestra SUNAT"


def test_yes_without_the_signed_letter_exits_2_before_any_login(
    mock_server: MockServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mock_server.reset("siigo")
    monkeypatch.setenv("PORTAL_BOT_BROWSER", NO_BROWSER)
    evidence = tmp_path / "evidencia"
    target = ["--mock-server", mock_server.address, "--yes", "--evidence", str(evidence)]
    result = runner.invoke(
        app,
        ["run", "co-siigo-certificado-digital", *target, *_inputs(SIIGO_DEMO)],
        env={"PORTAL_BOT_SECRET_CLAVE_SIIGO": "siigo-demo"},
    )

    assert result.exit_code == 2, result.output
    assert "Falta «carta_firmada» (Carta de exoneración de Siigo" in result.output
    assert "--input carta_firmada=" in result.output
    assert mock_server.state("siigo")["login_attempts"] == 0
    assert not evidence.exists()
    assert "siigo-demo" not in result.output


def test_yes_names_every_missing_input_and_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_BOT_BROWSER", NO_BROWSER)
    monkeypatch.delenv("PORTAL_BOT_SECRET_CLAVE_SIIGO", raising=False)
    given = {k: v for k, v in SIIGO_DEMO.items() if k not in ("nit", "rep_telefono")}
    result = runner.invoke(
        app, ["run", "co-siigo-certificado-digital", "--mock", "--yes", *_inputs(given)]
    )

    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    for expected in (
        "Falta «clave_siigo» (Contraseña de Siigo Nube): indíquelo con la variable de "
        "entorno PORTAL_BOT_SECRET_CLAVE_SIIGO",
        "--input nit=900.123.456-8",
        '--input rep_telefono="300 123 4567"',
        "--input carta_firmada=RUTA/DEL/ARCHIVO",
    ):
        assert expected in text


def test_a_13_character_new_sii_clave_exits_2_before_any_code_is_sent(
    mock_server: MockServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mock_server.reset("sii")
    monkeypatch.setenv("PORTAL_BOT_BROWSER", NO_BROWSER)
    clave = "NuevaClave123"
    assert len(clave) == 13
    evidence = tmp_path / "evidencia"
    target = ["--mock-server", mock_server.address, "--yes", "--evidence", str(evidence)]
    result = runner.invoke(
        app,
        ["run", "cl-sii-autenticacion-certificado", *target, "--input", "rut=12.345.678-5"],
        env={"PORTAL_BOT_SECRET_NUEVA_CLAVE": clave},
    )

    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "«nueva_clave» (Nueva Clave Tributaria" in text
    assert "debe tener de 8 a 10 caracteres (ejemplo de un valor válido: Clave2026)" in text
    assert clave not in result.output
    state = mock_server.state("sii")
    assert (state["mailbox"], state["challenges"]["codes"], state["submissions"]) == ([], {}, 0)
    assert not evidence.exists()


@pytest.mark.parametrize(
    ("name", "value", "rule"),
    [
        ("rep_tipo_documento", "DNI", "no es una de las opciones admitidas: «Cédula de"),
        ("rep_telefono", "12-34", "no cumple la regla: de 7 a 10 dígitos"),
        ("medio_pago", "efectivo", "«Tarjeta de crédito» (también tarjeta, TC)"),
    ],
)
def test_a_value_that_breaks_its_rule_is_refused_naming_input_rule_and_example(
    name: str, value: str, rule: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tests.runner.test_siigo import pdf

    monkeypatch.setenv("PORTAL_BOT_BROWSER", NO_BROWSER)
    letter = tmp_path / "carta.pdf"
    letter.write_bytes(pdf())
    given = {**SIIGO_DEMO, "carta_firmada": str(letter), name: value}
    result = runner.invoke(
        app,
        ["run", "co-siigo-certificado-digital", "--mock", "--yes", *_inputs(given)],
        env={"PORTAL_BOT_SECRET_CLAVE_SIIGO": "siigo-demo"},
    )

    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert f"«{name}» (" in text and f"«{value}»" in text and rule in text
