"""The rules the plataforma tecnológica applies to what a person types or attaches.

The page shows the server's answer, so these rules are the single source of the error
texts; only the attachment is also checked in the page, before it is sent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from stdnum.co import nit as co_nit

REQUIRED = "Este campo es obligatorio"
BAD_EMAIL = "Ingresa un correo electrónico válido"
BAD_PHONE = "Ingresa un teléfono válido de 7 a 10 dígitos"
BAD_NUMBER = "Ingresa solo números, entre 5 y 10 dígitos"
BAD_PASSPORT = "Ingresa un número de pasaporte válido"
BAD_CHOICE = "Selecciona una opción válida"

PERSON_TYPES = ("Natural", "Jurídica")
DOCUMENT_TYPES = ("Cédula de ciudadanía", "Cédula de extranjería", "Pasaporte")
PAYMENT_METHODS = ("PSE - Débito desde cuenta bancaria", "Tarjeta de crédito")

REPRESENTATIVE_FIELDS = (
    "nombre_completo",
    "tipo_documento",
    "numero_documento",
    "correo",
    "telefono",
)
"""Form field names of the legal representative, in the order the page shows them."""

COMPANY_FIELDS = ("empresa_correo", "empresa_telefono")
"""The company's own contact fields, pre-filled and editable."""

MAX_LETTER_BYTES = 1024 * 1024
LETTER_TOO_BIG = "El archivo supera el tamaño máximo permitido de 1 MB."
LETTER_NOT_PDF = "El archivo debe ser un documento PDF."
LETTER_EMPTY = "Selecciona el archivo de la carta firmada."

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_PASSPORT = re.compile(r"^[A-Za-z0-9]{5,15}$")


def representative_errors(form: Mapping[str, str]) -> dict[str, str]:
    """Field name → message for every field that is missing or wrong; empty when valid.

    The representative's fields are required only for a "Jurídica" person: the page
    disables them for a "Natural" one.
    """
    errors: dict[str, str] = {}
    person_type = form.get("tipo_persona", "").strip()
    if not person_type:
        errors["tipo_persona"] = REQUIRED
    elif person_type not in PERSON_TYPES:
        errors["tipo_persona"] = BAD_CHOICE
    if person_type != "Jurídica":
        return errors
    values = {name: form.get(name, "").strip() for name in REPRESENTATIVE_FIELDS}
    for name, value in values.items():
        if not value:
            errors[name] = REQUIRED
    document_type = values["tipo_documento"]
    if document_type and document_type not in DOCUMENT_TYPES:
        errors["tipo_documento"] = BAD_CHOICE
    number = values["numero_documento"]
    if number and "numero_documento" not in errors:
        if document_type == "Pasaporte":
            if not _PASSPORT.match(number):
                errors["numero_documento"] = BAD_PASSPORT
        elif not (number.isdigit() and 5 <= len(number) <= 10):
            errors["numero_documento"] = BAD_NUMBER
    if values["correo"] and not _EMAIL.match(values["correo"]):
        errors["correo"] = BAD_EMAIL
    if values["telefono"] and not phone_digits(values["telefono"]):
        errors["telefono"] = BAD_PHONE
    return errors


def company_errors(form: Mapping[str, str]) -> dict[str, str]:
    """Field name → message for the company's own e-mail and phone (always required)."""
    errors: dict[str, str] = {}
    email = form.get("empresa_correo", "").strip()
    phone = form.get("empresa_telefono", "").strip()
    if not email:
        errors["empresa_correo"] = REQUIRED
    elif not _EMAIL.match(email):
        errors["empresa_correo"] = BAD_EMAIL
    if not phone:
        errors["empresa_telefono"] = REQUIRED
    elif not phone_digits(phone):
        errors["empresa_telefono"] = BAD_PHONE
    return errors


def phone_digits(value: str) -> str | None:
    """The phone's digits (without the +57 prefix) when it has 7 to 10 of them."""
    if not re.fullmatch(r"[\d\s()+-]+", value):
        return None
    digits = re.sub(r"\D", "", value)
    if value.strip().startswith("+57") or (len(digits) == 12 and digits.startswith("57")):
        digits = digits[2:]
    return digits if 7 <= len(digits) <= 10 else None


def letter_error(data: bytes) -> str | None:
    """Why an attached letter is refused, or None: at most 1 MB and a real PDF."""
    if not data:
        return LETTER_EMPTY
    if len(data) > MAX_LETTER_BYTES:
        return LETTER_TOO_BIG
    if not data.startswith(b"%PDF-"):
        return LETTER_NOT_PDF
    return None


def format_nit(value: str) -> str:
    """A valid NIT in the portal's spelling ``900.123.456-8``; ValueError if invalid."""
    if not isinstance(value, str) or not co_nit.is_valid(value):
        raise ValueError(f"NIT no válido: {value!r}")
    formatted: str = co_nit.format(value)
    return formatted
