"""Case 3: a password or an irreversible submission is sent once. The mock's fault
``lost_answer`` records the request and never answers it; Chromium on its own would send
the POST again. The portal must count exactly one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from portal_bot.mocks.sii import urls as sii
from portal_bot.mocks.sunat import catalog as sunat
from tests.conftest import Runner
from tests.runner.test_sii import CENTRALIZAR, CLAVE_CERT, CLAVE_SII, pfx
from tests.runner.test_sunat import CLAVE, DEMO

LOGIN = f"{sunat.OAUTH_PREFIX}/j_security_check"


def _lost(path: str, seconds: float) -> dict[str, Any]:
    return {"kind": "lost_answer", "path": path, "method": "POST", "times": 99, "seconds": seconds}


@pytest.mark.parametrize("seconds", [1, 5])
def test_a_lost_login_answer_is_one_attempt_and_no_rejection(run: Runner, seconds: int) -> None:
    run.reset("sunat", popups="none", captcha="never")
    run.server.inject("sunat", **_lost(LOGIN, seconds))

    result = run("pe-sunat-pse-alta", DEMO, CLAVE, step_timeout_ms=8_000)

    assert run.state("sunat")["login_attempts"] == 1
    assert result.exit_code == 1
    assert "no aceptó" not in result.message  # not reported as a wrong password


@pytest.mark.parametrize("seconds", [1, 5])
def test_a_lost_registration_answer_is_one_submission(run: Runner, seconds: int) -> None:
    run.reset("sunat", popups="none", captcha="never")
    run.server.inject("sunat", **_lost(sunat.PSE_PATH, seconds))

    result = run("pe-sunat-pse-alta", DEMO, CLAVE, step_timeout_ms=8_000)

    state = run.state("sunat")
    assert (len(state["registrations"]), state["submissions"]) == (1, 1), result.message
    # The page shows its own «No se pudo registrar» for the cut connection; the step
    # fails, nothing is sent again, and the agent is told the registration may be in.
    assert result.exit_code == 1
    assert "rechazó" not in result.message, result.message
    assert "pudo haber" in result.message, result.message
    assert result.message.count("no lo repita a mano") == 1, result.message


@pytest.mark.parametrize("seconds", [1, 5])
def test_a_lost_upload_answer_is_one_submission_with_the_whole_file(
    run: Runner, seconds: int, tmp_path: Path
) -> None:
    """The SII's «Enviar» posts the certificate as a multipart form: Chromium hands its
    file part over empty, the runner fills it in from the file the flow attached and
    sends the whole form once. The SII reads the certificate it received (its RUT, its
    key) before it counts a centralization."""
    run.reset("sii")
    run.server.inject("sii", **_lost(sii.CENTRALIZAR_POST_PATH, seconds))
    given = {"rut": "12.345.678-5", "certificado": str(pfx(tmp_path))}
    secrets = {"clave_sii": CLAVE_SII, "clave_certificado": CLAVE_CERT}

    result = run(CENTRALIZAR, given, secrets, step_timeout_ms=8_000)

    state = run.state("sii")
    assert (len(state["centralized"]), state["submissions"]) == (1, 1), result.message
    assert state["centralized"][0]["rut"] == "12345678-5"  # read from the certificate
    assert result.exit_code == 1
    assert "pudo haber" in result.message, result.message
    assert result.message.count("no lo repita a mano") == 1, result.message
