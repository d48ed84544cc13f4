"""The SUNAT SOL mock driven by a real headless Chromium, the way a person uses it."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    FrameLocator,
    Locator,
    Page,
    expect,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from stdnum.pe import ruc as stdnum_ruc

from portal_bot.browser import new_context
from portal_bot.mocks import client
from portal_bot.mocks.server import MockServer
from portal_bot.mocks.sunat import captcha, login, pse, settings
from portal_bot.mocks.sunat.catalog import ACTIVE_PSES, ENDED_PSE, MENU_URL, VIDA_SOFTWARE
from portal_bot.mocks.sunat.rules import LIMA, is_after_today, parse_date, ruc_is_valid
from portal_bot.mocks.sunat.state import Settings, SunatData

LOGIN_URL = re.compile(
    r"https://api-seguridad\.sunat\.gob\.pe/v1/clientessol/4f3b88b3-d9d6-402a-b85d-6a0bc857746a"
    r"/oauth2/loginMenuSol\?lang=es-PE&showDni=true&showLanguages=false&originalUrl=.+&state=.+"
)
ERROR_URL = re.compile(r"https://api-seguridad\.sunat\.gob\.pe/v1/clientessol/.+/oauth2/error\?")
DEMO_KEY = "20100066603/MODDATOS"
TITLE = "COMUNICACION TERCERIZACIÓN CON PSE"


@pytest.fixture
def server(mock_server: MockServer) -> MockServer:
    """The suite's one mock server (every portal); the session browser is mapped to it."""
    return mock_server


@pytest.fixture
def page(server: MockServer, browser: Browser) -> Iterator[Page]:
    server.reset("sunat")
    context = new_context(browser, mock=True)
    context.set_default_timeout(5_000)
    yield context.new_page()
    context.close()


def state(server: MockServer) -> dict[str, Any]:
    return server.state("sunat")


def configure(server: MockServer, **values: Any) -> None:
    server.portal("sunat").configure(values)


def lima_date(days: int) -> str:
    return (datetime.now(LIMA).date() + timedelta(days=days)).strftime("%d/%m/%Y")


def retry_until_visible(action: Callable[[], None], target: Locator, attempts: int = 20) -> None:
    """Repeat ``action`` until ``target`` shows: the portal wires its handlers late."""
    for _ in range(attempts):
        action()
        try:
            expect(target).to_be_visible(timeout=250)
            return
        except AssertionError:
            continue
    expect(target).to_be_visible()


def fill_login(page: Page, clave: str = "moddatos", usuario: str = "moddatos") -> None:
    """The login boxes by id: their names differ by dialect (tests below check them)."""
    page.locator("#txtRuc").fill("20100066603")
    page.locator("#txtUsuario").fill(usuario)
    page.locator("#txtContrasena").fill(clave)


def log_in(page: Page, clave: str = "moddatos") -> None:
    """From the entry URL: the login form, typed as a person does, then "Iniciar sesión"."""
    page.goto(MENU_URL)
    expect(page).to_have_url(LOGIN_URL)
    fill_login(page, clave)
    page.locator("#btnAceptar").click()


def close_popups(page: Page, shown: list[str]) -> None:
    """Dialect 1's pop-ups: the unnamed "IMPORTANTE" one closes with its "Cancelar" icon,
    each confirmation form with "Continuar sin confirmar"."""
    campaigns = page.frame_locator("iframe#ifrVCE")
    if "importante" in shown:
        campaigns.get_by_role("button", name="Cancelar").click()
    for _ in [name for name in shown if name != "importante"]:
        campaigns.get_by_role("button", name="Continuar sin confirmar").click()
    expect(page.locator("iframe#ifrVCE")).to_be_hidden()


def open_module(page: Page, placeholder: str = "Busque una opción del menú") -> FrameLocator:
    """Search "altas" in the menu and open "Altas/Bajas de PSE" in its iframe."""
    box = page.get_by_placeholder(placeholder)
    option = page.locator("#divResultadoBusqueda").get_by_role("link", name="Altas/Bajas de PSE")
    retry_until_visible(lambda: box.fill("altas"), option)
    expect(
        page.get_by_role("link", name="Altas y Bajas de Establecimientos Anexos")
    ).to_be_visible()
    expect(page.locator("iframe#iframeApplication")).to_have_count(0)
    option.click()
    module = page.frame_locator("iframe#iframeApplication")
    expect(module.get_by_text(TITLE)).to_be_visible()
    return module


def open_alta(module: FrameLocator) -> Locator:
    dialog = module.get_by_role("dialog", name="Alta de autorización de PSE")
    button = module.get_by_role("button", name="Alta Servicio")
    retry_until_visible(button.click, dialog)
    return dialog


def look_up(module: FrameLocator, dialog: Locator, ruc: str) -> Locator:
    """The ".." button, the RUC typed in the list's layout table, then "Buscar" (whose
    handler is wired late) until the answer shows."""
    dialog.get_by_role("button", name="..", exact=True).click()
    listing = module.get_by_role("dialog", name="Lista de PSE activos")
    expect(listing).to_be_visible()
    listing.get_by_role("textbox").fill(ruc)
    answer = listing.locator("#gridListaPse [role=row][data-fila], #msgLista:not([hidden])")
    search = listing.get_by_role("button", name="Buscar", exact=True)
    retry_until_visible(search.click, answer.first)
    return listing


def result_rows(listing: Locator) -> Locator:
    return listing.get_by_role("grid").get_by_role("row").filter(has_text=re.compile(r"\d{11}"))


def pick(module: FrameLocator, dialog: Locator, ruc: str) -> None:
    listing = look_up(module, dialog, ruc)
    expect(result_rows(listing)).to_have_count(1)
    expect(listing.get_by_role("radio")).to_have_count(0)
    row = result_rows(listing).filter(has_text=ruc)
    expect(row.get_by_role("gridcell")).to_have_text([ruc, ACTIVE_PSES[ruc]])
    row.click()
    expect(row).to_have_attribute("aria-selected", "true")
    listing.get_by_role("button", name="Aceptar").click()
    expect(listing).to_be_hidden()
    expect(dialog.locator("#txtRucPse")).to_have_value(ruc)
    expect(dialog.locator("#txtRazonSocial")).to_have_value(ACTIVE_PSES[ruc])


def logged_in_module(page: Page, server: MockServer) -> FrameLocator:
    """Logged in, no pop-ups, handlers wired quickly (the happy path keeps the real delays)."""
    configure(server, popups="none", handler_delay_ms=60)
    log_in(page)
    expect(page).to_have_title("SUNAT - Menú SOL")
    return open_module(page)


# -- the whole procedure -------------------------------------------------------------------


def test_happy_path(page: Page, server: MockServer) -> None:
    page.goto(MENU_URL)
    expect(page).to_have_url(LOGIN_URL)
    expect(page).to_have_title("SUNAT - Operaciones en Línea")
    expect(page.get_by_role("tab")).to_have_count(0)
    expect(page.get_by_role("button", name="RUC", exact=True)).to_have_class("btn btnPor active")
    expect(page.get_by_placeholder("Ingrese el código de la imagen")).to_be_hidden()
    expect(page.get_by_label("Recuérdame, para entrar más fácil")).not_to_be_checked()
    expect(page.get_by_text("¿Te olvidaste tu usuario o clave?")).to_be_visible()
    expect(page.get_by_role("link", name="¿Te olvidaste tu usuario o clave?")).to_have_count(0)
    fill_login(page)
    page.get_by_placeholder("Contraseña").focus()
    expect(page.get_by_placeholder("Usuario")).to_have_value("MODDATOS")
    page.get_by_role("button", name="Iniciar sesión").click()

    expect(page).to_have_url(MENU_URL)
    expect(page).to_have_title("SUNAT - Menú SOL")
    welcome = page.get_by_role("link", name="Bienvenido, EMPRESA DEMO MODDATOS S.A.C.")
    expect(welcome).to_be_visible()
    expect(page.get_by_text("RUC: 20100066603 · Usuario: MODDATOS")).to_be_visible()
    cookie = next(c for c in page.context.cookies() if c["name"] == "ITMENUSESSION")
    assert cookie["domain"] == ".sunat.gob.pe"
    assert cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "None"
    close_popups(page, state(server)["popups_shown"])

    module = open_module(page)
    ended = module.get_by_role("row").filter(has_text=ENDED_PSE[0])
    expect(ended.get_by_role("gridcell")).to_have_text([*ENDED_PSE, "Baja"])
    dialog = open_alta(module)
    expect(dialog.locator("#txtRucPse")).not_to_be_editable()
    pick(module, dialog, VIDA_SOFTWARE)
    start = lima_date(1)
    dialog.get_by_placeholder("DD/MM/AAAA").fill(start)
    dialog.get_by_role("button", name="Registrar").click()

    message = module.get_by_role("dialog", name="Mensaje")
    expect(message).to_contain_text("Se registró la autorización del PSE correctamente.")
    message.get_by_role("button", name="Aceptar").click()
    expect(dialog).to_be_hidden()
    row = module.get_by_role("row").filter(has_text=VIDA_SOFTWARE)
    expect(row.get_by_role("gridcell")).to_have_text(
        [VIDA_SOFTWARE, "VIDA SOFTWARE S.A.C.", start, "", "Activo"]
    )

    snapshot = state(server)
    assert snapshot["login_attempts"] == 1
    assert snapshot["logins_ok"] == 1
    assert snapshot["submissions"] == 1
    [registration] = snapshot["registrations"]
    assert registration["ruc"] == VIDA_SOFTWARE
    assert registration["razon_social"] == "VIDA SOFTWARE S.A.C."
    assert registration["start_date"] == start
    assert datetime.fromisoformat(registration["registered_at"]).tzinfo is not None
    assert [r["status"] for r in snapshot["grid"]] == ["Baja", "Activo"]
    assert snapshot["challenges"] == {"captcha": None}

    page.get_by_role("button", name="Salir").click()
    expect(page).to_have_url(LOGIN_URL)
    assert state(server)["sessions"] == 0


def test_menu_tree_and_late_handlers(page: Page, server: MockServer) -> None:
    configure(server, popups="none", handler_delay_ms=2000, menu_search_label="clasico")
    log_in(page)
    box = page.get_by_placeholder("¿Qué necesitas hacer?")
    box.fill("ALTAS")
    results = page.locator("#divResultadoBusqueda")
    expect(results).to_be_hidden()
    expect(page.get_by_placeholder("Busque una opción del menú")).to_have_count(0)
    empresas = page.get_by_role("link", name="Empresas")
    comprobantes = page.get_by_role("link", name="Comprobantes de pago")
    retry_until_visible(empresas.click, comprobantes)
    box.fill("ÁLTAS")
    expect(results.get_by_role("link", name="Altas/Bajas de PSE")).to_be_visible()
    comprobantes.click()
    page.get_by_role("link", name="SEE - Del contribuyente").click()
    with page.expect_response(re.compile(r"action=execute&code=11\.9\.6\.1\.1&s=ww1")) as sent:
        page.get_by_role("navigation").get_by_role("link", name="Altas/Bajas de PSE").click()
    assert sent.value.status == 302
    module = page.frame_locator("iframe#iframeApplication")
    expect(module.get_by_text(TITLE)).to_be_visible()


# -- login obstacles -----------------------------------------------------------------------


def test_wrong_clave(page: Page, server: MockServer) -> None:
    page.goto(MENU_URL)
    page.get_by_role("button", name="DNI").click()
    expect(page.get_by_placeholder("DNI")).to_be_visible()
    expect(page.get_by_placeholder("Usuario")).to_be_hidden()
    page.get_by_role("button", name="RUC", exact=True).click()
    log_in(page, clave="otraclave")
    expect(page).to_have_url(LOGIN_URL)
    alert = page.get_by_role("alert")
    expect(alert).to_have_text("El usuario o la clave ingresada no es correcta.")
    expect(alert).to_have_class(re.compile(r"alert alert-danger"))
    expect(page.get_by_placeholder("RUC", exact=True)).to_have_value("20100066603")
    snapshot = state(server)
    assert snapshot["login_attempts"] == 1
    assert snapshot["logins_ok"] == 0
    assert snapshot["wrong_claves"] == {DEMO_KEY: 1}
    assert snapshot["locked"] == []


def test_three_wrong_claves_lock_the_user(page: Page, server: MockServer) -> None:
    log_in(page, clave="mala1")
    for clave in ("mala2", "mala3", "moddatos"):
        fill_login(page, clave)
        page.get_by_role("button", name="Iniciar sesión").click()
        expect(page.get_by_placeholder("Contraseña")).to_have_value("")
        expected = "no es correcta" if clave == "mala2" else "ha sido bloqueado"
        expect(page.get_by_role("alert")).to_contain_text(expected)
    snapshot = state(server)
    assert snapshot["login_attempts"] == 4
    assert snapshot["logins_ok"] == 0
    assert snapshot["locked"] == [DEMO_KEY]


def test_captcha_on_second_login(page: Page, server: MockServer) -> None:
    configure(server, popups="none")
    log_in(page)
    page.get_by_role("button", name="Salir").click()
    expect(page).to_have_url(LOGIN_URL)
    captcha_box = page.get_by_placeholder("Ingrese el código de la imagen")
    expect(captcha_box).to_be_hidden()
    assert state(server)["challenges"]["captcha"] is None

    fill_login(page)
    expect(captcha_box).to_be_visible()
    expect(page.get_by_role("img", name="Imagen de verificación")).to_be_visible()
    first = state(server)["challenges"]["captcha"]
    assert re.fullmatch(r"[A-Z2-9]{5}", first)
    assert first not in page.content()
    captcha_box.fill("ZZZZZ" if first != "ZZZZZ" else "YYYYY")
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page.get_by_role("alert")).to_have_text(
        "El código de verificación ingresado es incorrecto"
    )
    expect(captcha_box).to_be_visible()
    second = state(server)["challenges"]["captcha"]
    assert second is not None
    assert state(server)["wrong_claves"] == {}

    fill_login(page)
    captcha_box.fill(second.lower())
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page).to_have_url(MENU_URL)
    snapshot = state(server)
    assert (snapshot["login_attempts"], snapshot["logins_ok"]) == (3, 2)
    assert snapshot["challenges"]["captcha"] is None


def test_stale_state(page: Page, server: MockServer) -> None:
    configure(server, popups="none", captcha="never")
    log_in(page)
    expect(page).to_have_url(MENU_URL)
    page.go_back()
    expect(page).to_have_url(LOGIN_URL)
    fill_login(page)
    page.locator("#btnAceptar").click()
    expect(page).to_have_url(ERROR_URL)
    expect(page.get_by_role("alert")).to_have_text(
        "Los parámetros de configuración de autenticación no coinciden por los generados por "
        "el sistema. Cierre la ventana y vuelva a ingresar."
    )
    assert page.locator("#divErrorRUC").count() == 1
    assert state(server)["login_attempts"] == 2


def test_rate_limit(page: Page, server: MockServer) -> None:
    configure(server, popups="none", captcha="never", rate_limit=1)
    log_in(page)
    page.get_by_role("button", name="Salir").click()
    fill_login(page)
    page.locator("#btnAceptar").click()
    expect(page).to_have_url(ERROR_URL)
    expect(page.get_by_role("alert")).to_contain_text("Ha excedido el número de intentos")
    assert state(server)["logins_ok"] == 1


def test_popups_forced_block_the_menu(page: Page, server: MockServer) -> None:
    configure(server, popups=["celular", "informativo", "importante"])
    log_in(page)
    campaigns = page.frame_locator("iframe#ifrVCE")
    dialogs = campaigns.get_by_role("dialog")
    importante = dialogs.filter(has_text="IMPORTANTE")
    expect(importante).to_be_visible()
    expect(importante).not_to_have_attribute("aria-label", re.compile("."))
    expect(campaigns.get_by_role("dialog", name=re.compile("."))).to_have_count(0)
    with pytest.raises(PlaywrightTimeoutError):
        page.get_by_placeholder("Busque una opción del menú").click(timeout=300, trial=True)
    correo = dialogs.filter(has_text="CONFIRMAR SU CUENTA DE CORREO ELECTRÓNICO")
    expect(correo).to_be_hidden()
    importante.get_by_role("button", name="Cancelar").click()
    expect(correo.get_by_role("button", name="Aceptar")).to_be_disabled()
    expect(correo.get_by_role("button", name="Finalizar")).to_be_hidden()
    correo.get_by_role("button", name="Continuar sin confirmar").click()
    celular = dialogs.filter(has_text="CONFIRMAR SU TELÉFONO CELULAR")
    celular.get_by_role("button", name="Continuar sin confirmar").click()
    expect(page.locator("iframe#ifrVCE")).to_be_hidden()
    page.get_by_placeholder("Busque una opción del menú").click()
    assert state(server)["popups_shown"] == ["importante", "informativo", "celular"]


# -- module rules --------------------------------------------------------------------------


def test_unknown_pse(page: Page, server: MockServer) -> None:
    module = logged_in_module(page, server)
    listing = look_up(module, open_alta(module), "20100066603")
    expect(listing.get_by_role("alert")).to_have_text(
        "No se encontraron PSE activos con el RUC ingresado."
    )
    expect(result_rows(listing)).to_have_count(0)
    listing.get_by_role("button", name="Aceptar").click()
    expect(listing.get_by_role("alert")).to_have_text("Debe seleccionar un PSE.")
    assert state(server)["submissions"] == 0


def test_start_date_today_refused(page: Page, server: MockServer) -> None:
    module = logged_in_module(page, server)
    dialog = open_alta(module)
    pick(module, dialog, VIDA_SOFTWARE)
    dialog.get_by_placeholder("DD/MM/AAAA").fill(lima_date(0))
    dialog.get_by_role("button", name="Registrar").click()
    expect(dialog.get_by_role("alert")).to_have_text(
        "La fecha de inicio de autorización debe ser posterior a la fecha actual."
    )
    snapshot = state(server)
    assert snapshot["submissions"] == 0
    assert snapshot["rejections"][0]["start_date"] == lima_date(0)


def test_already_registered_refused(page: Page, server: MockServer) -> None:
    configure(server, registered=[{"ruc": VIDA_SOFTWARE, "start_date": "01/02/2024"}])
    module = logged_in_module(page, server)
    row = module.get_by_role("row").filter(has_text=VIDA_SOFTWARE)
    expect(row.get_by_role("gridcell").last).to_have_text("Activo")
    dialog = open_alta(module)
    pick(module, dialog, VIDA_SOFTWARE)
    dialog.get_by_placeholder("DD/MM/AAAA").fill(lima_date(2))
    dialog.get_by_role("button", name="Registrar").click()
    expect(dialog.get_by_role("alert")).to_have_text("El PSE ya se encuentra registrado.")
    dialog.get_by_role("button", name="Cancelar", exact=True).last.click()
    expect(dialog).to_be_hidden()
    snapshot = state(server)
    assert snapshot["submissions"] == 0
    assert snapshot["registrations"] == []


def test_permission_off(page: Page, server: MockServer) -> None:
    configure(server, popups="none", permission=False, handler_delay_ms=60)
    log_in(page)
    box = page.get_by_placeholder("Busque una opción del menú")
    option = page.locator("#divResultadoBusqueda").get_by_role("link", name="Altas/Bajas de PSE")
    retry_until_visible(lambda: box.fill("altas"), option)
    option.click()
    module = page.frame_locator("iframe#iframeApplication")
    expect(
        module.get_by_text("Usted no tiene permisos para acceder a esta opción.")
    ).to_be_visible()
    expect(module.get_by_role("button", name="Alta Servicio")).to_have_count(0)


# -- pure helpers --------------------------------------------------------------------------


def test_ruc_rules_agree_with_stdnum() -> None:
    for ruc in [*ACTIVE_PSES, ENDED_PSE[0], "20100066603", "20600337831", "2060033783"]:
        assert ruc_is_valid(ruc) == stdnum_ruc.is_valid(ruc), ruc
    assert all(ruc_is_valid(ruc) for ruc in ACTIVE_PSES)


def test_dates_in_lima() -> None:
    assert parse_date("31/02/2030") is None
    assert parse_date("2030-01-01") is None
    assert parse_date(" 05/01/2030 ") == date(2030, 1, 5)
    late_evening = datetime(2030, 1, 5, 23, 30, tzinfo=LIMA)
    assert not is_after_today("05/01/2030", late_evening)
    assert is_after_today("06/01/2030", late_evening)


def test_register_rules_without_browser() -> None:
    data = SunatData()
    noon = datetime(2030, 1, 5, 12, tzinfo=LIMA)
    assert pse.register(data, "", "06/01/2030", noon) == pse.NO_PSE
    assert pse.register(data, "20100066603", "06/01/2030", noon) == pse.NOT_ACTIVE
    assert pse.register(data, VIDA_SOFTWARE, "bad", noon) == pse.BAD_DATE
    assert pse.register(data, VIDA_SOFTWARE, "06/01/2030", noon) == pse.DONE
    assert pse.register(data, VIDA_SOFTWARE, "07/01/2030", noon) == pse.ALREADY
    assert len(data.registrations) == 1
    assert pse.search_active("123").message == pse.BAD_RUC
    assert len(pse.search_active("").rows) == len(ACTIVE_PSES)


def test_settings_validation() -> None:
    base = Settings()
    assert settings.apply(base, {"popups": ["informativo", "importante"]}).popups == [
        "importante",
        "informativo",
    ]
    for bad in (
        {"unknown": 1},
        {"popups": "some"},
        {"captcha": "sometimes"},
        {"rate_limit": 0},
        {"permission": "no"},
        {"handler_delay_ms": True},
        {"registered": [{"ruc": "20100066603", "start_date": "01/01/2024"}]},
        {"registered": [{"ruc": VIDA_SOFTWARE, "start_date": "2024-01-01"}]},
    ):
        with pytest.raises(ValueError, match="sunat"):
            settings.apply(base, bad)


def test_captcha_picture_has_no_text() -> None:
    assert set(captcha.ALPHABET) == set(captcha.FONT)
    assert all(len(rows) == 7 and {len(r) for r in rows} == {5} for rows in captcha.FONT.values())
    svg = captcha.render_svg("AB234", random.Random(1))
    assert "<text" not in svg and "AB234" not in svg


def test_login_rules_without_browser() -> None:
    data = SunatData()
    rng = random.Random(3)
    flow = login.start_flow(data, MENU_URL, 1000.0, rng)
    form = login.LoginForm(flow.state, "1", "20100066603", "MODDATOS", "", "moddatos", "")
    assert login.submit(data, form, 1001.0, rng).kind == "ok"
    assert login.submit(data, form, 1002.0, rng).kind == "stale"
    expired = login.start_flow(data, MENU_URL, 1000.0, rng)
    late = login.LoginForm(expired.state, "1", "20100066603", "MODDATOS", "", "moddatos", "")
    assert login.submit(data, late, 1000.0 + login.FLOW_TTL_S + 1, rng).kind == "stale"
    assert data.login_attempts == 3


# -- markup dialects -------------------------------------------------------------------------


def tag(locator: Locator) -> str:
    return str(locator.evaluate("e => e.tagName.toLowerCase()"))


def test_dialect_is_set_over_http_on_any_host_and_reset_to_1(server: MockServer) -> None:
    server.reset("sunat")
    assert state(server)["dialect"] == 1
    client.configure(server.address, "ww1.sunat.gob.pe", {"dialect": 3})
    assert client.read_state(server.address, "api-seguridad.sunat.gob.pe")["dialect"] == 3
    client.reset(server.address, "e-menu.sunat.gob.pe")
    assert state(server)["dialect"] == 1
    for bad in (0, 4, "2", True):
        with pytest.raises(ValueError, match="dialect"):
            settings.apply(Settings(), {"dialect": bad})


def test_login_markup_differs_by_dialect(page: Page, server: MockServer) -> None:
    seen = []
    for dialect in (1, 2, 3):
        configure(server, dialect=dialect)
        page.goto(MENU_URL)
        ruc_choice = page.get_by_text("RUC", exact=True).filter(visible=True)
        login_button = page.locator("#btnAceptar")
        expect(login_button).to_be_visible()
        seen.append(
            (
                tag(ruc_choice.first),
                page.get_by_role("tab", name="RUC").count(),
                page.get_by_label("Usuario", exact=True).count(),
                page.get_by_placeholder("Usuario", exact=True).count(),
                tag(login_button),
                page.get_by_role("link", name="¿Te olvidaste tu usuario o clave?").count(),
            )
        )
    assert seen == [
        ("button", 0, 0, 1, "button", 0),
        ("button", 1, 1, 0, "input", 1),
        ("a", 0, 0, 0, "span", 1),
    ]
    # In dialect 3 the texts sit in the table cell before each box.
    expect(page.locator("td", has_text="Contraseña").locator("+ td input")).to_have_attribute(
        "type", "password"
    )


@pytest.mark.parametrize("dialect", [1, 2, 3])
def test_every_dialect_shows_the_taxpayer_and_its_own_menu_markup(
    page: Page, server: MockServer, dialect: int
) -> None:
    configure(server, dialect=dialect, popups="none", captcha="never", handler_delay_ms=60)
    page.goto(MENU_URL)
    page.locator("#txtRuc").fill("20100066603")
    page.locator("#txtUsuario").fill("MODDATOS")
    page.locator("#txtContrasena").fill("moddatos")
    page.locator("#btnAceptar").click()
    expect(page).to_have_url(MENU_URL)
    expect(page.get_by_text("Bienvenido, EMPRESA DEMO MODDATOS S.A.C.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"RUC: 20100066603"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"Usuario: MODDATOS"))).to_be_visible()
    salir = page.get_by_role({1: "button", 2: "link", 3: "button"}[dialect], name="Salir")
    expect(salir).to_be_visible()
    box = page.locator("#txtBusca")
    label = "¿Qué necesitas hacer?" if dialect == 2 else "Busque una opción del menú"
    if dialect == 1:
        expect(box).to_have_attribute("placeholder", label)
    elif dialect == 2:
        expect(page.get_by_label(label)).to_have_id("txtBusca")
    else:
        expect(page.locator("td", has_text=label).locator("+ td input")).to_have_id("txtBusca")
    results = page.locator("#divResultadoBusqueda")
    expect(results).to_be_hidden()
    found = results.get_by_text("Altas/Bajas de PSE", exact=True)
    if dialect == 3:
        box.fill("altas")  # a bare value set: dialect 3 listens to key presses only
        page.wait_for_timeout(300)
        expect(results).to_be_hidden()

        def type_altas() -> None:
            box.fill("")
            box.press_sequentially("altas")

        retry_until_visible(type_altas, found)
    else:  # the box's handler is wired late: typed too early, nothing shows
        retry_until_visible(lambda: box.fill("altas"), found)
    assert tag(found) == {1: "a", 2: "li", 3: "button"}[dialect]


@pytest.mark.parametrize("dialect", [2, 3])
def test_campaign_popups_of_other_dialects(page: Page, server: MockServer, dialect: int) -> None:
    configure(server, dialect=dialect, popups=["importante", "informativo"], captcha="never")
    log_in(page)
    campaigns = page.frame_locator("iframe#ifrVCE")
    named = campaigns.get_by_role("dialog", name="Importante")
    if dialect == 2:
        expect(named).to_be_visible()
        named.get_by_role("button", name="Cerrar").click()
        informativo = campaigns.get_by_role("dialog", name="Informativo")
        expect(informativo.get_by_role("button", name="Finalizar")).to_be_visible()
    else:
        unnamed = campaigns.get_by_role("dialog").filter(has_text="Importante")
        expect(unnamed).to_be_visible()
        expect(named).to_have_count(0)
        unnamed.get_by_role("link", name="Cerrar").click()
        informativo = campaigns.get_by_role("dialog").filter(has_text="CONFIRMAR SU CUENTA")
    informativo.get_by_role(
        "button" if dialect == 2 else "link", name="Continuar sin confirmar"
    ).click()
    expect(page.locator("iframe#ifrVCE")).to_be_hidden()


@pytest.mark.parametrize("dialect", [1, 2, 3])
def test_module_markup_differs_by_dialect(page: Page, server: MockServer, dialect: int) -> None:
    configure(server, dialect=dialect, popups="none", captcha="never", handler_delay_ms=300)
    log_in(page)
    box = page.locator("#txtBusca")
    option = page.locator("#divResultadoBusqueda").get_by_text("Altas/Bajas de PSE", exact=True)

    def type_altas() -> None:
        box.fill("")
        box.press_sequentially("altas")

    retry_until_visible(type_altas, option)
    with page.expect_response(re.compile(r"autorizacionpse\.htm$")) as loaded:
        option.click()
    served_with_rows = ENDED_PSE[0] in loaded.value.text()
    assert served_with_rows == (dialect == 2)  # elsewhere rows are fetched by script
    module = page.frame_locator("iframe#iframeApplication")
    expect(module.get_by_text(TITLE)).to_be_visible()
    expect(module.get_by_role("heading", name=TITLE)).to_have_count(1 if dialect == 2 else 0)
    grid_role = {1: "grid", 2: "table", 3: "table"}[dialect]
    grid = module.get_by_role(grid_role).filter(has_text="Razón Social")
    expect(grid.get_by_role("columnheader", name="Razón Social")).to_be_visible()
    rows = grid.get_by_role("row").filter(has_text=ENDED_PSE[0])
    expect(rows).to_have_count(1)
    assert tag(grid) == {1: "div", 2: "table", 3: "div"}[dialect]
    alta = module.get_by_text("Alta Servicio", exact=True)
    assert tag(alta) == {1: "span", 2: "a", 3: "span"}[dialect]
    dialog = module.get_by_role("dialog").filter(has_text="Alta de autorización de PSE")
    retry_until_visible(alta.click, dialog)
    expect(module.get_by_role("dialog", name="Alta de autorización de PSE")).to_have_count(
        1 if dialect == 1 else 0
    )
    opener = dialog.get_by_text("..", exact=True)
    if dialect == 2:
        opener = dialog.locator("a", has_text="..")
    opener.click()
    listing = module.get_by_role("dialog").filter(has_text="Lista de PSE activos")
    box = listing.get_by_role("textbox")
    box.fill(VIDA_SOFTWARE)
    if dialect == 1:  # the RUC box sits in a row of the layout table #tabArchLista
        layout_row = module.locator("#tabArchLista tr").filter(has=module.locator("#txt_ruc2"))
        expect(layout_row).to_have_count(1)
    answer = listing.locator("[data-fila]")
    retry_until_visible(listing.get_by_text("Buscar", exact=True).click, answer)
    answer.click()
    listing.get_by_text("Aceptar", exact=True).click()
    expect(dialog.locator("#txtRazonSocial")).to_have_value("VIDA SOFTWARE S.A.C.")
