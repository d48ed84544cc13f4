"""Validation of the SUNAT mock's scenario switches (``configure``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from portal_bot.mocks.sunat.catalog import ACTIVE_PSES, POPUP_NAMES
from portal_bot.mocks.sunat.rules import parse_date
from portal_bot.mocks.sunat.state import Settings


def _choice(key: str, allowed: tuple[str, ...]) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if value not in allowed:
            raise ValueError(f"sunat: «{key}» debe ser uno de {', '.join(allowed)}")
        return value

    return check


def _integer(key: str, low: int, high: int) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"sunat: «{key}» debe ser un entero entre {low} y {high}")
        return value

    return check


def _boolean(value: Any) -> Any:
    if not isinstance(value, bool):
        raise ValueError("sunat: «permission» debe ser true o false")
    return value


def _popups(value: Any) -> Any:
    if value in ("random", "none"):
        return value
    if (
        isinstance(value, list)
        and all(isinstance(name, str) and name in POPUP_NAMES for name in value)
        and len(set(value)) == len(value)
    ):
        return [name for name in POPUP_NAMES if name in value]
    raise ValueError(
        "sunat: «popups» debe ser 'random', 'none' o una lista con 'importante', "
        "'informativo' y/o 'celular'"
    )


def _registered(value: Any) -> Any:
    if not isinstance(value, list):
        raise ValueError("sunat: «registered» debe ser una lista de {ruc, start_date}")
    rows: list[dict[str, str]] = []
    for item in value:
        if not isinstance(item, dict) or set(item) != {"ruc", "start_date"}:
            raise ValueError("sunat: cada elemento de «registered» debe ser {ruc, start_date}")
        ruc, start = item["ruc"], item["start_date"]
        if ruc not in ACTIVE_PSES:
            raise ValueError(f"sunat: «registered»: {ruc!r} no es un PSE activo del simulador")
        if not isinstance(start, str) or parse_date(start) is None:
            raise ValueError(f"sunat: «registered»: fecha inválida {start!r} (DD/MM/AAAA)")
        rows.append({"ruc": ruc, "start_date": start})
    return rows


CHECKS: dict[str, Callable[[Any], Any]] = {
    "popups": _popups,
    "captcha": _choice("captcha", ("auto", "always", "never")),
    "captcha_window_s": _integer("captcha_window_s", 0, 86_400),
    "rate_limit": _integer("rate_limit", 1, 10_000),
    "menu_search_label": _choice("menu_search_label", ("auto", "clasico", "nuevo")),
    "permission": _boolean,
    "registered": _registered,
    "handler_delay_ms": _integer("handler_delay_ms", 0, 10_000),
    "dialect": _integer("dialect", 1, 3),
}


def apply(current: Settings, raw: dict[str, Any]) -> Settings:
    """A copy of ``current`` with ``raw`` applied; ``ValueError`` (in Spanish) if invalid."""
    unknown = sorted(set(raw) - set(CHECKS))
    if unknown:
        raise ValueError(f"sunat: ajuste desconocido: {', '.join(unknown)}")
    return replace(current, **{key: CHECKS[key](value) for key, value in raw.items()})
