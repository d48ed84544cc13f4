"""co-siigo-certificado-digital end to end, in headless Chromium against the Siigo mock."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portal_bot.cli import app
from portal_bot.errors import InputError
from portal_bot.evidence import read_events
from portal_bot.inputs import collect
from portal_bot.mocks.siigo.letter import build_pdf
from portal_bot.prompt import GateAnswer, GateRequest, Question, ScriptedPrompter
from tests.conftest import Runner, all_bytes, flow

FLOW = "co-siigo-certificado-digital"
CLAVE = {"clave_siigo": "siigo-demo"}
DEMO_NIT, PENDING_NIT = "900.123.456-8", "901.234.567-7"
REPRESENTATIVE = {
    "rep_nombre": "Ana María Pérez Gómez",
    "rep_tipo_documento": "Cédula de ciudadanía",
    "rep_numero_documento": "52.123.456",
    "rep_email": "ana.perez@empresa.co",
    "rep_telefono": "300 123 4567",
}
DEMO = {"usuario": "demo@empresa.co", "nit": DEMO_NIT, **REPRESENTATIVE}
PENDING = {"usuario": "pendiente@empresa.co", "nit": "9012345677", **REPRESENTATIVE}
COMPANY_CONTACT = {"email": "contabilidad@empresademo.co", "phone": "6017425000"}
"""The demo company's own contact in Siigo: the flow never touches it."""


def pdf(pad_to: int = 0) -> bytes:
    """A valid one-page PDF (the mock's own writer), padded to about ``pad_to`` bytes."""
    text = [("F1", "Carta firmada y escaneada")]
    small = build_pdf([*text, ("F1", "")])
    return build_pdf([*text, ("F1", "0" * max(0, pad_to - len(small)))])


@pytest.fixture
def signed(tmp_path: Path) -> Path:
    path = tmp_path / "carta-firmada.pdf"
    path.write_bytes(pdf())
    return path


@pytest.fixture
def too_big(tmp_path: Path) -> Path:
    path = tmp_path / "carta-grande.pdf"
    path.write_bytes(pdf(1_200_000))
    return path


@pytest.fixture
def not_a_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "carta.pdf"
    path.write_text("Carta firmada (en realidad, un texto)\n", encoding="utf-8")
    return path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def saved_letter(folder: Path) -> Path:
    [letter] = (folder / "files").glob("*-carta-exoneracion.pdf")
    return letter


@dataclass
class Agent:
    """Answers each question with the next file of a list; approves every gate unless
    told to decline the one with this question."""

    files: list[Path]
    decline: str = ""
    asked: list[str] = field(default_factory=list)

    def confirm(self, gate: GateRequest) -> GateAnswer:
        return GateAnswer(not (self.decline and gate.question.startswith(self.decline)), "agente")

    def ask(self, question: Question) -> str | None:
        self.asked.append(question.text)
        return str(self.files.pop(0)) if self.files else None

    def wait_for_human(self, instruction: str) -> bool:
        return True


# --- done when ---------------------------------------------------------------------------


def test_paid_account_sends_the_request_once_and_a_second_run_sends_nothing(
    run: Runner, signed: Path
) -> None:
    run.reset("siigo")
    result = run(FLOW, {**DEMO, "carta_firmada": str(signed)}, CLAVE)

    assert result.exit_code == 0, result.message
    assert "set de pruebas de la DIAN" in result.message
    state = run.state("siigo")
    assert state["login_attempts"] == 1
    assert state["payments"] == []
    assert state["letters_downloaded"] == 1
    assert state["letter"][DEMO_NIT]["sha256"] == sha256(signed)
    assert [(r["nit"], r["state"]) for r in state["requests"]] == [(DEMO_NIT, "En trámite")]
    assert state["submissions"] == 1
    representative = state["representative"][DEMO_NIT]
    assert (representative["person_type"], representative["full_name"]) == (
        "Jurídica",
        "Ana María Pérez Gómez",
    )
    assert representative["document_type"] == "Cédula de ciudadanía"
    assert representative["document_number"] == "52123456"
    assert (representative["email"], representative["phone"]) == (
        "ana.perez@empresa.co",
        "300 123 4567",
    )
    assert state["company_contact"][DEMO_NIT] == COMPANY_CONTACT, "company fields untouched"

    letter = saved_letter(result.folder)
    assert letter.read_bytes().startswith(b"%PDF-")
    assert "Ana María Pérez Gómez".encode("cp1252") in letter.read_bytes()
    events = read_events(result.folder)
    [kept] = [e for e in events if e["type"] == "file_saved"]
    assert kept["sha256"] == sha256(letter)
    [gate] = [e for e in events if e["type"] == "gate_asked"]
    assert gate["details"]["Representante legal"] == "Ana María Pérez Gómez"
    assert gate["details"]["Empresa en Siigo"] == "EMPRESA DEMO S.A.S. · NIT 900.123.456-8"
    assert gate["details"]["Siigo muestra"] == "Documento adjunto: carta-firmada.pdf"
    assert b"siigo-demo" not in all_bytes(result.folder)

    again = run(FLOW, {**DEMO, "carta_firmada": str(signed)}, CLAVE)

    assert again.exit_code == 0, again.message
    assert "ya se había enviado" in again.message and "En trámite" in again.message
    state = run.state("siigo")
    assert (state["login_attempts"], state["submissions"], len(state["requests"])) == (2, 1, 1)
    assert state["letters_downloaded"] == 1
    assert not any(e["type"] == "gate_asked" for e in read_events(again.folder))
    assert b"siigo-demo" not in all_bytes(again.folder)


def test_unpaid_account_pays_once_behind_the_gate(run: Runner, signed: Path) -> None:
    run.reset("siigo")
    declined = run(
        FLOW, {**PENDING, "carta_firmada": str(signed)}, CLAVE,
        yes=False, prompter=ScriptedPrompter(False, by="agente"),
    )  # fmt: skip

    assert declined.exit_code == 3
    state = run.state("siigo")
    assert (state["payments"], state["requests"], state["submissions"]) == ([], [], 0)
    gate = next(e for e in read_events(declined.folder) if e["type"] == "gate_asked")
    assert gate["details"]["Total a pagar"] == "$ 297.500"
    assert gate["details"]["Certificado"] == "$ 250.000 + IVA · Vigencia: 1 año"
    assert gate["details"]["NIT indicado"] == "901234567-7"

    result = run(FLOW, {**PENDING, "carta_firmada": str(signed)}, CLAVE)

    assert result.exit_code == 0, result.message
    state = run.state("siigo")
    assert [(p["nit"], p["amount"]) for p in state["payments"]] == [(PENDING_NIT, 297_500)]
    assert state["letter"][PENDING_NIT]["sha256"] == sha256(signed)
    assert [(r["nit"], r["state"]) for r in state["requests"]] == [(PENDING_NIT, "En trámite")]
    assert state["submissions"] == 2
    assert saved_letter(result.folder).read_bytes().startswith(b"%PDF-")
    said = [e["text"] for e in read_events(result.folder) if e["type"] == "said"]
    assert any(t.startswith("Pago del certificado digital hecho: Referencia CD-") for t in said)
    assert b"siigo-demo" not in all_bytes(result.folder)


def test_declined_request_sends_nothing_and_the_next_run_attaches_the_new_letter(
    run: Runner, signed: Path, tmp_path: Path
) -> None:
    run.reset("siigo")
    declined = run(
        FLOW, DEMO, CLAVE, yes=False, prompter=Agent([signed], decline="¿Enviar la solicitud")
    )

    assert declined.exit_code == 3
    state = run.state("siigo")
    assert (state["requests"], state["submissions"]) == ([], 0)
    assert state["letter"][DEMO_NIT]["filename"] == "carta-firmada.pdf"
    rescanned = tmp_path / "carta-firmada-otra-vez.pdf"
    rescanned.write_bytes(pdf(2_000))

    result = run(FLOW, {**DEMO, "carta_firmada": str(rescanned)}, CLAVE)

    assert result.exit_code == 0, result.message
    state = run.state("siigo")
    assert state["letter"][DEMO_NIT]["sha256"] == sha256(rescanned)
    assert [(r["nit"], r["state"]) for r in state["requests"]] == [(DEMO_NIT, "En trámite")]
    events = read_events(result.folder)
    removal = next(e for e in events if e.get("step_id") == "quitar-carta-anterior")
    ended = next(e for e in events if e["type"] == "step_ended" and e["index"] == removal["index"])
    assert ended["status"] == "passed"
    gate = next(e for e in events if e["type"] == "gate_asked")
    assert gate["details"]["Siigo muestra"] == "Documento adjunto: carta-firmada-otra-vez.pdf"


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("too_big", "el archivo pesa 1.20 MB y el máximo es 1.00 MB; reduzca su tamaño"),
        ("not_a_pdf", "carta.pdf no es un PDF de verdad (aunque se llame así)"),
    ],
)
def test_bad_letter_given_in_advance_stops_before_any_browser(
    bad: str, message: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    letter: Path = request.getfixturevalue(bad)
    evidence = tmp_path / "evidencia"
    options = [f"{k}={v}" for k, v in {**DEMO, "carta_firmada": str(letter)}.items()]
    result = CliRunner().invoke(
        app,
        ["run", FLOW, "--mock", "--yes", "--evidence", str(evidence)]
        + [arg for option in options for arg in ("--input", option)],
        env={"PORTAL_BOT_SECRET_CLAVE_SIIGO": "siigo-demo"},
    )

    assert result.exit_code == 2, result.output
    assert "«carta_firmada»" in result.output and message in result.output
    assert not evidence.exists()


def test_bad_letters_are_refused_and_asked_again_before_the_browser(
    run: Runner, signed: Path, too_big: Path, not_a_pdf: Path
) -> None:
    run.reset("siigo")
    agent = Agent([too_big, not_a_pdf, signed])
    result = run(FLOW, DEMO, CLAVE, yes=False, prompter=agent)

    assert result.exit_code == 0, result.message
    assert len(agent.asked) == 3 and "Carta de exoneración de Siigo firmada" in agent.asked[0]
    assert "pesa 1.20 MB y el máximo es 1.00 MB" in agent.asked[1]
    assert "carta.pdf no es un PDF de verdad" in agent.asked[2]
    state = run.state("siigo")
    assert state["letter"][DEMO_NIT]["sha256"] == sha256(signed)
    assert [r["state"] for r in state["requests"]] == ["En trámite"]


def test_no_good_letter_after_three_answers_stops_with_exit_2_before_logging_in(
    run: Runner, too_big: Path, not_a_pdf: Path
) -> None:
    run.reset("siigo")
    with pytest.raises(InputError) as refused:
        run(FLOW, DEMO, CLAVE, yes=False, prompter=Agent([too_big, not_a_pdf, too_big]))

    assert refused.value.exit_code == 2
    assert "«carta_firmada»" in str(refused.value) and "pesa 1.20 MB" in str(refused.value)
    state = run.state("siigo")
    assert (state["login_attempts"], state["letter"], state["requests"]) == (0, {}, [])


# --- obstacles ---------------------------------------------------------------------------


def test_wrong_password_fails_after_exactly_one_login_attempt(run: Runner, signed: Path) -> None:
    run.reset("siigo")
    result = run(FLOW, {**DEMO, "carta_firmada": str(signed)}, {"clave_siigo": "otra-clave"})

    assert result.exit_code == 1
    assert "Siigo no aceptó el usuario o la contraseña" in result.message
    assert "No se reintenta" in result.message
    assert run.state("siigo")["login_attempts"] == 1
    assert b"otra-clave" not in all_bytes(result.folder)
    failed = [e for e in read_events(result.folder) if e.get("status") == "failed"]
    assert len(failed) == 1 and failed[0]["screenshot"]


def test_lent_certificate_notice_is_acknowledged_and_nothing_is_paid(
    run: Runner, signed: Path
) -> None:
    run.reset("siigo", lend_certificate=True)
    result = run(FLOW, {**PENDING, "carta_firmada": str(signed)}, CLAVE)

    assert result.exit_code == 0, result.message
    state = run.state("siigo")
    assert state["payments"] == []
    assert [(r["nit"], r["state"]) for r in state["requests"]] == [(PENDING_NIT, "En trámite")]
    said = [e["text"] for e in read_events(result.folder) if e["type"] == "said"]
    assert any("Siigo presta su certificado digital" in t for t in said)


def test_rejected_request_is_filed_again_and_the_new_answer_reported(
    run: Runner, signed: Path
) -> None:
    run.reset("siigo", request_state="Rechazado", observation="La firma no es legible.")
    result = run(FLOW, {**DEMO, "carta_firmada": str(signed)}, CLAVE)

    assert result.exit_code == 1
    assert "Siigo rechazó la solicitud" in result.message
    assert "La firma no es legible." in result.message
    again = run(FLOW, {**DEMO, "carta_firmada": str(signed)}, CLAVE)

    assert again.exit_code == 1
    said = [e["text"] for e in read_events(again.folder) if e["type"] == "said"]
    assert any("rechazó la solicitud anterior" in t and "no es legible" in t for t in said)
    state = run.state("siigo")
    assert (state["submissions"], len(state["requests"])) == (2, 2)


# --- inputs, before any browser ----------------------------------------------------------


@pytest.mark.parametrize("nit", ["900.123.456-8", "900123456-8", "9001234568"])
def test_nit_is_accepted_in_every_usual_spelling(nit: str, signed: Path) -> None:
    given = {**DEMO, "nit": nit, "carta_firmada": str(signed)}
    values = collect(flow(FLOW), given, None, {"PORTAL_BOT_SECRET_CLAVE_SIIGO": "xyz"})

    assert values.values["nit"] == "900123456-8"
    assert values.values["carta_firmada"] == str(signed.resolve())
    assert values.values["rep_tipo_documento"] == "Cédula de ciudadanía"


def test_nit_with_a_wrong_check_digit_is_refused(signed: Path) -> None:
    given = {**DEMO, "nit": "900.123.456-9", "carta_firmada": str(signed)}
    with pytest.raises(InputError, match="dígito verificador"):
        collect(flow(FLOW), given, None, {"PORTAL_BOT_SECRET_CLAVE_SIIGO": "xyz"})
