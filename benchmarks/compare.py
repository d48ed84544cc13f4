"""portal-bot against a hand-written Playwright script doing the same thing.

Both register the PSE in the SUNAT mock, headless and unattended, with the same screenshot
after every executed step (Chromium's WebP, the typed clave blanked) and the same pop-up
handlers; portal-bot also writes its whole evidence folder (events, report, summary,
manifest, leak scan). Runs alternate between the two, with one mock server and
one browser shared by both, and the script prints each side's median and the ratio.

    .venv/bin/python benchmarks/compare.py [N]
"""

from __future__ import annotations

import base64
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Error, Locator, Page, expect, sync_playwright

from portal_bot.browser import LaunchOptions, find_browser, launch, new_context
from portal_bot.job import JobRequest, execute
from portal_bot.loader import load_flow
from portal_bot.mocks import all_portals
from portal_bot.mocks.server import MockServer
from portal_bot.shots import HIDE_SECRET, MOVE_ONE, PAGE_STYLE_SCRIPT
from portal_bot.templating import builtin_values

ROOT = Path(__file__).resolve().parents[1]
ENTRY = "https://e-menu.sunat.gob.pe/cl-ti-itmenu/MenuInternet.htm"


def until(action: Callable[[], None], done: Locator, timeout_ms: float = 15_000) -> None:
    """Do ``action`` until ``done`` shows: what any script needs for late handlers."""
    wait, deadline = 300.0, time.monotonic() + timeout_ms / 1000
    while True:
        action()
        try:
            expect(done).to_be_visible(timeout=wait)
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            wait *= 2


def script(browser: Browser, folder: Path) -> None:
    """The same procedure, written by hand."""
    context = new_context(browser, mock=True)
    page: Page = context.new_page()
    count = 0
    campaigns = page.locator("iframe#ifrVCE").content_frame
    importante = campaigns.get_by_role("dialog", name="Importante")
    informativo = campaigns.get_by_role("dialog", name="Informativo")
    page.add_locator_handler(
        importante, lambda _: importante.get_by_role("button", name="Cerrar").click()
    )
    page.add_locator_handler(
        informativo,
        lambda _: informativo.get_by_role("button", name="Continuar sin confirmar").click(),
    )

    cdp = context.new_cdp_session(page)
    context.add_init_script(PAGE_STYLE_SCRIPT)

    def shot(target: Locator | None = None, mask: list[Locator] | None = None) -> None:
        """The same pictures as portal-bot's: Chromium's WebP, the element acted on
        outlined, secrets blanked."""
        nonlocal count
        count += 1
        if target is not None:
            target.first.evaluate(MOVE_ONE)
        for field in mask or []:
            field.evaluate_all(HIDE_SECRET)
        params = {"format": "webp", "quality": 70}
        try:
            data = cdp.send("Page.captureScreenshot", params)["data"]
        except Error:  # between two documents: wait for the new one, as portal-bot does
            page.wait_for_load_state("domcontentloaded")
            data = cdp.send("Page.captureScreenshot", params)["data"]
        (folder / f"{count:03d}.webp").write_bytes(base64.b64decode(data))

    page.goto(ENTRY, wait_until="domcontentloaded")
    shot()
    tab = page.get_by_role("tab", name="RUC", exact=True)
    tab.click()
    shot(tab)
    ruc = page.get_by_placeholder("RUC", exact=True)
    ruc.fill("20100066603")
    shot(ruc)
    usuario = page.get_by_placeholder("Usuario", exact=True)
    usuario.fill("MODDATOS")
    shot(usuario)
    clave = page.get_by_placeholder("Contraseña", exact=True)
    clave.fill(os.environ["BENCH_CLAVE"])
    shot(clave, [clave])
    captcha = page.get_by_placeholder("Ingrese el código de la imagen")
    assert not captcha.is_visible(), "the benchmark runs with the captcha off"
    login = page.get_by_role("button", name="Iniciar sesión")
    login.click()
    expect(page.get_by_role("link", name="Salir", exact=True)).to_be_visible()
    shot(login)
    search = page.get_by_label("¿Qué necesitas hacer?")
    until(lambda: search.fill("altas"), page.get_by_role("link", name="Altas/Bajas de PSE"))
    shot(search)
    option = page.get_by_role("link", name="Altas/Bajas de PSE")
    option.click()
    expect(page.locator("iframe#iframeApplication")).to_be_visible()
    shot(option)
    frame = page.frame_locator("iframe#iframeApplication")
    expect(frame.get_by_role("heading", name="COMUNICACION TERCERIZACIÓN CON PSE")).to_be_visible()
    shot()
    assert not frame.get_by_role("row", name="20600337832").is_visible(), "already registered"
    alta = frame.get_by_role("dialog", name="Alta de autorización de PSE")
    servicio = frame.get_by_role("button", name="Alta Servicio")
    until(servicio.click, alta)
    shot(servicio)
    lista = frame.get_by_role("dialog", name="Lista de PSE activos")
    buscar_pse = frame.get_by_role("button", name="Buscar PSE")
    buscar_pse.click()
    expect(lista).to_be_visible()
    shot(buscar_pse)
    ruc_pse = lista.get_by_label("RUC", exact=True)
    ruc_pse.fill("20600337832")
    shot(ruc_pse)
    buscar = lista.get_by_role("button", name="Buscar", exact=True)
    buscar.click()
    expect(lista.get_by_role("row", name="20600337832")).to_be_visible()
    shot(buscar)
    radio = lista.get_by_role("row", name="20600337832").get_by_role("radio")
    radio.check()
    shot(radio)
    aceptar = lista.get_by_role("button", name="Aceptar", exact=True)
    aceptar.click()
    expect(lista).to_be_hidden()
    shot(aceptar)
    razon = frame.get_by_label("Razón Social", exact=True)
    razon.input_value()
    shot(razon)
    tomorrow = builtin_values("America/Lima", "%d/%m/%Y")["tomorrow"]
    fecha = frame.get_by_label("Fecha de inicio de autorización")
    fecha.fill(tomorrow)
    shot(fecha)
    registrar = frame.get_by_role("button", name="Registrar", exact=True)
    registrar.click()
    expect(frame.get_by_text("Se registró la autorización")).to_be_visible()
    shot(registrar)
    mensaje = frame.get_by_role("dialog", name="Mensaje")
    cerrar = mensaje.get_by_role("button", name="Aceptar", exact=True)
    cerrar.click()
    expect(mensaje).to_be_hidden()
    shot(cerrar)
    expect(frame.get_by_role("row", name="20600337832")).to_be_visible()
    shot()
    shot()
    context.close()


def portal_bot(browser: Browser, folder: Path, server: MockServer) -> None:
    request = JobRequest(
        flow=load_flow(ROOT / "flows" / "pe-sunat-pse-alta.yaml"),
        given={"ruc": "20100066603", "usuario_sol": "MODDATOS"},
        evidence=folder,
        mock_server=server.address,
        yes=True,
        environ={"PORTAL_BOT_SECRET_CLAVE_SOL": os.environ["BENCH_CLAVE"]},
    )
    result = execute(request, None, None, browser=browser)
    assert result.exit_code == 0, result.message


def main(rounds: int) -> None:
    os.environ.setdefault("BENCH_CLAVE", "moddatos")
    times: dict[str, list[float]] = {"portal-bot": [], "script": []}
    with MockServer(all_portals()) as server, sync_playwright() as playwright:
        options = LaunchOptions(
            find_browser(), mock_address=server.address, mock_domains=tuple(server.hosts)
        )
        browser = launch(playwright, options)
        sunat = server.portal("sunat")
        with tempfile.TemporaryDirectory() as tmp:
            for i in range(rounds + 1):  # the first round warms up and is not counted
                for name in ("portal-bot", "script"):
                    sunat.reset()
                    sunat.configure({"popups": "none", "captcha": "never"})
                    folder = Path(tmp) / f"{name}-{i}"
                    folder.mkdir()
                    started = time.perf_counter()
                    if name == "script":
                        script(browser, folder)
                    else:
                        portal_bot(browser, folder / "evidence", server)
                    elapsed = time.perf_counter() - started
                    assert len(server.state("sunat")["registrations"]) == 1
                    if i:
                        times[name].append(elapsed)
        browser.close()
    bot, hand = statistics.median(times["portal-bot"]), statistics.median(times["script"])
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"rounds: {rounds} each, alternating, after one warm-up round")
    for name, median in (("portal-bot", bot), ("script", hand)):
        runs = ", ".join(f"{t:.2f}" for t in times[name])
        print(f"{name:<10} median: {median:.2f} s   (runs: {runs})")
    print(f"ratio portal-bot / script: {bot / hand:.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
