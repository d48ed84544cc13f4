"""Both SII flows in every markup dialect of the SII mock, in the five scenarios that
matter: success (each irreversible action exactly once), a declined gate, a wrong
password (tried once), a dry-run, and a second run after success (nothing new sent).

The dialects (see ``portal_bot.mocks.sii``) write the same pages with other tags, roles,
labels and pop-ups; a flow that finds things the way a person does passes all three.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from portal_bot.prompt import ScriptedPrompter
from tests.conftest import Runner
from tests.runner.test_sii import (
    AUTENTICACION,
    CENTRALIZAR,
    CLAVE_CERT,
    CLAVE_SII,
    CODE_QUESTION,
    NUEVA_CLAVE,
    PREGUNTA,
    RESPUESTA,
    RUT,
    pfx,
)

DIALECTS = [2, 3]
"""The dialects other than 1. Dialect 1 is the real markup and every mock's default: the
same scenarios in it are the flow's own tests (test_sii.py, test_all_flows.py), which
check all that is checked here and more; running them again here only cost time."""


def centralizar_inputs(folder: Path) -> tuple[dict[str, str], dict[str, str]]:
    given = {"rut": "12.345.678-5", "certificado": str(pfx(folder))}
    return given, {"clave_sii": CLAVE_SII, "clave_certificado": CLAVE_CERT}


AUTENTICACION_GIVEN = {"rut": "12.345.678-5", "pregunta_secreta": PREGUNTA}
AUTENTICACION_SECRETS = {"nueva_clave": NUEVA_CLAVE, "respuesta_secreta": RESPUESTA}


def counts(state: dict[str, Any]) -> dict[str, int]:
    """What each scenario checks: submissions, login attempts, codes e-mailed and typed."""
    return {
        "submissions": state["submissions"],
        "centralized": len(state["centralized"]),
        "clave_changes": state["clave_changes"],
        "login_attempts": state["login_attempts"],
        "codes_sent": len(state["mailbox"]),
        "code_attempts": state["code_attempts"],
    }


def none(**changed: int) -> dict[str, int]:
    base = dict.fromkeys(
        (
            "submissions",
            "centralized",
            "clave_changes",
            "login_attempts",
            "codes_sent",
            "code_attempts",
        ),
        0,
    )
    return {**base, **changed}


# -- cl-sii-centralizar-certificado ------------------------------------------------------


@pytest.mark.parametrize("dialect", DIALECTS)
def test_centralizar_success_then_a_second_run_sends_nothing(
    run: Runner, tmp_path: Path, dialect: int
) -> None:
    run.reset("sii", dialect=dialect)
    given, secrets = centralizar_inputs(tmp_path)

    first = run(CENTRALIZAR, given, secrets)
    assert first.exit_code == 0, first.message
    assert counts(run.state("sii")) == none(submissions=1, centralized=1, login_attempts=1)

    second = run(CENTRALIZAR, given, secrets)
    assert second.exit_code == 0, second.message
    assert counts(run.state("sii")) == none(submissions=1, centralized=1, login_attempts=2)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_centralizar_declined_gate(run: Runner, tmp_path: Path, dialect: int) -> None:
    run.reset("sii", dialect=dialect)
    given, secrets = centralizar_inputs(tmp_path)

    result = run(CENTRALIZAR, given, secrets, yes=False, prompter=ScriptedPrompter(False))

    assert result.exit_code == 3, result.message
    assert counts(run.state("sii")) == none(login_attempts=1)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_centralizar_wrong_clave_is_tried_once(run: Runner, tmp_path: Path, dialect: int) -> None:
    run.reset("sii", dialect=dialect)
    given, secrets = centralizar_inputs(tmp_path)

    result = run(CENTRALIZAR, given, {**secrets, "clave_sii": "otra-clave"})

    assert result.exit_code == 1, result.message
    assert "no aceptó la Clave Tributaria" in result.message
    assert counts(run.state("sii")) == none(login_attempts=1)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_centralizar_dry_run(run: Runner, tmp_path: Path, dialect: int) -> None:
    run.reset("sii", dialect=dialect)
    given, secrets = centralizar_inputs(tmp_path)

    result = run(CENTRALIZAR, given, secrets, mode="dry-run")

    assert result.exit_code == 0, result.message
    assert result.result is not None and "failed" not in result.result.steps.values()
    assert counts(run.state("sii")) == none(login_attempts=1)


# -- cl-sii-autenticacion-certificado -----------------------------------------------------


@pytest.mark.parametrize("dialect", DIALECTS)
def test_autenticacion_success_then_a_second_run_changes_nothing(run: Runner, dialect: int) -> None:
    run.reset("sii", dialect=dialect)

    first = run(AUTENTICACION, AUTENTICACION_GIVEN, AUTENTICACION_SECRETS)
    assert first.exit_code == 0, first.message
    state = run.state("sii")
    assert counts(state) == none(submissions=1, clave_changes=1, codes_sent=1, code_attempts=1)
    assert state["auth_mode"] == {RUT: "Utilizando Clave Tributaria o Certificado Digital"}
    assert state["secret_question"] == {RUT: PREGUNTA}

    # The second run needs a fresh code to see the form, and finds the way in chosen.
    second = run(AUTENTICACION, AUTENTICACION_GIVEN, AUTENTICACION_SECRETS)
    assert second.exit_code == 0, second.message
    assert second.result is not None and second.result.outcome == "already_done"
    assert counts(run.state("sii")) == none(
        submissions=1, clave_changes=1, codes_sent=2, code_attempts=2
    )


@pytest.mark.parametrize("dialect", DIALECTS)
def test_autenticacion_declined_gate(run: Runner, dialect: int) -> None:
    run.reset("sii", dialect=dialect)

    result = run(
        AUTENTICACION,
        AUTENTICACION_GIVEN,
        AUTENTICACION_SECRETS,
        yes=False,
        prompter=ScriptedPrompter(False),
    )

    assert result.exit_code == 3, result.message
    assert counts(run.state("sii")) == none()


@pytest.mark.parametrize("dialect", DIALECTS)
def test_autenticacion_wrong_code_is_sent_once(run: Runner, dialect: int) -> None:
    run.reset("sii", dialect=dialect)
    prompter = ScriptedPrompter(approve=True, answers={CODE_QUESTION: "ZZZZZZ"})

    result = run(
        AUTENTICACION, AUTENTICACION_GIVEN, AUTENTICACION_SECRETS, yes=False, prompter=prompter
    )

    assert result.exit_code == 1, result.message
    assert "no aceptó el código provisorio" in result.message
    assert counts(run.state("sii")) == none(codes_sent=1, code_attempts=1)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_autenticacion_dry_run_spends_no_code(run: Runner, dialect: int) -> None:
    run.reset("sii", dialect=dialect)

    result = run(AUTENTICACION, AUTENTICACION_GIVEN, AUTENTICACION_SECRETS, mode="dry-run")

    assert result.exit_code == 0, result.message
    assert result.result is not None and "failed" not in result.result.steps.values()
    assert counts(run.state("sii")) == none()
