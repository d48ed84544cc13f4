"""``login.siigo.com`` [inv]: the Siigo Nube login form and logout."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from portal_bot.mocks.siigo.state import Session, account_by_email
from portal_bot.mocks.siigo.web import (
    COOKIE,
    NUBE_HOME,
    NUBE_HOST,
    PLATFORM_HOST,
    clear_session_cookie,
    current_session,
    found,
    new_session_id,
    page,
    see_other,
    set_session_cookie,
)

if TYPE_CHECKING:
    from portal_bot.mocks.siigo.portal import SiigoPortal

WRONG_CREDENTIALS = "Usuario o contraseña incorrectos"
MISSING_CREDENTIALS = "Ingresa tu usuario y tu contraseña."


def safe_return_url(value: str) -> str:
    """Where to go after logging in: only back to Siigo's own hosts, else Inicio."""
    parts = urlsplit(value)
    if parts.scheme == "https" and parts.hostname in (NUBE_HOST, PLATFORM_HOST):
        return value
    return NUBE_HOME


class LoginPages:
    def __init__(self, portal: SiigoPortal) -> None:
        self.portal = portal

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/", self.root, methods=["GET"]),
            Route("/login", self.form, methods=["GET"]),
            Route("/login", self.submit, methods=["POST"]),
            Route("/logout", self.logout, methods=["GET"]),
            Route("/recordar-contrasena", self.forgotten, methods=["GET"]),
        ]

    async def root(self, request: Request) -> Response:
        return found("/login")

    async def form(self, request: Request) -> Response:
        return_url = safe_return_url(request.query_params.get("returnUrl", ""))
        with self.portal.lock:
            if current_session(self.portal, request) is not None:
                return found(return_url)
        return page("login.html", return_url=return_url, email="", error="")

    async def submit(self, request: Request) -> Response:
        form = await request.form()
        email = str(form.get("usuario", "")).strip()
        password = str(form.get("contrasena", ""))
        return_url = safe_return_url(str(form.get("returnUrl", "")))
        account = account_by_email(email)
        with self.portal.lock:
            self.portal.data.login_attempts += 1
            if not email or not password:
                error = MISSING_CREDENTIALS
            elif account is None or account.password != password:
                error = WRONG_CREDENTIALS
            else:
                session_id = new_session_id()
                self.portal.data.sessions[session_id] = Session(account.email, account.nit)
                response = see_other(return_url)
                set_session_cookie(response, session_id)
                return response
        return page("login.html", return_url=return_url, email=email, error=error)

    async def logout(self, request: Request) -> Response:
        with self.portal.lock:
            self.portal.data.sessions.pop(request.cookies.get(COOKIE, ""), None)
        response = found("/login")
        clear_session_cookie(response)
        return response

    async def forgotten(self, request: Request) -> Response:
        return page("recordar.html")
