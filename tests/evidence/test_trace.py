"""--trace records a Playwright trace that passes the leak scan."""

from __future__ import annotations

import zipfile

from tests.conftest import Runner, all_bytes


def test_trace_is_recorded_around_the_secret_and_holds_none(run: Runner) -> None:
    run.reset("sunat", popups="none", captcha="never")
    result = run(
        "pe-sunat-pse-alta",
        {"ruc": "20100066603", "usuario_sol": "MODDATOS"},
        {"clave_sol": "moddatos"},
        trace=True,
    )

    assert result.exit_code == 0, result.message
    parts = sorted((result.folder / "trace").glob("parte-*.zip"))
    assert len(parts) == 2, "one part before the clave is typed, one after login"
    for part in parts:
        with zipfile.ZipFile(part) as archive:
            assert "trace.trace" in archive.namelist()
    assert result.leaks == []
    assert b"moddatos" not in all_bytes(result.folder)
