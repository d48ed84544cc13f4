"""The SUNAT mock's mutable state, as plain dataclasses (guarded by the portal's lock)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from portal_bot.mocks.sunat.catalog import ENDED_PSE


@dataclass
class Settings:
    """Scenario switches; see :func:`portal_bot.mocks.sunat.settings.apply`."""

    popups: str | list[str] = "random"
    captcha: str = "auto"
    captcha_window_s: int = 300
    rate_limit: int = 20
    menu_search_label: str = "auto"
    permission: bool = True
    registered: list[dict[str, str]] = field(default_factory=list)
    handler_delay_ms: int = 600
    dialect: int = 1


@dataclass
class LoginFlow:
    """One trip to the login page: the OAuth ``state`` SUNAT issues and later checks."""

    state: str
    original_url: str
    created: float
    captcha: str | None = None
    captcha_seq: int = 0
    flash: str | None = None
    ruc: str = ""
    usuario: str = ""
    used: bool = False


@dataclass
class AuthCode:
    """The one-time ``code`` handed from the login host to ``AutenticaMenuInternet.htm``."""

    code: str
    ruc: str
    usuario: str
    original_url: str
    created: float


@dataclass
class Session:
    """A logged-in SOL session, identified by the ``.sunat.gob.pe`` cookie."""

    token: str
    ruc: str
    usuario: str
    razon_social: str
    popups: list[str]
    popups_served: bool = False


@dataclass
class GridRow:
    """One row of the "COMUNICACION TERCERIZACIÓN CON PSE" grid."""

    ruc: str
    razon_social: str
    start_date: str
    end_date: str | None
    status: str


@dataclass
class Registration:
    """An accepted "Alta de autorización de PSE"."""

    ruc: str
    razon_social: str
    start_date: str
    registered_at: str


def ended_row() -> GridRow:
    ruc, name, start, end = ENDED_PSE
    return GridRow(ruc, name, start, end, "Baja")


@dataclass
class SunatData:
    """Everything the mock remembers between requests."""

    settings: Settings = field(default_factory=Settings)
    flows: dict[str, LoginFlow] = field(default_factory=dict)
    codes: dict[str, AuthCode] = field(default_factory=dict)
    sessions: dict[str, Session] = field(default_factory=dict)
    login_attempts: int = 0
    logins_ok: int = 0
    ok_times: dict[str, list[float]] = field(default_factory=dict)
    wrong_claves: dict[str, int] = field(default_factory=dict)
    locked: list[str] = field(default_factory=list)
    preset_rows: list[GridRow] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)
    rejections: list[dict[str, str]] = field(default_factory=list)
    popups_shown: list[str] = field(default_factory=list)
    captcha_seq: int = 0

    def grid(self) -> list[GridRow]:
        """The grid as the module shows it: the ended PSE, preset rows, then new ones."""
        added = [
            GridRow(r.ruc, r.razon_social, r.start_date, None, "Activo") for r in self.registrations
        ]
        return [ended_row(), *self.preset_rows, *added]

    def current_captcha(self) -> str | None:
        """The answer of the captcha issued last and still on screen, if any."""
        showing = [f for f in self.flows.values() if f.captcha is not None and not f.used]
        if not showing:
            return None
        return max(showing, key=lambda f: f.captcha_seq).captcha

    def snapshot(self) -> dict[str, Any]:
        return {
            "login_attempts": self.login_attempts,
            "logins_ok": self.logins_ok,
            "wrong_claves": dict(self.wrong_claves),
            "locked": list(self.locked),
            "submissions": len(self.registrations),
            "registrations": [asdict(r) for r in self.registrations],
            "grid": [asdict(row) for row in self.grid()],
            "rejections": [dict(r) for r in self.rejections],
            "challenges": {"captcha": self.current_captcha()},
            "popups_shown": list(self.popups_shown),
            "sessions": len(self.sessions),
            "settings": asdict(self.settings),
            "dialect": self.settings.dialect,
        }
