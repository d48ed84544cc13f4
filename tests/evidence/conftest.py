"""One real SUNAT mock run whose evidence folder the tests in this folder copy and read."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from portal_bot.mocks.server import MockServer
from tests.conftest import Runner


@pytest.fixture(scope="session")
def pristine(
    tmp_path_factory: pytest.TempPathFactory, mock_server: MockServer, browser: Browser
) -> Path:
    """A successful pe-sunat-pse-alta run; tests copy it before changing anything."""
    run = Runner(mock_server, browser, tmp_path_factory.mktemp("pristine"))
    run.reset("sunat", popups="none", captcha="never")
    result = run(
        "pe-sunat-pse-alta",
        {"ruc": "20100066603", "usuario_sol": "MODDATOS"},
        {"clave_sol": "moddatos"},
    )
    assert result.exit_code == 0, result.message
    return result.folder
