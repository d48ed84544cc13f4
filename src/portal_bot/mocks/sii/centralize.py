"""``www4.sii.cl`` [inv host]: the form that centralizes a digital certificate."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from portal_bot.mocks.sii import urls
from portal_bot.mocks.sii.pages import redirect, render, session_token
from portal_bot.mocks.sii.rules import SANTIAGO, display_rut
from portal_bot.mocks.sii.state import Account

if TYPE_CHECKING:
    from portal_bot.mocks.sii.portal import SiiPortal

MAX_UPLOAD = 256 * 1024  # a PKCS#12 file is a few kB; anything bigger is not one


def centralize_routes(portal: SiiPortal) -> list[BaseRoute]:
    """Routes for the certificate host; both need the login session."""

    def account(request: Request) -> Account | None:
        with portal.lock:
            return portal.model.account_of(session_token(request))

    def form_page(user: Account, error: str = "") -> Response:
        with portal.lock:
            current = portal.model.current_certificate(user.rut)
        return render(
            "centralizar.html",
            user=user,
            rut_display=display_rut(user.rut),
            error=error,
            current=current,
            current_until=local_date(current.not_after) if current else "",
            current_valid=current is not None and current.not_after > datetime.now(UTC),
        )

    async def show(request: Request) -> Response:
        user = account(request)
        if user is None:
            return redirect(urls.login_url(urls.CENTRALIZAR_URL))
        return form_page(user)

    async def save(request: Request) -> Response:
        user = account(request)
        if user is None:
            return redirect(urls.login_url(urls.CENTRALIZAR_URL), status_code=303)
        async with request.form(max_files=1, max_fields=10) as form:
            upload = form.get("archivo")
            password = str(form.get("clave") or "")
            data = b""
            if isinstance(upload, UploadFile) and upload.filename:
                data = await upload.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            data = b"\0"  # read as "not a certificate"
        now = datetime.now(UTC)
        with portal.lock:
            error = portal.model.centralize(user.rut, data, password, now)
            saved = portal.model.data.centralized[-1] if error is None else None
        if saved is None:
            return form_page(user, error or "")
        return render(
            "centralizar_ok.html",
            user=user,
            subject=saved.subject,
            rut_display=display_rut(saved.rut),
            valid_until=local_date(saved.not_after),
        )

    async def root(request: Request) -> Response:
        return redirect(urls.CENTRALIZAR_URL)

    return [
        Route("/", root),
        Route(urls.CENTRALIZAR_PATH, show),
        Route(urls.CENTRALIZAR_POST_PATH, save, methods=["POST"]),
        Route(urls.CENTRALIZAR_POST_PATH, root, methods=["GET"]),
    ]


def local_date(moment: datetime) -> str:
    """``DD/MM/YYYY`` in Santiago time, as the portal prints dates."""
    return moment.astimezone(SANTIAGO).strftime("%d/%m/%Y")
