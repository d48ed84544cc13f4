"""The project's mock portals and the one server that serves them all.

Portals are imported only when a mock is started, so that the CLI's start-up never pays
for them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from portal_bot.mocks.portal import MockPortal

REGISTRY = {
    "sunat": "portal_bot.mocks.sunat:SunatPortal",
    "sii": "portal_bot.mocks.sii:SiiPortal",
    "siigo": "portal_bot.mocks.siigo:SiigoPortal",
}


def make_portal(name: str) -> MockPortal:
    module_name, _, class_name = REGISTRY[name].partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    portal: MockPortal = cls()
    return portal


def all_portals() -> list[MockPortal]:
    return [make_portal(name) for name in REGISTRY]
