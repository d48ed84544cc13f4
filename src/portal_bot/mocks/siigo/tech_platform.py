"""``plataformatecnologica.siigo.com`` [inv]: access, the three steps, and step 1.

The platform opens on "Adquiere tu certificado digital" with the three steps at once
("Paga tu certificado", "Tramita tu certificado", "Haz seguimiento a tu trámite"), each
with its status and its own "Continuar" [src: Siigo's help pages]. Step 1's page shows
"Verificar pago" a moment after its title; the answer is a message with "Aceptar" when
the certificate is paid [src], "Comprar certificado digital" when it is not, or Siigo's
loan notice with "Entendido". Steps 2 and 3 live in ``paperwork.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from portal_bot.mocks.siigo.state import (
    CERTIFICATE_PRICE,
    CERTIFICATE_TOTAL,
    IVA_RATE,
    Payment,
    Session,
    SiigoState,
    timestamp,
)
from portal_bot.mocks.siigo.validation import PAYMENT_METHODS
from portal_bot.mocks.siigo.web import COOKIE, current_session, found, page, see_other, user_context

if TYPE_CHECKING:
    from portal_bot.mocks.siigo.portal import SiigoPortal

NO_ACCESS = (
    "El acceso a la plataforma tecnológica se realiza desde la opción de facturación "
    "electrónica que se encuentra en tu Siigo Nube."
)
BAD_LINK = "El enlace de acceso no es válido o ya fue utilizado."
NO_METHOD = "Selecciona un medio de pago"
ALREADY_PAID = "Tu certificado digital ya se encuentra pagado."
NO_REQUESTS = "Sin solicitudes"
"""[inv] Step 3's status before the first request."""
OVERVIEW = "/certificado-digital"


def pesos(amount: int) -> str:
    """Colombian money as the portal writes it: ``$ 250.000``."""
    return "$ " + f"{amount:,}".replace(",", ".")


def certificate_steps(data: SiigoState, nit: str) -> list[dict[str, str]]:
    """The three steps of "Adquiere tu certificado digital": title, status, text, page."""
    requests = data.requests_of(nit)
    paid = data.is_paid(nit) or data.settings.lend_certificate
    return [
        {
            "title": "Paga tu certificado",
            "status": "Completado" if paid else "Pendiente",
            "text": "Verifica el pago de tu certificado digital o cómpralo.",
            "href": f"{OVERVIEW}/paga-tu-certificado",
        },
        {
            "title": "Tramita tu certificado",
            "status": "Completado" if requests else "Pendiente",
            "text": "Registra al representante legal y adjunta la carta de exoneración firmada.",
            "href": f"{OVERVIEW}/tramita-tu-certificado",
        },
        {
            "title": "Haz seguimiento a tu trámite",
            "status": requests[-1].state if requests else NO_REQUESTS,
            "text": "Consulta el estado de tu solicitud ante la entidad certificadora.",
            "href": f"{OVERVIEW}/seguimiento",
        },
    ]


def platform_page(
    template: str, portal: SiigoPortal, session: Session, step: int = 0, **context: Any
) -> Response:
    """A plataforma tecnológica page with its header and, for ``step`` 1–3, the stepper."""
    with portal.lock:
        steps = certificate_steps(portal.data, session.nit)
    status_code = int(context.pop("status_code", 200))
    return page(
        template,
        status_code=status_code,
        **user_context(session),
        steps=steps,
        step=step,
        **context,
    )


def platform_session(portal: SiigoPortal, request: Request) -> Session | None:
    """The session, if this browser came in through Siigo Nube's one-time link."""
    with portal.lock:
        session = current_session(portal, request)
    return session if session is not None and session.platform else None


def no_access(message: str = NO_ACCESS) -> Response:
    return page("pt_sin_acceso.html", status_code=401, message=message)


class PlatformPages:
    def __init__(self, portal: SiigoPortal) -> None:
        self.portal = portal

    def routes(self) -> list[BaseRoute]:
        cd = "/certificado-digital"
        return [
            Route("/acceso", self.enter, methods=["GET"]),
            Route("/", self.root, methods=["GET"]),
            Route("/facturacion-electronica", self.root, methods=["GET"]),
            Route(cd, self.overview, methods=["GET"]),
            Route(f"{cd}/paga-tu-certificado", self.pay_step, methods=["GET"]),
            Route(f"{cd}/verificar-pago", self.verify, methods=["POST"]),
            Route(f"{cd}/comprar", self.offer, methods=["GET"]),
            Route(f"{cd}/comprar/pago", self.checkout, methods=["GET"]),
            Route(f"{cd}/comprar/pago", self.pay, methods=["POST"]),
            Route(f"{cd}/compra-terminada", self.paid, methods=["GET"]),
        ]

    async def enter(self, request: Request) -> Response:
        token = request.query_params.get("token", "")
        with self.portal.lock:
            owner = self.portal.data.tokens.pop(token, None)
            session_id = request.cookies.get(COOKIE, "")
            session = self.portal.data.sessions.get(session_id)
            if owner is None or owner != session_id or session is None:
                return no_access(BAD_LINK)
            session.platform = True
        return found(OVERVIEW)

    async def root(self, request: Request) -> Response:
        return found(OVERVIEW)

    async def overview(self, request: Request) -> Response:
        """The three steps at once, each with its status and its "Continuar"."""
        session = platform_session(self.portal, request)
        if session is None:
            return no_access()
        return platform_page("pt_certificado.html", self.portal, session)

    async def pay_step(self, request: Request) -> Response:
        session = platform_session(self.portal, request)
        if session is None:
            return no_access()
        return platform_page("pt_paga.html", self.portal, session, step=1)

    async def verify(self, request: Request) -> Response:
        session = platform_session(self.portal, request)
        if session is None:
            return JSONResponse({"error": NO_ACCESS}, status_code=401)
        with self.portal.lock:
            if self.portal.data.settings.lend_certificate:
                result = "prestamo"
            elif self.portal.data.is_paid(session.nit):
                result = "pagado"
            else:
                result = "pendiente"
        return JSONResponse({"resultado": result})

    def _offer_context(self) -> dict[str, Any]:
        iva = CERTIFICATE_TOTAL - CERTIFICATE_PRICE
        return {
            "price": pesos(CERTIFICATE_PRICE),
            "iva": pesos(iva),
            "iva_rate": IVA_RATE,
            "total": pesos(CERTIFICATE_TOTAL),
            "methods": PAYMENT_METHODS,
        }

    async def offer(self, request: Request) -> Response:
        session = platform_session(self.portal, request)
        if session is None:
            return no_access()
        with self.portal.lock:
            paid = self.portal.data.is_paid(session.nit)
        return platform_page(
            "pt_comprar.html", self.portal, session, step=1, paid=paid, **self._offer_context()
        )

    async def checkout(self, request: Request) -> Response:
        session = platform_session(self.portal, request)
        if session is None:
            return no_access()
        with self.portal.lock:
            paid = self.portal.data.is_paid(session.nit)
        return platform_page(
            "pt_pago.html",
            self.portal,
            session,
            step=1,
            paid=paid,
            error="",
            chosen="",
            **self._offer_context(),
        )

    async def pay(self, request: Request) -> Response:
        session = platform_session(self.portal, request)
        if session is None:
            return no_access()
        form = await request.form()
        method = str(form.get("medio_pago", ""))
        with self.portal.lock:
            data = self.portal.data
            paid = data.is_paid(session.nit)
            if not paid and method in PAYMENT_METHODS:
                reference = f"CD-{len(data.payments) + 1:06d}"
                payment = Payment(session.nit, CERTIFICATE_TOTAL, method, reference, timestamp())
                data.payments.append(payment)
                data.settings.paid[session.nit] = True
                data.submissions += 1
                return see_other("/certificado-digital/compra-terminada")
        return platform_page(
            "pt_pago.html",
            self.portal,
            session,
            step=1,
            status_code=409 if paid else 422,
            paid=paid,
            error="" if paid else NO_METHOD,
            chosen=method,
            **self._offer_context(),
        )

    async def paid(self, request: Request) -> Response:
        session = platform_session(self.portal, request)
        if session is None:
            return no_access()
        with self.portal.lock:
            mine = [p for p in self.portal.data.payments if p.nit == session.nit]
        if not mine:
            return found("/certificado-digital/comprar")
        return platform_page(
            "pt_compra_terminada.html",
            self.portal,
            session,
            step=1,
            payment=mine[-1],
            amount=pesos(mine[-1].amount),
        )
