"""Identity checks: the ``verify`` step compares what the portal shows with the customer's
input, and nothing irreversible is sent to another taxpayer's account.

The comparison alone (no browser), then every seed flow against its mock: the identity
the portal shows reaches the gate, and another company's NIT stops Siigo before paying.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from portal_bot.evidence import read_events
from portal_bot.identity import compare, mismatch_message, tax_ids
from portal_bot.prompt import GateAnswer, GateRequest, Question
from tests.conftest import Runner, all_bytes, assert_no_secret
from tests.runner.test_sii import CLAVE_CERT, CLAVE_SII, GIVEN, SECRETS, pfx
from tests.runner.test_siigo import CLAVE as SIIGO_CLAVE
from tests.runner.test_siigo import DEMO as SIIGO_DEMO
from tests.runner.test_siigo import PENDING as SIIGO_PENDING
from tests.runner.test_siigo import pdf
from tests.runner.test_sunat import CLAVE as SUNAT_CLAVE
from tests.runner.test_sunat import DEMO as SUNAT_DEMO

# --- the comparison --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "given", "shown"),
    [
        ("nit", "900123456-8", "EMPRESA DEMO S.A.S. · NIT 900.123.456-8"),
        ("nit", "900.123.456-8", "NIT: 900123456 - 8"),
        ("nit", "9001234568", "NIT 900 123 456 8 · Plan Pyme"),
        ("nit", "900123456-8", "NIT 900.123.456"),  # the check digit left out
        ("rut", "12345678-5", "RUT: 12.345.678-5"),
        ("rut", "10000013-K", "RUT 10.000.013-k"),
        ("ruc", "20100066603", "RUC: 20100066603 · Usuario: MODDATOS"),
        ("text", "Empresa Demo SAS", "Bienvenido, EMPRESA DEMO S.A.S."),
        ("text", "Compañía Andina", "COMPANIA ANDINA LTDA · NIT 900.123.456-8"),
    ],
)
def test_the_same_identity_matches_however_the_portal_writes_it(
    kind: str, given: str, shown: str
) -> None:
    assert compare(kind, given, shown).ok


@pytest.mark.parametrize(
    ("kind", "given", "shown", "message"),
    [
        (
            "nit",
            "900123456-8",
            "COMERCIALIZADORA PENDIENTE S.A.S. · NIT 901.234.567-7",
            "El portal muestra el NIT 901.234.567-7, pero se indicó 900.123.456-8: la cuenta "
            "con la que se ingresó es de otro contribuyente. No se envió nada; revise el NIT "
            "o la cuenta con el cliente.",
        ),
        (
            "ruc",
            "20100066603",
            "RUC: 20600337832 · Usuario: MODDATOS",
            "El portal muestra el RUC 20600337832, pero se indicó 20100066603: la cuenta con "
            "la que se ingresó es de otro contribuyente. No se envió nada; revise el RUC o la "
            "cuenta con el cliente.",
        ),
        (
            "rut",
            "12345678-5",
            "Usuario: MARÍA GONZÁLEZ",
            "El portal no muestra ningún RUT en «Usuario: MARÍA GONZÁLEZ» (se indicó "
            "12.345.678-5): no se pudo comprobar de quién es la cuenta. No se envió nada.",
        ),
        (
            "text",
            "Otra Empresa",
            "Bienvenido, EMPRESA DEMO S.A.S.",
            "El portal muestra «Bienvenido, EMPRESA DEMO S.A.S.», pero se indicó «Otra "
            "Empresa»: la cuenta con la que se ingresó parece ser de otro contribuyente. No "
            "se envió nada; revise el dato o la cuenta con el cliente.",
        ),
    ],
)
def test_another_identity_is_named_next_to_the_one_given(
    kind: str, given: str, shown: str, message: str
) -> None:
    result = compare(kind, given, shown)
    assert not result.ok
    assert mismatch_message(kind, result) == message


def test_every_valid_id_in_a_text_is_found_and_invalid_ones_are_not() -> None:
    text = "PSE 20600337832 - contribuyente 20100066603; teléfono 2010006660; 29/11/2026"
    assert tax_ids("ruc", text) == ["20600337832", "20100066603"]
    # a wrong check digit is no RUT at all: never taken for the customer's
    assert not compare("rut", "12345678-5", "RUT 12.345.678-4").ok


# --- the seed flows against their mocks ------------------------------------------------


@dataclass
class StopAt:
    """Approves every gate until the one whose question starts with ``stop``; answers the
    mock's own challenges (captcha, e-mailed code) as ``--yes`` does."""

    stop: str
    gates: list[GateRequest] = field(default_factory=list)

    def confirm(self, gate: GateRequest) -> GateAnswer:
        self.gates.append(gate)
        return GateAnswer(not gate.question.startswith(self.stop), "agente")

    def ask(self, question: Question) -> str | None:
        return question.mock_value

    def wait_for_human(self, instruction: str) -> bool:
        return True


def _sunat(tmp: Path) -> tuple[dict[str, str], dict[str, str]]:
    return SUNAT_DEMO, SUNAT_CLAVE


def _centralizar(tmp: Path) -> tuple[dict[str, str], dict[str, str]]:
    given = {"rut": "12.345.678-5", "certificado": str(pfx(tmp))}
    return given, {"clave_sii": CLAVE_SII, "clave_certificado": CLAVE_CERT}


def _autenticacion(tmp: Path) -> tuple[dict[str, str], dict[str, str]]:
    return GIVEN, SECRETS


def _siigo(tmp: Path) -> tuple[dict[str, str], dict[str, str]]:
    letter = tmp / "carta-firmada.pdf"
    letter.write_bytes(pdf())
    return {**SIIGO_DEMO, "rep_tipo_documento": "CC", "carta_firmada": str(letter)}, SIIGO_CLAVE


SEEDS: dict[str, tuple[str, dict[str, Any], Any, str, list[str]]] = {
    "pe-sunat-pse-alta": (
        "sunat",
        {"popups": "none", "captcha": "never"},
        _sunat,
        "¿Registrar",
        ["RUC 20100066603 (el portal muestra «RUC: 20100066603"],
    ),
    "cl-sii-centralizar-certificado": (
        "sii",
        {},
        _centralizar,
        "¿Centralizar",
        ["RUT 12.345.678-5 (el portal muestra «"],
    ),
    "cl-sii-autenticacion-certificado": (
        "sii",
        {},
        _autenticacion,
        "¿Enviar al SII el código",
        ["", "RUT 12.345.678-5 (el portal muestra «RUT: 12.345.678-5»)"],
    ),
    "co-siigo-certificado-digital": (
        "siigo",
        {},
        _siigo,
        "¿Enviar la solicitud",
        ["NIT 900.123.456-8 (el portal muestra «EMPRESA DEMO S.A.S. · NIT 900.123.456-8»)"],
    ),
}


@pytest.mark.parametrize("name", list(SEEDS))
def test_every_seed_flow_shows_the_verified_identity_at_its_gates(
    name: str, run: Runner, tmp_path: Path
) -> None:
    """The gates up to ``stop`` approved, that one declined: nothing is sent, and no secret
    reaches the evidence."""
    portal, settings, make, stop, identities = SEEDS[name]
    run.reset(portal, **settings)
    given, secrets = make(tmp_path)
    agent = StopAt(stop)
    result = run(name, given, secrets, yes=False, prompter=agent)

    assert result.exit_code == 3, result.message
    assert run.state(portal)["submissions"] == 0
    assert result.leaks == []
    assert_no_secret(result.folder, secrets)
    shown = [gate.details.get("Identidad comprobada", "") for gate in agent.gates]
    assert len(shown) == len(identities)
    for line, expected in zip(shown, identities, strict=True):
        assert line.startswith(expected)
    said = [e["text"] for e in read_events(result.folder) if e["type"] == "said"]
    assert any(t.startswith("Identidad comprobada: ") for t in said)
    if name == "cl-sii-autenticacion-certificado":
        # nothing shows whose account it is before the code is e-mailed: the gate says so
        reason = agent.gates[0].details["Identidad no comprobada"]
        assert reason.startswith("Antes de pedir el código no hay sesión")
    if name == "co-siigo-certificado-digital":
        # «CC», as Colombians write it, reached the portal as the option it stands for
        representative = run.state("siigo")["representative"]["900.123.456-8"]
        assert representative["document_type"] == "Cédula de ciudadanía"
        assert agent.gates[-1].details["Documento"] == "Cédula de ciudadanía 52123456"


def test_siigo_with_another_companys_nit_stops_before_paying(run: Runner, tmp_path: Path) -> None:
    run.reset("siigo")
    letter = tmp_path / "carta-firmada.pdf"
    letter.write_bytes(pdf())
    # The pending account belongs to NIT 901.234.567-7 and its certificate is not paid.
    given = {**SIIGO_PENDING, "nit": "900.123.456-8", "carta_firmada": str(letter)}
    result = run("co-siigo-certificado-digital", given, SIIGO_CLAVE)

    assert result.exit_code == 1
    assert "El portal muestra el NIT 901.234.567-7, pero se indicó 900.123.456-8" in (
        result.message
    )
    state = run.state("siigo")
    assert (state["payments"], state["requests"], state["submissions"]) == ([], [], 0)
    assert state["representative"] == {} and state["letter"] == {}
    events = read_events(result.folder)
    assert not any(e["type"] == "gate_asked" for e in events)
    [failed] = [e for e in events if e.get("status") == "failed"]
    started = {e["index"]: e for e in events if e["type"] == "step_started"}
    assert started[failed["index"]]["step_id"] == "comprobar-nit"
    assert failed["screenshot"]
    assert b"siigo-demo" not in all_bytes(result.folder)
