"""``ww1.sunat.gob.pe``: the "Altas/Bajas de PSE" module shown inside the menu's iframe."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from portal_bot.mocks.sunat import pse
from portal_bot.mocks.sunat.catalog import PSE_PATH, UNAVAILABLE_PATH
from portal_bot.mocks.sunat.web import NO_STORE, session_token

if TYPE_CHECKING:
    from portal_bot.mocks.sunat.portal import SunatPortal


def pse_routes(portal: SunatPortal) -> list[BaseRoute]:
    """Routes of the module host, bound to ``portal``."""

    def refusal(request: Request) -> str | None:
        """Why this request may not use the module, if it may not."""
        if portal.session(session_token(request)) is None:
            return pse.SESSION_EXPIRED
        with portal.lock:
            allowed = portal.data.settings.permission
        return None if allowed else pse.NO_PERMISSION

    async def module(request: Request) -> Response:
        refused = refusal(request)
        if request.query_params.get("action") == "listarPse":
            if refused:
                return JSONResponse({"filas": [], "mensaje": refused}, status_code=403)
            found = pse.search_active(request.query_params.get("ruc", ""))
            return JSONResponse({"filas": found.rows, "mensaje": found.message}, headers=NO_STORE)
        if request.query_params.get("action") == "listarAutorizaciones":
            if refused:
                return JSONResponse({"filas": [], "mensaje": refused}, status_code=403)
            with portal.lock:
                rows = [asdict(row) for row in portal.data.grid()]
            return JSONResponse({"filas": rows}, headers=NO_STORE)
        if refused:
            return portal.render("module_message.html", message=refused, error=True)
        with portal.lock:
            grid = [
                [row.ruc, row.razon_social, row.start_date, row.end_date or "", row.status]
                for row in portal.data.grid()
            ]
            delay = portal.data.settings.handler_delay_ms * 5 // 6
        return portal.render("pse.html", grid=grid, handler_delay_ms=delay, action=PSE_PATH)

    async def register(request: Request) -> Response:
        refused = refusal(request)
        if refused:
            return JSONResponse({"ok": False, "mensaje": refused}, status_code=403)
        form = await request.form()
        ruc, start = form.get("rucPse", ""), form.get("fechaInicio", "")
        with portal.lock:
            message = pse.register(
                portal.data,
                ruc if isinstance(ruc, str) else "",
                start if isinstance(start, str) else "",
            )
            grid = [asdict(row) for row in portal.data.grid()]
        ok = message == pse.DONE
        return JSONResponse({"ok": ok, "mensaje": message, "filas": grid}, headers=NO_STORE)

    async def unavailable(request: Request) -> Response:
        label = request.query_params.get("opcion", "Esta opción")
        return portal.render(
            "module_message.html",
            message=f"{label}: opción no disponible en este entorno de pruebas.",
            error=False,
        )

    return [
        Route(PSE_PATH, module, methods=["GET"]),
        Route(PSE_PATH, register, methods=["POST"]),
        Route(UNAVAILABLE_PATH, unavailable, methods=["GET"]),
    ]
