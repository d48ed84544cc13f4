from __future__ import annotations

from pathlib import Path

import pytest

from portal_bot.errors import InputError
from portal_bot.flow import Input
from portal_bot.inputs import check


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
