"""The "carta de exoneración" as a small, valid, hand-written PDF (one page, Helvetica).

The wording is invented [inv]: Siigo's real letter is not public.
"""

from __future__ import annotations

import textwrap
from datetime import datetime

from portal_bot.mocks.siigo.state import Representative

MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)


def letter_filename(nit: str) -> str:
    return f"carta-exoneracion-{nit.replace('.', '')}.pdf"


def letter_lines(
    company: str, nit: str, representative: Representative, when: datetime
) -> list[tuple[str, str]]:
    """The letter as (font, text) lines; font is "F1" (regular) or "F2" (bold)."""
    date = f"Bogotá D.C., {when.day} de {MONTHS[when.month - 1]} de {when.year}"
    if representative.person_type == "Jurídica":
        signer = representative.full_name
        identity = f"{representative.document_type} No. {representative.document_number}"
        body = (
            f"Yo, {signer}, identificado(a) con {identity}, en calidad de representante "
            f"legal de {company}, con NIT {nit}, autorizo a SIIGO S.A.S. para tramitar en "
            "nombre de la empresa el certificado digital de firma electrónica que se "
            "usará en la expedición de documentos electrónicos con validación previa "
            "ante la DIAN, y la exonero de toda responsabilidad por el uso que la empresa "
            "haga de dicho certificado."
        )
        role = "Representante legal"
    else:
        signer, identity = company, f"NIT {nit}"
        body = (
            f"Yo, {company}, identificado(a) con NIT {nit}, actuando en nombre propio, "
            "autorizo a SIIGO S.A.S. para tramitar el certificado digital de firma "
            "electrónica que usaré en la expedición de documentos electrónicos con "
            "validación previa ante la DIAN, y la exonero de toda responsabilidad por el "
            "uso que haga de dicho certificado."
        )
        role = "Persona natural"
    lines: list[tuple[str, str]] = [
        ("F1", date),
        ("F1", ""),
        ("F1", "Señores"),
        ("F2", "SIIGO S.A.S."),
        ("F1", "Ciudad"),
        ("F1", ""),
        ("F2", "Asunto: Carta de exoneración - certificado digital"),
        ("F1", ""),
    ]
    lines += [("F1", line) for line in textwrap.wrap(body, 88)]
    lines += [("F1", "")]
    if representative.person_type == "Jurídica":
        lines += [
            ("F1", f"Correo electrónico: {representative.email}"),
            ("F1", f"Teléfono: {representative.phone}"),
            ("F1", ""),
        ]
    lines += [
        ("F1", "Atentamente,"),
        ("F1", ""),
        ("F1", ""),
        ("F1", ""),
        ("F1", "______________________________"),
        ("F2", signer),
        ("F1", role),
        ("F1", identity),
    ]
    return lines


def _pdf_text(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _content_stream(lines: list[tuple[str, str]]) -> bytes:
    out = [b"BT", b"/F2 14 Tf", b"72 770 Td", b"(CARTA DE EXONERACI\xd3N) Tj", b"0 -34 Td"]
    for font, text in lines:
        out.append(f"/{font} 11 Tf".encode())
        out.append(b"(" + _pdf_text(text) + b") Tj")
        out.append(b"0 -16 Td")
    out.append(b"ET")
    return b"\n".join(out)


def build_pdf(lines: list[tuple[str, str]]) -> bytes:
    """A one-page A4-ish PDF with a correct cross-reference table."""
    stream = _content_stream(lines)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] "
        b"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    pdf = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        pdf += b"%010d 00000 n \n" % offset
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(pdf)


def exoneration_letter(
    company: str, nit: str, representative: Representative, when: datetime
) -> bytes:
    """The letter for ``company`` signed by ``representative``, dated ``when``."""
    return build_pdf(letter_lines(company, nit, representative, when))
