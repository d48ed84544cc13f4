"""Rendering the SII pages and handling the session cookies they share."""

from __future__ import annotations

from contextvars import ContextVar
from datetime import datetime
from typing import Any

from jinja2 import Environment, PackageLoader
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from portal_bot.mocks.sii import texts, urls
from portal_bot.mocks.sii.rules import SANTIAGO

ENV = Environment(loader=PackageLoader("portal_bot.mocks.sii", "templates"), autoescape=True)
ENV.globals.update(urls=urls, texts=texts)

DIALECT: ContextVar[int] = ContextVar("sii_dialect", default=1)
"""The markup dialect of the request being answered; set once per request by the portal
(``portal.py``) and read only here: routes and rules never see it."""

SESSION_COOKIE = "TOKEN"  # [src: the real session cookie names]
COOKIE_DOMAIN = ".sii.cl"
_MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)


def long_date(moment: datetime) -> str:
    """``21 de noviembre de 2026`` in Santiago time, as the SII's top bar shows it."""
    local = moment.astimezone(SANTIAGO)
    return f"{local.day} de {_MONTHS[local.month - 1]} de {local.year}"


def render(template: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("user", None)
    context.setdefault("today", long_date(datetime.now(SANTIAGO)))
    context["dialect"] = DIALECT.get()
    html = ENV.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status_code)


def redirect(url: str, status_code: int = 302) -> RedirectResponse:
    return RedirectResponse(url, status_code=status_code)


def session_token(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE)


def start_session(response: Response, token: str, rut: str) -> None:
    """The cookies a successful login sets, for every ``*.sii.cl`` host."""
    body, _, dv = rut.partition("-")
    values = {SESSION_COOKIE: token, "CSESSIONID": token[:16], "RUT_NS": body, "DV_NS": dv}
    for name, value in values.items():
        response.set_cookie(
            name,
            value,
            domain=COOKIE_DOMAIN,
            path="/",
            secure=True,
            httponly=name == SESSION_COOKIE,
            samesite="lax",
        )


def end_session(response: Response) -> None:
    for name in (SESSION_COOKIE, "CSESSIONID", "RUT_NS", "DV_NS"):
        response.delete_cookie(name, domain=COOKIE_DOMAIN, path="/", secure=True)
