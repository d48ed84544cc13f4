"""``siigonube.siigo.com``: Inicio, the menu, the e-invoicing steps and the launcher.

Without a session every page is the app's empty shell, whose script sends the browser to
the B2C sign-in shortly after load (a navigation the page itself starts). The sign-in
comes back to ``/openid-callback`` with a one-time code, which becomes the session.

The launcher (``/plataforma-tecnologica``) is what "Activa tu certificado digital" opens
in a new window: it makes a one-time token and redirects to the plataforma tecnológica,
which accepts the shared cookie only together with that token [inv].
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from portal_bot.mocks.siigo.login import LOGOUT, safe_return_url
from portal_bot.mocks.siigo.state import Session, account_by_email
from portal_bot.mocks.siigo.web import (
    COOKIE,
    LOGIN_HOST,
    NUBE_HOME,
    NUBE_HOST,
    PLATFORM_HOST,
    clear_session_cookie,
    current_session,
    found,
    login_url,
    new_session_id,
    page,
    set_session_cookie,
    user_context,
)

if TYPE_CHECKING:
    from portal_bot.mocks.siigo.portal import SiigoPortal

DECOY_MODULES = {
    "ventas": "Ventas",
    "compras": "Compras",
    "contabilidad": "Contabilidad",
    "inventario": "Inventario",
    "reportes": "Reportes",
    "nomina-electronica": "Nómina electrónica",
    "documento-soporte": "Documento soporte electrónico",
    "consulta-documentos": "Consulta de documentos electrónicos",
}
"""Menu entries that exist to be passed over; each opens a "no disponible" page [inv]."""

EINVOICING_STEPS = (
    "Completa el perfil de tu empresa",
    "Activa tu certificado digital",
    "Realiza el set de pruebas",
    "Configura la numeración de tus facturas",
    "Personaliza tu factura electrónica",
    "Emite tu primera factura electrónica",
)
"""The six steps to start e-invoicing [src: seed 001 says six; their names are inv]."""


def to_sign_in(return_url: str) -> Response:
    """The app's shell without a session: its script goes to the sign-in after load."""
    return page("sin_sesion.html", url=login_url(return_url))


class NubePages:
    def __init__(self, portal: SiigoPortal) -> None:
        self.portal = portal

    def routes(self) -> list[BaseRoute]:
        fe = "/documentos-electronicos/facturacion-electronica"
        return [
            Route("/", self.root, methods=["GET"]),
            Route("/openid-callback", self.callback, methods=["GET"]),
            Route("/logout", self.logout, methods=["GET"]),
            Route("/inicio", self.home, methods=["GET"]),
            Route("/habilitaciones-electronicas", self.enablements, methods=["GET"]),
            Route("/habilitaciones-electronicas/facturacion-electronica", self.steps),
            Route(fe, self.einvoicing, methods=["GET"]),
            Route(f"{fe}/inicia-tu-proceso", self.steps, methods=["GET"]),
            Route("/plataforma-tecnologica", self.launch_platform, methods=["GET"]),
            Route("/modulo/{slug}", self.decoy, methods=["GET"]),
        ]

    def _session(self, request: Request) -> Session | None:
        with self.portal.lock:
            return current_session(self.portal, request)

    def _to_login(self, request: Request) -> Response:
        return to_sign_in(f"https://{NUBE_HOST}{request.url.path}")

    def _render(self, template: str, session: Session, **context: Any) -> Response:
        return page(template, **user_context(session), **context)

    async def root(self, request: Request) -> Response:
        if self._session(request) is None:
            return to_sign_in(NUBE_HOME)
        return found("/inicio")

    async def callback(self, request: Request) -> Response:
        """B2C's way back: the one-time code becomes Siigo Nube's session."""
        code = request.query_params.get("code", "")
        state = safe_return_url(request.query_params.get("state", ""))
        with self.portal.lock:
            email = self.portal.data.codes.pop(code, None)
            account = account_by_email(email or "")
            if account is None:
                if current_session(self.portal, request) is not None:
                    return found(state)
                return to_sign_in(state)
            session_id = new_session_id()
            self.portal.data.sessions[session_id] = Session(account.email, account.nit)
        response = found(state)
        set_session_cookie(response, session_id)
        return response

    async def logout(self, request: Request) -> Response:
        with self.portal.lock:
            self.portal.data.sessions.pop(request.cookies.get(COOKIE, ""), None)
        response = found(f"https://{LOGIN_HOST}{LOGOUT}")
        clear_session_cookie(response)
        return response

    async def home(self, request: Request) -> Response:
        session = self._session(request)
        if session is None:
            return self._to_login(request)
        return self._render("inicio.html", session, active="inicio")

    async def enablements(self, request: Request) -> Response:
        session = self._session(request)
        if session is None:
            return self._to_login(request)
        return self._render("habilitaciones.html", session, active="habilitaciones")

    async def einvoicing(self, request: Request) -> Response:
        session = self._session(request)
        if session is None:
            return self._to_login(request)
        return self._render("facturacion.html", session, active="facturacion")

    async def steps(self, request: Request) -> Response:
        """The steps to enable e-invoicing; step 2 opens the plataforma tecnológica."""
        session = self._session(request)
        if session is None:
            return self._to_login(request)
        with self.portal.lock:
            requests = self.portal.data.requests_of(session.nit)
            latest = requests[-1].state if requests else None
        certificate = {"Completado": "Completado", None: "Pendiente"}.get(latest, "En proceso")
        from_enablements = request.url.path.startswith("/habilitaciones")
        return self._render(
            "pasos_nube.html",
            session,
            active="habilitaciones" if from_enablements else "facturacion",
            steps=EINVOICING_STEPS,
            certificate_status=certificate,
        )

    async def launch_platform(self, request: Request) -> Response:
        with self.portal.lock:
            session_id = request.cookies.get(COOKIE, "")
            if current_session(self.portal, request) is None:
                return self._to_login(request)
            token = secrets.token_hex(16)
            self.portal.data.tokens[token] = session_id
        return found(f"https://{PLATFORM_HOST}/acceso?token={token}")

    async def decoy(self, request: Request) -> Response:
        session = self._session(request)
        if session is None:
            return self._to_login(request)
        title = DECOY_MODULES.get(request.path_params["slug"])
        if title is None:
            return page("no_encontrada.html", status_code=404)
        return self._render("no_disponible.html", session, active="", title=title)
