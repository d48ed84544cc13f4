"""``SunatPortal``: state, scenario switches and routes of the SOL mock."""

from __future__ import annotations

import random
import secrets
import time
from pathlib import Path
from typing import Any, ClassVar

from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Host, Router

from portal_bot.mocks.portal import MockPortal
from portal_bot.mocks.sunat import login, settings
from portal_bot.mocks.sunat.auth_routes import auth_routes
from portal_bot.mocks.sunat.catalog import (
    ACCOUNTS,
    DEMO,
    LOGIN_HOST,
    MENU_HOST,
    MODULE_HOST,
)
from portal_bot.mocks.sunat.menu_routes import menu_routes
from portal_bot.mocks.sunat.pse import preset_rows
from portal_bot.mocks.sunat.pse_routes import pse_routes
from portal_bot.mocks.sunat.state import Session, SunatData
from portal_bot.mocks.sunat.web import render

POPUP_CHOICES: tuple[list[str], ...] = (
    [],
    ["importante"],
    ["informativo"],
    ["importante", "informativo"],
    ["informativo", "celular"],
)


class SunatPortal(MockPortal):
    """SUNAT Operaciones en Línea: login, menu SOL and the "Altas/Bajas de PSE" module."""

    name: ClassVar[str] = "sunat"
    hosts: ClassVar[tuple[str, ...]] = (MENU_HOST, LOGIN_HOST, MODULE_HOST)

    data: SunatData
    rng: random.Random

    def demo(self, flow_id: str, folder: Path) -> dict[str, str]:
        if flow_id != "pe-sunat-pse-alta":
            raise KeyError(flow_id)
        return {"ruc": DEMO.ruc, "usuario_sol": DEMO.usuario, "clave_sol": DEMO.clave}

    def expire_sessions(self) -> None:
        with self.lock:
            self.data.sessions.clear()

    def reset(self) -> None:
        with self.lock:
            self.data = SunatData()
            self.rng = random.Random()

    def state(self) -> dict[str, Any]:
        with self.lock:
            return self.data.snapshot()

    def configure(self, raw: dict[str, Any]) -> None:
        with self.lock:
            self.data.settings = settings.apply(self.data.settings, raw)
            self.data.preset_rows = preset_rows(self.data.settings.registered)

    def render(self, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        """A page in the markup dialect chosen with ``configure`` (1 unless told)."""
        with self.lock:
            dialect = self.data.settings.dialect
        return render(name, dialect, status_code, **context)

    def routes(self) -> list[BaseRoute]:
        return [
            Host(LOGIN_HOST, app=Router(routes=auth_routes(self))),
            Host(MENU_HOST, app=Router(routes=menu_routes(self))),
            Host(MODULE_HOST, app=Router(routes=pse_routes(self))),
        ]

    def open_session(self, code: str) -> tuple[Session, str] | None:
        """Turn a login ``code`` into a session (and where to go), choosing the pop-ups."""
        with self.lock:
            found = login.redeem_code(self.data, code, time.time())
            if found is None:
                return None
            account = ACCOUNTS[(found.ruc, found.usuario)]
            wanted = self.data.settings.popups
            if wanted == "random":
                popups = list(self.rng.choice(POPUP_CHOICES))
            else:
                popups = [] if wanted == "none" else list(wanted)
            session = Session(
                secrets.token_urlsafe(24), found.ruc, found.usuario, account.razon_social, popups
            )
            self.data.sessions[session.token] = session
            self.data.popups_shown = list(popups)
            return session, found.original_url

    def session(self, token: str | None) -> Session | None:
        with self.lock:
            return self.data.sessions.get(token or "")

    def close_session(self, token: str | None) -> None:
        with self.lock:
            self.data.sessions.pop(token or "", None)
