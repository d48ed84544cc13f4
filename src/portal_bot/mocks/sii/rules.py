"""Pure rules of the SII mock: RUT display, clave policy, codes, safe return URLs."""

from __future__ import annotations

import re
import secrets
from urllib.parse import unquote, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from stdnum.cl import rut as cl_rut

from portal_bot.certificates import normalize_rut
from portal_bot.mocks.sii import texts
from portal_bot.mocks.sii.urls import MISII_URL

SANTIAGO = ZoneInfo("America/Santiago")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # [inv] no 0/O or 1/I look-alikes
CODE_LENGTH = 6  # [inv]


def parse_rut(value: str) -> str | None:
    """``12.345.678-5``/``123456785`` → ``12345678-5``, or None when it is not a RUT."""
    try:
        return normalize_rut(value)
    except ValueError:
        return None


def display_rut(rut: str) -> str:
    """``12345678-5`` → ``12.345.678-5``, as the portal prints it."""
    formatted: str = cl_rut.format(rut)
    return formatted


def new_code() -> str:
    """A provisional code as the mailbox receives it, e.g. ``K7M2QX``."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def same_code(typed: str, expected: str) -> bool:
    return secrets.compare_digest(typed.strip().upper(), expected)


def clave_problems(new: str, confirm: str) -> list[str]:
    """What is wrong with a new Clave Tributaria: 8 to 10 characters, letters and numbers
    [src: SII, 2023]; that both must be present is our reading [inv]."""
    problems: list[str] = []
    if not (
        8 <= len(new) <= 10
        and re.fullmatch(r"[A-Za-z0-9]+", new)
        and re.search(r"[A-Za-z]", new)
        and re.search(r"[0-9]", new)
    ):
        problems.append(texts.CLAVE_RULES)
    if new != confirm:
        problems.append(texts.CLAVE_MISMATCH)
    return problems


def mask_email(email: str) -> str:
    """``rgonzalez@empresa.cl`` → ``r*****@empresa.cl``."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}*****@{domain}"


def return_url(referencia: str) -> str:
    """Where to go after login: the referencia if it is an SII address, else Mi SII."""
    target = referencia.strip()
    if "://" not in target:  # some links percent-encode the return address
        target = unquote(target)
    parts = urlsplit(target)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not (host == "sii.cl" or host.endswith(".sii.cl")):
        return MISII_URL
    # Every mock host speaks TLS only; the real default referencia is http://www.sii.cl.
    return urlunsplit(("https", parts.netloc, parts.path or "/", parts.query, ""))
