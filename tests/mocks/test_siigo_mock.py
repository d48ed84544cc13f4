"""The Siigo Nube mock, driven through real headless Chromium as a person would."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Download, Locator, Page, expect

from portal_bot.browser import new_context
from portal_bot.mocks.server import MockServer
from portal_bot.mocks.siigo import SiigoPortal
from portal_bot.mocks.siigo.letter import build_pdf, letter_filename, letter_lines
from portal_bot.mocks.siigo.state import Representative, now_bogota
from portal_bot.mocks.siigo.validation import (
    BAD_EMAIL,
    BAD_NUMBER,
    BAD_PHONE,
    LETTER_NOT_PDF,
    LETTER_TOO_BIG,
    REQUIRED,
    format_nit,
    letter_error,
    phone_digits,
    representative_errors,
)

DEMO, DEMO_NIT = "demo@empresa.co", "900.123.456-8"
PENDING, PENDING_NIT = "pendiente@empresa.co", "901.234.567-7"
PASSWORD = "siigo-demo"
NUBE = "https://siigonube.siigo.com"
PLATFORM = "https://plataformatecnologica.siigo.com"
SIGN_IN = re.compile(
    r"^https://account\.siigo\.com/siigob2cco\.onmicrosoft\.com/b2c_1a_col_pd_ssosiigo/"
    r"oauth2/v2\.0/authorize\?"
)
STEPS_URL = f"{NUBE}/documentos-electronicos/facturacion-electronica/inicia-tu-proceso"
REPRESENTATIVE = {
    "Nombre completo": "Ana María Pérez Gómez",
    "Número de documento": "52123456",
    "Correo electrónico": "ana.perez@empresa.co",
    "Teléfono": "300 123 4567",
}


# --- fixtures -------------------------------------------------------------------------


@pytest.fixture
def server(mock_server: MockServer) -> MockServer:
    """The suite's one mock server (every portal); the session browser is mapped to it."""
    return mock_server


@pytest.fixture
def portal(server: MockServer) -> SiigoPortal:
    found = server.portal("siigo")
    assert isinstance(found, SiigoPortal)
    return found


@pytest.fixture
def page(browser: Browser, portal: SiigoPortal) -> Iterator[Page]:
    portal.reset()
    context = new_context(browser, mock=True, locale="es-CO")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def state(server: MockServer) -> dict[str, Any]:
    return server.state("siigo")


# --- what a person does ---------------------------------------------------------------


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Siigo Nube's shell sends the browser to B2C; the e-mail, the password, "Continuar"."""
    shell = page.goto(f"{NUBE}/")
    assert shell is not None and (shell.status, shell.url) == (200, f"{NUBE}/")
    expect(page).to_have_url(SIGN_IN)  # the shell's own script went to the sign-in
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Continuar").click()


def log_in(page: Page, email: str, password: str = PASSWORD) -> None:
    sign_in(page, email, password)
    page.get_by_role("button", name="Ingresar").click()
    expect(page).to_have_url(f"{NUBE}/inicio")


def step(page: Page, title: str) -> Locator:
    return page.get_by_role("region", name=title, exact=True)


def open_platform(page: Page) -> Page:
    """From the steps page, "Activa tu certificado digital" → "Continuar" opens a new
    window with the three steps at once; step 1's "Continuar" opens "Verificar pago"."""
    with page.expect_popup() as popup_info:
        step(page, "Activa tu certificado digital").get_by_role("button", name="Continuar").click()
    platform = popup_info.value
    expect(platform).to_have_url(f"{PLATFORM}/certificado-digital")
    for title in ("Paga tu certificado", "Tramita tu certificado", "Haz seguimiento a tu trámite"):
        expect(step(platform, title).get_by_role("button", name="Continuar")).to_be_visible()
    step(platform, "Paga tu certificado").get_by_role("button", name="Continuar").click()
    expect(platform.get_by_role("heading", name="Paga tu certificado")).to_be_visible()
    drawn, since_load = platform.evaluate(
        """() => [!!document.getElementById('verificar'), performance.now()
                  - performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd]"""
    )
    assert not drawn or since_load >= 900, "«Verificar pago» comes about 1 s after the title"
    expect(platform.get_by_role("button", name="Verificar pago")).to_be_visible()
    return platform


def to_step2(platform: Page) -> None:
    """Back on the three steps, step 2's "Continuar" opens the form."""
    step(platform, "Tramita tu certificado").get_by_role("button", name="Continuar").click()
    expect(step(platform, "Datos del representante legal")).to_be_visible()


def reach_step2(page: Page, email: str) -> Page:
    log_in(page, email)
    page.goto(STEPS_URL)
    platform = open_platform(page)
    platform.get_by_role("button", name="Verificar pago").click()
    paid = platform.get_by_role("dialog", name="Verificación del pago")
    expect(paid).to_contain_text("Tu certificado digital ya se encuentra pagado.")
    paid.get_by_role("button", name="Aceptar").click()
    to_step2(platform)
    return platform


def fill_representative(platform: Page, skip: str = "") -> None:
    representative = step(platform, "Datos del representante legal")
    for label, value in REPRESENTATIVE.items():
        if label != skip:
            representative.get_by_label(label).fill(value)
    if skip != "Tipo de documento":
        representative.get_by_role("combobox", name="Tipo de documento").click()
        platform.get_by_role("option", name="Cédula de ciudadanía").click()


def download_letter(platform: Page, folder: Path) -> Path:
    with platform.expect_download() as download_info:
        platform.get_by_role("button", name="Descargar carta").click()
    download: Download = download_info.value
    target = folder / download.suggested_filename
    download.save_as(target)
    return target


def attach_with_chooser(platform: Page, file: Path) -> None:
    with platform.expect_file_chooser() as chooser_info:
        platform.get_by_role("button", name="Adjuntar documento").click()
    chooser_info.value.set_files(file)


def signed_scan(folder: Path, letter: Path) -> Path:
    """The letter after the representative signed it and it was scanned (a new PDF)."""
    scan = folder / "carta-firmada.pdf"
    scan.write_bytes(letter.read_bytes() + b"% firmada y escaneada\n")
    return scan


# --- whole paths ----------------------------------------------------------------------


def test_paid_account_goes_through_the_menu_to_the_request(
    page: Page, server: MockServer, tmp_path: Path
) -> None:
    log_in(page, DEMO)
    header = page.locator("siigo-header-molecule div.company-header-title")
    expect(header).to_have_text("EMPRESA DEMO S.A.S. · NIT 900.123.456-8")
    cookie = next(c for c in page.context.cookies() if c["name"] == "SiigoSession")
    assert (cookie["domain"], cookie["secure"], cookie["httpOnly"]) == (".siigo.com", True, True)

    page.get_by_role("link", name="Documentos electrónicos").click()
    page.get_by_role("link", name="Facturación electrónica").click()
    expect(page.locator("#Spinner")).to_be_visible()  # the overlay after a menu click
    page.get_by_role("button", name="Inicia tu proceso electrónico").click()
    platform = open_platform(page)
    platform.get_by_role("button", name="Verificar pago").click()
    expect(platform.locator("#Spinner")).to_be_visible()
    paid = platform.get_by_role("dialog", name="Verificación del pago")
    expect(paid).to_contain_text("Tu certificado digital ya se encuentra pagado.")
    paid.get_by_role("button", name="Aceptar").click()
    to_step2(platform)

    expect(platform).to_have_url(re.compile(r"/certificado-digital/tramita-tu-certificado$"))
    expect(platform.get_by_role("radio", name="Jurídica")).to_be_checked()
    company = step(platform, "Datos de la empresa")
    expect(company.get_by_label("Correo electrónico")).to_have_value("contabilidad@empresademo.co")
    expect(company.get_by_label("Correo electrónico")).to_be_editable()
    expect(company.get_by_label("Teléfono")).to_have_value("6017425000")
    expect(platform.get_by_label("Razón social")).to_have_value("EMPRESA DEMO S.A.S.")
    expect(platform.get_by_label("Razón social")).not_to_be_editable()
    expect(platform.get_by_label("NIT")).to_have_value(DEMO_NIT)
    expect(platform.get_by_label("NIT")).not_to_be_editable()
    expect(platform.get_by_role("button", name="Continuar")).to_be_disabled()

    fill_representative(platform)
    letter = download_letter(platform, tmp_path)
    assert letter.name == letter_filename(DEMO_NIT) == "carta-exoneracion-900123456-8.pdf"
    content = letter.read_bytes()
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    assert "Ana María Pérez Gómez".encode("cp1252") in content

    scan = signed_scan(tmp_path, letter)
    attach_with_chooser(platform, scan)
    expect(platform.locator("#Spinner")).to_be_visible()  # the effect comes late
    expect(platform.get_by_role("button", name="Eliminar")).to_be_hidden()
    success = platform.locator("#toast-container .toast-success").get_by_role("alert")
    expect(success.filter(has_text="Documento adjuntado")).to_have_text(
        "Documento adjuntado correctamente."
    )
    expect(platform.get_by_text("carta-firmada.pdf")).to_be_visible()
    expect(platform.get_by_role("button", name="Eliminar")).to_be_visible()
    platform.get_by_role("button", name="Continuar").click()

    expect(step(platform, "Haz seguimiento a tu trámite")).to_be_visible()
    row = platform.get_by_role("row").filter(has_text="Certificado digital")
    expect(row.get_by_role("cell").nth(2)).to_have_text("En trámite")
    expect(platform.get_by_text("set de pruebas de la DIAN")).to_be_visible()

    snapshot = state(server)
    assert snapshot["login_attempts"] == 1
    assert snapshot["submissions"] == 1
    assert snapshot["payments"] == []
    assert snapshot["letters_downloaded"] == 1
    assert snapshot["company_contact"][DEMO_NIT] == {
        "email": "contabilidad@empresademo.co",
        "phone": "6017425000",
    }
    saved = snapshot["representative"][DEMO_NIT]
    assert saved["email"] == "ana.perez@empresa.co"
    assert saved["full_name"] == "Ana María Pérez Gómez"
    assert saved["document_type"] == "Cédula de ciudadanía"
    assert saved["phone"] == "300 123 4567"
    assert snapshot["letter"][DEMO_NIT] == {
        "filename": "carta-firmada.pdf",
        "size": scan.stat().st_size,
        "sha256": hashlib.sha256(scan.read_bytes()).hexdigest(),
    }
    [request] = snapshot["requests"]
    assert (request["nit"], request["state"], request["observation"]) == (
        DEMO_NIT,
        "En trámite",
        "",
    )
    assert snapshot["challenges"] == {}

    portal = server.portal("siigo")
    portal.configure({"request_state": "Rechazado", "observation": "La firma no es legible."})
    platform.reload()
    expect(row.get_by_role("cell").nth(2)).to_have_text("Rechazado")
    expect(row.get_by_role("cell").nth(3)).to_have_text("La firma no es legible.")
    expect(platform.get_by_role("button", name="Volver a tramitar")).to_be_visible()

    portal.configure({"request_state": "Completado", "observation": ""})
    platform.reload()
    expect(row.get_by_role("cell").nth(2)).to_have_text("Completado")
    uuid = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
    expect(platform.locator("code")).to_have_text(uuid)
    [request] = state(server)["requests"]
    assert request["state"] == "Completado" and len(request["test_set_id"]) == 36
    assert state(server)["submissions"] == 1


def test_unpaid_account_buys_the_certificate_once(
    page: Page, server: MockServer, tmp_path: Path
) -> None:
    log_in(page, PENDING)
    page.get_by_role("link", name="Habilitaciones electrónicas").click()
    card = step(page, "Facturación electrónica en Siigo Nube")
    card.get_by_role("button", name="Continuar").click()
    platform = open_platform(page)

    platform.get_by_role("button", name="Verificar pago").click()
    expect(platform.get_by_text("No encontramos el pago")).to_be_visible()
    platform.get_by_role("button", name="Comprar certificado digital").click()
    expect(platform.get_by_text("$ 250.000 + IVA")).to_be_visible()
    expect(platform.get_by_text("Vigencia: 1 año")).to_be_visible()
    platform.get_by_role("button", name="Pagar").click()

    platform.get_by_role("button", name="Pagar").click()
    method = platform.get_by_role("combobox", name="Medio de pago")
    expect(method).to_have_accessible_description("Selecciona un medio de pago")
    assert state(server)["payments"] == []
    method.click()
    platform.get_by_role("option", name="PSE - Débito desde cuenta bancaria").click()
    platform.get_by_role("button", name="Pagar").click()
    expect(
        platform.get_by_role("heading", name="¡Tu compra ha terminado con éxito!")
    ).to_be_visible()
    platform.get_by_role("button", name="Continuar").click()
    expect(step(platform, "Paga tu certificado")).to_contain_text("Completado")
    to_step2(platform)

    fill_representative(platform)
    letter = download_letter(platform, tmp_path)
    platform.get_by_label("Adjuntar documento").set_input_files(signed_scan(tmp_path, letter))
    platform.get_by_role("button", name="Continuar").click()
    expect(platform.get_by_role("cell", name="En trámite")).to_be_visible()

    snapshot = state(server)
    [payment] = snapshot["payments"]
    assert (payment["nit"], payment["amount"]) == (PENDING_NIT, 297_500)
    assert payment["at"].endswith("-05:00")
    assert snapshot["settings"]["paid"][PENDING_NIT] is True
    assert snapshot["submissions"] == 2
    assert [r["state"] for r in snapshot["requests"]] == ["En trámite"]


# --- obstacles and refusals -----------------------------------------------------------


def test_wrong_password_shows_the_error_and_counts(page: Page, server: MockServer) -> None:
    sign_in(page, DEMO, "otra-clave")
    expect(page.locator("#siigoError")).to_have_text("Usuario o contraseña inválidos")
    expect(page.get_by_role("alert")).to_have_text("Usuario o contraseña inválidos")
    expect(page).to_have_url(re.compile(r"^https://account\.siigo\.com/"))
    expect(page.get_by_role("button", name="Ingresar")).to_have_count(0)
    page.get_by_role("button", name="Continuar").click()
    expect(page.get_by_role("alert")).to_have_text("Ingresa tu correo electrónico y tu contraseña.")
    page.goto(f"{NUBE}/inicio")
    expect(page).to_have_url(SIGN_IN)
    assert state(server)["login_attempts"] == 2


def test_missing_field_then_attachment_rules_and_eliminar(
    page: Page, server: MockServer, tmp_path: Path
) -> None:
    platform = reach_step2(page, DEMO)
    downloads: list[Download] = []
    platform.on("download", lambda download: downloads.append(download))
    fill_representative(platform, skip="Teléfono")
    representative = step(platform, "Datos del representante legal")
    representative.get_by_label("Correo electrónico").fill("ana.perez@")
    step(platform, "Datos de la empresa").get_by_label("Teléfono").fill("")
    platform.get_by_role("button", name="Descargar carta").click()

    phone = representative.get_by_label("Teléfono")
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(phone).to_have_accessible_description(REQUIRED)
    expect(representative.get_by_label("Correo electrónico")).to_have_accessible_description(
        BAD_EMAIL
    )
    company_phone = step(platform, "Datos de la empresa").get_by_label("Teléfono")
    expect(company_phone).to_have_accessible_description(REQUIRED)
    expect(representative.get_by_label("Nombre completo")).not_to_have_attribute(
        "aria-invalid", "true"
    )
    snapshot = state(server)
    assert (snapshot["representative"], snapshot["letters_downloaded"]) == ({}, 0)
    assert downloads == []

    fill_representative(platform)
    company_phone.fill("601 742 5000")
    letter = download_letter(platform, tmp_path)
    expect(phone).not_to_have_attribute("aria-invalid", "true")
    proceed = platform.get_by_role("button", name="Continuar")
    errors = platform.locator("#toast-container .toast-error")

    too_big = tmp_path / "carta-grande.pdf"
    too_big.write_bytes(b"%PDF-1.4\n" + b"0" * (1024 * 1024))
    attach_with_chooser(platform, too_big)
    expect(errors.get_by_role("alert")).to_have_text(LETTER_TOO_BIG)
    expect(proceed).to_be_disabled()

    fake = tmp_path / "carta.pdf"
    fake.write_text("esto no es un PDF", encoding="utf-8")
    attach_with_chooser(platform, fake)
    expect(errors.get_by_role("alert").last).to_have_text(LETTER_NOT_PDF)
    expect(proceed).to_be_disabled()

    status, answer = platform.evaluate(
        """async () => {
            const body = new FormData();
            body.append("carta", new Blob(["hola"]), "carta.pdf");
            const r = await fetch("/certificado-digital/tramita-tu-certificado/adjunto",
                                  {method: "POST", body});
            return [r.status, (await r.json()).error];
        }"""
    )
    assert (status, answer) == (400, LETTER_NOT_PDF)
    assert state(server)["letter"] == {}

    attach_with_chooser(platform, letter)
    expect(proceed).to_be_enabled()
    assert state(server)["letter"][DEMO_NIT]["filename"] == letter.name

    platform.get_by_role("button", name="Eliminar").click()
    expect(proceed).to_be_disabled()
    expect(platform.get_by_role("button", name="Eliminar")).to_be_hidden()
    assert state(server)["letter"] == {}
    assert state(server)["requests"] == []
    assert state(server)["company_contact"][DEMO_NIT]["phone"] == "601 742 5000"


def test_lend_certificate_shows_the_notice(page: Page, server: MockServer) -> None:
    server.portal("siigo").configure({"lend_certificate": True})
    log_in(page, PENDING)
    page.goto(STEPS_URL)
    platform = open_platform(page)
    platform.get_by_role("button", name="Verificar pago").click()
    notice = platform.get_by_role("dialog", name="Préstamo del certificado digital")
    expect(notice).to_contain_text("Siigo te presta su certificado digital")
    notice.get_by_role("button", name="Entendido").click()
    to_step2(platform)
    assert state(server)["payments"] == []


def test_platform_is_only_reachable_through_siigo_nube(page: Page) -> None:
    log_in(page, DEMO)
    page.goto("https://plataformatecnologica.siigo.com/certificado-digital/paga-tu-certificado")
    expect(page.get_by_text("Acceso no autorizado", exact=True)).to_be_visible()
    links: list[str] = []
    page.context.on("request", lambda r: links.append(r.url) if "/acceso?" in r.url else None)
    page.goto(STEPS_URL)
    open_platform(page).close()
    page.goto(links[0])
    expect(page.get_by_role("alert")).to_have_text(
        "El enlace de acceso no es válido o ya fue utilizado."
    )


# --- dialects ---------------------------------------------------------------------------


def click_text(page: Page, text: str) -> None:
    page.get_by_text(text, exact=True).click()


@pytest.mark.parametrize("dialect", [1, 2, 3])
def test_dialects_change_the_markup_and_keep_the_texts(
    page: Page, portal: SiigoPortal, dialect: int, tmp_path: Path
) -> None:
    portal.configure({"dialect": dialect})
    page.goto(f"{NUBE}/")
    expect(page).to_have_url(SIGN_IN)
    page.locator("input[name=signInName]").fill(DEMO)
    page.locator("input[type=password]").fill(PASSWORD)
    proceed_as = {1: "button", 2: "link", 3: "button"}[dialect]
    expect(page.get_by_role(proceed_as, name="Continuar", exact=True)).to_have_count(1)  # type: ignore[arg-type]
    expect(page.locator("#siigoNext")).to_have_count(1 if dialect == 1 else 0)
    email_label = {1: "Correo electrónico", 2: "Correo electrónico:", 3: None}[dialect]
    if email_label:
        expect(page.get_by_label(email_label, exact=True)).to_have_count(1)
    else:
        expect(page.get_by_label("Correo electrónico")).to_have_count(0)
        expect(page.get_by_placeholder("Correo electrónico", exact=True)).to_have_count(1)
    click_text(page, "Continuar")
    click_text(page, "Ingresar")
    expect(page).to_have_url(f"{NUBE}/inicio")

    identity = "EMPRESA DEMO S.A.S. · NIT 900.123.456-8"
    expect(page.get_by_text(identity, exact=True)).to_be_visible()
    in_shadow = page.evaluate("() => !!document.querySelector('siigo-header-molecule')?.shadowRoot")
    assert in_shadow == (dialect == 1)
    expect(page.get_by_role("heading", name="Inicio", exact=True)).to_have_count(
        1 if dialect == 2 else 0
    )
    group_as = {1: "link", 2: "button", 3: "menuitem"}[dialect]
    expect(page.get_by_role(group_as, name="Documentos electrónicos")).to_have_count(1)  # type: ignore[arg-type]

    page.goto(STEPS_URL)
    with page.expect_popup() as popup_info:
        click_text(page, "Continuar")
    platform = popup_info.value
    expect(platform.get_by_text("Haz seguimiento a tu trámite", exact=True)).to_be_visible()
    platform.goto(f"{PLATFORM}/certificado-digital/tramita-tu-certificado")
    section_as = {1: "region", 2: None, 3: "group"}[dialect]
    representative = "Datos del representante legal"
    if section_as:
        expect(platform.get_by_role(section_as, name=representative)).to_have_count(1)  # type: ignore[arg-type]
    else:
        expect(platform.get_by_role("heading", name=representative)).to_have_count(1)
    listbox = platform.get_by_role("combobox", name="Tipo de documento")
    expect(listbox).to_have_count(1 if dialect in (1, 2) else 0)
    expect(platform.locator("select")).to_have_count(0 if dialect == 1 else 1)
    expect(platform.locator("siigo-textfield-web")).to_have_count(8 if dialect == 1 else 0)
    expect(platform.get_by_placeholder("Nombre completo")).to_have_count(1 if dialect == 3 else 0)

    fake = tmp_path / "carta.pdf"
    fake.write_text("esto no es un PDF", encoding="utf-8")
    platform.locator("input[type=file]").set_input_files(fake)
    expect(platform.get_by_text(LETTER_NOT_PDF)).to_be_visible()
    as_alert = platform.get_by_role("alert").filter(has_text=LETTER_NOT_PDF)
    expect(as_alert).to_have_count(0 if dialect == 2 else 1)
    assert portal.state()["dialect"] == dialect


# --- pure helpers ---------------------------------------------------------------------


def test_demo_nits_are_valid_and_formatted() -> None:
    assert format_nit("9001234568") == DEMO_NIT
    assert format_nit(PENDING_NIT) == PENDING_NIT
    with pytest.raises(ValueError):
        format_nit("900.123.456-9")


def test_representative_rules() -> None:
    valid = {
        "tipo_persona": "Jurídica",
        "nombre_completo": "Ana Pérez",
        "tipo_documento": "Cédula de ciudadanía",
        "numero_documento": "52123456",
        "correo": "ana@empresa.co",
        "telefono": "+57 300 123 4567",
    }
    assert representative_errors(valid) == {}
    assert representative_errors({"tipo_persona": "Natural"}) == {}
    assert representative_errors({}) == {"tipo_persona": REQUIRED}
    assert set(representative_errors({"tipo_persona": "Jurídica"})) == {
        "nombre_completo",
        "tipo_documento",
        "numero_documento",
        "correo",
        "telefono",
    }
    wrong = valid | {"numero_documento": "52.123", "correo": "ana@", "telefono": "12"}
    assert representative_errors(wrong) == {
        "numero_documento": BAD_NUMBER,
        "correo": BAD_EMAIL,
        "telefono": BAD_PHONE,
    }
    passport = valid | {"tipo_documento": "Pasaporte", "numero_documento": "AB123456"}
    assert representative_errors(passport) == {}
    assert phone_digits("(601) 742 5000") == "6017425000"
    assert phone_digits("573001234567") == "3001234567"


def test_letter_rules() -> None:
    assert letter_error(b"%PDF-1.7\n...") is None
    assert letter_error(b"PK\x03\x04") == LETTER_NOT_PDF
    assert letter_error(b"%PDF-" + b"x" * 1024 * 1024) == LETTER_TOO_BIG


def test_generated_pdf_has_a_correct_cross_reference() -> None:
    pdf = build_pdf([("F1", "Señores (prueba) \\ fin")])
    startxref = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    assert pdf[startxref:].startswith(b"xref\n0 7\n")
    offsets = [int(line[:10]) for line in pdf[startxref:].split(b"\n")[3:9]]
    for number, offset in enumerate(offsets, start=1):
        assert pdf[offset:].startswith(b"%d 0 obj" % number)
    assert b"(Se\xf1ores \\(prueba\\) \\\\ fin) Tj" in pdf


def test_letter_of_a_natural_person_is_signed_by_the_company() -> None:
    natural = Representative("Natural", "", "", "", "", "", "")
    lines = [text for _, text in letter_lines("JUAN PÉREZ", PENDING_NIT, natural, now_bogota())]
    assert "JUAN PÉREZ" in lines and "Persona natural" in lines
    assert not any(line.startswith("Correo electrónico") for line in lines)


def test_configure_checks_every_switch() -> None:
    portal = SiigoPortal()
    for bad in (
        {"nope": 1},
        {"lend_certificate": "sí"},
        {"request_state": "Aprobado"},
        {"observation": 3},
        {"paid": {"900.123.456-9": True}},
        {"paid": {"800.197.268-4": True}},
        {"paid": {DEMO_NIT: "no"}},
        {"paid": [DEMO_NIT]},
        {"dialect": 4},
        {"dialect": "2"},
        {"dialect": True},
    ):
        with pytest.raises(ValueError):
            portal.configure(bad)
    assert portal.state()["settings"]["paid"] == {DEMO_NIT: True, PENDING_NIT: False}
    portal.configure({"paid": {"9001234568": False}, "lend_certificate": True})
    settings = portal.state()["settings"]
    assert settings["paid"][DEMO_NIT] is False and settings["lend_certificate"] is True
    assert portal.state()["dialect"] == 1
    portal.configure({"dialect": 3})
    assert portal.state()["dialect"] == 3
    portal.reset()
    assert portal.state()["dialect"] == 1
