"""``www2.sii.cl``: Recuperar Clave Tributaria and the way to enter the SII.

Steps [src: seed 003]: RUT + cláusula → "Continuar" e-mails a provisional code; later
RUT + cláusula → "Ingresar Código provisorio" → the code → "Enviar código" → new clave,
its confirmation and "Forma de ingreso al SII" → "Enviar formulario".
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from portal_bot.mocks.sii import texts, urls
from portal_bot.mocks.sii.model import RecoveryError
from portal_bot.mocks.sii.pages import redirect, render
from portal_bot.mocks.sii.rules import display_rut, parse_rut

if TYPE_CHECKING:
    from portal_bot.mocks.sii.portal import SiiPortal


def recovery_routes(portal: SiiPortal) -> list[BaseRoute]:
    """Routes for the recovery host; every step is a real form POST."""

    async def start(request: Request) -> Response:
        return render("recuperar.html", rut="", clause=False, errors=[])

    async def first_step(request: Request) -> Response:
        form = await request.form()
        rut_text = str(form.get("rut") or "")
        clause = bool(form.get("clausula"))
        action = str(form.get("accion") or "enviar")
        try:
            with portal.lock:
                account = portal.model.recovery_account(rut_text, clause)
                masked = portal.model.send_code(account, now()) if action == "enviar" else ""
        except RecoveryError as refused:
            return render("recuperar.html", rut=rut_text, clause=clause, errors=[str(refused)])
        if action == "enviar":
            notice = texts.CODE_SENT.format(email=masked)
            return render("recuperar_enviado.html", notice=notice, errors=[])
        return code_page(account.rut)

    def code_page(rut: str, error: str = "") -> Response:
        return render(
            "recuperar_codigo.html",
            rut=rut,
            rut_display=display_rut(rut),
            errors=[error] if error else [],
        )

    async def check_code(request: Request) -> Response:
        form = await request.form()
        rut = parse_rut(str(form.get("rut") or ""))
        if rut is None:
            return redirect(urls.RECOVERY_URL, status_code=303)
        try:
            with portal.lock:
                ticket = portal.model.verify_code(rut, str(form.get("codigo") or ""), now())
        except RecoveryError as refused:
            return code_page(rut, str(refused))
        return clave_page(rut, ticket)

    def clave_page(
        rut: str, ticket: str, mode: str = "", errors: list[str] | None = None
    ) -> Response:
        if not mode:  # the way in the account has now is shown selected [inf]
            with portal.lock:
                mode = portal.model.data.auth_mode.get(rut, "")
        return render(
            "recuperar_clave.html",
            rut_display=display_rut(rut),
            ticket=ticket,
            mode=mode,
            errors=errors or [],
        )

    async def new_clave(request: Request) -> Response:
        form = await request.form()
        ticket = str(form.get("ticket") or "")
        mode = str(form.get("forma") or "")
        try:
            with portal.lock:
                rut = portal.model.ticket_rut(ticket, now())
                problems = portal.model.change_clave(
                    ticket,
                    str(form.get("nueva") or ""),
                    str(form.get("confirmacion") or ""),
                    mode,
                    now(),
                )
        except RecoveryError as refused:
            return render("recuperar.html", rut="", clause=False, errors=[str(refused)])
        if problems:
            return clave_page(rut, ticket, mode, problems)
        return render("recuperar_listo.html", rut_display=display_rut(rut), mode=mode, errors=[])

    async def back_to_start(request: Request) -> Response:
        return redirect(urls.RECOVERY_URL)

    return [
        Route(urls.RECOVERY_PATH, start, methods=["GET"]),
        Route(urls.RECOVERY_PATH, first_step, methods=["POST"]),
        Route(urls.RECOVERY_CODE_PATH, check_code, methods=["POST"]),
        Route(urls.RECOVERY_CLAVE_PATH, new_clave, methods=["POST"]),
        Route(urls.RECOVERY_CODE_PATH, back_to_start, methods=["GET"]),
        Route(urls.RECOVERY_CLAVE_PATH, back_to_start, methods=["GET"]),
    ]


def now() -> datetime:
    return datetime.now(UTC)
