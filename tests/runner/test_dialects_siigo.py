"""co-siigo-certificado-digital in every markup dialect of the Siigo mock.

The five scenarios of issue 13 in dialects 2 and 3 (1, the real markup, is
test_siigo.py's): a success with and without a payment (exactly one request), a declined
gate, a wrong password (one login attempt), a dry-run (nothing submitted) and a second run
after a success (nothing new).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from portal_bot.evidence import read_events
from portal_bot.prompt import ScriptedPrompter
from tests.conftest import Runner
from tests.runner.test_siigo import (
    CLAVE,
    COMPANY_CONTACT,
    DEMO,
    DEMO_NIT,
    FLOW,
    PENDING,
    PENDING_NIT,
    pdf,
)

DIALECTS = [pytest.param(n, id=f"dialecto-{n}") for n in (2, 3)]
"""The dialects other than 1. Dialect 1 is the real markup and every mock's default: the
same scenarios in it are the flow's own tests (test_siigo.py, test_all_flows.py), which
check all that is checked here and more; running them again here only cost time."""


@pytest.fixture
def signed(tmp_path: Path) -> Path:
    path = tmp_path / "carta-firmada.pdf"
    path.write_bytes(pdf())
    return path


@pytest.mark.parametrize("dialect", DIALECTS)
def test_success_sends_one_request_and_a_second_run_sends_nothing(
    run: Runner, signed: Path, dialect: int
) -> None:
    run.reset("siigo", dialect=dialect)
    given = {**DEMO, "carta_firmada": str(signed)}
    result = run(FLOW, given, CLAVE)

    assert result.exit_code == 0, result.message
    state = run.state("siigo")
    assert state["dialect"] == dialect
    assert (state["login_attempts"], state["submissions"], state["payments"]) == (1, 1, [])
    assert [(r["nit"], r["state"]) for r in state["requests"]] == [(DEMO_NIT, "En trámite")]
    saved = state["representative"][DEMO_NIT]
    assert (saved["email"], saved["phone"]) == ("ana.perez@empresa.co", "300 123 4567")
    assert saved["document_type"] == "Cédula de ciudadanía"
    assert state["company_contact"][DEMO_NIT] == COMPANY_CONTACT, "company fields untouched"
    [gate] = [e for e in read_events(result.folder) if e["type"] == "gate_asked"]
    assert gate["details"]["Empresa en Siigo"] == "EMPRESA DEMO S.A.S. · NIT 900.123.456-8"
    assert gate["details"]["Siigo muestra"] == "Documento adjunto: carta-firmada.pdf"

    again = run(FLOW, given, CLAVE)

    assert again.exit_code == 0, again.message
    assert "ya se había enviado" in again.message and "En trámite" in again.message
    state = run.state("siigo")
    assert (state["login_attempts"], state["submissions"], len(state["requests"])) == (2, 1, 1)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_success_with_payment(run: Runner, signed: Path, dialect: int) -> None:
    run.reset("siigo", dialect=dialect)
    result = run(FLOW, {**PENDING, "carta_firmada": str(signed)}, CLAVE)

    assert result.exit_code == 0, result.message
    state = run.state("siigo")
    assert [(p["nit"], p["amount"]) for p in state["payments"]] == [(PENDING_NIT, 297_500)]
    assert [(r["nit"], r["state"]) for r in state["requests"]] == [(PENDING_NIT, "En trámite")]
    assert (state["login_attempts"], state["submissions"]) == (1, 2)
    gate = next(e for e in read_events(result.folder) if e["type"] == "gate_asked")
    assert gate["details"]["Total a pagar"] == "$ 297.500"
    assert gate["details"]["Certificado"] == "$ 250.000 + IVA · Vigencia: 1 año"


@pytest.mark.parametrize("dialect", DIALECTS)
def test_declined_gate_pays_and_sends_nothing(run: Runner, signed: Path, dialect: int) -> None:
    run.reset("siigo", dialect=dialect)
    result = run(
        FLOW, {**PENDING, "carta_firmada": str(signed)}, CLAVE,
        yes=False, prompter=ScriptedPrompter(False, by="agente"),
    )  # fmt: skip

    assert result.exit_code == 3, result.message
    state = run.state("siigo")
    assert (state["payments"], state["requests"], state["submissions"]) == ([], [], 0)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_wrong_password_is_tried_once(run: Runner, signed: Path, dialect: int) -> None:
    run.reset("siigo", dialect=dialect)
    result = run(FLOW, {**DEMO, "carta_firmada": str(signed)}, {"clave_siigo": "otra-clave"})

    assert result.exit_code == 1
    assert "Siigo no aceptó el usuario o la contraseña" in result.message
    assert run.state("siigo")["login_attempts"] == 1


@pytest.mark.parametrize("dialect", DIALECTS)
def test_dry_run_submits_nothing(run: Runner, signed: Path, dialect: int) -> None:
    run.reset("siigo", dialect=dialect)
    result = run(FLOW, {**DEMO, "carta_firmada": str(signed)}, CLAVE, mode="dry-run")

    assert result.exit_code == 0, result.message
    state = run.state("siigo")
    assert (state["submissions"], state["requests"], state["payments"]) == (0, [], [])
    events = read_events(result.folder)
    ids = {e["index"]: e["step_id"] for e in events if e["type"] == "step_started"}
    simulated = [e for e in events if e["type"] == "step_ended" and e["status"] == "simulated"]
    assert [ids[e["index"]] for e in simulated] == ["enviar-solicitud"]
