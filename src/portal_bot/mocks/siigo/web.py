"""Plumbing shared by the three hosts: names, the session cookie and page rendering."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from portal_bot.mocks.siigo.state import Session, account_by_email

if TYPE_CHECKING:
    from portal_bot.mocks.siigo.portal import SiigoPortal

LOGIN_HOST = "login.siigo.com"
"""[inv] The real login host is not public; a separate host gives the cross-host redirect."""
NUBE_HOST = "siigonube.siigo.com"
PLATFORM_HOST = "plataformatecnologica.siigo.com"
"""[inv] The "plataforma tecnológica" opens in a new window on this host."""

NUBE_HOME = f"https://{NUBE_HOST}/inicio"
COOKIE = "SiigoSession"
COOKIE_DOMAIN = ".siigo.com"

_templates = Environment(
    loader=PackageLoader("portal_bot.mocks.siigo", "templates"), autoescape=True
)


def page(template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render ``templates/<template>`` as an HTML response."""
    html = _templates.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status_code)


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def found(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=302)


def login_url(return_url: str) -> str:
    return f"https://{LOGIN_HOST}/login?returnUrl={quote(return_url, safe='')}"


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
