"""Plumbing shared by the three hosts: names, the session cookie and page rendering.

The markup dialect reaches the templates here and nowhere else: :class:`DialectApp` puts
the portal's current dialect in a context variable for the request, and :func:`page`
hands it to the template, whose widget macros (``_widgets.html``) render it.
"""

from __future__ import annotations

import secrets
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, PackageLoader
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from portal_bot.mocks.siigo.state import Session, account_by_email

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Receive, Scope, Send

    from portal_bot.mocks.siigo.portal import SiigoPortal

LOGIN_HOST = "account.siigo.com"
"""[src] Siigo's Azure AD B2C sign-in (portals.md, "More real facts")."""
B2C_PREFIX = "/siigob2cco.onmicrosoft.com/b2c_1a_col_pd_ssosiigo"
"""[src] The B2C tenant and policy in every sign-in path."""
NUBE_HOST = "siigonube.siigo.com"
CALLBACK = "https://siigonube.siigo.com/openid-callback"
"""[src] Where B2C sends the browser back after the sign-in."""
PLATFORM_HOST = "plataformatecnologica.siigo.com"
"""[inv] The "plataforma tecnológica" opens in a new window on this host."""

NUBE_HOME = f"https://{NUBE_HOST}/inicio"
COOKIE = "SiigoSession"
COOKIE_DOMAIN = ".siigo.com"

DIALECTS = (1, 2, 3)
_dialect: ContextVar[int] = ContextVar("siigo_dialect", default=1)

_templates = Environment(
    loader=PackageLoader("portal_bot.mocks.siigo", "templates"), autoescape=True
)


class DialectApp:
    """ASGI wrapper: the portal's dialect, fixed for the whole request."""

    def __init__(self, portal: SiigoPortal, app: ASGIApp) -> None:
        self.portal = portal
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        with self.portal.lock:
            dialect = self.portal.dialect
        token = _dialect.set(dialect)
        try:
            await self.app(scope, receive, send)
        finally:
            _dialect.reset(token)


def page(template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render ``templates/<template>`` in the request's dialect as an HTML response."""
    html = _templates.get_template(template).render(**context, dialect=_dialect.get())
    return HTMLResponse(html, status_code=status_code)


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def found(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=302)


def login_url(return_url: str) -> str:
    """The B2C authorize URL; ``state`` carries where to go back to [inv: the real one
    carries an opaque value]."""
    query = urlencode(
        {
            "client_id": "siigonube-col",
            "redirect_uri": CALLBACK,
            "response_type": "code",
            "scope": "openid offline_access",
            "state": return_url,
        },
        quote_via=quote,
    )
    return f"https://{LOGIN_HOST}{B2C_PREFIX}/oauth2/v2.0/authorize?{query}"


def new_session_id() -> str:
    return secrets.token_urlsafe(24)


def set_session_cookie(response: Response, session_id: str) -> None:
    response.set_cookie(
        COOKIE,
        session_id,
        domain=COOKIE_DOMAIN,
        secure=True,
        httponly=True,
        samesite="lax",
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(COOKIE, domain=COOKIE_DOMAIN, secure=True, httponly=True)


def current_session(portal: SiigoPortal, request: Request) -> Session | None:
    """The logged-in session of this browser, if its cookie names a live one.

    Call with ``portal.lock`` held.
    """
    session_id = request.cookies.get(COOKIE, "")
    return portal.data.sessions.get(session_id)


def user_context(session: Session) -> dict[str, Any]:
    """What every logged-in page shows in its header."""
    account = account_by_email(session.email)
    assert account is not None
    return {"account": account}
