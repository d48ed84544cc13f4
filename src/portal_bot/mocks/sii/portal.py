"""The SII portal mock: its hosts, routes, state and scenario switches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

from starlette.routing import BaseRoute, Host, Router

from portal_bot.mocks.portal import MockPortal
from portal_bot.mocks.sii import urls
from portal_bot.mocks.sii.centralize import centralize_routes
from portal_bot.mocks.sii.login import login_routes
from portal_bot.mocks.sii.model import SiiModel
from portal_bot.mocks.sii.public import misii_routes, public_routes
from portal_bot.mocks.sii.recovery import recovery_routes

_BOOL_SETTINGS = ("expire_codes", "login_modal")
_INT_SETTINGS = {"code_ttl_s": 1, "lock_after": 1}  # name → smallest accepted value


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
            return {"rut": "12.345.678-5", "nueva_clave": "Nueva2026"}
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
        """Apply ``code_ttl_s``, ``expire_codes``, ``lock_after`` and ``login_modal``."""
        known = set(_BOOL_SETTINGS) | set(_INT_SETTINGS)
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
        with self.lock:
            for key, value in settings.items():
                setattr(self.model.data.settings, key, value)

    def routes(self) -> list[BaseRoute]:
        public = Router(routes=public_routes(self))
        return [
            Host(urls.LOGIN_HOST, app=Router(routes=login_routes(self))),
            Host(urls.MISII_HOST, app=Router(routes=misii_routes(self))),
            *(Host(host, app=public) for host in urls.PUBLIC_HOSTS),
            Host(urls.RECOVERY_HOST, app=Router(routes=recovery_routes(self))),
            Host(urls.CERT_HOST, app=Router(routes=centralize_routes(self))),
        ]
