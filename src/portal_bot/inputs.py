"""Input values: where they come from, and checking them before any browser starts.

Non-secret inputs come from ``--input NAME=VALUE``, a default, or a prompt. Secret inputs
come only from the environment (``PORTAL_BOT_SECRET_<NAME>``) or a hidden prompt, and are
removed from this process's environment once read, so that no child process inherits
them. Every value is normalised (a RUT becomes ``12345678-5``, «CC» becomes «Cédula de
ciudadanía») so that flows can rely on one spelling, and checked against the flow's rules
(``choices``, ``pattern``, lengths). A value that breaks them is asked again when a
person can answer, else refused; every refusal names the input, the rule and an example.
A secret's value is never shown.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portal_bot.errors import InputError
from portal_bot.flow import Flow, Input

if TYPE_CHECKING:
    from portal_bot.prompt import Prompter
    from portal_bot.secrets import SecretSource

SECRET_ENV_PREFIX = "PORTAL_BOT_SECRET_"
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)


@dataclass
class Values:
    """Every value a run substitutes, and which names are secret."""

    values: dict[str, str] = field(default_factory=dict)
    secrets: set[str] = field(default_factory=set)

    def secret_values(self) -> dict[str, str]:
        return {name: self.values[name] for name in self.secrets if self.values.get(name)}

    def shown(self) -> dict[str, str]:
        """Values as they may appear in evidence: secrets masked."""
        return {k: ("•••" if k in self.secrets else v) for k, v in self.values.items()}


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

ASK_TRIES = 3
"""Times a person is asked for a value that breaks its rules before the run is refused."""


def asking(prompter: Prompter) -> Ask:
    """Ask for inputs through a run's prompter (hidden for secrets)."""
    from portal_bot.prompt import Question

    def ask(name: str, spec: Input, message: str) -> str | None:
        return prompter.ask(Question(message, secret=spec.type == "secret"))

    return ask


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
    With ``ask`` (a person can answer), a missing value is asked for, and a value that
    breaks its rules is asked again (up to :data:`ASK_TRIES` times), saying why.
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

    def asker(spec: Input) -> Ask | None:
        return ask if ask is not None and (spec.type != "secret" or source.asks) else None

    for name, spec in flow.inputs.items():
        if spec.type == "secret":
            result.secrets.add(name)
            value = source.get(name, {**given, **raw})
        else:
            value = given.get(name, spec.default)
        person = asker(spec)
        if value is None and person is not None:
            value = person(name, spec, question(spec))
        if value is None or value == "":
            where = (
                source.missing(name, {**given, **raw})
                if spec.type == "secret"
                else f"indíquelo con --input {name}={_quoted(example(spec))}"
            )
            problems.append(f"Falta «{name}» ({spec.prompt}): {where}")
            continue
        raw[name] = value
    for name in list(raw):
        spec = flow.inputs[name]
        checked = _checked(name, spec, raw, asker(spec))
        if isinstance(checked, InputError):
            problems.append(f"«{name}» ({spec.prompt}): {checked}")
        else:
            result.values[name] = checked
    for name, spec in answers.items():
        if name in given:
            try:
                result.values[name] = check(spec, given[name], raw)
            except InputError as exc:
                problems.append(f"«{name}» ({spec.prompt}): {exc}")
    if problems:
        raise InputError("\n".join(problems))
    return result


def question(spec: Input) -> str:
    """What a person is asked for an input: its prompt, and the rules the answer follows."""
    ruled = rules(spec)
    return f"{spec.prompt} ({'; '.join(ruled)})" if ruled else spec.prompt


def _checked(name: str, spec: Input, raw: dict[str, str], ask: Ask | None) -> str | InputError:
    """The value's normal form; while it breaks a rule and a person can answer, ask again."""
    for attempt in range(1, ASK_TRIES + 1):
        try:
            return check(spec, raw[name], raw)
        except InputError as exc:
            again = (
                ask(name, spec, f"{exc}. {question(spec)}") if ask and attempt < ASK_TRIES else None
            )
            if not again:
                return exc
            raw[name] = again
    raise AssertionError("unreachable")  # pragma: no cover


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
    if spec.type == "file":
        return check_file(spec, value, others)
    checker = _CHECKERS.get(spec.type)
    if checker is not None:
        value = checker(value, spec)
    return check_rules(spec, value)


def check_rules(spec: Input, value: str) -> str:
    """The flow's own rules for a text or secret value: its canonical choice, or itself."""
    shown = "" if spec.type == "secret" else f"«{_echo(value)}» "
    good = f" (ejemplo de un valor válido: {spec.example})" if spec.example else ""
    if spec.choices is not None:
        found = choice(spec, value)
        if found is None:
            raise InputError(f"{shown}no es una de las opciones admitidas: {options(spec)}")
        return found
    length = len(value)
    too_short = spec.min_length is not None and length < spec.min_length
    too_long = spec.max_length is not None and length > spec.max_length
    if too_short or too_long:
        raise InputError(f"{shown}debe tener {_length_rule(spec)}{good}")
    if spec.pattern is not None and not re.fullmatch(spec.pattern, value):
        raise InputError(f"{shown}no cumple la regla: {spec.pattern_help}{good}")
    return value


def fold(text: str) -> str:
    """Text as choices are compared: without accents, case or extra spaces."""
    bare = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    return " ".join(bare.casefold().split())


def choice(spec: Input, value: str) -> str | None:
    """The choice ``value`` stands for (itself or an alias, folded), or None."""
    wanted = fold(value)
    for canonical, aliases in spec.choice_aliases().items():
        if wanted in {fold(canonical), *(fold(alias) for alias in aliases)}:
            return canonical
    return None


def options(spec: Input) -> str:
    """The choices in Spanish: «A» (también a, b), «B» o «C»."""
    items = [
        f"«{value}»" + (f" (también {', '.join(aliases)})" if aliases else "")
        for value, aliases in spec.choice_aliases().items()
    ]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " o " + items[-1]


def _length_rule(spec: Input) -> str:
    low, high = spec.min_length, spec.max_length
    if low and high:
        return f"exactamente {low} caracteres" if low == high else f"de {low} a {high} caracteres"
    return f"al menos {low} caracteres" if low else f"como mucho {high} caracteres"


def rules(spec: Input) -> list[str]:
    """The rules a value must follow, in Spanish, for plans and questions."""
    out: list[str] = []
    if spec.choices is not None:
        out.append(f"opciones: {options(spec)}")
    if spec.min_length or spec.max_length:
        out.append(_length_rule(spec))
    if spec.pattern_help:
        out.append(spec.pattern_help)
    if spec.formats:
        out.append("un " + " o ".join(f.upper() if f == "pdf" else "PKCS#12" for f in spec.formats))
    if spec.max_bytes:
        out.append(f"máximo {_size(spec.max_bytes)}")
    if spec.example and spec.choices is None:
        out.append(f"ejemplo: {spec.example}")
    return out


_EXAMPLES = {
    "ruc": "20100066603",
    "rut": "12.345.678-5",
    "nit": "900.123.456-8",
    "email": "nombre@empresa.com",
    "date": "31/12/2026",
    "file": "RUTA/DEL/ARCHIVO",
}


def example(spec: Input) -> str:
    """A good value to show: the flow's example, its first choice, or one of the type."""
    if spec.example is not None:
        return spec.example
    if spec.choices is not None:
        return next(iter(spec.choice_aliases()))
    return _EXAMPLES.get(spec.type, "VALOR")


def _quoted(value: str) -> str:
    return f'"{value}"' if re.search(r"\s", value) else value


def _echo(value: str) -> str:
    return value if len(value) <= 40 else value[:39] + "…"


def _stdnum(module_name: str, label: str) -> Callable[[str, Input], str]:
    def validate(value: str, spec: Input) -> str:
        import importlib

        module = importlib.import_module(f"stdnum.{module_name}")
        from stdnum.exceptions import InvalidChecksum, ValidationError

        try:
            compact: str = module.validate(value)
        except InvalidChecksum:
            raise InputError(
                f"el {label} «{_echo(value)}» tiene el dígito verificador equivocado; revíselo "
                f"(ejemplo de un {label} válido: {example(spec)})"
            ) from None
        except ValidationError:
            raise InputError(
                f"«{_echo(value)}» no es un {label} válido (ejemplo: {example(spec)})"
            ) from None
        if module_name in ("cl.rut", "co.nit"):
            return f"{compact[:-1]}-{compact[-1]}"
        return compact

    return validate


def _email(value: str, spec: Input) -> str:
    if not EMAIL.match(value):
        raise InputError(
            f"«{_echo(value)}» no es un correo electrónico válido (ejemplo: {example(spec)})"
        )
    return value


def _date(value: str, spec: Input) -> str:
    try:
        datetime.strptime(value, "%d/%m/%Y")
    except ValueError:
        raise InputError(
            f"«{_echo(value)}» no es una fecha DD/MM/AAAA (ejemplo: {example(spec)})"
        ) from None
    return value


def _text(value: str, spec: Input) -> str:
    if not value:
        raise InputError(
            "no puede estar vacío" + (f" (ejemplo: {spec.example})" if spec.example else "")
        )
    return value


_CHECKERS: dict[str, Callable[[str, Input], str]] = {
    "ruc": _stdnum("pe.ruc", "RUC"),
    "rut": _stdnum("cl.rut", "RUT"),
    "nit": _stdnum("co.nit", "NIT"),
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
            expected = _CHECKERS["rut"](expected, Input(type="rut", prompt="RUT"))
        except InputError:
            return
        if info.rut != expected:
            raise InputError(
                f"el certificado es del RUT {info.rut}, no del RUT {expected} indicado; "
                "use el certificado del representante legal"
            )


def _size(n: int) -> str:
    return f"{n / 1_000_000:.2f} MB" if n >= 100_000 else f"{n / 1000:.0f} KB"
