"""Whose account is it? The ``verify`` step: the identity the portal shows, compared with
the customer's input before anything irreversible is sent.

A tax id is compared by its digits: every RUC, RUT or NIT written in the portal's text is
found, whatever its dots, dashes, spaces or check digit apart (a RUT's K too), kept when
python-stdnum finds it valid, and one of them must be the input. A text (a razón social)
is compared by its words, without case, accents or punctuation. A mismatch names both
values and stops the run (exit 1), so a submission never goes to another taxpayer.

:func:`compare` is pure; :func:`verify_identity` is the step's handler.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from portal_bot.actions import PortalRefused
from portal_bot.flow import TAX_ID_TYPES

if TYPE_CHECKING:
    from playwright.sync_api import Locator

    from portal_bot.actions import Session
    from portal_bot.flow import Flow, Verify

LABELS = {"ruc": "RUC", "rut": "RUT", "nit": "NIT"}
MODULES = {"ruc": "pe.ruc", "rut": "cl.rut", "nit": "co.nit"}
ANCESTORS = 3
"""How far out from the element found the text is read when the element alone holds no
tax id (a label in one element and its value in the next)."""
MAX_TOKENS = 5
"""A tax id is at most this many space-separated pieces («900.123.456 - 8»)."""
EXCERPT = 80

_NUMBER = re.compile(r"(?<![0-9])[0-9](?:[0-9.\s\-\u2010-\u2013]*[0-9kK])?(?![0-9A-Za-z])")


class IdentityMismatch(PortalRefused):
    """The portal shows another taxpayer (or none): never retried, nothing is sent."""


@dataclass(frozen=True)
class Comparison:
    ok: bool
    shown: str
    """What the portal shows, in words: «el NIT 900.123.456-8», «los NIT a, b»…"""
    expected: str
    """The input as the message names it: «900.123.456-8», «Empresa Demo S.A.S.»."""
    excerpt: str
    """The portal's text, short enough to quote."""


def _module(kind: str) -> object:
    return importlib.import_module(f"stdnum.{MODULES[kind]}")


def display(kind: str, compact: str) -> str:
    """A tax id as people write it: ``900.123.456-8``, ``12.345.678-5``, ``20100066603``."""
    module = _module(kind)
    formatted: str = module.format(compact) if hasattr(module, "format") else compact
    return formatted


def _compact(text: str) -> str:
    return re.sub(r"[^0-9K]", "", text.upper())


def _candidates(text: str) -> list[str]:
    """Every run of up to :data:`MAX_TOKENS` space-separated pieces of every number-like
    stretch of ``text``, compacted to its digits (and K)."""
    found: list[str] = []
    for match in _NUMBER.finditer(text):
        pieces = match.group(0).split()
        for start in range(len(pieces)):
            for end in range(start + 1, min(start + MAX_TOKENS, len(pieces)) + 1):
                compact = _compact("".join(pieces[start:end]))
                if compact and compact not in found:
                    found.append(compact)
    return found


def tax_ids(kind: str, text: str) -> list[str]:
    """The valid tax ids of ``kind`` written in ``text``, compacted, in order."""
    module = _module(kind)
    return [c for c in _candidates(text) if module.is_valid(c)]  # type: ignore[attr-defined]


def words(text: str) -> list[str]:
    """A text's words for comparing names: «Empresa Demo S.A.S.» → empresa, demo, sas."""
    bare = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    return re.findall(r"[0-9a-z]+", bare.casefold().replace(".", ""))


def excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT else flat[: EXCERPT - 1] + "…"


def compare(kind: str, expected: str, text: str) -> Comparison:
    """Does ``text`` (read from the portal) show ``expected`` (an input of type ``kind``)?"""
    if kind not in TAX_ID_TYPES:
        wanted, seen = words(expected), words(text)
        n = len(wanted)
        ok = bool(wanted) and any(seen[i : i + n] == wanted for i in range(len(seen) - n + 1))
        return Comparison(ok, f"«{excerpt(text)}»", f"«{expected}»", excerpt(text))
    label = LABELS[kind]
    own = _compact(expected)
    found = tax_ids(kind, text)
    ok = own in found or (
        # the portal may leave the check digit out: «NIT 900123456»
        kind != "ruc" and own[:-1] in _candidates(text)
    )
    if ok:
        shown = f"el {label} {display(kind, own)}"
    elif not found:
        shown = f"ningún {label}"
    elif len(found) == 1:
        shown = f"el {label} {display(kind, found[0])}"
    else:
        shown = f"los {label} " + ", ".join(display(kind, c) for c in found)
    return Comparison(ok, shown, display(kind, own), excerpt(text))


def mismatch_message(kind: str, result: Comparison) -> str:
    """Why the run stops, naming what the portal shows and what was given."""
    if kind not in TAX_ID_TYPES:
        return (
            f"El portal muestra {result.shown}, pero se indicó {result.expected}: la cuenta "
            "con la que se ingresó parece ser de otro contribuyente. No se envió nada; revise "
            "el dato o la cuenta con el cliente."
        )
    label = LABELS[kind]
    if result.shown.startswith("ningún"):
        return (
            f"El portal no muestra ningún {label} en «{result.excerpt}» (se indicó "
            f"{result.expected}): no se pudo comprobar de quién es la cuenta. No se envió nada."
        )
    return (
        f"El portal muestra {result.shown}, pero se indicó {result.expected}: la cuenta con "
        f"la que se ingresó es de otro contribuyente. No se envió nada; revise el {label} o "
        "la cuenta con el cliente."
    )


def gate_line(kind: str, result: Comparison) -> str:
    """The identity a gate shows: «NIT 900.123.456-8 (Empresa Demo S.A.S. · NIT …)»."""
    what = result.shown.removeprefix("el ") if kind in TAX_ID_TYPES else result.expected
    return f"{what} (el portal muestra «{result.excerpt}»)"


# --- the step ------------------------------------------------------------------------


def verify_identity(session: Session, step: Verify) -> str:
    """Read the identity where the portal shows it and compare it with the input; return
    the line the gates show, or raise :class:`IdentityMismatch`."""
    kind = session.flow.inputs[step.input].type
    expected = session.values.values[step.input]
    timeout = session.timeout(step)
    locator = session.find(step.verify, timeout)
    try:
        expect(locator).to_be_visible(timeout=timeout)
    except AssertionError:
        raise session.not_found() from None
    result = compare(kind, expected, _read(locator, kind, expected))
    if not result.ok:
        raise IdentityMismatch(mismatch_message(kind, result))
    line = gate_line(kind, result)
    session.say(f"Identidad comprobada: {line}.")
    return line


def _read(locator: Locator, kind: str, expected: str) -> str:
    """The element's text; when it holds nothing to compare (a label alone), that of the
    element around it, up to :data:`ANCESTORS` levels out."""
    first = text = locator.inner_text()
    node = locator
    for level in range(ANCESTORS + 1):
        if level:
            node = node.locator("xpath=..")
            try:
                text = node.inner_text(timeout=1_000)
            except PlaywrightError:
                break
        if compare(kind, expected, text).ok or (kind in TAX_ID_TYPES and tax_ids(kind, text)):
            return text
    return first


def gate_details(identities: list[str], flow: Flow) -> dict[str, str]:
    """The line a gate shows first: the identity verified, or why none was."""
    if identities:
        return {"Identidad comprobada": "; ".join(identities)}
    if flow.identity_check is not None:
        return {"Identidad no comprobada": flow.identity_check.skip}
    return {}
