"""Reading (and, for tests, making) PKCS#12 digital certificates (.pfx / .p12).

Chilean certificates carry the holder's RUT in the SubjectAlternativeName as an
``otherName`` with OID 1.3.6.1.4.1.8321.1 holding an IA5String; some also carry it in the
subject's ``serialNumber`` attribute (OID 2.5.4.5). :func:`read_pkcs12` accepts either and
normalises it to ``12345678-5``.

Every error message is operator-facing Spanish and never includes the password.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from stdnum.cl import rut as cl_rut

from portal_bot.errors import InputError

RUT_OTHER_NAME_OID = x509.ObjectIdentifier("1.3.6.1.4.1.8321.1")
"""SAN ``otherName`` type used by Chilean certification authorities for the RUT."""

_DER_STRING_TAGS = {0x0C: "utf-8", 0x13: "ascii", 0x16: "ascii"}  # UTF8, Printable, IA5
_PFX_DATA_OIDS = (
    bytes.fromhex("2a864886f70d010701"),  # pkcs7-data
    bytes.fromhex("2a864886f70d010702"),  # pkcs7-signedData
)


class CertificateError(InputError):
    """A certificate file could not be used."""


class WrongCertificatePassword(CertificateError):
    def __init__(self) -> None:
        super().__init__("La clave del certificado digital no es correcta.")


class NotACertificate(CertificateError):
    def __init__(self, detail: str = "") -> None:
        message = "El archivo no es un certificado digital PKCS#12 (.pfx o .p12)."
        super().__init__(f"{message} {detail}".strip())


class NoPrivateKey(CertificateError):
    def __init__(self) -> None:
        super().__init__("El archivo no contiene la clave privada del certificado digital.")


@dataclass(frozen=True)
class CertificateInfo:
    """What a person checks before using a certificate: whose it is and until when."""

    subject_name: str
    rut: str | None
    not_before: datetime
    not_after: datetime
    has_private_key: bool
    sha256: str

    def is_expired(self, now: datetime | None = None) -> bool:
        return is_expired(self, now)


def is_expired(info: CertificateInfo, now: datetime | None = None) -> bool:
    """True when ``now`` (aware; default: the current time) is past ``not_after``."""
    moment = datetime.now(UTC) if now is None else now
    if moment.tzinfo is None:
        raise ValueError("se esperaba una fecha con zona horaria")
    return moment >= info.not_after


def normalize_rut(value: str) -> str:
    """``12.345.678-5`` / ``123456785`` → ``12345678-5``; ValueError if the RUT is invalid."""
    try:
        compact: str = cl_rut.validate(value)
    except ValueError as exc:
        raise ValueError(f"RUT no válido: {value!r}") from exc
    return f"{compact[:-1]}-{compact[-1]}"


def read_pkcs12(data: bytes, password: str, *, require_key: bool = False) -> CertificateInfo:
    """Open a PKCS#12 file with its password and describe its certificate.

    With ``require_key`` a file without the private key raises :class:`NoPrivateKey`
    (a certificate that is to sign documents needs it).
    """
    if not _looks_like_pfx(data):
        raise NotACertificate()
    secret = password.encode("utf-8") if password else None
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, secret)
    except ValueError:
        # The structure is a PFX (checked above), so a failure here is the password.
        if secret is not None:
            raise WrongCertificatePassword() from None
        try:
            key, cert, extra = pkcs12.load_key_and_certificates(data, b"")
        except ValueError:
            raise WrongCertificatePassword() from None
    if cert is None and extra:
        cert = extra[0]  # without a key, the holder's certificate is just another bag
    if cert is None:
        raise NotACertificate("No contiene ningún certificado.")
    if require_key and key is None:
        raise NoPrivateKey()
    return CertificateInfo(
        subject_name=_common_name(cert),
        rut=_rut_of(cert),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        has_private_key=key is not None,
        sha256=hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest(),
    )


def make_pkcs12(
    rut: str,
    name: str,
    password: str,
    *,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    include_private_key: bool = True,
) -> bytes:
    """A self-signed EC P-256 test certificate for ``rut``/``name``, as PKCS#12 bytes.

    The RUT goes both in the SAN ``otherName`` and in the subject's ``serialNumber``.
    Validity defaults to yesterday until a year from now.
    """
    normalized = normalize_rut(rut)
    now = datetime.now(UTC)
    start = not_before or now - timedelta(days=1)
    end = not_after or now + timedelta(days=365)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CL"),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, normalized),
        ]
    )
    rut_der = bytes([0x16, len(normalized)]) + normalized.encode("ascii")
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(
            x509.SubjectAlternativeName([x509.OtherName(RUT_OTHER_NAME_OID, rut_der)]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    encryption = (
        serialization.BestAvailableEncryption(password.encode("utf-8"))
        if password
        else serialization.NoEncryption()
    )
    return pkcs12.serialize_key_and_certificates(
        name.encode("utf-8"), key if include_private_key else None, cert, None, encryption
    )


def _common_name(cert: x509.Certificate) -> str:
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    value = names[0].value if names else ""
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _rut_of(cert: x509.Certificate) -> str | None:
    candidates: list[str] = []
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        san = None
    if san is not None:
        for other in san.get_values_for_type(x509.OtherName):
            if other.type_id == RUT_OTHER_NAME_OID:
                text = _der_string(other.value)
                if text:
                    candidates.append(text)
    for attribute in cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER):
        value = attribute.value
        candidates.append(value.decode("utf-8") if isinstance(value, bytes) else value)
    for candidate in candidates:
        try:
            return normalize_rut(candidate)
        except ValueError:
            continue
    return None


def _der_length(data: bytes, at: int) -> tuple[int, int]:
    """Decode a DER length at ``at``; return (length, offset of the content).

    BER's indefinite length (0x80, seen in PFX files exported by Windows) is read as
    "up to the end of the data", which is enough to recognise the structure.
    """
    first = data[at]
    if first < 0x80:
        return first, at + 1
    if first == 0x80:
        return len(data) - at - 1, at + 1
    count = first & 0x7F
    if count == 0 or count > 4 or at + 1 + count > len(data):
        raise ValueError("longitud DER no válida")
    return int.from_bytes(data[at + 1 : at + 1 + count], "big"), at + 1 + count


def _der_string(value: bytes) -> str | None:
    """The text of a DER string, looking inside explicit tags ([0] …) if needed."""
    try:
        tag = value[0]
        length, start = _der_length(value, 1)
        content = value[start : start + length]
        if tag in _DER_STRING_TAGS:
            return content.decode(_DER_STRING_TAGS[tag]).strip()
        if tag & 0x20:  # constructed: explicit tag or SEQUENCE around the string
            return _der_string(content)
    except (IndexError, ValueError, UnicodeDecodeError):
        return None
    return None


def _looks_like_pfx(data: bytes) -> bool:
    """PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo, macData OPTIONAL }."""
    try:
        if data[0] != 0x30:
            return False
        length, start = _der_length(data, 1)
        if start + length > len(data) or data[start : start + 3] != b"\x02\x01\x03":
            return False
        at = start + 3
        if data[at] != 0x30:
            return False
        _, inner = _der_length(data, at + 1)
        if data[inner] != 0x06:
            return False
        oid_length, oid_start = _der_length(data, inner + 1)
        return data[oid_start : oid_start + oid_length] in _PFX_DATA_OIDS
    except (IndexError, ValueError):
        return False
