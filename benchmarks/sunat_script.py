"""The hand-written side of ``benchmarks/whole.py``: a plain Playwright script that
registers the PSE in the SUNAT mock, one PNG screenshot per step.

It follows the steps of ``flows/pe-sunat-pse-alta.yaml`` as the flow stood when this was
written (locators by role, label and placeholder; the mock with its pop-ups and captcha
off). When the flow or the SUNAT mock changes, change this script to do the same steps
again, or the comparison no longer means anything.

It imports nothing from portal_bot, as a script written by hand would not:

    python benchmarks/sunat_script.py MOCK_ADDRESS CHROMIUM_PATH FOLDER
    (the clave SOL in PORTAL_BOT_SECRET_CLAVE_SOL)
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import Locator, expect, sync_playwright

ENTRY = "https://e-menu.sunat.gob.pe/cl-ti-itmenu/MenuInternet.htm"
DOMAINS = ("e-menu.sunat.gob.pe", "api-seguridad.sunat.gob.pe", "ww1.sunat.gob.pe")
PSE = "20600337832"


def until(action: Callable[[], None], done: Locator, timeout_s: float = 15) -> None:
    """Do ``action`` until ``done`` shows: the mock, like SUNAT, wires its handlers late."""
    wait, deadline = 300.0, time.monotonic() + timeout_s
    while True:
        if wait > 300 and done.is_visible():  # it came just after the last look
            return
        action()
        try:
            expect(done).to_be_visible(timeout=wait)
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            wait *= 2


def main(address: str, chromium: str, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    rules = ", ".join([*(f"MAP {d} {address}" for d in DOMAINS), "MAP * ~NOTFOUND"])
    # The switches portal-bot passes too, so that both Chromiums do the same work.
    quiet = "--disable-background-networking --disable-component-update --disable-sync"
    args = [*quiet.split(), "--no-first-run", "--disable-quic", f"--host-resolver-rules={rules}"]
    if os.geteuid() == 0:
        args.append("--no-sandbox")
    count = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=args)
        page = browser.new_context(ignore_https_errors=True, locale="es-PE").new_page()
        # SUNAT's campaign pop-ups come at random (off in the benchmark): a script for the
        # real portal needs these handlers, as the flow has them (its «dismiss»).
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

        def shot(mask: list[Locator] | None = None) -> None:
            nonlocal count
            count += 1
            page.screenshot(path=folder / f"{count:02d}.png", mask=mask or [])

        # The mock's first dialect is SUNAT's real markup (see shared/portals.md): a
        # script written for the real portal uses its ids, as the public scrapers do.
        page.goto(ENTRY)
        shot()
        page.get_by_role("button", name="RUC", exact=True).click()
        shot()
        page.locator("#txtRuc").fill("20100066603")
        shot()
        page.locator("#txtUsuario").fill("MODDATOS")
        shot()
        clave = page.locator("#txtContrasena")
        clave.fill(os.environ["PORTAL_BOT_SECRET_CLAVE_SOL"])
        shot(mask=[clave])
        page.locator("#btnAceptar").click()
        expect(page.locator("#btnSalir")).to_be_visible()
        shot()
        option = page.get_by_role("link", name="Altas/Bajas de PSE")
        until(lambda: page.locator("#txtBusca").fill("altas"), option)
        shot()
        option.click()
        expect(page.locator("iframe#iframeApplication")).to_be_visible()
        shot()
        frame = page.frame_locator("iframe#iframeApplication")
        expect(frame.get_by_text("COMUNICACION TERCERIZACIÓN CON PSE")).to_be_visible()
        shot()
        # The authorizations grid fills after the page: like the flow's «ya-registrado» (3 s),
        # give its rows a moment before deciding there is nothing to skip. The public script
        # this follows (jldamians/alta-autorizacion-pse) waits up to 10 s for the same row.
        registered = frame.locator("#gridPse").get_by_text(PSE)
        try:
            expect(registered).to_be_visible(timeout=3_000)
            sys.exit("ya registrado")
        except AssertionError:
            pass
        alta = frame.locator("#dlgAgregarCert")
        until(frame.locator("#btnNuevoCert").click, alta)
        shot()
        lista = frame.locator("#dlgListaPSE")
        frame.locator("#btnListarPSE2").click()
        expect(lista).to_be_visible()
        shot()
        frame.locator("#txt_ruc2").fill(PSE)
        shot()
        row = frame.locator("#gridListaPse [data-fila]").filter(has_text=PSE)
        until(frame.locator("#btnNuevoLista").click, row)
        shot()
        row.click()
        shot()
        frame.locator("#btnNuevoCert2").click()
        expect(lista).to_be_hidden()
        shot()
        razon_social = frame.locator("#txtRazonSocial").input_value()
        assert razon_social
        shot()
        lima = datetime.now(ZoneInfo("America/Lima"))
        tomorrow = (lima + timedelta(days=1)).strftime("%d/%m/%Y")
        frame.locator("#txtFechaIni").fill(tomorrow)
        shot()
        frame.locator("#btnNuevoCert1").click()
        expect(frame.locator("#dlgMensaje")).to_be_visible()
        shot()
        mensaje = frame.locator("#dlgMensaje")
        frame.locator("#btnAceptarMensaje").click()
        expect(mensaje).to_be_hidden()
        shot()
        expect(frame.locator("#gridPse").get_by_text(PSE)).to_be_visible()
        shot()
        shot()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], Path(sys.argv[3]))
