from __future__ import annotations

from pathlib import Path

import pytest

from portal_bot.errors import InputError
from portal_bot.flow import Flow, Input
from portal_bot.inputs import check, collect


@pytest.mark.parametrize("value", ["12.345.678-5", "12345678-5", "123456785"])
def test_rut_spellings_are_normalised(value: str) -> None:
    assert check(Input(type="rut", prompt="RUT"), value, {}) == "12345678-5"


@pytest.mark.parametrize("value", ["900.123.456-8", "900123456-8", "9001234568"])
def test_nit_spellings_are_normalised(value: str) -> None:
    assert check(Input(type="nit", prompt="NIT"), value, {}) == "900123456-8"


def test_wrong_check_digit_says_so() -> None:
    with pytest.raises(InputError, match="dígito verificador"):
        check(Input(type="ruc", prompt="RUC"), "20100066604", {})


def test_pdf_is_checked_by_content_and_size(tmp_path: Path) -> None:
    spec = Input(type="file", prompt="Carta", formats=["pdf"], max_bytes=1_000_000)
    fake = tmp_path / "carta.pdf"
    fake.write_text("no soy un PDF")
    with pytest.raises(InputError, match="no es un PDF de verdad"):
        check(spec, str(fake), {})
    big = tmp_path / "grande.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * 1_200_000)
    with pytest.raises(InputError, match=r"pesa 1\.20 MB y el máximo es 1\.00 MB"):
        check(spec, str(big), {})


# --- the flow's own rules ------------------------------------------------------------------

DOCUMENT = Input(
    type="text",
    prompt="Tipo de documento",
    choices={
        "Cédula de ciudadanía": ["CC", "cédula"],
        "Cédula de extranjería": ["CE"],
        "Pasaporte": ["PA", "PP"],
    },
)
CLAVE = Input(
    type="secret",
    prompt="Nueva Clave Tributaria",
    min_length=8,
    max_length=10,
    pattern="(?=.*[A-Za-z])(?=.*[0-9])[A-Za-z0-9]+",
    pattern_help="solo letras y números, con al menos una letra y un número",
    example="Clave2026",
)


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("CC", "Cédula de ciudadanía"),
        ("cc", "Cédula de ciudadanía"),
        ("  CÉDULA ", "Cédula de ciudadanía"),
        ("cedula de ciudadania", "Cédula de ciudadanía"),
        ("ce", "Cédula de extranjería"),
        ("pp", "Pasaporte"),
    ],
)
def test_a_choice_given_by_an_alias_becomes_the_portals_text(given: str, canonical: str) -> None:
    assert check(DOCUMENT, given, {}) == canonical


def test_a_value_that_is_no_choice_is_refused_listing_them() -> None:
    with pytest.raises(InputError) as caught:
        check(DOCUMENT, "DNI", {})
    assert str(caught.value) == (
        "«DNI» no es una de las opciones admitidas: «Cédula de ciudadanía» (también CC, "
        "cédula), «Cédula de extranjería» (también CE) o «Pasaporte» (también PA, PP)"
    )


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("Clave2026abcd", "debe tener de 8 a 10 caracteres"),
        ("Ab1", "debe tener de 8 a 10 caracteres"),
        ("soloLetras", "no cumple la regla: solo letras y números, con al menos una letra"),
        ("Clave 2026", "no cumple la regla: solo letras y números"),
    ],
)
def test_a_secret_that_breaks_its_rule_is_refused_without_showing_it(value: str, rule: str) -> None:
    with pytest.raises(InputError) as caught:
        check(CLAVE, value, {})
    message = str(caught.value)
    assert message.startswith(rule)
    assert message.endswith("(ejemplo de un valor válido: Clave2026)")
    assert value not in message
    assert check(CLAVE, "Clave2026", {}) == "Clave2026"


def _flow(**inputs: dict[str, object]) -> Flow:
    head = {"id": "caso", "title": "x", "country": "CL", "portal": "x", "domains": ["a.cl"]}
    return Flow.model_validate({**head, "inputs": inputs, "steps": [{"say": "x"}]})


def test_a_secret_that_breaks_its_rule_is_asked_again_hidden() -> None:
    flow = _flow(nueva_clave=CLAVE.model_dump(exclude_none=True))
    answers = ["Clave2026", "Nueva2026"]
    asked: list[tuple[str, bool, str]] = []

    def ask(name: str, spec: Input, message: str) -> str | None:
        asked.append((name, spec.type == "secret", message))
        return answers.pop(0)

    env = {"PORTAL_BOT_SECRET_NUEVA_CLAVE": "Clave2026larga"}
    values = collect(flow, {}, ask, env)

    assert values.values["nueva_clave"] == "Clave2026"
    assert values.secrets == {"nueva_clave"}
    [(name, hidden, message)] = asked
    assert (name, hidden) == ("nueva_clave", True)
    assert message.startswith("debe tener de 8 a 10 caracteres")
    assert "Clave2026larga" not in message


def test_without_a_person_a_broken_secret_is_refused_naming_the_rule() -> None:
    flow = _flow(nueva_clave=CLAVE.model_dump(exclude_none=True))
    with pytest.raises(InputError) as caught:
        collect(flow, {}, None, {"PORTAL_BOT_SECRET_NUEVA_CLAVE": "Clave2026larga"})
    assert caught.value.exit_code == 2
    assert str(caught.value) == (
        "«nueva_clave» (Nueva Clave Tributaria): debe tener de 8 a 10 caracteres (ejemplo de "
        "un valor válido: Clave2026)"
    )


def test_every_missing_input_is_named_with_how_to_give_it() -> None:
    flow = _flow(
        rut={"type": "rut", "prompt": "RUT"},
        tipo=DOCUMENT.model_dump(exclude_none=True),
        carta={"type": "file", "prompt": "Carta firmada", "formats": ["pdf"]},
        clave={"type": "secret", "prompt": "Clave"},
    )
    with pytest.raises(InputError) as caught:
        collect(flow, {}, None, {})
    assert str(caught.value).splitlines() == [
        "Falta «rut» (RUT): indíquelo con --input rut=12.345.678-5",
        'Falta «tipo» (Tipo de documento): indíquelo con --input tipo="Cédula de ciudadanía"',
        "Falta «carta» (Carta firmada): indíquelo con --input carta=RUTA/DEL/ARCHIVO",
        "Falta «clave» (Clave): indíquelo con la variable de entorno PORTAL_BOT_SECRET_CLAVE",
    ]


def test_a_rule_the_flow_breaks_itself_is_refused_by_the_model() -> None:
    with pytest.raises(ValueError, match="indique «example»"):
        Input(type="text", prompt="Teléfono", max_length=10)
    with pytest.raises(ValueError, match="solo para entradas de tipo text o secret"):
        Input(type="rut", prompt="RUT", max_length=10, example="1-9")
    with pytest.raises(ValueError, match="no es una expresión regular válida"):
        Input(type="text", prompt="x", pattern="([0-9]", pattern_help="x", example="1")
