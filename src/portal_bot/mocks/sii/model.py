"""What the SII mock does, without HTTP: log in, lock, centralize, recover a clave.

Every method takes ``now`` (an aware datetime) so tests can move the clock; the routes
pass the real one. Callers hold the portal's lock.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from portal_bot.certificates import (
    NoPrivateKey,
    NotACertificate,
    WrongCertificatePassword,
    read_pkcs12,
)
from portal_bot.mocks.sii import texts
from portal_bot.mocks.sii.rules import clave_problems, mask_email, new_code, parse_rut, same_code
from portal_bot.mocks.sii.state import (
    Account,
    Centralization,
    Mail,
    PendingCode,
    SiiState,
    Ticket,
)

LOCK_TIME = timedelta(hours=1)  # [src: "se bloquea por una hora"]
TICKET_TTL = timedelta(minutes=30)  # [inv]


class LoginResult(Enum):
    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"
    INCOMPLETE = "incomplete"


@dataclass(frozen=True)
class LoginOutcome:
    result: LoginResult
    token: str = ""
    rut: str = ""


@dataclass(frozen=True)
class ClaveForm:
    """What the last Recuperar Clave form sends."""

    new: str
    confirm: str
    question: str
    answer: str
    mode: str


class RecoveryError(Exception):
    """A step of Recuperar Clave refused; the message is what the page shows."""


class SiiModel:
    """The mock's behaviour over one :class:`SiiState`."""

    def __init__(self) -> None:
        self.data = SiiState()

    # -- login -------------------------------------------------------------------------

    def login(self, body: str, dv: str, clave: str, now: datetime) -> LoginOutcome:
        """One POST of the login form: every call counts as an attempt."""
        data = self.data
        data.login_attempts += 1
        if not body or not dv or not clave:
            return LoginOutcome(LoginResult.INCOMPLETE)
        rut = parse_rut(f"{body}-{dv}") or f"{body}-{dv}".upper()
        if self.is_locked(rut, now):
            return LoginOutcome(LoginResult.LOCKED, rut=rut)
        account = data.accounts.get(rut)
        if account is not None and secrets.compare_digest(account.clave, clave):
            data.wrong_claves.pop(rut, None)
            token = secrets.token_hex(16)
            data.sessions[token] = rut
            return LoginOutcome(LoginResult.OK, token=token, rut=rut)
        # Unknown RUTs get the same answer as a wrong clave [inv], so RUTs can't be probed.
        data.wrong_claves[rut] = data.wrong_claves.get(rut, 0) + 1
        if data.wrong_claves[rut] >= data.settings.lock_after:
            data.locked_until[rut] = now + LOCK_TIME
            return LoginOutcome(LoginResult.LOCKED, rut=rut)
        return LoginOutcome(LoginResult.WRONG, rut=rut)

    def is_locked(self, rut: str, now: datetime) -> bool:
        until = self.data.locked_until.get(rut)
        if until is None:
            return False
        if until <= now:  # the hour is over: a fresh count
            del self.data.locked_until[rut]
            self.data.wrong_claves.pop(rut, None)
            return False
        return True

    def session_rut(self, token: str | None) -> str | None:
        return self.data.sessions.get(token or "")

    def account_of(self, token: str | None) -> Account | None:
        rut = self.session_rut(token)
        return self.data.accounts.get(rut) if rut else None

    def logout(self, token: str | None) -> None:
        self.data.sessions.pop(token or "", None)

    def take_modal(self, token: str) -> list[tuple[str, str]]:
        """The notices Mi SII shows now (title, text), one after the other: once per
        session, when switched on. Their titles vary from one login to the next, and
        every other login brings a chain of two [inv]."""
        shown = self.data.modal_shown
        if not self.data.settings.login_modal or token in shown:
            return []
        first = len(shown) % len(texts.NOTICES)
        shown.add(token)
        chain = [texts.NOTICES[first]]
        if len(shown) % 2 == 1:
            chain.append(texts.NOTICES[(first + 1) % len(texts.NOTICES)])
        return chain

    # -- Centralizar certificado digital -----------------------------------------------

    def centralize(self, rut: str, pfx: bytes, password: str, now: datetime) -> str | None:
        """Store the certificate for ``rut``; return the page's error text, or None if OK."""
        if not pfx:
            return texts.CERT_MISSING_FILE
        if not password:
            return texts.CERT_MISSING_PASSWORD
        try:
            info = read_pkcs12(pfx, password, require_key=True)
        except WrongCertificatePassword:
            return texts.CERT_WRONG_PASSWORD
        except NotACertificate:
            return texts.CERT_NOT_PKCS12
        except NoPrivateKey:
            return texts.CERT_NO_KEY
        if info.is_expired(now):
            return texts.CERT_EXPIRED
        if info.rut != rut:
            return texts.CERT_OTHER_RUT
        self.data.centralized.append(
            Centralization(rut, info.subject_name, info.sha256, info.not_after, now)
        )
        self.data.submissions += 1
        return None

    def current_certificate(self, rut: str) -> Centralization | None:
        """The certificate centralized last for ``rut`` (each one replaces the one before)."""
        return next((item for item in reversed(self.data.centralized) if item.rut == rut), None)

    # -- Recuperar Clave ---------------------------------------------------------------

    def recovery_account(self, rut_text: str, clause: bool) -> Account:
        """The account named on the first recovery form, or RecoveryError."""
        if not rut_text.strip():
            raise RecoveryError(texts.RECOVERY_MISSING_RUT)
        rut = parse_rut(rut_text)
        if rut is None:
            raise RecoveryError(texts.RECOVERY_INVALID_RUT)
        if not clause:
            raise RecoveryError(texts.RECOVERY_MISSING_CLAUSE)
        account = self.data.accounts.get(rut)
        if account is None:
            raise RecoveryError(texts.RECOVERY_UNKNOWN_RUT)
        return account

    def has_code(self, rut: str, now: datetime) -> bool:
        """Whether a code e-mailed earlier may still be used (the page then offers to
        type it instead of sending another) [src: the "code exists" screen]."""
        pending = self.data.codes.get(rut)
        ttl = timedelta(seconds=self.data.settings.code_ttl_s)
        return pending is not None and now - pending.sent_at <= ttl

    def send_code(self, account: Account, now: datetime) -> str:
        """E-mail a new provisional code (replacing any earlier one); return the mask."""
        code = new_code()
        self.data.codes[account.rut] = PendingCode(code, now)
        self.data.mailbox.append(Mail(account.rut, account.email, code, now))
        return mask_email(account.email)

    def verify_code(self, rut: str, typed: str, now: datetime) -> str:
        """Accept the latest code for ``rut``; return a one-use ticket for the new clave.
        Every code sent counts as an attempt, like a password."""
        self.data.code_attempts += 1
        if not typed.strip():
            raise RecoveryError(texts.CODE_MISSING)
        pending = self.data.codes.get(rut)
        if pending is None or not same_code(typed, pending.code):
            raise RecoveryError(texts.CODE_INVALID)
        ttl = timedelta(seconds=self.data.settings.code_ttl_s)
        if self.data.settings.expire_codes or now - pending.sent_at > ttl:
            raise RecoveryError(texts.CODE_EXPIRED)
        del self.data.codes[rut]
        ticket = secrets.token_urlsafe(16)
        self.data.tickets[ticket] = Ticket(rut, now)
        return ticket

    def ticket_rut(self, ticket: str, now: datetime) -> str:
        found = self.data.tickets.get(ticket)
        if found is None or now - found.issued_at > TICKET_TTL:
            raise RecoveryError(texts.TICKET_EXPIRED)
        return found.rut

    def change_clave(self, ticket: str, form: ClaveForm, now: datetime) -> list[str]:
        """Set the new clave, the secret question and the way to enter the SII; return
        the problems, if any."""
        rut = self.ticket_rut(ticket, now)
        problems = clave_problems(form.new, form.confirm)
        if form.question not in texts.SECRET_QUESTIONS or not form.answer.strip():
            problems.append(texts.QUESTION_MISSING)
        if form.mode not in texts.AUTH_MODES:
            problems.append(texts.AUTH_MODE_MISSING)
        if problems:
            return problems
        data = self.data
        data.accounts[rut].clave = form.new
        data.auth_mode[rut] = form.mode
        data.secret_question[rut] = form.question
        data.clave_changes += 1
        data.submissions += 1
        del data.tickets[ticket]
        # A recovered clave also lifts a lock [inv]: that is what "Recuperar Clave" is for.
        data.locked_until.pop(rut, None)
        data.wrong_claves.pop(rut, None)
        return []

    # -- state -------------------------------------------------------------------------

    def snapshot(self, now: datetime) -> dict[str, Any]:
        data = self.data
        locked = sorted(rut for rut in list(data.locked_until) if self.is_locked(rut, now))
        return {
            "login_attempts": data.login_attempts,
            "submissions": data.submissions,
            "locked": locked,
            "wrong_claves": dict(sorted(data.wrong_claves.items())),
            "centralized": [item.as_json() for item in data.centralized],
            "clave_changes": data.clave_changes,
            "code_attempts": data.code_attempts,
            "auth_mode": dict(sorted(data.auth_mode.items())),
            "secret_question": dict(sorted(data.secret_question.items())),
            "mailbox": [mail.as_json() for mail in data.mailbox],
            "challenges": {"codes": {rut: p.code for rut, p in sorted(data.codes.items())}},
            "sessions": sorted(set(data.sessions.values())),
            "settings": data.settings.as_json(),
            "dialect": data.settings.dialect,
        }
