"""portal-bot record, end to end: a stand-in person drives the SUNAT mock through the PSE
alta over CDP while ``record`` runs as a real process; the flow it writes then validates,
registers the PSE once with --yes, registers nothing on a second run, and holds no byte of
the clave."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, FrameLocator, Locator, Page, Playwright, expect

from portal_bot import locators
from portal_bot.flow import Target
from portal_bot.job import JobRequest, JobResult, execute
from portal_bot.loader import load_flow
from portal_bot.mocks.server import MockServer
from tests.conftest import ROOT

CLAVE = "moddatos"
PSE = "20600337832"
SAME_BUILD = {"captcha": "never", "menu_search_label": "nuevo", "popups": ["importante"]}
"""The portal as it was when recorded: the same menu search box, no captcha."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Person:
    """Acts as a person would: finds things by what they read on the screen."""

    def __init__(self, scope: Page | FrameLocator) -> None:
        self.scope = scope

    def find(self, target: dict[str, Any]) -> Locator:
        return locators.resolve(self.scope, Target.model_validate(target), 15_000)

    def click(self, target: dict[str, Any]) -> None:
        self.find(target).click()

    def type(self, target: dict[str, Any], text: str) -> None:
        self.find(target).fill(text)
        self.find(target).press("Tab")


@pytest.fixture
def recording(tmp_path: Path, mock_server: MockServer, playwright: Playwright) -> Path:
    mock_server.reset("sunat")
    mock_server.portal("sunat").configure({"handler_delay_ms": 0, **SAME_BUILD})
    out = tmp_path / "grabado.yaml"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_BOT_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "portal_bot", "record", "--out", str(out), "--id",
         "pe-sunat-grabado", "--title", "Alta de PSE (grabado)", "--mock-server",
         mock_server.address, "--headless", "--remote-debugging-port", str(port)],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        ready = process.stdout.readline()  # «Grabando: …» once its window is open
        assert ready.startswith("Grabando"), ready + process.communicate()[1]
        browser = playwright.chromium.connect_over_cdp(f"http://127.0.0.1:{port}")
        page = next(context for context in browser.contexts if context.pages).pages[0]
        do_the_alta(page)
        panel = Person(page)
        panel.click({"field": "«Registrar» es irreversible"})
        panel.click({"clickable": "Terminar grabación"})
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, stderr + (out.read_text() if out.exists() else "")
    assert "Flujo escrito en" in stdout
    return out


def do_the_alta(page: Page) -> None:
    page.goto("https://e-menu.sunat.gob.pe/cl-ti-itmenu/MenuInternet.htm")
    person = Person(page)
    person.type({"field": "RUC"}, "20100066603")
    person.type({"field": "Usuario"}, "MODDATOS")
    person.type({"field": "Contraseña"}, CLAVE)
    person.click({"clickable": "Iniciar sesión"})
    popups = Person(page.frame_locator("iframe#ifrVCE"))
    popups.click({"any": [{"clickable": "Cancelar"}, {"clickable": "Cerrar"}]})
    expect(page.locator("iframe#ifrVCE")).to_be_hidden()
    search = {"any": [{"field": "¿Qué necesitas hacer?"}, {"field": "Busque una opción del menú"}]}
    person.type(search, "altas")
    person.click({"clickable": "Altas/Bajas de PSE"})
    module = Person(page.frame_locator("iframe#iframeApplication"))
    module.click({"clickable": "Alta Servicio"})
    module.click({"any": [{"clickable": "Buscar PSE"}, {"clickable": ".."}]})
    listing = {"dialog": "Lista de PSE activos"}
    module.type({"field": "RUC", "inside": listing}, PSE)
    module.click({"clickable": "Buscar", "inside": listing})
    module.find({"row": PSE})
    module.click({"row": PSE})
    module.click({"clickable": "Aceptar", "inside": listing})
    tomorrow = time.time() + 86_400 - 5 * 3600
    module.type(
        {"field": "Fecha de inicio de autorización"},
        time.strftime("%d/%m/%Y", time.gmtime(tomorrow)),
    )
    module.click({"clickable": "Registrar"})
    module.click({"clickable": "Aceptar", "inside": {"dialog": "Mensaje"}})
    module.find({"row": PSE})


def run_recorded(
    path: Path, server: MockServer, browser: Browser, evidence: Path, given: dict[str, str]
) -> JobResult:
    request = JobRequest(
        flow=load_flow(path), given=given, evidence=evidence, mock_server=server.address, yes=True
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PORTAL_BOT_SECRET_CONTRASENA", CLAVE)
        return execute(request, None, None, (), browser=browser)


def test_a_recorded_alta_runs_once_and_never_again(
    recording: Path, mock_server: MockServer, browser: Browser, tmp_path: Path
) -> None:
    text = recording.read_text(encoding="utf-8")
    assert CLAVE not in text
    flow = load_flow(recording)
    assert flow.inputs["contrasena"].type == "secret"
    assert flow.inputs["ruc"].type == "ruc"
    assert "submits_password: true" in text
    assert "- verify:" in text  # the RUC the menu shows after signing in
    assert "identity_check" not in text
    assert "irreversible: true\n" in text  # confirmed in the panel: nothing to review
    assert 'done_when: {visible: {row: "${ruc_lista_de_pse_activos}"}}' in text
    mock_server.reset("sunat")
    mock_server.portal("sunat").configure(SAME_BUILD)
    given = {"ruc": "20100066603", "ruc_lista_de_pse_activos": PSE}
    first = run_recorded(recording, mock_server, browser, tmp_path / "uno", given)
    assert first.exit_code == 0, first.message
    assert mock_server.state("sunat")["submissions"] == 1
    second = run_recorded(recording, mock_server, browser, tmp_path / "dos", given)
    assert second.exit_code == 0, second.message
    assert mock_server.state("sunat")["submissions"] == 1
    for folder in (tmp_path / "uno", tmp_path / "dos"):
        for file in folder.rglob("*"):
            if file.is_file():
                assert CLAVE.encode() not in file.read_bytes(), file
