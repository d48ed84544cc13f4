"""Where a run's secret inputs come from: the environment, or the OS keyring.

- :class:`EnvSecrets` (``--secrets env``, the default): ``PORTAL_BOT_SECRET_<NAME>``,
  popped from the environment once read, else a hidden prompt.
- :class:`KeyringSecrets` (``--secrets keyring``): the operating system's keyring (Windows
  Credential Manager, macOS Keychain, Secret Service on Linux), through ``keyring``.

Keyring entries live under the service ``portal-bot``. A flow with a tax-id input (its
first ``ruc``, ``rut`` or ``nit`` input) keeps one value per taxpayer: the entry of
``clave_sol`` for RUC 20100066603 is ``clave_sol@20100066603``, stored with
``portal-bot secrets set clave_sol --account 20100066603``. A flow without a tax-id input
uses the bare name. There is no fallback from one to the other, so one customer's clave
is never tried on another customer's account (portals lock accounts after a few wrong
passwords). Accounts are compared with their punctuation removed: ``12.345.678-5`` and
``12345678-5`` are the same RUT.

Only a keyring the ``keyring`` library recommends is used (priority 1 or more; never the
``fail``/``null`` stand-ins nor a plain-text file): without one a run stops with exit 2 and
says what to do. There is no plain-text fallback. Secret values never appear in messages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

from portal_bot.errors import UsageError
from portal_bot.inputs import env_name

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

    from portal_bot.flow import Flow

SERVICE = "portal-bot"
"""The keyring service every entry of portal-bot is stored under."""
TAX_ID_TYPES = ("ruc", "rut", "nit")
KINDS = ("env", "keyring")
MASK = "•••"

NO_KEYRING = (
    "No hay un llavero del sistema seguro para los secretos ({why}). "
    "Use el Administrador de credenciales de Windows, el Llavero de macOS o, en Linux, "
    "instale y desbloquee un llavero Secret Service (GNOME Keyring o KWallet). "
    "Sin llavero, no use --secrets keyring: entregue cada secreto en la variable de entorno "
    "PORTAL_BOT_SECRET_<NOMBRE> (por ejemplo PORTAL_BOT_SECRET_CLAVE_SOL) o escríbalo cuando "
    "se le pregunte. portal-bot nunca guarda secretos en un archivo de texto."
)


class KeyringUnavailable(UsageError):
    """No secure keyring, or it refused to answer (locked, no D-Bus…): exit 2."""


class SecretSource(Protocol):
    """Gives the value of a flow's secret input, or None when it has none."""

    asks: bool
    """May a hidden prompt be tried when this source has no value?"""

    def get(self, name: str, known: Mapping[str, str]) -> str | None:
        """The secret ``name``; ``known`` holds the non-secret inputs read so far."""

    def missing(self, name: str, known: Mapping[str, str]) -> str:
        """How to provide ``name`` (after «Falta «name» (prompt): »)."""


HANDED: dict[str, str] = {}
"""``PORTAL_BOT_SECRET_*`` handed over through a pipe when the process started itself
again without them in its environment (``handover.main``)."""
HANDOVER_FD = "PORTAL_BOT_SECRETS_FD"


def receive_handed(fd: str) -> None:
    """Read the secrets the process before ``execve`` left in the pipe ``fd`` (see
    ``handover.main``) into :data:`HANDED`, never into the environment."""
    import json
    import os

    with os.fdopen(int(fd), "rb") as pipe:
        HANDED.update(json.loads(pipe.read() or b"{}"))


class EnvSecrets:
    """``PORTAL_BOT_SECRET_<NAME>``, removed from ``environ`` as soon as it is read (or
    handed over through a pipe: see :data:`HANDED`)."""

    asks = True

    def __init__(self, environ: dict[str, str]) -> None:
        self.environ = environ

    def get(self, name: str, known: Mapping[str, str]) -> str | None:
        value = self.environ.pop(env_name(name), None)
        handed = HANDED.pop(env_name(name), None)
        return value if value is not None else handed

    def missing(self, name: str, known: Mapping[str, str]) -> str:
        return f"indíquelo con la variable de entorno {env_name(name)}"


def tax_id_input(flow: Flow) -> str | None:
    """The flow's first ``ruc``/``rut``/``nit`` input: whose secrets these are."""
    return next((n for n, spec in flow.inputs.items() if spec.type in TAX_ID_TYPES), None)


def canonical_account(account: str) -> str:
    """``12.345.678-5`` → ``123456785``: only letters and digits, upper case."""
    canonical = re.sub(r"[^0-9A-Za-z]", "", account).upper()
    if not canonical:
        raise UsageError(f"--account «{account[:40]}»: indique un RUC, RUT o NIT")
    return canonical


def entry(name: str, account: str | None) -> str:
    """The keyring user name of secret ``name`` (for ``account``, when scoped)."""
    return name if account is None else f"{name}@{canonical_account(account)}"


def _why_insecure(backend: KeyringBackend) -> str | None:
    """Why ``backend`` must not hold secrets, or None when it is a recommended one."""
    from keyring.backends import chainer, fail, null

    kind = type(backend)
    label = f"{kind.__module__}.{kind.__name__}"
    if isinstance(backend, fail.Keyring | null.Keyring):
        return "no se encontró ninguno"
    if kind.__module__.startswith("keyrings.alt") or "plaintext" in kind.__name__.lower():
        return f"«{label}» guarda las claves en un archivo, sin la protección del sistema"
    if isinstance(backend, chainer.ChainerBackend):
        members = list(backend.backends)
        if not members:
            return "no se encontró ninguno"
        for member in members:
            why = _why_insecure(member)
            if why is not None:
                return why
        return None
    try:
        priority = float(kind.priority)
    except Exception:  # a backend says it is not viable by raising from priority
        return f"«{label}» no funciona en este equipo"
    if priority < 1:
        return f"«{label}» no es un llavero recomendado (prioridad {priority:g})"
    return None


def usable_keyring() -> KeyringBackend:
    """The OS keyring, or :class:`KeyringUnavailable` saying what to do instead."""
    import keyring

    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # a broken keyring configuration file, a missing module…
        raise KeyringUnavailable(NO_KEYRING.format(why=type(exc).__name__)) from None
    why = _why_insecure(backend)
    if why is not None:
        raise KeyringUnavailable(NO_KEYRING.format(why=why))
    return backend


def _failed(action: str, exc: Exception, value: str | None = None) -> KeyringUnavailable:
    from keyring.errors import KeyringLocked

    if isinstance(exc, KeyringLocked):
        return KeyringUnavailable(
            f"No se pudo {action}: el llavero del sistema está bloqueado; "
            "desbloquéelo e intente de nuevo."
        )
    detail = f"{type(exc).__name__}: {exc}"
    if value:
        detail = detail.replace(value, MASK)
    return KeyringUnavailable(f"No se pudo {action} en el llavero del sistema ({detail}).")


def read(name: str, account: str | None) -> str | None:
    backend = usable_keyring()
    try:
        return backend.get_password(SERVICE, entry(name, account))
    except Exception as exc:  # whatever the backend raises (D-Bus, locked, cancelled)
        raise _failed(f"leer «{entry(name, account)}»", exc) from None


def store(name: str, account: str | None, value: str) -> str:
    """Save ``value``; return the entry's name."""
    backend = usable_keyring()
    user = entry(name, account)
    try:
        backend.set_password(SERVICE, user, value)
    except Exception as exc:
        raise _failed(f"guardar «{user}»", exc, value) from None
    return user


def delete(name: str, account: str | None) -> bool:
    """Remove the entry; False when there was none."""
    backend = usable_keyring()
    user = entry(name, account)
    if read(name, account) is None:
        return False
    try:
        backend.delete_password(SERVICE, user)
    except Exception as exc:
        raise _failed(f"borrar «{user}»", exc) from None
    return True


class KeyringSecrets:
    """Secrets from the OS keyring, per taxpayer when the flow has a tax-id input."""

    asks = False

    def __init__(self, flow: Flow) -> None:
        self.flow = flow
        self.tax_id = tax_id_input(flow)

    def account(self, known: Mapping[str, str]) -> str | None:
        if self.tax_id is None:
            return None
        value = (known.get(self.tax_id) or "").strip()
        return value if re.search(r"[0-9A-Za-z]", value) else None

    def get(self, name: str, known: Mapping[str, str]) -> str | None:
        account = self.account(known)
        if self.tax_id is not None and account is None:
            return None
        return read(name, account)

    def missing(self, name: str, known: Mapping[str, str]) -> str:
        account = self.account(known)
        if self.tax_id is None:
            return f"no está en el llavero del sistema; guárdelo con: portal-bot secrets set {name}"
        label = self.flow.inputs[self.tax_id].type.upper()
        if account is None:
            return f"el llavero lo guarda por {label}; indique antes --input {self.tax_id}={label}"
        return (
            f"no está en el llavero del sistema para el {label} {account}; guárdelo con: "
            f"portal-bot secrets set {name} --account {account}"
        )


def source(kind: str, flow: Flow, environ: dict[str, str]) -> SecretSource:
    """The :class:`SecretSource` for ``--secrets KIND``."""
    if kind == "env":
        return EnvSecrets(environ)
    if kind == "keyring":
        return KeyringSecrets(flow)
    raise UsageError(f"--secrets admite {' o '.join(KINDS)}")
