"""HTTP helpers shared by the SUNAT routes: templates, redirects and the session cookie."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from portal_bot.mocks.sunat.catalog import (
    COOKIE_DOMAIN,
    LOGIN_HOST,
    OAUTH_PREFIX,
    SESSION_COOKIE,
)

TEMPLATES = Environment(
    loader=PackageLoader("portal_bot.mocks.sunat", "templates"), autoescape=True
)
NO_STORE = {"Cache-Control": "no-store"}


def render(name: str, dialect: int, status_code: int = 200, **context: Any) -> HTMLResponse:
    """The page ``name`` in markup ``dialect``: the one place a template learns it (the
    widget macros in ``_widgets.html`` read it; routes and rules never do)."""
    html = TEMPLATES.get_template(name).render(dialect=dialect, **context)
    return HTMLResponse(html, status_code=status_code, headers=NO_STORE)


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=302, headers=NO_STORE)


def login_url(state: str, original_url: str) -> str:
    query = urlencode(
        {
            "lang": "es-PE",
            "showDni": "true",
            "showLanguages": "false",
            "originalUrl": original_url,
            "state": state,
        }
    )
    return f"https://{LOGIN_HOST}{OAUTH_PREFIX}/loginMenuSol?{query}"


def session_token(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE)


def set_session_cookie(response: Response, token: str) -> None:
    """``Domain=.sunat.gob.pe; Secure; HttpOnly; SameSite=None``: every SUNAT host gets it."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        path="/",
        domain=COOKIE_DOMAIN,
        secure=True,
        httponly=True,
        samesite="none",
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        domain=COOKIE_DOMAIN,
        secure=True,
        httponly=True,
        samesite="none",
    )
