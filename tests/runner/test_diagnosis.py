"""A target that does not fit the portal says what was looked for and what a person sees
instead, through a whole run (issue 13: «se buscaba una pestaña «RUC»; hay un botón»)."""

from __future__ import annotations

from portal_bot.flow import Click, Target
from tests.conftest import Runner, flow
from tests.runner.test_sunat import CLAVE, DEMO

SUNAT = "pe-sunat-pse-alta"


def test_a_tab_that_is_a_button_names_the_button(run: Runner) -> None:
    run.reset("sunat", dialect=1, captcha="never", popups="none")
    entry = flow(SUNAT).steps[0]
    tab = Click(click=Target(role="tab", name="RUC", exact=True), timeout_ms=2_000)
    result = run(SUNAT, DEMO, CLAVE, steps=[entry, tab])
    assert result.exit_code == 1
    assert "no se encontró una pestaña «RUC» en la página" in result.message
    assert "lo más parecido: un botón «RUC»" in result.message
