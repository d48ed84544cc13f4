"""Case 3: a password or an irreversible submission is sent once. The mock's fault
``lost_answer`` records the request and never answers it; Chromium on its own would send
the POST again. The portal must count exactly one."""

from __future__ import annotations

from typing import Any

import pytest

from portal_bot.mocks.sunat import catalog as sunat
from tests.conftest import Runner
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
    # fails, and nothing is sent again.
    assert result.exit_code == 1
