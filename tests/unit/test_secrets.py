"""Secret sources: the environment and the OS keyring (an in-memory keyring here)."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO

import keyring
import keyring.backend
import pytest
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringError, KeyringLocked
from rich.console import Console

from portal_bot import secrets
from portal_bot.errors import InputError, UsageError
from portal_bot.inputs import collect
from portal_bot.prompt import new_secret
from tests.conftest import flow

SUNAT = flow("pe-sunat-pse-alta")
SII = flow("cl-sii-centralizar-certificado")
GIVEN = {"ruc": "20100066603", "usuario_sol": "MODDATOS"}


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A recommended keyring that lives in a dict (the tests' OS keyring)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.entries[(service, username)]


@pytest.fixture
def memory() -> Iterator[MemoryKeyring]:
    yield from use(MemoryKeyring())


def use(backend: keyring.backend.KeyringBackend) -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield backend  # type: ignore[misc]
    finally:
        keyring.set_keyring(before)


def test_scoped_entry_is_found_by_the_flows_tax_id(memory: MemoryKeyring) -> None:
    memory.set_password("portal-bot", "clave_sol@20100066603", "moddatos")
    environ = {"PORTAL_BOT_SECRET_CLAVE_SOL": "desde-el-entorno"}

    values = collect(SUNAT, GIVEN, None, environ, "keyring")

    assert values.values["clave_sol"] == "moddatos"
    assert values.secrets == {"clave_sol"}


def test_account_spellings_are_the_same_entry(memory: MemoryKeyring) -> None:
    assert secrets.entry("clave_sii", "12.345.678-5") == "clave_sii@123456785"
    assert secrets.entry("clave_sii", "12345678-5") == secrets.entry("clave_sii", "123456785")
    assert secrets.entry("x", "12.345.678-k") == "x@12345678K"
    with pytest.raises(UsageError, match="indique un RUC"):
        secrets.entry("x", " - ")


def test_missing_secret_names_the_command_to_store_it(memory: MemoryKeyring) -> None:
    memory.set_password("portal-bot", "clave_sol", "sin-contribuyente")
    memory.set_password("portal-bot", "clave_sol@20600337832", "de-otro-cliente")
    asked: list[str] = []

    with pytest.raises(InputError) as caught:
        collect(SUNAT, GIVEN, lambda n, s, m: asked.append(n) or "x", {}, "keyring")

    assert str(caught.value) == (
        "Falta «clave_sol» (Clave SOL): no está en el llavero del sistema para el RUC "
        "20100066603; guárdelo con: portal-bot secrets set clave_sol --account 20100066603"
    )
    assert asked == [], "keyring mode never falls back to a prompt"


def test_a_flow_needing_two_secrets_reports_both(memory: MemoryKeyring) -> None:
    given = {"rut": "12.345.678-5", "certificado": "/no/existe.pfx"}
    memory.set_password("portal-bot", "clave_sii@123456785", "sii-demo")

    with pytest.raises(InputError) as caught:
        collect(SII, given, None, {}, "keyring")

    message = str(caught.value)
    assert "portal-bot secrets set clave_certificado --account 12.345.678-5" in message
    assert "clave_sii" not in message


def test_tax_id_not_given_says_to_give_it_first(memory: MemoryKeyring) -> None:
    with pytest.raises(InputError, match=r"lo guarda por RUC; indique antes --input ruc=RUC"):
        collect(SUNAT, {"usuario_sol": "MODDATOS"}, None, {}, "keyring")


class PlaintextKeyring(keyring.backend.KeyringBackend):
    """Stands for keyrings.alt.file.PlaintextKeyring (priority 0.5 like the real one)."""

    __module__ = "keyrings.alt.file"
    priority = 0.5  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise AssertionError("a plain-text keyring must never be read")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise AssertionError("a plain-text keyring must never be written")

    def delete_password(self, service: str, username: str) -> None:
        raise AssertionError("never")


class LowPriorityKeyring(PlaintextKeyring):
    priority = 0.9  # type: ignore[assignment]


@pytest.mark.parametrize(
    ("backend", "why"),
    [
        (fail.Keyring(), "no se encontró ninguno"),
        (null.Keyring(), "no se encontró ninguno"),
        (PlaintextKeyring(), "«keyrings.alt.file.PlaintextKeyring» guarda las claves en un"),
        (LowPriorityKeyring(), "no es un llavero recomendado (prioridad 0.9)"),
    ],
    ids=["fail", "null", "plaintext", "low-priority"],
)
def test_an_unusable_keyring_is_refused_without_fallback(
    backend: keyring.backend.KeyringBackend, why: str
) -> None:
    environ = {"PORTAL_BOT_SECRET_CLAVE_SOL": "desde-el-entorno"}
    for _ in use(backend):
        with pytest.raises(secrets.KeyringUnavailable) as caught:
            collect(SUNAT, GIVEN, lambda n, s, m: "tecleado", environ, "keyring")
        with pytest.raises(secrets.KeyringUnavailable):
            secrets.store("clave_sol", "20100066603", "nunca-en-texto-plano")
    message = str(caught.value)
    assert caught.value.exit_code == 2
    assert why in message
    assert "PORTAL_BOT_SECRET_<NOMBRE>" in message
    assert "nunca guarda secretos en un archivo de texto" in message


def test_an_empty_chainer_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyring.backend, "_limit", lambda backend: False)
    for _ in use(chainer.ChainerBackend()):
        with pytest.raises(secrets.KeyringUnavailable, match="no se encontró ninguno"):
            secrets.usable_keyring()


def test_a_chainer_of_good_keyrings_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        chainer.ChainerBackend, "backends", [MemoryKeyring(), MemoryKeyring()], raising=False
    )
    for backend in use(chainer.ChainerBackend()):
        assert secrets.usable_keyring() is backend


class BrokenKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("Collection is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringError(f"no se pudo escribir {password!r}")


def test_keyring_errors_are_exit_2_and_never_quote_the_value() -> None:
    for _ in use(BrokenKeyring()):
        with pytest.raises(secrets.KeyringUnavailable, match="está bloqueado"):
            collect(SUNAT, GIVEN, None, {}, "keyring")
        with pytest.raises(secrets.KeyringUnavailable) as caught:
            secrets.store("clave_sol", None, "valor-muy-secreto")
    assert "valor-muy-secreto" not in str(caught.value)
    assert "•••" in str(caught.value)


def test_env_source_is_unchanged_and_pops_the_variable() -> None:
    environ = {"PORTAL_BOT_SECRET_CLAVE_SOL": "moddatos", "OTRA": "1"}

    values = collect(SUNAT, GIVEN, None, environ)

    assert values.values["clave_sol"] == "moddatos"
    assert environ == {"OTRA": "1"}


def test_store_read_delete(memory: MemoryKeyring) -> None:
    assert secrets.store("clave_sol", "20100066603", "moddatos") == "clave_sol@20100066603"
    assert secrets.read("clave_sol", "20100066603") == "moddatos"
    assert secrets.read("clave_sol", None) is None
    assert secrets.delete("clave_sol", "20100066603") is True
    assert secrets.delete("clave_sol", "20100066603") is False
    assert memory.entries == {}


class FakeTerminal(StringIO):
    def isatty(self) -> bool:
        return True


def test_new_secret_at_a_terminal_is_typed_twice_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    typed = iter(["uno", "otro", "", "", "moddatos", "moddatos"])
    hidden: list[str] = []

    def getpass(prompt: str = "", stream: object = None) -> str:
        hidden.append(prompt)
        return next(typed)

    monkeypatch.setattr("getpass.getpass", getpass)
    console = Console(file=StringIO(), width=100)

    assert new_secret(console, "Clave SOL", FakeTerminal()) == "moddatos"
    assert len(hidden) == 6
    shown = console.file.getvalue()  # type: ignore[attr-defined]
    assert "No coinciden" in shown
    assert "Está vacía" in shown
    assert "moddatos" not in shown


def test_new_secret_gives_up_after_three_mismatches(monkeypatch: pytest.MonkeyPatch) -> None:
    typed = iter(["a", "b"] * 3)
    monkeypatch.setattr("getpass.getpass", lambda prompt="", stream=None: next(typed))

    with pytest.raises(UsageError, match="No se guardó nada"):
        new_secret(Console(file=StringIO()), "Clave SOL", FakeTerminal())


def test_new_secret_from_a_pipe_takes_one_line() -> None:
    assert new_secret(Console(file=StringIO()), "x", StringIO("moddatos\r\nresto\n")) == "moddatos"
    with pytest.raises(UsageError, match="No se recibió"):
        new_secret(Console(file=StringIO()), "x", StringIO(""))
