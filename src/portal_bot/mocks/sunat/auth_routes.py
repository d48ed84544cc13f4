"""``api-seguridad.sunat.gob.pe``: the SOL login form, its captcha and its error page."""

from __future__ import annotations

import random
import time
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from portal_bot.mocks.sunat import captcha, login
from portal_bot.mocks.sunat.catalog import AUTH_PATH, MENU_HOST, MENU_URL, OAUTH_PREFIX
from portal_bot.mocks.sunat.web import login_url, redirect

if TYPE_CHECKING:
    from portal_bot.mocks.sunat.portal import SunatPortal

ERRORS = {"parametros": login.STALE_STATE, "limite": login.RATE_LIMITED}


def auth_routes(portal: SunatPortal) -> list[BaseRoute]:
    """Routes of the login host, bound to ``portal``."""

    async def login_page(request: Request) -> Response:
        state = request.query_params.get("state", "")
        with portal.lock:
            flow = login.live_flow(portal.data, state, time.time())
            message, ruc, usuario, shown, seq = "", "", "", False, 0
            if flow is not None:
                message, flow.flash = flow.flash or "", None
                ruc, usuario = flow.ruc, flow.usuario
                shown = flow.captcha is not None
                seq = flow.captcha_seq
        return portal.render(
            "login.html",
            prefix=OAUTH_PREFIX,
            state=state,
            original_url=request.query_params.get("originalUrl", MENU_URL),
            show_dni=request.query_params.get("showDni", "true") == "true",
            message=message,
            ruc=ruc,
            usuario=usuario,
            captcha_shown=shown,
            captcha_seq=seq,
        )

    async def security_check(request: Request) -> Response:
        form = await request.form()

        def field(name: str) -> str:
            value = form.get(name, "")
            return value.strip() if isinstance(value, str) else ""

        submitted = login.LoginForm(
            state=field("state"),
            tipo=field("tipo") or "1",
            ruc=field("custom_ruc"),
            usuario=field("j_username").upper(),
            dni=field("dni"),
            clave=str(form.get("j_password", "")),
            captcha=field("captcha"),
        )
        with portal.lock:
            result = login.submit(portal.data, submitted, time.time(), portal.rng)
            flow = portal.data.flows.get(submitted.state)
            if result.kind == "error" and flow is not None:
                flow.flash = result.message
        if result.kind == "ok":
            query = urlencode({"code": result.code, "state": submitted.state})
            return redirect(f"https://{MENU_HOST}{AUTH_PATH}?{query}")
        if result.kind == "error" and flow is not None:
            return redirect(login_url(flow.state, flow.original_url))
        kind = "limite" if result.kind == "rate_limited" else "parametros"
        return redirect(f"{OAUTH_PREFIX}/error?lang=es-PE&error={kind}")

    async def error_page(request: Request) -> Response:
        message = ERRORS.get(request.query_params.get("error", ""), login.STALE_STATE)
        return portal.render("auth_error.html", message=message, menu_url=MENU_URL)

    async def captcha_check(request: Request) -> Response:
        """Asked by the form once a full RUC is typed: must this RUC answer a captcha?"""
        state = request.query_params.get("state", "")
        ruc = request.query_params.get("ruc", "")
        now = time.time()
        with portal.lock:
            flow = login.live_flow(portal.data, state, now)
            show = flow is not None and login.captcha_needed(portal.data, flow, ruc, now)
            if flow is not None and show and flow.captcha is None:
                login.issue_captcha(portal.data, flow, portal.rng)
            seq = flow.captcha_seq if flow is not None else 0
        return JSONResponse({"mostrar": show, "n": seq}, headers={"Cache-Control": "no-store"})

    async def captcha_image(request: Request) -> Response:
        with portal.lock:
            flow = login.live_flow(portal.data, request.query_params.get("state", ""), time.time())
            answer = flow.captcha if flow is not None else None
        if answer is None:
            return Response(status_code=404)
        svg = captcha.render_svg(answer, random.Random())
        return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-store"})

    async def forgot(request: Request) -> Response:
        return portal.render("forgot.html", menu_url=MENU_URL)

    return [
        Route(f"{OAUTH_PREFIX}/loginMenuSol", login_page, methods=["GET"]),
        Route(f"{OAUTH_PREFIX}/j_security_check", security_check, methods=["POST"]),
        Route(f"{OAUTH_PREFIX}/error", error_page, methods=["GET"]),
        Route(f"{OAUTH_PREFIX}/verificaCaptcha", captcha_check, methods=["GET"]),
        Route(f"{OAUTH_PREFIX}/captcha", captcha_image, methods=["GET"]),
        Route(f"{OAUTH_PREFIX}/recuperarClave", forgot, methods=["GET"]),
    ]
