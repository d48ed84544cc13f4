"""The PKCS#12 reader: RUT extraction, validity, and the specific errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from portal_bot.certificates import (
    RUT_OTHER_NAME_OID,
    CertificateError,
    NoPrivateKey,
    NotACertificate,
    WrongCertificatePassword,
    is_expired,
    make_pkcs12,
    normalize_rut,
    read_pkcs12,
)
from portal_bot.errors import InputError

NOW = datetime.now(UTC)


def _custom_pfx(
    *, san_value: bytes | None, serial_number: str | None, password: str = "clave"
) -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, "JUAN PÉREZ SOTO")]
    if serial_number is not None:
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial_number))
    name = x509.Name(attributes)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(NOW - timedelta(days=1))
        .not_valid_after(NOW + timedelta(days=30))
    )
    if san_value is not None:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.OtherName(RUT_OTHER_NAME_OID, san_value)]),
            critical=False,
        )
    cert = builder.sign(key, hashes.SHA256())
    return pkcs12.serialize_key_and_certificates(
        b"x", key, cert, None, serialization.BestAvailableEncryption(password.encode())
    )


def test_round_trip_reads_name_rut_dates_and_key() -> None:
    start, end = NOW - timedelta(days=2), NOW + timedelta(days=400)
    data = make_pkcs12(
        "12.345.678-5", "MARÍA GONZÁLEZ PÉREZ", "s3creta", not_before=start, not_after=end
    )
    info = read_pkcs12(data, "s3creta")
    assert info.subject_name == "MARÍA GONZÁLEZ PÉREZ"
    assert info.rut == "12345678-5"
    assert info.not_before == start.replace(microsecond=0)
    assert info.not_after == end.replace(microsecond=0)
    assert info.not_after.tzinfo is not None
    assert info.has_private_key
    assert len(info.sha256) == 64
    assert not info.is_expired(NOW)


def test_expiry_is_checked_against_the_given_moment() -> None:
    data = make_pkcs12(
        "12345678-5", "X", "k", not_before=NOW - timedelta(days=10), not_after=NOW - timedelta(1)
    )
    info = read_pkcs12(data, "k")
    assert is_expired(info, NOW)
    assert not is_expired(info, NOW - timedelta(days=5))
    with pytest.raises(ValueError):
        is_expired(info, datetime(2020, 1, 1))  # naive


def test_wrong_password_is_specific_and_never_echoes_the_password() -> None:
    data = make_pkcs12("12345678-5", "X", "correcta")
    with pytest.raises(WrongCertificatePassword) as caught:
        read_pkcs12(data, "Incorrecta-123")
    assert "Incorrecta-123" not in str(caught.value)
    assert "clave" in str(caught.value)
    assert isinstance(caught.value, CertificateError)
    assert isinstance(caught.value, InputError)


@pytest.mark.parametrize(
    "data",
    [b"", b"hola", b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"],
)
def test_not_a_pkcs12(data: bytes) -> None:
    with pytest.raises(NotACertificate):
        read_pkcs12(data, "x")


def test_a_plain_der_certificate_is_not_a_pkcs12() -> None:
    info_source = make_pkcs12("12345678-5", "X", "k")
    _key, cert, _ = pkcs12.load_key_and_certificates(info_source, b"k")
    assert cert is not None
    with pytest.raises(NotACertificate):
        read_pkcs12(cert.public_bytes(serialization.Encoding.DER), "k")


def test_without_private_key() -> None:
    data = make_pkcs12("11.111.111-1", "JUAN PÉREZ SOTO", "k", include_private_key=False)
    info = read_pkcs12(data, "k")
    assert not info.has_private_key
    assert info.rut == "11111111-1"
    with pytest.raises(NoPrivateKey):
        read_pkcs12(data, "k", require_key=True)


def test_unencrypted_file_opens_with_an_empty_password() -> None:
    info = read_pkcs12(make_pkcs12("12345678-5", "X", ""), "")
    assert info.rut == "12345678-5"


def test_rut_only_in_the_subject_alternative_name() -> None:
    data = _custom_pfx(san_value=b"\x16\x0a11111111-1", serial_number=None)
    assert read_pkcs12(data, "clave").rut == "11111111-1"


def test_rut_in_san_inside_an_explicit_tag() -> None:
    inner = b"\x16\x0911111111K"
    data = _custom_pfx(san_value=b"\xa0" + bytes([len(inner)]) + inner, serial_number=None)
    assert read_pkcs12(data, "clave").rut is None  # 11111111-K has a wrong check digit
    inner = b"\x16\x0a12345678-5"
    data = _custom_pfx(san_value=b"\xa0" + bytes([len(inner)]) + inner, serial_number=None)
    assert read_pkcs12(data, "clave").rut == "12345678-5"


def test_rut_only_in_the_subject_serial_number() -> None:
    data = _custom_pfx(san_value=None, serial_number="12.345.678-5")
    assert read_pkcs12(data, "clave").rut == "12345678-5"


def test_no_rut_anywhere() -> None:
    data = _custom_pfx(san_value=None, serial_number=None)
    info = read_pkcs12(data, "clave")
    assert info.rut is None
    assert info.subject_name == "JUAN PÉREZ SOTO"


@pytest.mark.parametrize("value", ["12.345.678-5", "12345678-5", "123456785", " 12345678-5 "])
def test_normalize_rut(value: str) -> None:
    assert normalize_rut(value) == "12345678-5"


@pytest.mark.parametrize("value", ["12345678-4", "abc", ""])
def test_normalize_rut_rejects(value: str) -> None:
    with pytest.raises(ValueError):
        normalize_rut(value)


def test_make_pkcs12_rejects_an_invalid_rut() -> None:
    with pytest.raises(ValueError):
        make_pkcs12("12345678-4", "X", "k")
