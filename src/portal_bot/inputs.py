"""Input values: where they come from, and checking them before any browser starts.

Non-secret inputs come from ``--input NAME=VALUE``, a default, or a prompt. Secret inputs
come only from the environment (``PORTAL_BOT_SECRET_<NAME>``) or a hidden prompt, and are
removed from this process's environment once read, so that no child process inherits
them. Every value is normalised (a RUT becomes ``12345678-5``) so that flows can rely on
one spelling.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portal_bot.errors import InputError
from portal_bot.flow import Flow, Input

if TYPE_CHECKING:
    from portal_bot.secrets import SecretSource

SECRET_ENV_PREFIX = "PORTAL_BOT_SECRET_"
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)


@dataclass
class Values:
    """Every value a run substitutes, and which names are secret."""

    values: dict[str, str] = field(default_factory=dict)
    secrets: set[str] = field(default_factory=set)
    public: set[str] = field(default_factory=set)
    """The plain inputs the operator gave (``--input``, defaults): shown by design."""

    def public_values(self) -> set[str]:
        return {self.values[name] for name in self.public if self.values.get(name)}

    def secret_names(self) -> frozenset[str]:
        """The secret inputs and answers, and every other value that carries one of them
        in any letter case (a ``read`` of a field that held a secret), unless it is one
        of the plain inputs (SUNAT's demo user MODDATOS has the clave moddatos)."""
        from portal_bot.templating import carries

        secrets = [self.values[name] for name in self.secrets if self.values.get(name)]
        plain = self.public_values()
        derived = {
            name
            for name, value in self.values.items()
            if name not in self.secrets
            and name not in self.public
            and value not in plain
            and carries(value, secrets)
        }
        return frozenset(self.secrets | derived)

    def secret_values(self) -> dict[str, str]:
        return {name: self.values[name] for name in self.secret_names() if self.values.get(name)}

    def shown(self) -> dict[str, str]:
        """Values as they may appear in evidence: secrets masked."""
        hidden = self.secret_names()
        return {k: ("•••" if k in hidden else v) for k, v in self.values.items()}


def env_name(name: str) -> str:
    return SECRET_ENV_PREFIX + name.upper()


def parse_assignments(pairs: list[str]) -> dict[str, str]:
    """``NAME=VALUE`` options → dict; a malformed one is an :class:`InputError`."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise InputError(f"--input «{pair[:40]}»: use la forma NOMBRE=VALOR")
        out[name.strip()] = value
    return out


Ask = Callable[[str, Input, str], str | None]
"""Ask a human for an input: (name, spec, message) → answer, or None when nobody can answer."""


def collect(
    flow: Flow,
    given: Mapping[str, str],
    ask: Ask | None,
    environ: dict[str, str] | None = None,
    secrets: str | SecretSource = "env",
) -> Values:
    """Gather, check and normalise every input; raise :class:`InputError` with all problems.

    Secret inputs come from ``secrets``: ``"env"`` (``environ``, then a hidden prompt),
    ``"keyring"`` (the OS keyring only) or any :class:`~portal_bot.secrets.SecretSource`.
    """
    from portal_bot import secrets as secret_sources

    environ = os.environ if environ is None else environ  # type: ignore[assignment]
    assert environ is not None
    source = secret_sources.source(secrets, flow, environ) if isinstance(secrets, str) else secrets
    problems: list[str] = []
    answers = pre_answerable(flow)
    for name in given:
        if name not in flow.inputs and name not in answers:
            known = ", ".join([*flow.inputs, *answers]) or "ninguna"
            problems.append(f"--input {name}: el flujo no tiene esa entrada (tiene: {known})")
        elif name in flow.inputs and flow.inputs[name].type == "secret":
            problems.append(
                f"--input {name}: es un secreto y no se acepta en la línea de órdenes; "
                f"use la variable de entorno {env_name(name)} o déjelo en blanco para que se "
                "le pregunte sin mostrarlo"
            )
    if problems:
        raise InputError("\n".join(problems))
    result = Values()
    raw: dict[str, str] = {}
    for name, spec in flow.inputs.items():
        if spec.type == "secret":
            result.secrets.add(name)
            value = source.get(name, {**given, **raw})
        else:
            value = given.get(name, spec.default)
        if value is None and ask is not None and (spec.type != "secret" or source.asks):
            value = ask(name, spec, spec.prompt)
        if value is None or value == "":
            where = (
                source.missing(name, {**given, **raw})
                if spec.type == "secret"
                else f"indíquelo con --input {name}=VALOR"
            )
            problems.append(f"Falta «{name}» ({spec.prompt}): {where}")
            continue
        raw[name] = value
        if spec.type != "secret":
            result.public.add(name)
    for name, value in raw.items():
        try:
            result.values[name] = check(flow.inputs[name], value, raw)
        except InputError as exc:
            problems.append(f"«{name}» ({flow.inputs[name].prompt}): {exc}")
    for name, spec in answers.items():
        if name in given:
            try:
                result.values[name] = check(spec, given[name], raw)
                result.public.add(name)
            except InputError as exc:
                problems.append(f"«{name}» ({spec.prompt}): {exc}")
    if problems:
        raise InputError("\n".join(problems))
    return result


def pre_answerable(flow: Flow) -> dict[str, Input]:
    """Questions asked during the run that ``--input`` may answer in advance (not secrets)."""
    from portal_bot.flow import Ask as AskStep
    from portal_bot.flow import walk

    return {
        step.into: ask_spec(step)
        for step in walk(flow.steps)
        if isinstance(step, AskStep) and step.type != "secret"
    }


def ask_spec(step: Any) -> Input:
    """The input rules an ``ask`` step's answer must follow."""
    return Input(type=step.type, prompt=step.ask, formats=step.formats, max_bytes=step.max_bytes)


def check(spec: Input, value: str, others: Mapping[str, str]) -> str:
    """Validate one value; return its normal form or raise :class:`InputError`."""
    value = value.strip() if spec.type != "secret" else value
    checker = _CHECKERS.get(spec.type)
    if checker is not None:
        return checker(value)
    if spec.type == "file":
        return check_file(spec, value, others)
    return value


def _stdnum(module_name: str, label: str, example: str) -> Callable[[str], str]:
    def validate(value: str) -> str:
        import importlib

        module = importlib.import_module(f"stdnum.{module_name}")
        from stdnum.exceptions import InvalidChecksum, ValidationError

        try:
            compact: str = module.validate(value)
        except InvalidChecksum:
            raise InputError(
                f"el {label} «{value}» tiene el dígito verificador equivocado; revíselo"
            ) from None
        except ValidationError:
            raise InputError(f"«{value}» no es un {label} válido (ejemplo: {example})") from None
        if module_name in ("cl.rut", "co.nit"):
            return f"{compact[:-1]}-{compact[-1]}"
        return compact

    return validate


def _email(value: str) -> str:
    if not EMAIL.match(value):
        raise InputError(f"«{value}» no es un correo electrónico válido")
    return value


def _date(value: str) -> str:
    try:
        datetime.strptime(value, "%d/%m/%Y")
    except ValueError:
        raise InputError(f"«{value}» no es una fecha DD/MM/AAAA") from None
    return value


def _text(value: str) -> str:
    if not value:
        raise InputError("no puede estar vacío")
    return value


def _secret(value: str) -> str:
    # A clave of one or two characters is not a real one, and could not be told apart
    # from ordinary letters when the evidence is searched for it.
    if len(value) < 3:
        raise InputError("un secreto de menos de 3 caracteres no es una clave real; revíselo")
    return value


_CHECKERS: dict[str, Callable[[str], str]] = {
    "secret": _secret,
    "ruc": _stdnum("pe.ruc", "RUC", "20100066603"),
    "rut": _stdnum("cl.rut", "RUT", "12.345.678-5"),
    "nit": _stdnum("co.nit", "NIT", "900.123.456-8"),
    "email": _email,
    "date": _date,
    "text": _text,
}


def check_file(spec: Input, value: str, others: Mapping[str, str]) -> str:
    """A file input: it exists, has the right size, and really is what it must be."""
    path = Path(value).expanduser()
    if not path.is_file():
        raise InputError(f"no existe el archivo {path}")
    data = path.read_bytes()
    if spec.max_bytes is not None and len(data) > spec.max_bytes:
        raise InputError(
            f"el archivo pesa {_size(len(data))} y el máximo es {_size(spec.max_bytes)}; "
            "reduzca su tamaño (por ejemplo, escaneando en blanco y negro a 150 ppp)"
        )
    formats = spec.formats or []
    if "pdf" in formats and not data.startswith(b"%PDF-"):
        raise InputError(
            f"{path.name} no es un PDF de verdad (aunque se llame así); guárdelo como PDF"
        )
    if "pkcs12" in formats:
        _check_pkcs12(spec, data, others)
    return str(path.resolve())


def _check_pkcs12(spec: Input, data: bytes, others: Mapping[str, str]) -> None:
    from portal_bot import certificates

    password = others.get(spec.password_input or "", "")
    try:
        info = certificates.read_pkcs12(data, password)
    except certificates.CertificateError as exc:
        raise InputError(str(exc)) from None
    now = datetime.now(UTC)
    if not info.has_private_key:
        raise InputError("el certificado no trae su clave privada; pida el archivo .pfx completo")
    if info.not_after < now:
        raise InputError(
            f"el certificado venció el {info.not_after:%d/%m/%Y}; el cliente debe renovarlo"
        )
    if spec.rut_input and info.rut:
        expected = others.get(spec.rut_input, "")
        try:
            expected = _CHECKERS["rut"](expected)
        except InputError:
            return
        if info.rut != expected:
            raise InputError(
                f"el certificado es del RUT {info.rut}, no del RUT {expected} indicado; "
                "use el certificado del representante legal"
            )


def _size(n: int) -> str:
    return f"{n / 1_000_000:.2f} MB" if n >= 100_000 else f"{n / 1000:.0f} KB"
