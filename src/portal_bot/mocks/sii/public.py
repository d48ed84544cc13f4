"""``misiir.sii.cl`` (Mi SII) and the public site on ``www.sii.cl`` / ``homer.sii.cl``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from portal_bot.mocks.sii import urls
from portal_bot.mocks.sii.pages import redirect, render, session_token
from portal_bot.mocks.sii.rules import display_rut, mask_email
from portal_bot.mocks.sii.state import Account

if TYPE_CHECKING:
    from portal_bot.mocks.sii.portal import SiiPortal

SERVICES = (  # [inv: a plausible subset of the real list]
    ("Clave Tributaria y Mandatario Digital", "#clave"),
    ("RUT e Inicio de Actividades", "#rut"),
    ("Factura electrónica", urls.FACTURA_URL),
    ("Boletas de honorarios electrónicas", "#boletas"),
    ("Impuestos mensuales", "#f29"),
    ("Declaración de Renta", "#renta"),
)

FACTURA_SECTIONS = (  # [inv] except "Conozca sobre Factura Electrónica" [src: seed 003]
    {
        "title": "Sistema de facturación gratuito del SII",
        "links": (
            ("Emitir documento tributario electrónico", "#emitir"),
            ("Ver documentos emitidos", "#emitidos"),
        ),
    },
    {
        "title": "Sistema de facturación de mercado",
        "links": (("Postulación a factura electrónica", "#postulacion"),),
    },
    {
        "title": "Conozca sobre Factura Electrónica",
        "links": (
            ("¿Qué es la factura electrónica?", "#que-es"),
            ("Certificado Digital", urls.CERTIFICADO_URL),
            ("Preguntas frecuentes", "#preguntas"),
        ),
    },
    {
        "title": "Consultas y trámites",
        "links": (("Consultar estado de envío", "#estado"),),
    },
)


def datos_contribuyente(account: Account) -> dict[str, object]:
    """The inline ``DatosCntrNow`` object Mi SII carries [src: its shape, values ours]."""
    body, _, dv = account.rut.partition("-")
    names = account.name.split()
    return {
        "codigoError": 0,
        "descripcionError": "",
        "contribuyente": {
            "rut": body,
            "dv": dv,
            "nombres": " ".join(names[:-2]) or account.name,
            "apellidoPaterno": names[-2] if len(names) > 2 else "",
            "apellidoMaterno": names[-1] if len(names) > 2 else "",
            "razonSocial": None,
            "eMail": mask_email(account.email),
        },
    }


def public_routes(portal: SiiPortal) -> list[BaseRoute]:
    """Routes for the public hosts (www, homer): home and the services pages."""

    def user(request: Request) -> Account | None:
        with portal.lock:
            return portal.model.account_of(session_token(request))

    async def home(request: Request) -> Response:
        return render("home.html", user=user(request))

    async def servicios(request: Request) -> Response:
        return render("servicios.html", user=user(request), services=SERVICES)

    async def factura(request: Request) -> Response:
        return render("factura.html", user=user(request), sections=FACTURA_SECTIONS)

    async def certificado(request: Request) -> Response:
        return render("certificado.html", user=user(request))

    return [
        Route("/", home),
        Route(urls.SERVICIOS_PATH, servicios),
        Route(urls.FACTURA_PATH, factura),
        Route(urls.CERTIFICADO_PATH, certificado),
    ]


def misii_routes(portal: SiiPortal) -> list[BaseRoute]:
    """Routes for Mi SII; without a session it sends the person to log in first."""

    async def siihome(request: Request) -> Response:
        token = session_token(request)
        with portal.lock:
            account = portal.model.account_of(token)
            notices = portal.model.take_modal(token or "") if account is not None else []
            auth_mode = portal.model.data.auth_mode.get(account.rut) if account else None
        if account is None:
            return redirect(urls.login_url(urls.MISII_URL))
        return render(
            "misii.html",
            user=account,
            rut_display=display_rut(account.rut),
            email_masked=mask_email(account.email),
            datos=datos_contribuyente(account),
            auth_mode=auth_mode,
            notices=notices,
        )

    async def root(request: Request) -> Response:
        return redirect(urls.MISII_URL)

    return [Route("/", root), Route(urls.MISII_PATH, siihome)]
