"""Case 4: a secret typed into a visible field whose ``until`` never holds: the failure
screenshot does not show it (the field is blanked before the first keystroke)."""

from __future__ import annotations

from tests.conftest import Runner, all_bytes
from tests.security.conftest import run_text

STEPS = """
  - goto: https://e-menu.sunat.gob.pe/cl-ti-itmenu/MenuInternet.htm
  - click: {role: tab, name: RUC, exact: true}
  - fill: {placeholder: Usuario, exact: true}
    id: clave-a-la-vista
    value: ${clave_sol}
    until: {visible: {text: Esto nunca aparece en la página}}
"""


def _failure_shot(run: Runner, secret: str) -> bytes:
    run.reset("sunat", popups="none", captcha="never")
    result = run_text(run, STEPS, {"clave_sol": secret}, step_timeout_ms=1_500)
    assert result.exit_code == 1, result.message
    assert result.leaks == []
    assert secret.encode() not in all_bytes(result.folder)
    names = sorted(p.name for p in (result.folder / "shots").iterdir())
    failed = [name for name in names if "clave-a-la-vista-failed" in name]
    assert len(failed) == 1, names
    return (result.folder / "shots" / failed[0]).read_bytes()


def test_the_failure_picture_of_a_secret_fill_does_not_show_it(run: Runner) -> None:
    # Two runs that differ only in the secret typed: if any character of it showed, the
    # two pictures would differ.
    first = _failure_shot(run, "WWWWWWWWWWWWWWWW")
    second = _failure_shot(run, "iiiiiiiiiiiiiiii")

    assert first == second
