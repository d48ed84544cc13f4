"""``${name}`` substitution: names and a few fixed filters, nothing else.

``${ruc}`` is an input or a variable set by ``ask``/``read``; ``${tomorrow}`` and
``${today}`` are dates in the flow's time zone and format; ``${rut|compact}`` applies a
filter. ``$${`` writes a literal ``${``. Anything else inside ``${…}`` is an error: there
is no attribute access, indexing, call or expression.

This is the only way flow text is ever substituted: never ``str.format``, ``%`` or Jinja
(the report, plan and guide are Jinja templates, and flow text reaches them only as
autoescaped *values*). :func:`check` also refuses text written for those languages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

MASK = "•••"
BUILTINS = ("today", "tomorrow")
FILTERS = {
    "compact": lambda v: re.sub(r"[^0-9A-Za-z]", "", v),
    "digits": lambda v: re.sub(r"\D", "", v),
    "upper": str.upper,
    "lower": str.lower,
}
_TOKEN = re.compile(r"\$\$\{|\$\{([^}]*)\}?")
_INNER = re.compile(r"^([a-z][a-z0-9_]{0,39})(?:\|([a-z]+))?$")


class TemplateSyntaxError(ValueError):
    """A malformed text; ``position`` is the index in the text where the problem starts."""

    def __init__(self, message: str, position: int = 0) -> None:
        super().__init__(message)
        self.position = position


@dataclass(frozen=True)
class Rendered:
    """A substituted text, what it may show, and which secrets it carries."""

    value: str
    shown: str
    secrets: tuple[str, ...]


def _parse(text: str) -> list[str | tuple[str, str | None]]:
    parts: list[str | tuple[str, str | None]] = []
    pos = 0
    for match in _TOKEN.finditer(text):
        parts.append(text[pos : match.start()])
        pos = match.end()
        if match.group(0) == "$${":
            parts.append("${")
            continue
        if not match.group(0).endswith("}"):
            raise TemplateSyntaxError(
                "«${» sin cerrar; escriba «$${» para un «${» literal", match.start()
            )
        inner = match.group(1).strip()
        found = _INNER.match(inner)
        if not found:
            raise TemplateSyntaxError(
                f"«${{{inner[:40]}}}» no es válido: use ${{nombre}} o ${{nombre|filtro}}",
                match.start(),
            )
        name, filt = found.group(1), found.group(2)
        if filt is not None and filt not in FILTERS:
            raise TemplateSyntaxError(
                f"filtro desconocido «{filt[:40]}»; se admiten: {', '.join(FILTERS)}",
                match.start(),
            )
        parts.append((name, filt))
    parts.append(text[pos:])
    return parts


def references(text: str) -> list[str]:
    """The names a text refers to; raises :class:`TemplateSyntaxError` when malformed."""
    return [part[0] for part in _parse(text) if isinstance(part, tuple)]


# Jinja's «{{ }}», «{% %}», «{# #}»; Python format fields with attribute or index access
# («{0.__class__}», «{x[0]}»). Plain braces stay allowed: a URL glob «**/{a,b}.html».
_FOREIGN = re.compile(r"\{[{%#]|\{\w*(?:\.\w+|\[[^\]{}]*\])+(?:![rsa])?(?::[^{}]*)?\}")


def check(text: str) -> None:
    """Refuse a malformed ``${…}``, and text written for another template language: it
    would never be evaluated, but whoever wrote it expects it to be (``{{ ruc }}`` would
    reach the portal as it is written), and it is how template injections look."""
    _parse(text)
    found = _FOREIGN.search(text)
    if found is None:
        return
    if found.group(0)[1] in "{%#":
        closing = {"{": "}}", "%": "%}", "#": "#}"}[found.group(0)[1]]
        end = text.find(closing, found.start() + 2)
        shown = _short(text[found.start() : end + 2] if end >= 0 else text[found.start() :])
        raise TemplateSyntaxError(
            f"«{shown}» es sintaxis de plantillas (Jinja), que un flujo no interpreta: para "
            "insertar un valor escriba ${nombre}; si es texto, quite las llaves",
            found.start(),
        )
    raise TemplateSyntaxError(
        f"«{_short(found.group(0))}» parece un campo de formato de Python, que un flujo no "
        "interpreta: para insertar un valor escriba ${nombre}, sin atributos ni índices",
        found.start(),
    )


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


def references_safe(text: str) -> list[str]:
    """The names a text refers to, or none when it is malformed (for display only)."""
    try:
        return references(text)
    except TemplateSyntaxError:
        return []


def builtin_values(timezone: str, date_format: str, now: datetime | None = None) -> dict[str, str]:
    """``today`` and ``tomorrow`` in the flow's zone and format."""
    local = (now or datetime.now(ZoneInfo("UTC"))).astimezone(ZoneInfo(timezone))
    return {
        "today": local.strftime(date_format),
        "tomorrow": (local + timedelta(days=1)).strftime(date_format),
    }


MIN_SECRET = 3


def carries(item: str, secrets: list[str]) -> bool:
    """Does ``item`` hold one of ``secrets``, in any letter case? A value ``read`` from a
    field that held a secret (as typed, or as the portal upper-cased it) is a secret too
    (see ``inputs.Values.secret_names``)."""
    folded = item.casefold()
    return any(len(s) >= MIN_SECRET and s.casefold() in folded for s in secrets)


def render(text: str, values: Mapping[str, str], secret_names: frozenset[str]) -> Rendered:
    """Substitute ``text``; ``shown`` has every secret replaced by a mask."""
    value, shown, used = [], [], []
    for part in _parse(text):
        if isinstance(part, str):
            value.append(part)
            shown.append(part)
            continue
        name, filt = part
        if name not in values:
            raise TemplateSyntaxError(f"«${{{name}}}» aún no tiene valor")
        item = values[name]
        if filt is not None:
            item = FILTERS[filt](item)
        value.append(item)
        if name in secret_names:
            shown.append(MASK)
            used.append(name)
        else:
            shown.append(item)
    return Rendered("".join(value), "".join(shown), tuple(used))
