"""``zeusr.sii.cl``: the login page, its script, the login POST and the logout."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib.resources import files
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from portal_bot.mocks.sii import texts, urls
from portal_bot.mocks.sii.model import LoginResult
from portal_bot.mocks.sii.pages import end_session, redirect, render, session_token, start_session
from portal_bot.mocks.sii.rules import return_url

if TYPE_CHECKING:
    from portal_bot.mocks.sii.portal import SiiPortal


def login_routes(portal: SiiPortal) -> list[BaseRoute]:
    """Routes for the login host."""
    script = files("portal_bot.mocks.sii").joinpath("static/AutAll.js").read_text("utf-8")

    async def login_page(request: Request) -> Response:
        # The whole query string is the address to return to [src].
        return render("login.html", referencia=request.url.query)

    async def aut_js(request: Request) -> Response:
        return Response(script, media_type="application/javascript; charset=utf-8")

    async def login_post(request: Request) -> Response:
        form = await request.form()
        referencia = str(form.get("referencia") or "")
        body = str(form.get("rut") or "").strip()
        dv = str(form.get("dv") or "").strip().upper()
        clave = str(form.get("clave") or "")
        with portal.lock:
            outcome = portal.model.login(body, dv, clave, datetime.now(UTC))
        if outcome.result is LoginResult.OK:
            response = redirect(return_url(referencia))
            start_session(response, outcome.token, outcome.rut)
            return response
        message, code = {
            LoginResult.WRONG: (texts.WRONG_CLAVE, texts.WRONG_CLAVE_CODE),
            LoginResult.LOCKED: (texts.LOCKED_CLAVE, texts.LOCKED_CODE),
            LoginResult.INCOMPLETE: (texts.FILL_RUT_AND_CLAVE, ""),
        }[outcome.result]
        back = urls.login_url(referencia) if referencia else urls.LOGIN_URL
        return render("login_error.html", message=message, code=code, back=back)

    async def logout(request: Request) -> Response:
        with portal.lock:
            portal.model.logout(session_token(request))
        response = redirect(urls.HOME_URL)
        end_session(response)
        return response

    async def root(request: Request) -> Response:
        return redirect(urls.login_url())

    return [
        Route("/", root),
        Route(urls.LOGIN_PATH, login_page),
        Route("/" + urls.LOGIN_PATH, login_page),  # the real host also answers "//AUT2000/…"
        Route(urls.AUT_JS_PATH, aut_js),
        Route(urls.LOGIN_POST_PATH, login_post, methods=["POST"]),
        Route(urls.LOGOUT_PATH, logout),
    ]
