"""The SII portal mock: its hosts, routes, state and scenario switches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

from starlette.routing import BaseRoute, Host, Router
from starlette.types import ASGIApp, Receive, Scope, Send

from portal_bot.mocks.portal import MockPortal
from portal_bot.mocks.sii import texts, urls
from portal_bot.mocks.sii.centralize import centralize_routes
from portal_bot.mocks.sii.login import login_routes
from portal_bot.mocks.sii.model import SiiModel
from portal_bot.mocks.sii.pages import DIALECT
from portal_bot.mocks.sii.public import misii_routes, public_routes
from portal_bot.mocks.sii.recovery import recovery_routes

_BOOL_SETTINGS = ("expire_codes", "login_modal")
_INT_SETTINGS = {"code_ttl_s": 1, "lock_after": 1}  # name → smallest accepted value
DIALECTS = (1, 2, 3)


class SiiPortal(MockPortal):
    """Chile's SII: login, Mi SII, centralizing a certificate, recovering the clave."""

    name: ClassVar[str] = "sii"
    hosts: ClassVar[tuple[str, ...]] = (
        urls.LOGIN_HOST,
        urls.MISII_HOST,
        *urls.PUBLIC_HOSTS,
        urls.RECOVERY_HOST,
        urls.CERT_HOST,
    )

    model: SiiModel

    def demo(self, flow_id: str, folder: Path) -> dict[str, str]:
        """The demo account; for centralizing, a test certificate made now for its RUT."""
        from portal_bot.certificates import make_pkcs12

        if flow_id == "cl-sii-autenticacion-certificado":
            return {
                "rut": "12.345.678-5",
                "nueva_clave": "NuevaCl24",
                "pregunta_secreta": texts.SECRET_QUESTIONS[1],
                "respuesta_secreta": "Valdivia",
            }
        if flow_id != "cl-sii-centralizar-certificado":
            raise KeyError(flow_id)
        now = datetime.now(UTC)
        certificate = folder / "certificado-demo.pfx"
        certificate.write_bytes(
            make_pkcs12(
                "12.345.678-5",
                "MARÍA GONZÁLEZ PÉREZ",
                "clave-del-pfx",
                not_before=now - timedelta(days=1),
                not_after=now + timedelta(days=365),
            )
        )
        return {
            "rut": "12.345.678-5",
            "clave_sii": "sii-demo",
            "certificado": str(certificate),
            "clave_certificado": "clave-del-pfx",
        }

    def expire_sessions(self) -> None:
        with self.lock:
            self.model.data.sessions.clear()
            self.model.data.tickets.clear()

    def reset(self) -> None:
        with self.lock:
            self.model = SiiModel()

    def state(self) -> dict[str, Any]:
        with self.lock:
            return self.model.snapshot(datetime.now(UTC))

    def configure(self, settings: dict[str, Any]) -> None:
        """Apply ``code_ttl_s``, ``expire_codes``, ``lock_after``, ``login_modal`` and
        ``dialect`` (1, 2 or 3: the markup every page is written in)."""
        known = set(_BOOL_SETTINGS) | set(_INT_SETTINGS) | {"dialect"}
        unknown = sorted(set(settings) - known)
        if unknown:
            raise ValueError(f"sii: ajuste desconocido: {', '.join(unknown)}")
        for key, value in settings.items():
            if key in _BOOL_SETTINGS and not isinstance(value, bool):
                raise ValueError(f"sii: «{key}» debe ser verdadero o falso")
            if key in _INT_SETTINGS and (
                isinstance(value, bool) or not isinstance(value, int) or value < _INT_SETTINGS[key]
            ):
                raise ValueError(
                    f"sii: «{key}» debe ser un entero mayor o igual a {_INT_SETTINGS[key]}"
                )
            if key == "dialect" and (isinstance(value, bool) or value not in DIALECTS):
                raise ValueError("sii: «dialect» debe ser 1, 2 o 3")
        with self.lock:
            for key, value in settings.items():
                setattr(self.model.data.settings, key, value)

    def routes(self) -> list[BaseRoute]:
        public = self._dialected(public_routes(self))
        return [
            Host(urls.LOGIN_HOST, app=self._dialected(login_routes(self))),
            Host(urls.MISII_HOST, app=self._dialected(misii_routes(self))),
            *(Host(host, app=public) for host in urls.PUBLIC_HOSTS),
            Host(urls.RECOVERY_HOST, app=self._dialected(recovery_routes(self))),
            Host(urls.CERT_HOST, app=self._dialected(centralize_routes(self))),
        ]

    def _dialected(self, routes: list[BaseRoute]) -> ASGIApp:
        """A router whose pages are written in the dialect configured now: the one place
        the dialect reaches the templates (``pages.render`` reads it)."""
        router = Router(routes=routes)

        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            with self.lock:
                dialect = self.model.data.settings.dialect
            token = DIALECT.set(dialect)
            try:
                await router(scope, receive, send)
            finally:
                DIALECT.reset(token)

        return app
