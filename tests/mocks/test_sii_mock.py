"""The SII mock driven by a real headless Chromium, the way a person uses the portal."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, FilePayload, Page, expect

from portal_bot.browser import new_context
from portal_bot.certificates import make_pkcs12, read_pkcs12
from portal_bot.mocks.server import MockServer
from portal_bot.mocks.sii import SiiPortal, texts, urls
from portal_bot.mocks.sii.model import ClaveForm, LoginResult, RecoveryError, SiiModel
from portal_bot.mocks.sii.rules import (
    CODE_ALPHABET,
    clave_problems,
    display_rut,
    mask_email,
    new_code,
    parse_rut,
    return_url,
)

DEMO_RUT = "12345678-5"
OTHER_RUT = "11111111-1"


@pytest.fixture
def server(mock_server: MockServer) -> MockServer:
    """The suite's one mock server (every portal); the session browser is mapped to it."""
    return mock_server


@pytest.fixture
def page(server: MockServer, browser: Browser) -> Iterator[Page]:
    server.reset("sii")
    server.portal("sii").configure({"login_modal": False})
    context = new_context(browser, mock=True, locale="es-CL")
    context.set_default_timeout(5_000)
    yield context.new_page()
    context.close()


def state(server: MockServer) -> dict[str, Any]:
    return server.state("sii")


def log_in(page: Page, rut: str = "123456785", clave: str = "sii-demo") -> None:
    """On the login page: type RUT and clave as a person does, press Ingresar."""
    # The error page has the same title: wait for the login form itself.
    expect(page.get_by_placeholder("Ej: 123456789")).to_be_visible()
    page.get_by_placeholder("Ej: 123456789").fill(rut)
    page.locator("#clave").fill(clave)  # labelled differently in each dialect
    page.get_by_role("button", name="Ingresar").click()


def pfx_upload(data: bytes) -> FilePayload:
    return {"name": "firma.pfx", "mimeType": "application/x-pkcs12", "buffer": data}


# -- login ---------------------------------------------------------------------------------


def test_login_from_homer_and_logout(page: Page, server: MockServer) -> None:
    page.goto(urls.HOMER_URL)
    page.get_by_role("link", name="Ingresar a Mi Sii", exact=True).click()
    expect(page).to_have_url(urls.login_url(urls.MISII_URL))
    expect(page.get_by_label("RUT", exact=True)).to_be_visible()
    log_in(page)
    expect(page).to_have_url(urls.MISII_URL)
    expect(page.get_by_role("heading", name="Mi SII")).to_be_visible()
    profile = page.locator("#info_profile")
    expect(profile).to_contain_text("MARÍA GONZÁLEZ PÉREZ")
    expect(profile).to_contain_text("12.345.678-5")
    assert page.evaluate("DatosCntrNow.contribuyente.rut") == "12345678"
    expect(page.get_by_text("No informada")).to_be_visible()
    cookie = next(c for c in page.context.cookies() if c["name"] == "TOKEN")
    assert cookie["domain"] == ".sii.cl"
    assert cookie["secure"]
    snapshot = state(server)
    assert snapshot["login_attempts"] == 1
    assert snapshot["sessions"] == [DEMO_RUT]

    page.get_by_role("link", name="Salir").click()
    expect(page).to_have_url(urls.HOME_URL)
    expect(
        page.locator("ul#sinAutenticacion").get_by_role("link", name="Ingresar a Mi Sii")
    ).to_be_visible()
    assert state(server)["sessions"] == []
    page.goto(urls.MISII_URL)
    expect(page).to_have_url(urls.login_url(urls.MISII_URL))


def test_client_side_errors_never_reach_the_server(page: Page, server: MockServer) -> None:
    page.goto(urls.login_url().replace("/AUT2000", "//AUT2000"))  # as many scripts spell it
    alert = page.locator("#alert_placeholder").get_by_role("alert")
    page.get_by_role("button", name="Ingresar").click()
    expect(alert).to_have_text(texts.FILL_RUT_AND_CLAVE)
    cases = [
        ("12A45678-5", texts.INVALID_RUT),
        ("1234567", texts.INCOMPLETE_RUT),
        ("12.345.678-4", texts.WRONG_DV),
    ]
    page.get_by_label("Clave Tributaria").fill("sii-demo")
    for rut, message in cases:
        page.get_by_placeholder("Ej: 123456789").fill(rut)
        page.get_by_role("button", name="Ingresar").click()
        expect(alert).to_have_text(message)
    expect(page).to_have_url(re.compile(r"IngresoRutClave\.html\?https://misiir"))
    assert state(server)["login_attempts"] == 0


def test_wrong_clave_page_counts_one_attempt(page: Page, server: MockServer) -> None:
    page.goto(urls.login_url())
    log_in(page, clave="SII-DEMO")
    expect(page).to_have_url(f"https://{urls.LOGIN_HOST}{urls.LOGIN_POST_PATH}")
    expect(page.get_by_text(texts.WRONG_CLAVE)).to_be_visible()
    expect(
        page.get_by_text(f"El código de este mensaje es {texts.WRONG_CLAVE_CODE}")
    ).to_be_visible()
    snapshot = state(server)
    assert snapshot["login_attempts"] == 1
    assert snapshot["wrong_claves"] == {DEMO_RUT: 1}
    assert snapshot["sessions"] == []
    page.get_by_role("button", name="Aceptar").click()
    expect(page).to_have_url(urls.login_url())


def test_three_wrong_claves_lock_even_the_right_one(page: Page, server: MockServer) -> None:
    page.goto(urls.login_url())
    for attempt in range(3):
        log_in(page, clave=f"mala{attempt}")
        expect(page.get_by_role("button", name="Aceptar")).to_be_visible()
        if attempt < 2:
            page.get_by_role("button", name="Aceptar").click()
    expect(page.get_by_text(texts.LOCKED_CLAVE)).to_be_visible()
    expect(page.get_by_text(re.compile(r"El código de este mensaje es .*\.09$"))).to_be_visible()
    page.get_by_role("button", name="Aceptar").click()
    log_in(page)
    expect(page.get_by_text(texts.LOCKED_CLAVE)).to_be_visible()
    snapshot = state(server)
    assert snapshot["login_attempts"] == 4
    assert snapshot["locked"] == [DEMO_RUT]
    assert snapshot["sessions"] == []


def test_pop_ups_after_login_come_in_a_chain_until_closed(page: Page, server: MockServer) -> None:
    server.portal("sii").configure({"login_modal": True})
    page.goto(urls.MISII_URL)
    log_in(page)
    # The first login brings two notices, one after the other, with varying titles.
    for title in (texts.NOTICES[0][0], texts.NOTICES[1][0]):
        dialog = page.get_by_role("dialog", name=title)
        expect(dialog).to_be_visible()
        dialog.get_by_role("button", name="Cerrar", exact=True).click()
        expect(dialog).to_be_hidden()
    page.get_by_role("link", name="Servicios online").click()
    expect(page).to_have_url(urls.SERVICIOS_URL)


# -- Centralizar certificado digital ------------------------------------------------------


def test_centralize_through_the_menu(page: Page, server: MockServer) -> None:
    pfx = make_pkcs12(DEMO_RUT, "MARÍA GONZÁLEZ PÉREZ", "Firma-2024")
    page.goto(urls.HOMER_URL)
    page.get_by_role("link", name="Ingresar a Mi Sii").click()
    log_in(page)
    page.get_by_role("link", name="Servicios online").click()
    # "Factura electrónica" shows several times [src]; every one leads to the same page.
    expect(page.get_by_role("link", name="Factura electrónica")).to_have_count(2)
    page.get_by_role("link", name="Factura electrónica").last.click()
    # The real accordion's toggles are anchors [src], inside #headingN > h4.
    section = page.locator("#accordion h4 > a", has_text="Conozca sobre Factura Electrónica")
    expect(section).to_have_attribute("aria-expanded", "false")
    section.click()
    expect(section).to_have_attribute("aria-expanded", "true")
    page.get_by_role("link", name="Certificado Digital").click()
    page.get_by_role("link", name="Centralizar certificado digital").click()
    expect(page).to_have_url(urls.CENTRALIZAR_URL)
    page.get_by_label("Archivo del certificado digital (.pfx o .p12)").set_input_files(
        pfx_upload(pfx)
    )
    page.get_by_label("Clave del certificado").fill("Firma-2024")
    page.get_by_role("button", name="Enviar").click()
    expect(page.get_by_role("status")).to_have_text(texts.CERT_SAVED)
    expect(page.get_by_role("link", name="Salir")).to_be_visible()
    snapshot = state(server)
    assert snapshot["submissions"] == 1
    [saved] = snapshot["centralized"]
    assert saved["rut"] == DEMO_RUT
    assert saved["subject"] == "MARÍA GONZÁLEZ PÉREZ"
    assert saved["sha256"] == read_pkcs12(pfx, "Firma-2024").sha256
    page.get_by_role("button", name="Cerrar").click()
    expect(page).to_have_url(urls.MISII_URL)
    page.get_by_role("link", name="Salir").click()
    expect(page).to_have_url(urls.HOME_URL)


def test_centralize_needs_a_session_and_comes_back(page: Page, server: MockServer) -> None:
    page.goto(urls.CENTRALIZAR_URL)
    expect(page).to_have_url(urls.login_url(urls.CENTRALIZAR_URL))
    log_in(page)
    expect(page).to_have_url(urls.CENTRALIZAR_URL)
    expect(page.get_by_label("Clave del certificado")).to_be_visible()


def test_centralize_errors(page: Page, server: MockServer) -> None:
    now = datetime.now(UTC)
    good = make_pkcs12(DEMO_RUT, "MARÍA", "clave1")
    expired = make_pkcs12(
        DEMO_RUT, "MARÍA", "clave1", not_before=now - timedelta(400), not_after=now - timedelta(1)
    )
    cases: list[tuple[bytes | None, str, str]] = [
        (None, "clave1", texts.CERT_MISSING_FILE),
        (good, "", texts.CERT_MISSING_PASSWORD),
        (good, "otra", texts.CERT_WRONG_PASSWORD),
        (b"esto no es un certificado", "clave1", texts.CERT_NOT_PKCS12),
        (expired, "clave1", texts.CERT_EXPIRED),
        (make_pkcs12(OTHER_RUT, "JUAN", "clave1"), "clave1", texts.CERT_OTHER_RUT),
        (
            make_pkcs12(DEMO_RUT, "M", "clave1", include_private_key=False),
            "clave1",
            texts.CERT_NO_KEY,
        ),
    ]
    page.goto(urls.CENTRALIZAR_URL)
    log_in(page)
    file_input = page.get_by_label("Archivo del certificado digital (.pfx o .p12)")
    for data, password, message in cases:
        file_input.set_input_files(pfx_upload(data) if data is not None else [])
        page.get_by_label("Clave del certificado").fill(password)
        page.get_by_role("button", name="Enviar").click()
        expect(page.get_by_role("alert")).to_have_text(message)
    snapshot = state(server)
    assert snapshot["submissions"] == 0
    assert snapshot["centralized"] == []


def test_form_shows_the_certificate_already_centralized(page: Page, server: MockServer) -> None:
    page.goto(urls.CENTRALIZAR_URL)
    log_in(page)
    current = page.get_by_role("region", name="Certificado centralizado")
    expect(page.get_by_label("Clave del certificado")).to_be_visible()
    expect(current).to_have_count(0)
    page.get_by_label("Archivo del certificado digital (.pfx o .p12)").set_input_files(
        pfx_upload(make_pkcs12(DEMO_RUT, "MARÍA GONZÁLEZ PÉREZ", "clave1"))
    )
    page.get_by_label("Clave del certificado").fill("clave1")
    page.get_by_role("button", name="Enviar").click()
    expect(page.get_by_role("status")).to_have_text(texts.CERT_SAVED)
    page.goto(urls.CENTRALIZAR_URL)
    expect(current).to_contain_text("MARÍA GONZÁLEZ PÉREZ")
    expect(current.get_by_text("Vigente", exact=True)).to_be_visible()

    portal = server.portal("sii")
    assert isinstance(portal, SiiPortal)
    with portal.lock:
        [saved] = portal.model.data.centralized
        saved.not_after = datetime.now(UTC) - timedelta(days=1)
    page.reload()
    expect(current.get_by_text("Vencido", exact=True)).to_be_visible()
    expect(current.get_by_text("Vigente", exact=True)).to_have_count(0)


# -- Recuperar Clave ----------------------------------------------------------------------


def start_recovery(page: Page, rut: str = "12.345.678-5") -> None:
    """The first form: RUT, the clause, «Continuar»."""
    page.get_by_label("RUT", exact=True).fill(rut)
    page.get_by_label("Acepto la Cláusula").check()
    page.get_by_role("button", name="Continuar").click()


def ask_for_code(page: Page, server: MockServer) -> str:
    """From the first form to a code in the mailbox, as the real sequence goes [src]."""
    start_recovery(page)
    notice = page.get_by_role("status")
    expect(notice).to_have_text(
        "Se enviará un código provisorio al correo electrónico registrado r*****@empresa.cl. "
        "Presione «Continuar» para recibirlo."
    )
    expect(page.get_by_text("RUT: 12.345.678-5")).to_be_visible()
    assert state(server)["mailbox"] == []  # the notice itself sends nothing
    page.get_by_role("button", name="Continuar").click()
    expect(notice).to_have_text(
        "Se ha enviado un código provisorio al correo electrónico registrado r*****@empresa.cl"
    )
    [mail] = state(server)["mailbox"]
    assert mail["to"] == "rgonzalez@empresa.cl"
    code: str = state(server)["challenges"]["codes"][DEMO_RUT]
    assert code == mail["code"]
    page.get_by_role("link", name="Ir a recuperar Clave").click()
    expect(page).to_have_url(urls.RECOVERY_URL)
    return code


def code_window(page: Page) -> Page:
    """Back on the first form with a code pending: the screen that offers to type it,
    whose link opens a new window."""
    start_recovery(page)
    expect(page.get_by_role("status")).to_contain_text("Ya existe un código provisorio vigente")
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Ingresar Código provisorio").click()
    window = opened.value
    expect(window.get_by_text("RUT: 12.345.678-5")).to_be_visible()
    return window


def test_recovery_changes_clave_and_auth_mode(page: Page, server: MockServer) -> None:
    page.goto(urls.login_url())
    page.get_by_role("link", name="Recuperar Clave").click()
    expect(page).to_have_url(urls.RECOVERY_URL)
    expect(page.get_by_text(texts.CLAUSE)).to_be_visible()
    code = ask_for_code(page, server)

    window = code_window(page)
    window.get_by_label("Código provisorio").fill(code.lower())
    window.get_by_role("button", name="Enviar código").click()

    window.get_by_label("Nueva Clave", exact=True).fill("Nueva20245")  # 10: the longest
    window.get_by_label("Reingreso de Clave").fill("distinta1")
    window.get_by_role("button", name="Enviar formulario").click()
    alert = window.get_by_role("alert")
    for message in (
        texts.CLAVE_MISMATCH,
        texts.QUESTION_MISSING,
        texts.AUTH_MODE_MISSING,
    ):
        expect(alert).to_contain_text(message)
    window.get_by_label("Nueva Clave", exact=True).fill("NuevaClave24")  # 12: too long
    window.get_by_label("Reingreso de Clave").fill("NuevaClave24")
    window.get_by_role("button", name="Enviar formulario").click()
    expect(alert).to_contain_text(texts.CLAVE_RULES)

    window.get_by_label("Nueva Clave", exact=True).fill("Nueva2024")
    window.get_by_label("Reingreso de Clave").fill("Nueva2024")
    window.get_by_label("Pregunta secreta").select_option(texts.SECRET_QUESTIONS[1])
    window.get_by_label("Respuesta").fill("Valdivia")
    options = window.get_by_role("group", name="Forma de ingreso al SII").get_by_role("radio")
    expect(options.first).to_have_accessible_name(texts.AUTH_MODES[0])
    expect(options.last).to_have_accessible_name("Utilizando sólo Certificado Digital")
    options.first.check()
    window.get_by_role("button", name="Enviar formulario").click()
    expect(window.get_by_role("status")).to_have_text(texts.CLAVE_CHANGED)
    snapshot = state(server)
    assert (snapshot["clave_changes"], snapshot["submissions"], snapshot["code_attempts"]) == (
        1,
        1,
        1,
    )
    assert snapshot["auth_mode"] == {DEMO_RUT: "Utilizando Clave Tributaria o Certificado Digital"}
    assert snapshot["secret_question"] == {DEMO_RUT: texts.SECRET_QUESTIONS[1]}
    assert snapshot["challenges"]["codes"] == {}

    window.get_by_role("link", name="Ingresar a Mi Sii").click()
    log_in(window, clave="Nueva2024")
    expect(window).to_have_url(urls.MISII_URL)
    expect(window.get_by_text("Utilizando Clave Tributaria o Certificado Digital")).to_be_visible()


def test_recovery_first_form_errors(page: Page, server: MockServer) -> None:
    page.goto(urls.RECOVERY_URL)
    page.get_by_role("button", name="Continuar").click()
    expect(page.get_by_role("alert")).to_have_text(texts.RECOVERY_MISSING_RUT)
    page.get_by_label("RUT", exact=True).fill("12.345.678-4")
    page.get_by_role("button", name="Continuar").click()
    expect(page.get_by_role("alert")).to_have_text(texts.RECOVERY_INVALID_RUT)
    page.get_by_label("RUT", exact=True).fill("12.345.678-5")
    page.get_by_role("button", name="Continuar").click()
    expect(page.get_by_role("alert")).to_have_text(texts.RECOVERY_MISSING_CLAUSE)
    expect(page.get_by_label("RUT", exact=True)).to_have_value("12.345.678-5")
    start_recovery(page, rut="9.999.999-3")
    expect(page.get_by_role("alert")).to_have_text(texts.RECOVERY_UNKNOWN_RUT)
    assert state(server)["mailbox"] == []


def test_wrong_then_expired_code(page: Page, server: MockServer) -> None:
    page.goto(urls.RECOVERY_URL)
    code = ask_for_code(page, server)
    window = code_window(page)
    window.get_by_label("Código provisorio").fill("ZZZZZZ")
    window.get_by_role("button", name="Enviar código").click()
    expect(window.get_by_role("alert")).to_have_text(texts.CODE_INVALID)

    server.portal("sii").configure({"expire_codes": True})
    window.get_by_label("Código provisorio").fill(code)
    window.get_by_role("button", name="Enviar código").click()
    expect(window.get_by_role("alert")).to_have_text(texts.CODE_EXPIRED)
    snapshot = state(server)
    assert (snapshot["clave_changes"], snapshot["submissions"], snapshot["code_attempts"]) == (
        0,
        0,
        2,
    )


# -- dialects ------------------------------------------------------------------------------


def tag_and_role(page: Page, name: str) -> tuple[str, str]:
    """Tag and role attribute of the one visible element a person would click as ``name``."""
    found = page.locator("a, button, input[type=submit], input[type=button]", has_text=name).or_(
        page.locator(f"input[value='{name}']")
    )
    element = found.filter(visible=True)
    expect(element).to_have_count(1)
    tag: str = element.evaluate("e => e.tagName.toLowerCase() + (e.type ? ':' + e.type : '')")
    return tag, element.get_attribute("role") or ""


def test_the_three_dialects_differ_in_markup_only(page: Page, server: MockServer) -> None:
    seen: dict[int, list[object]] = {}
    for dialect in (1, 2, 3):
        server.portal("sii").configure({"dialect": dialect})
        assert state(server)["dialect"] == dialect
        page.goto(urls.login_url())
        login = [
            tag_and_role(page, "Ingresar"),
            page.get_by_role("heading", name="Ingreso a Mi SII").count(),
            page.locator("label[for=rutcntr]").count(),
            page.locator("#clave").get_attribute("placeholder"),
        ]
        expect(page.get_by_text("Ingreso a Mi SII", exact=True)).to_be_visible()
        page.goto(urls.FACTURA_URL)
        toggle = tag_and_role(page, "Conozca sobre Factura Electrónica")
        page.goto(urls.RECOVERY_URL)
        clause = page.get_by_role("checkbox", name="Acepto la Cláusula")
        expect(clause).to_be_visible()
        seen[dialect] = [*login, toggle, clause.evaluate("e => e.tagName.toLowerCase()")]
    assert seen[1] == [("button:submit", ""), 1, 1, None, ("a", ""), "input"]
    assert seen[2] == [("input:submit", ""), 0, 0, None, ("button:button", ""), "input"]
    assert seen[3] == [("a", "button"), 0, 0, "Clave Tributaria", ("a", "button"), "span"]


def test_dialects_show_the_certificate_status_and_file_input_differently(
    page: Page, server: MockServer
) -> None:
    portal = server.portal("sii")
    assert isinstance(portal, SiiPortal)
    with portal.lock:
        portal.model.centralize(
            DEMO_RUT, make_pkcs12(DEMO_RUT, "MARÍA GONZÁLEZ PÉREZ", "c1"), "c1", datetime.now(UTC)
        )
    page.goto(urls.CENTRALIZAR_URL)
    log_in(page)
    expect(page.get_by_text("RUT: 12.345.678-5")).to_be_visible()
    kinds = {}
    for dialect in (1, 2, 3):
        portal.configure({"dialect": dialect})
        page.reload()
        region = page.get_by_role("region", name="Certificado centralizado")
        caption = page.locator("caption", has_text="Certificado centralizado")
        chooser = page.get_by_role("button", name="Examinar…")
        kinds[dialect] = (region.count(), caption.count(), chooser.count())
        expect(page.get_by_text("Vigente", exact=True)).to_be_visible()
    assert kinds == {1: (1, 0, 0), 2: (0, 1, 0), 3: (1, 0, 1)}
    # Dialect 3: the file input is hidden; the «Examinar…» button opens the file chooser.
    with page.expect_file_chooser() as chooser_info:
        page.get_by_role("button", name="Examinar…").click()
    chooser_info.value.set_files(pfx_upload(make_pkcs12(DEMO_RUT, "M", "c1")))
    expect(page.get_by_text("firma.pfx")).to_be_visible()


@pytest.mark.parametrize(
    ("dialect", "named", "button"), [(2, False, "Cerrar"), (3, True, "Aceptar")]
)
def test_notices_in_other_dialects(
    page: Page, server: MockServer, dialect: int, named: bool, button: str
) -> None:
    server.portal("sii").configure({"login_modal": True, "dialect": dialect})
    page.goto(urls.MISII_URL)
    log_in(page)
    expect(
        page.get_by_text("RUT", exact=False).filter(has_text="12.345.678-5").first
    ).to_be_visible()
    for title, _ in texts.NOTICES[:2]:
        dialog = page.get_by_role("dialog").filter(visible=True)
        expect(dialog).to_contain_text(title)
        expect(page.get_by_role("dialog", name=title)).to_have_count(1 if named else 0)
        dialog.get_by_role("button", name=button).click()
        expect(dialog).to_have_count(0)


# -- rules and model, without a browser ---------------------------------------------------


T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_configure_accepts_known_switches_and_refuses_the_rest() -> None:
    portal = SiiPortal()
    portal.configure({"code_ttl_s": 60, "expire_codes": True, "lock_after": 5})
    assert portal.state()["settings"] == {
        "code_ttl_s": 60,
        "dialect": 1,
        "expire_codes": True,
        "lock_after": 5,
        "login_modal": True,
    }
    portal.configure({"dialect": 3})
    assert portal.state()["dialect"] == 3
    bad_settings: list[dict[str, object]] = [
        {"captcha": True},
        {"lock_after": 0},
        {"lock_after": True},
        {"expire_codes": 1},
        {"dialect": 4},
        {"dialect": True},
    ]
    for bad in bad_settings:
        with pytest.raises(ValueError, match="sii: "):
            portal.configure(bad)
    portal.reset()
    assert portal.state()["settings"]["lock_after"] == 3
    assert portal.state()["dialect"] == 1


def test_lock_lasts_an_hour_and_counts_from_lock_after() -> None:
    model = SiiModel()
    model.data.settings.lock_after = 2
    assert model.login("12345678", "5", "x", T0).result is LoginResult.WRONG
    assert model.login("12345678", "5", "x", T0).result is LoginResult.LOCKED
    assert model.login("12345678", "5", "sii-demo", T0 + timedelta(minutes=59)).result is (
        LoginResult.LOCKED
    )
    assert model.snapshot(T0 + timedelta(minutes=59))["locked"] == [DEMO_RUT]
    assert model.snapshot(T0 + timedelta(hours=1))["locked"] == []
    assert model.login("12345678", "5", "sii-demo", T0 + timedelta(hours=1)).result is (
        LoginResult.OK
    )
    assert model.data.login_attempts == 4


def test_unknown_rut_is_answered_like_a_wrong_clave() -> None:
    model = SiiModel()
    assert model.login("9999999", "3", "x", T0).result is LoginResult.WRONG
    assert model.login("", "", "x", T0).result is LoginResult.INCOMPLETE
    assert model.data.login_attempts == 2


def test_code_lifetime_and_single_use() -> None:
    model = SiiModel()
    account = model.recovery_account("12.345.678-5", clause=True)
    model.send_code(account, T0)
    code = model.data.codes[DEMO_RUT].code
    with pytest.raises(RecoveryError, match=texts.CODE_EXPIRED):
        model.verify_code(DEMO_RUT, code, T0 + timedelta(minutes=31))
    model.data.settings.code_ttl_s = 3600
    ticket = model.verify_code(DEMO_RUT, f" {code.lower()} ", T0 + timedelta(minutes=31))
    with pytest.raises(RecoveryError, match=texts.CODE_INVALID):
        model.verify_code(DEMO_RUT, code, T0 + timedelta(minutes=32))
    with pytest.raises(RecoveryError, match=texts.TICKET_EXPIRED):
        form = ClaveForm("Nueva2024", "Nueva2024", texts.SECRET_QUESTIONS[0], "Fido", "x")
        model.change_clave(ticket, form, T0 + timedelta(hours=2))


def test_a_newer_code_replaces_the_older_one() -> None:
    model = SiiModel()
    account = model.recovery_account("123456785", clause=True)
    model.send_code(account, T0)
    first = model.data.codes[DEMO_RUT].code
    model.send_code(account, T0)
    second = model.data.codes[DEMO_RUT].code
    if first != second:
        with pytest.raises(RecoveryError, match=texts.CODE_INVALID):
            model.verify_code(DEMO_RUT, first, T0)
    assert model.verify_code(DEMO_RUT, second, T0)


def test_new_clave_replaces_the_old_one_and_lifts_the_lock() -> None:
    model = SiiModel()
    for _ in range(3):
        model.login("12345678", "5", "mala", T0)
    model.send_code(model.recovery_account("12345678-5", clause=True), T0)
    ticket = model.verify_code(DEMO_RUT, model.data.codes[DEMO_RUT].code, T0)
    form = ClaveForm(
        "Nueva2024", "Nueva2024", texts.SECRET_QUESTIONS[0], "Fido", texts.AUTH_MODES[0]
    )
    assert model.change_clave(ticket, form, T0) == []
    assert model.login("12345678", "5", "sii-demo", T0).result is LoginResult.WRONG
    assert model.login("12345678", "5", "Nueva2024", T0).result is LoginResult.OK
    assert model.data.clave_changes == model.data.submissions == 1


@pytest.mark.parametrize(
    ("new", "confirm", "problems"),
    [
        ("Nueva2024", "Nueva2024", []),
        ("abcd1234", "abcd1234", []),
        ("abc123", "abc123", [texts.CLAVE_RULES]),
        ("abcdefghij12", "abcdefghij12", [texts.CLAVE_RULES]),
        ("abcdefghi1", "abcdefghi1", []),
        ("abcdefgh", "abcdefgh", [texts.CLAVE_RULES]),
        ("12345678", "12345678", [texts.CLAVE_RULES]),
        ("sii-demo1", "sii-demo1", [texts.CLAVE_RULES]),
        ("Nueva2024", "Nueva2025", [texts.CLAVE_MISMATCH]),
    ],
)
def test_clave_rules(new: str, confirm: str, problems: list[str]) -> None:
    assert clave_problems(new, confirm) == problems


@pytest.mark.parametrize(
    ("referencia", "target"),
    [
        (
            "https://misiir.sii.cl/cgi_misii/siihome.cgi",
            "https://misiir.sii.cl/cgi_misii/siihome.cgi",
        ),
        ("http://www.sii.cl", "https://www.sii.cl/"),
        ("https://www4.sii.cl/x?a=1", "https://www4.sii.cl/x?a=1"),
        ("https://evil.example/sii.cl", urls.MISII_URL),
        ("", urls.MISII_URL),
        ("javascript:alert(1)", urls.MISII_URL),
        ("https%3A%2F%2Fwww4.sii.cl%2Fx", "https://www4.sii.cl/x"),
    ],
)
def test_return_url_stays_on_sii(referencia: str, target: str) -> None:
    assert return_url(referencia) == target


def test_small_helpers() -> None:
    assert mask_email("rgonzalez@empresa.cl") == "r*****@empresa.cl"
    assert display_rut(DEMO_RUT) == "12.345.678-5"
    assert parse_rut("12.345.678-4") is None
    code = new_code()
    assert len(code) == 6
    assert set(code) <= set(CODE_ALPHABET)
