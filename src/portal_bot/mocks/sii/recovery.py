"""``www2.sii.cl``: Recuperar Clave Tributaria and the way to enter the SII.

The sequence [src: gesnex "Acceso con firma digital", relbase "Operar con certificado
digital", seed 003]: RUT + "Acepto la Cláusula" + "Continuar" → a notice that a code
*will* be e-mailed, whose own "Continuar" sends it → "Ir a recuperar Clave"; back on the
page, RUT + cláusula + "Continuar" → a screen saying a code exists, with "Ingresar
Código provisorio", which opens a window where the code is typed → "Enviar código" → the
new clave and its re-entry, a secret question and its answer, the way to enter the SII
→ "Enviar formulario" → confirmation. Paths under the page's own and every text the
portal writes itself are [inv] (see ``texts.py``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from portal_bot.mocks.sii import texts, urls
from portal_bot.mocks.sii.model import ClaveForm, RecoveryError
from portal_bot.mocks.sii.pages import redirect, render
from portal_bot.mocks.sii.rules import display_rut, mask_email, parse_rut

if TYPE_CHECKING:
    from portal_bot.mocks.sii.portal import SiiPortal


def recovery_routes(portal: SiiPortal) -> list[BaseRoute]:
    """Routes for the recovery host; every step is a real form POST."""

    def start_page(rut: str = "", clause: bool = False, error: str = "") -> Response:
        return render("recuperar.html", rut=rut, clause=clause, errors=[error] if error else [])

    async def start(request: Request) -> Response:
        return start_page()

    async def check(request: Request) -> Response:
        """The first form: a notice before sending a code, or the way to type one."""
        form = await request.form()
        rut_text = str(form.get("rut") or "")
        clause = bool(form.get("clausula"))
        try:
            with portal.lock:
                account = portal.model.recovery_account(rut_text, clause)
                pending = portal.model.has_code(account.rut, now())
        except RecoveryError as refused:
            return start_page(rut_text, clause, str(refused))
        email = mask_email(account.email)
        if pending:
            return render(
                "recuperar_existe.html",
                rut_display=display_rut(account.rut),
                notice=texts.CODE_EXISTS.format(email=email),
                code_url=f"{urls.RECOVERY_CODE_URL}?{urlencode({'rut': account.rut})}",
                errors=[],
            )
        return render(
            "recuperar_aviso.html",
            rut=account.rut,
            rut_display=display_rut(account.rut),
            notice=texts.CODE_WILL_BE_SENT.format(email=email),
            errors=[],
        )

    async def send(request: Request) -> Response:
        """The notice's "Continuar": e-mail a code."""
        form = await request.form()
        try:
            with portal.lock:
                account = portal.model.recovery_account(str(form.get("rut") or ""), clause=True)
                masked = portal.model.send_code(account, now())
        except RecoveryError as refused:
            return start_page(error=str(refused))
        return render(
            "recuperar_enviado.html",
            rut_display=display_rut(account.rut),
            notice=texts.CODE_SENT.format(email=masked),
            errors=[],
        )

    def code_page(rut: str, error: str = "") -> Response:
        return render(
            "recuperar_codigo.html",
            rut=rut,
            rut_display=display_rut(rut),
            errors=[error] if error else [],
        )

    async def code_window(request: Request) -> Response:
        rut = parse_rut(request.query_params.get("rut", ""))
        if rut is None:
            return redirect(urls.RECOVERY_URL)
        return code_page(rut)

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
        rut: str, ticket: str, sent: ClaveForm | None = None, errors: list[str] | None = None
    ) -> Response:
        mode = sent.mode if sent else ""
        if not mode:  # the way in the account has now is shown selected [inf]
            with portal.lock:
                mode = portal.model.data.auth_mode.get(rut, "")
        return render(
            "recuperar_clave.html",
            rut_display=display_rut(rut),
            ticket=ticket,
            mode=mode,
            question=sent.question if sent else "",
            errors=errors or [],
        )

    async def new_clave(request: Request) -> Response:
        form = await request.form()
        ticket = str(form.get("ticket") or "")
        sent = ClaveForm(
            new=str(form.get("nueva") or ""),
            confirm=str(form.get("confirmacion") or ""),
            question=str(form.get("pregunta") or ""),
            answer=str(form.get("respuesta") or ""),
            mode=str(form.get("forma") or ""),
        )
        try:
            with portal.lock:
                rut = portal.model.ticket_rut(ticket, now())
                problems = portal.model.change_clave(ticket, sent, now())
        except RecoveryError as refused:
            return start_page(error=str(refused))
        if problems:
            return clave_page(rut, ticket, sent, problems)
        return render(
            "recuperar_listo.html", rut_display=display_rut(rut), mode=sent.mode, errors=[]
        )

    async def back_to_start(request: Request) -> Response:
        return redirect(urls.RECOVERY_URL)

    return [
        Route(urls.RECOVERY_PATH, start, methods=["GET"]),
        Route(urls.RECOVERY_PATH, send, methods=["POST"]),
        Route(urls.RECOVERY_CHECK_PATH, check, methods=["POST"]),
        Route(urls.RECOVERY_CHECK_PATH, back_to_start, methods=["GET"]),
        Route(urls.RECOVERY_CODE_PATH, code_window, methods=["GET"]),
        Route(urls.RECOVERY_CODE_PATH, check_code, methods=["POST"]),
        Route(urls.RECOVERY_CLAVE_PATH, new_clave, methods=["POST"]),
        Route(urls.RECOVERY_CLAVE_PATH, back_to_start, methods=["GET"]),
    ]


def now() -> datetime:
    return datetime.now(UTC)
