"""The SII mock's data: accounts, sessions, codes, and what was submitted."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from portal_bot.mocks.sii.rules import SANTIAGO


@dataclass
class Account:
    """A taxpayer with a Clave Tributaria [inv: invented people, valid RUTs]."""

    rut: str
    name: str
    clave: str
    email: str


def demo_accounts() -> dict[str, Account]:
    accounts = [
        Account("12345678-5", "MARÍA GONZÁLEZ PÉREZ", "sii-demo", "rgonzalez@empresa.cl"),
        Account("11111111-1", "JUAN PÉREZ SOTO", "prueba123", "jperez@correo.cl"),
    ]
    return {account.rut: account for account in accounts}


@dataclass
class Settings:
    """Scenario switches set through ``configure``."""

    code_ttl_s: int = 1800
    expire_codes: bool = False
    lock_after: int = 3
    login_modal: bool = True  # [src] Mi SII shows #ModalEmergente right after login
    dialect: int = 1

    def as_json(self) -> dict[str, Any]:
        return {
            "dialect": self.dialect,
            "code_ttl_s": self.code_ttl_s,
            "expire_codes": self.expire_codes,
            "lock_after": self.lock_after,
            "login_modal": self.login_modal,
        }


@dataclass
class PendingCode:
    code: str
    sent_at: datetime


@dataclass
class Mail:
    rut: str
    to: str
    code: str
    sent_at: datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "rut": self.rut,
            "to": self.to,
            "code": self.code,
            "sent_at": self.sent_at.astimezone(SANTIAGO).isoformat(),
        }


@dataclass
class Centralization:
    rut: str
    subject: str
    sha256: str
    not_after: datetime
    at: datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "rut": self.rut,
            "subject": self.subject,
            "sha256": self.sha256,
            "not_after": self.not_after.isoformat(),
            "at": self.at.astimezone(SANTIAGO).isoformat(),
        }


@dataclass
class Ticket:
    """Proof that a provisional code was accepted; lets one new clave be set."""

    rut: str
    issued_at: datetime


@dataclass
class SiiState:
    accounts: dict[str, Account] = field(default_factory=demo_accounts)
    settings: Settings = field(default_factory=Settings)
    login_attempts: int = 0
    submissions: int = 0
    clave_changes: int = 0
    code_attempts: int = 0  # provisional codes typed and sent, accepted or not
    sessions: dict[str, str] = field(default_factory=dict)  # token → rut
    wrong_claves: dict[str, int] = field(default_factory=dict)
    locked_until: dict[str, datetime] = field(default_factory=dict)
    codes: dict[str, PendingCode] = field(default_factory=dict)
    tickets: dict[str, Ticket] = field(default_factory=dict)
    mailbox: list[Mail] = field(default_factory=list)
    centralized: list[Centralization] = field(default_factory=list)
    auth_mode: dict[str, str] = field(default_factory=dict)
    secret_question: dict[str, str] = field(default_factory=dict)
    modal_shown: set[str] = field(default_factory=set)  # session tokens
