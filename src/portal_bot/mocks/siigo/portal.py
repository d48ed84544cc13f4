"""``SiigoPortal``: the three hosts, the state and the scenario switches."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, ClassVar

from starlette.routing import BaseRoute, Host, Router

from portal_bot.mocks.portal import MockPortal
from portal_bot.mocks.siigo.login import LoginPages
from portal_bot.mocks.siigo.nube import NubePages
from portal_bot.mocks.siigo.paperwork import PaperworkPages
from portal_bot.mocks.siigo.state import (
    DEFAULT_REJECTION,
    REQUEST_STATES,
    CertificateRequest,
    SiigoState,
    account_by_nit,
)
from portal_bot.mocks.siigo.tech_platform import PlatformPages
from portal_bot.mocks.siigo.validation import format_nit
from portal_bot.mocks.siigo.web import (
    DIALECTS,
    LOGIN_HOST,
    NUBE_HOST,
    PLATFORM_HOST,
    DialectApp,
)

SETTINGS = ("lend_certificate", "request_state", "observation", "paid", "dialect")


class SiigoPortal(MockPortal):
    """Siigo Nube and its plataforma tecnológica: "Activa tu certificado digital".

    See the package docstring for the screens, what is real and what is invented.
    """

    name: ClassVar[str] = "siigo"
    hosts: ClassVar[tuple[str, ...]] = (LOGIN_HOST, NUBE_HOST, PLATFORM_HOST)

    data: SiigoState
    dialect: int
    """The markup dialect every page is rendered in (1 = the real markup)."""

    def demo(self, flow_id: str, folder: Path) -> dict[str, str]:
        """The paid demo account, and a small signed letter made now as a real PDF."""
        from portal_bot.mocks.siigo.letter import build_pdf

        if flow_id != "co-siigo-certificado-digital":
            raise KeyError(flow_id)
        letter = folder / "carta-firmada.pdf"
        letter.write_bytes(build_pdf([("Carta de exoneración firmada", "Ana Pérez Gómez")]))
        return {
            "usuario": "demo@empresa.co",
            "clave_siigo": "siigo-demo",
            "nit": "900.123.456-8",
            "rep_nombre": "Ana Pérez Gómez",
            "rep_tipo_documento": "Cédula de ciudadanía",
            "rep_numero_documento": "52123456",
            "rep_email": "ana.perez@empresa.co",
            "rep_telefono": "3001234567",
            "carta_firmada": str(letter),
        }

    def routes(self) -> list[BaseRoute]:
        platform = PlatformPages(self).routes() + PaperworkPages(self).routes()
        return [
            Host(LOGIN_HOST, app=DialectApp(self, Router(routes=LoginPages(self).routes()))),
            Host(NUBE_HOST, app=DialectApp(self, Router(routes=NubePages(self).routes()))),
            Host(PLATFORM_HOST, app=DialectApp(self, Router(routes=platform))),
        ]

    def expire_sessions(self) -> None:
        with self.lock:
            self.data.sessions.clear()

    def reset(self) -> None:
        with self.lock:
            self.data = SiigoState()
            self.dialect = 1

    def state(self) -> dict[str, Any]:
        with self.lock:
            return {**self.data.to_json(), "dialect": self.dialect}

    def configure(self, settings: dict[str, Any]) -> None:
        """Apply scenario switches; every value is checked before any is applied.

        - ``lend_certificate`` (bool): "Verificar pago" shows Siigo's loan notice instead.
        - ``request_state`` ("En trámite" | "Rechazado" | "Completado") and
          ``observation`` (str): set on every request already sent and on later ones.
        - ``paid`` ({NIT: bool}): whether each company's certificate is paid.
        - ``dialect`` (1, 2 or 3): the markup every page is rendered in (see the package
          docstring); ``reset`` goes back to 1.
        """
        unknown = sorted(set(settings) - set(SETTINGS))
        if unknown:
            raise ValueError(f"siigo: ajuste desconocido: {', '.join(unknown)}")
        lend = settings.get("lend_certificate")
        if "lend_certificate" in settings and not isinstance(lend, bool):
            raise ValueError("siigo: lend_certificate debe ser true o false")
        state = settings.get("request_state")
        if "request_state" in settings and state not in REQUEST_STATES:
            raise ValueError(f"siigo: request_state debe ser uno de: {', '.join(REQUEST_STATES)}")
        observation = settings.get("observation")
        if "observation" in settings and not isinstance(observation, str):
            raise ValueError("siigo: observation debe ser un texto")
        paid = self._paid_setting(settings["paid"]) if "paid" in settings else {}
        dialect = settings.get("dialect")
        if "dialect" in settings and (isinstance(dialect, bool) or dialect not in DIALECTS):
            raise ValueError("siigo: dialect debe ser 1, 2 o 3")
        with self.lock:
            if isinstance(dialect, int):
                self.dialect = dialect
            current = self.data.settings
            if isinstance(lend, bool):
                current.lend_certificate = lend
            if isinstance(state, str):
                current.request_state = state
            if isinstance(observation, str):
                current.observation = observation
            current.paid.update(paid)
            if "request_state" in settings or "observation" in settings:
                for request in self.data.requests:
                    self.apply_request_settings(request)

    @staticmethod
    def _paid_setting(value: object) -> dict[str, bool]:
        if not isinstance(value, dict):
            raise ValueError("siigo: paid debe ser un objeto {NIT: true|false}")
        paid: dict[str, bool] = {}
        for key, flag in value.items():
            try:
                nit = format_nit(key)
            except ValueError:
                raise ValueError(f"siigo: NIT no válido en paid: {key!r}") from None
            if account_by_nit(nit) is None:
                raise ValueError(f"siigo: NIT sin cuenta de demostración: {nit}")
            if not isinstance(flag, bool):
                raise ValueError(f"siigo: paid[{key!r}] debe ser true o false")
            paid[nit] = flag
        return paid

    def apply_request_settings(self, request: CertificateRequest) -> None:
        """Give ``request`` the configured state; call with the lock held."""
        settings = self.data.settings
        request.state = settings.request_state
        request.observation = settings.observation
        if request.state == "Rechazado" and not request.observation:
            request.observation = DEFAULT_REJECTION
        if request.state == "Completado":
            request.test_set_id = request.test_set_id or str(uuid.uuid4())
        else:
            request.test_set_id = None
