"""``account.siigo.com``: Siigo's Azure AD B2C sign-in [src], its second screen and logout.

The sign-in page takes the e-mail and the password and "Continuar" posts them (one login
attempt each time); a wrong pair shows "Usuario o contraseña inválidos". Accepted, it
shows a second screen whose "Ingresar" goes back to ``siigonube.siigo.com/openid-callback``
with a one-time code; Siigo Nube turns the code into its session (``nube.py``).
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from portal_bot.mocks.siigo.state import account_by_email
from portal_bot.mocks.siigo.web import (
    B2C_PREFIX,
    CALLBACK,
    COOKIE,
    NUBE_HOME,
    NUBE_HOST,
    PLATFORM_HOST,
    clear_session_cookie,
    found,
    login_url,
    page,
    see_other,
)

if TYPE_CHECKING:
    from portal_bot.mocks.siigo.portal import SiigoPortal

WRONG_CREDENTIALS = "Usuario o contraseña inválidos"
"""[src] The B2C page's error (#siigoError)."""
MISSING_CREDENTIALS = "Ingresa tu correo electrónico y tu contraseña."
"""[inv]"""

AUTHORIZE = f"{B2C_PREFIX}/oauth2/v2.0/authorize"
SELF_ASSERTED = f"{B2C_PREFIX}/SelfAsserted"
CONFIRMED = f"{B2C_PREFIX}/api/CombinedSigninAndSignup/confirmed"
LOGOUT = f"{B2C_PREFIX}/oauth2/v2.0/logout"
FORGOTTEN = f"{B2C_PREFIX}/api/CombinedSigninAndSignup/forgotPassword"


def safe_return_url(value: str) -> str:
    """Where to go after signing in: only back to Siigo's own hosts, else Inicio."""
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
            Route(AUTHORIZE, self.form, methods=["GET"]),
            Route(SELF_ASSERTED, self.submit, methods=["POST"]),
            Route(CONFIRMED, self.confirmed, methods=["GET"]),
            Route(LOGOUT, self.logout, methods=["GET"]),
            Route(FORGOTTEN, self.forgotten, methods=["GET"]),
        ]

    async def root(self, request: Request) -> Response:
        return found(login_url(NUBE_HOME))

    def _form(self, state: str, email: str = "", error: str = "") -> Response:
        return page(
            "b2c_login.html",
            action=SELF_ASSERTED,
            state=state,
            email=email,
            error=error,
            forgotten=f"{FORGOTTEN}?state={quote(state, safe='')}",
        )

    async def form(self, request: Request) -> Response:
        return self._form(safe_return_url(request.query_params.get("state", "")))

    async def submit(self, request: Request) -> Response:
        form = await request.form()
        email = str(form.get("signInName", "")).strip()
        password = str(form.get("Contraseña", ""))
        state = safe_return_url(str(form.get("state", "")))
        account = account_by_email(email)
        with self.portal.lock:
            self.portal.data.login_attempts += 1
            if not email or not password:
                return self._form(state, email, MISSING_CREDENTIALS)
            if account is None or account.password != password:
                return self._form(state, email, WRONG_CREDENTIALS)
            code = secrets.token_urlsafe(24)
            self.portal.data.codes[code] = account.email
        return see_other(f"{CONFIRMED}?code={code}&state={quote(state, safe='')}")

    async def confirmed(self, request: Request) -> Response:
        """The second screen: "Ingresar" takes the code back to Siigo Nube."""
        code = request.query_params.get("code", "")
        state = safe_return_url(request.query_params.get("state", ""))
        with self.portal.lock:
            email = self.portal.data.codes.get(code)
        account = account_by_email(email or "")
        if account is None:
            return found(login_url(state))
        callback = f"{CALLBACK}?code={quote(code, safe='')}&state={quote(state, safe='')}"
        return page(
            "b2c_ingresar.html",
            user_name=account.user_name,
            email=account.email,
            callback=callback,
        )

    async def logout(self, request: Request) -> Response:
        with self.portal.lock:
            self.portal.data.sessions.pop(request.cookies.get(COOKIE, ""), None)
        response = found(login_url(NUBE_HOME))
        clear_session_cookie(response)
        return response

    async def forgotten(self, request: Request) -> Response:
        back = login_url(safe_return_url(request.query_params.get("state", "")))
        return page("recordar.html", back=back)
