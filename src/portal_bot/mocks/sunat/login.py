"""Login rules of the SOL mock: OAuth state, captcha, lockout, rate limit.

Called with the portal's lock held; ``now`` is ``time.time()``.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from typing import Literal

from portal_bot.mocks.sunat import captcha
from portal_bot.mocks.sunat.catalog import ACCOUNTS, MENU_URL
from portal_bot.mocks.sunat.state import AuthCode, LoginFlow, SunatData

WRONG_CLAVE = "El usuario o la clave ingresada no es correcta."
LOCKED = (
    "Su usuario SOL ha sido bloqueado por exceder el número de intentos permitidos. "
    "Para desbloquearlo utilice la opción ¿Te olvidaste tu usuario o clave?"
)
WRONG_CAPTCHA = "El código de verificación ingresado es incorrecto"
STALE_STATE = (
    "Los parámetros de configuración de autenticación no coinciden por los generados por "
    "el sistema. Cierre la ventana y vuelva a ingresar."
)
RATE_LIMITED = (
    "Ha excedido el número de intentos permitidos. Por favor, espere unos minutos y "
    "vuelva a ingresar."
)

MAX_WRONG_CLAVES = 3
FLOW_TTL_S = 30 * 60
CODE_TTL_S = 60
RATE_WINDOW_S = 10 * 60


@dataclass(frozen=True)
class LoginForm:
    """What ``j_security_check`` receives."""

    state: str
    tipo: str
    ruc: str
    usuario: str
    dni: str
    clave: str
    captcha: str


@dataclass(frozen=True)
class LoginResult:
    """``ok`` carries a code; ``error`` goes back to the form; the others to the error page."""

    kind: Literal["ok", "error", "stale", "rate_limited"]
    message: str = ""
    code: str = ""


def start_flow(data: SunatData, original_url: str, now: float, rng: random.Random) -> LoginFlow:
    """A new login visit with a fresh random ``state``."""
    flow = LoginFlow(secrets.token_urlsafe(24), original_url, now)
    data.flows[flow.state] = flow
    if data.settings.captcha == "always":
        issue_captcha(data, flow, rng)
    return flow


def live_flow(data: SunatData, state: str, now: float) -> LoginFlow | None:
    flow = data.flows.get(state)
    if flow is None or flow.used or now - flow.created > FLOW_TTL_S:
        return None
    return flow


def issue_captcha(data: SunatData, flow: LoginFlow, rng: random.Random) -> None:
    data.captcha_seq += 1
    flow.captcha = captcha.new_answer(rng)
    flow.captcha_seq = data.captcha_seq


def _recent(times: list[float], window: float, now: float) -> int:
    return sum(1 for t in times if now - t <= window)


def captcha_needed(data: SunatData, flow: LoginFlow, ruc: str, now: float) -> bool:
    """Whether this RUC must answer a captcha on this visit."""
    mode = data.settings.captcha
    if mode != "auto":
        return mode == "always"
    window = data.settings.captcha_window_s
    return flow.captcha is not None or _recent(data.ok_times.get(ruc, []), window, now) > 0


def account_key(form: LoginForm) -> str:
    return f"DNI/{form.dni}" if form.tipo == "2" else f"{form.ruc}/{form.usuario}"


def submit(data: SunatData, form: LoginForm, now: float, rng: random.Random) -> LoginResult:
    """Judge one credential submission; every call counts as a login attempt."""
    data.login_attempts += 1
    flow = live_flow(data, form.state, now)
    if flow is None:
        return LoginResult("stale", STALE_STATE)
    flow.ruc, flow.usuario = form.ruc, form.usuario
    ruc = form.dni if form.tipo == "2" else form.ruc
    if captcha_needed(data, flow, ruc, now):
        if flow.captcha is None or form.captcha.strip().upper() != flow.captcha:
            issue_captcha(data, flow, rng)
            return LoginResult("error", WRONG_CAPTCHA)
        flow.captcha = None
    result = _check_credentials(data, form, now)
    if result.kind == "ok":
        flow.used = True
        code = AuthCode(secrets.token_urlsafe(18), form.ruc, form.usuario, flow.original_url, now)
        data.codes[code.code] = code
        return LoginResult("ok", code=code.code)
    if result.kind == "rate_limited":
        flow.used = True
    elif captcha_needed(data, flow, ruc, now):
        issue_captcha(data, flow, rng)
    return result


def _check_credentials(data: SunatData, form: LoginForm, now: float) -> LoginResult:
    key = account_key(form)
    if key in data.locked:
        return LoginResult("error", LOCKED)
    account = ACCOUNTS.get((form.ruc, form.usuario)) if form.tipo != "2" else None
    if account is None or account.clave != form.clave:
        wrong = data.wrong_claves.get(key, 0) + 1
        data.wrong_claves[key] = wrong
        if wrong >= MAX_WRONG_CLAVES:
            data.locked.append(key)
            return LoginResult("error", LOCKED)
        return LoginResult("error", WRONG_CLAVE)
    times = data.ok_times.setdefault(form.ruc, [])
    if _recent(times, RATE_WINDOW_S, now) >= data.settings.rate_limit:
        return LoginResult("rate_limited", RATE_LIMITED)
    times.append(now)
    data.logins_ok += 1
    data.wrong_claves.pop(key, None)
    return LoginResult("ok")


def redeem_code(data: SunatData, code: str, now: float) -> AuthCode | None:
    """The code's login, once; None when unknown, used or older than a minute."""
    found = data.codes.pop(code, None)
    if found is None or now - found.created > CODE_TTL_S:
        return None
    return found


def safe_original_url(url: str) -> str:
    """Only SUNAT addresses are accepted as ``originalUrl``."""
    if url.startswith("https://") and url.split("/")[2].endswith(".sunat.gob.pe"):
        return url
    return MENU_URL
