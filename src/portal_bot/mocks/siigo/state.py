"""What the Siigo mock remembers: demo accounts, sessions and what each company sent."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

BOGOTA = ZoneInfo("America/Bogota")

REQUEST_STATES = ("En trámite", "Rechazado", "Completado")
DEFAULT_REJECTION = (
    "La carta de exoneración no está firmada por el representante legal. "
    "Adjunta nuevamente el documento firmado y escaneado."
)

CERTIFICATE_PRICE = 250_000
"""Price of the digital certificate in pesos, before IVA [inv]."""
IVA_RATE = 19
CERTIFICATE_TOTAL = CERTIFICATE_PRICE * (100 + IVA_RATE) // 100


def now_bogota() -> datetime:
    """The real clock in Bogotá time, which is what the portal shows and stores."""
    return datetime.now(BOGOTA)


def timestamp() -> str:
    return now_bogota().isoformat(timespec="seconds")


@dataclass(frozen=True)
class Account:
    """A Siigo Nube user and the company it administers."""

    email: str
    password: str
    nit: str
    company: str
    person_type: str
    user_name: str
    paid: bool
    """Whether the company's certificate is already paid when the mock starts."""
    contact_email: str
    """The company's own e-mail, pre-filled (and editable) in "Datos de la empresa"."""
    contact_phone: str


ACCOUNTS: tuple[Account, ...] = (
    Account(
        email="demo@empresa.co",
        password="siigo-demo",
        nit="900.123.456-8",
        company="EMPRESA DEMO S.A.S.",
        person_type="Jurídica",
        user_name="Administrador Demo",
        paid=True,
        contact_email="contabilidad@empresademo.co",
        contact_phone="6017425000",
    ),
    Account(
        email="pendiente@empresa.co",
        password="siigo-demo",
        nit="901.234.567-7",
        company="COMERCIALIZADORA PENDIENTE S.A.S.",
        person_type="Jurídica",
        user_name="Administrador Pendiente",
        paid=False,
        contact_email="gerencia@pendiente.co",
        contact_phone="6044448899",
    ),
)


def account_by_email(email: str) -> Account | None:
    wanted = email.strip().lower()
    return next((a for a in ACCOUNTS if a.email == wanted), None)


def account_by_nit(nit: str) -> Account | None:
    return next((a for a in ACCOUNTS if a.nit == nit), None)


@dataclass
class Session:
    """One browser's login, shared by every ``*.siigo.com`` host through its cookie."""

    email: str
    nit: str
    platform: bool = False
    """Set once the browser came into the plataforma tecnológica through its one-time link."""


@dataclass
class Payment:
    nit: str
    amount: int
    method: str
    reference: str
    at: str


@dataclass
class Representative:
    """What "Descargar carta" saved: the person type and the legal representative."""

    person_type: str
    full_name: str
    document_type: str
    document_number: str
    email: str
    phone: str
    at: str


@dataclass
class CompanyContact:
    """The company's own e-mail and phone as "Descargar carta" saved them."""

    email: str
    phone: str


@dataclass
class Letter:
    """The signed exoneration letter currently attached (removed by "Eliminar")."""

    filename: str
    size: int
    sha256: str


@dataclass
class CertificateRequest:
    nit: str
    state: str
    observation: str
    at: str
    test_set_id: str | None = None


@dataclass
class Settings:
    """Scenario switches set through ``configure``."""

    lend_certificate: bool = False
    request_state: str = "En trámite"
    observation: str = ""
    paid: dict[str, bool] = field(default_factory=lambda: {a.nit: a.paid for a in ACCOUNTS})


@dataclass
class SiigoState:
    login_attempts: int = 0
    submissions: int = 0
    letters_downloaded: int = 0
    payments: list[Payment] = field(default_factory=list)
    representative: dict[str, Representative] = field(default_factory=dict)
    company_contact: dict[str, CompanyContact] = field(default_factory=dict)
    letter: dict[str, Letter] = field(default_factory=dict)
    requests: list[CertificateRequest] = field(default_factory=list)
    settings: Settings = field(default_factory=Settings)
    sessions: dict[str, Session] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    """One-time tokens for the plataforma tecnológica, each to the session it was made for."""
    codes: dict[str, str] = field(default_factory=dict)
    """One-time sign-in codes from B2C to Siigo Nube, each to the account's e-mail."""

    def is_paid(self, nit: str) -> bool:
        return self.settings.paid.get(nit, False)

    def requests_of(self, nit: str) -> list[CertificateRequest]:
        return [r for r in self.requests if r.nit == nit]

    def to_json(self) -> dict[str, Any]:
        return {
            "login_attempts": self.login_attempts,
            "submissions": self.submissions,
            "payments": [asdict(p) for p in self.payments],
            "representative": {nit: asdict(r) for nit, r in self.representative.items()},
            "company_contact": {nit: asdict(c) for nit, c in self.company_contact.items()},
            "letters_downloaded": self.letters_downloaded,
            "letter": {nit: asdict(letter) for nit, letter in self.letter.items()},
            "requests": [asdict(r) for r in self.requests],
            "challenges": {},
            "settings": asdict(self.settings),
        }
