"""YAML text → :class:`Flow`, every problem reported as ``file:line:col``.

The YAML is composed into nodes (so every value keeps its position), then turned into
plain data by hand: anchors, aliases, custom tags and duplicate keys are refused, depth
and size are bounded, and plain scalars keep their source text so that an unquoted
``012345`` can be told apart from a number. Pydantic validates the data; its error
locations are mapped back to the nodes. Static checks that need the whole flow (every
``${name}`` is known, ids are unique) run last.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from portal_bot import templating
from portal_bot.errors import FlowError
from portal_bot.flow import SLUG, STEP_KINDS, VAR_NAME, Ask, Flow, Read, Step

MAX_BYTES = 256 * 1024
MAX_DEPTH = 24
MAX_NODES = 20_000

Loc = tuple[str | int, ...]


@dataclass
class Located:
    """Plain data plus where each part of it came from."""

    data: Any
    marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    plain_scalars: dict[Loc, str] = field(default_factory=dict)


class _Problem(Exception):
    def __init__(self, message: str, node: yaml.Node | None = None) -> None:
        super().__init__(message)
        self.node = node


def load_flow(path: Path) -> Flow:
    """Read and validate a flow file; raise :class:`FlowError` listing every problem."""
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FlowError([f"{name}: no se puede leer el archivo ({exc.strerror})"]) from None
    if size > MAX_BYTES:
        raise FlowError(
            [f"{name}:1:1: el archivo pesa {size} bytes; el máximo es {MAX_BYTES} bytes"]
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FlowError([f"{name}:1:1: el archivo no está en UTF-8 (byte {exc.start})"]) from None
    return parse_flow(text, name)


def parse_flow(text: str, name: str = "<flujo>") -> Flow:
    """Validate flow text; ``name`` is used in messages."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise FlowError([f"{name}:1:1: el flujo supera el máximo de {MAX_BYTES} bytes"])
    located = _compose(text, name)
    try:
        flow = Flow.model_validate(located.data)
    except ValidationError as exc:
        raise FlowError(_explain(exc, located, name)) from None
    problems = _static_checks(flow, located, name)
    if problems:
        raise FlowError(problems)
    return flow


# --- YAML → data with positions ---------------------------------------------------------


def _compose(text: str, name: str) -> Located:
    try:
        root = yaml.compose(text, Loader=_StrictLoader)
    except _Problem as exc:
        raise FlowError([_at(name, exc.node, str(exc))]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else f"{name}:1:1"
        raise FlowError([f"{where}: YAML inválido: {exc.problem or exc.context}"]) from None
    except yaml.YAMLError as exc:
        raise FlowError([f"{name}:1:1: YAML inválido: {exc}"]) from None
    if root is None:
        raise FlowError([f"{name}:1:1: el archivo está vacío"])
    located = Located(None)
    try:
        located.data = _to_data(root, (), located, yaml.constructor.SafeConstructor())
    except _Problem as exc:
        raise FlowError([_at(name, exc.node, str(exc))]) from None
    return located


class _StrictLoader(yaml.SafeLoader):
    """Refuses anchors, aliases and explicit tags while composing."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            raise _Problem("no se permiten alias (*nombre) en un flujo", _mark_node(event))
        if getattr(event, "anchor", None):
            raise _Problem("no se permiten anclas (&nombre) en un flujo", _mark_node(event))
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in ("!", "tag:yaml.org,2002:str"):
            raise _Problem(f"no se permiten etiquetas YAML ({tag})", _mark_node(event))
        return super().compose_node(parent, index)


def _mark_node(event: yaml.Event) -> yaml.Node:
    mark: Any = event.start_mark
    return yaml.ScalarNode("tag:yaml.org,2002:null", "", start_mark=mark, end_mark=mark)


def _to_data(
    node: yaml.Node, loc: Loc, out: Located, scalars: yaml.constructor.SafeConstructor
) -> Any:
    if len(out.marks) >= MAX_NODES:
        raise _Problem(f"el flujo tiene más de {MAX_NODES} elementos", node)
    if len(loc) > MAX_DEPTH:
        raise _Problem(f"anidamiento de más de {MAX_DEPTH} niveles", node)
    out.marks[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Problem("las claves deben ser texto simple", key_node)
            key = str(key_node.value)
            if key in result:
                raise _Problem(f"clave repetida: «{key}»", key_node)
            result[key] = _to_data(value_node, (*loc, key), out, scalars)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_to_data(item, (*loc, i), out, scalars) for i, item in enumerate(node.value)]
    assert isinstance(node, yaml.ScalarNode)
    value = scalars.construct_object(node)
    if node.style is None and not isinstance(value, str):
        out.plain_scalars[loc] = str(node.value)
    return value


# --- pydantic errors → file:line:col ----------------------------------------------------


def _explain(exc: ValidationError, located: Located, name: str) -> list[str]:
    problems: list[str] = []
    seen: set[tuple[Loc, str]] = set()
    for error in exc.errors(include_url=False):
        loc = _data_loc(tuple(error["loc"]))
        message = _message(error, loc, located)
        if (loc, message) in seen:
            continue
        seen.add((loc, message))
        line, col = _nearest_mark(loc, located)
        path = _path_text(loc)
        problems.append(f"{name}:{line}:{col}: {path}: {message}")
    return problems


CONDITION_KEYS = frozenset({"when", "until", "expect", "wait_for", "done_when"})
CONDITION_TAGS = frozenset({"visible", "hidden", "text", "url"})


def _data_loc(loc: tuple[Any, ...]) -> Loc:
    """Drop the union tags pydantic puts in error locations: the step kind after an index
    into a ``steps`` list, and the condition kind after a condition-valued key."""
    out: list[str | int] = []
    for i, part in enumerate(loc):
        before = loc[i - 1] if i else None
        after_step_index = isinstance(before, int) and i >= 2 and loc[i - 2] == "steps"
        if after_step_index and part in STEP_KINDS:
            continue
        if before in CONDITION_KEYS and part in CONDITION_TAGS:
            continue
        out.append(part)
    return tuple(out)


def _value_at(loc: Loc, located: Located) -> Any:
    node: Any = located.data
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _nearest_mark(loc: Loc, located: Located) -> tuple[int, int]:
    for end in range(len(loc), -1, -1):
        mark = located.marks.get(loc[:end])
        if mark:
            return mark
    return (1, 1)


def _path_text(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(raíz)"


_MESSAGES = {
    "missing": "falta este campo",
    "extra_forbidden": "clave desconocida",
    "string_type": "se esperaba texto",
    "bool_type": "se esperaba true o false",
    "int_type": "se esperaba un número entero",
    "list_type": "se esperaba una lista",
    "dict_type": "se esperaba un mapa (clave: valor)",
    "model_type": "se esperaba un mapa (clave: valor)",
    "model_attributes_type": "se esperaba un mapa (clave: valor)",
    "literal_error": "valor no admitido; se esperaba {expected}",
    "string_pattern_mismatch": "formato no válido",
    "string_too_short": "no puede estar vacío",
    "string_too_long": "demasiado largo (máximo {max_length} caracteres)",
    "too_short": "se necesita al menos {min_length} elemento(s)",
    "too_long": "demasiados elementos (máximo {max_length})",
    "greater_than": "debe ser mayor que {gt}",
    "greater_than_equal": "debe ser al menos {ge}",
    "less_than_equal": "debe ser como mucho {le}",
}


PATTERN_HINTS = {
    SLUG: "use solo minúsculas sin tildes, números y guiones (p. ej. «alta-pse»)",
    VAR_NAME: "use minúsculas, números y «_», empezando por una letra (p. ej. «razon_social»)",
    r"^https://[^\s]+$": "debe ser una dirección completa que empiece por https://",
}


def _message(error: Any, loc: Loc, located: Located) -> str:
    kind = error["type"]
    if kind == "string_type" and loc in located.plain_scalars:
        raw = located.plain_scalars[loc]
        return f'se esperaba texto; escriba el valor entre comillas: "{raw}"'
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    if kind in ("step_kind", "condition_kind"):
        value = _value_at(loc, located)
        if isinstance(value, dict):
            kinds = STEP_KINDS if kind == "step_kind" else tuple(CONDITION_TAGS)
            found = [key for key in value if key in kinds]
            if len(found) > 1:
                named = " y ".join(f"«{key}»" for key in found)
                return f"un paso no puede tener a la vez {named}; sepárelos en dos pasos"
            keys = ", ".join(f"«{key}»" for key in list(value)[:4])
            return f"{error['msg']} (claves dadas: {keys})"
        return str(error["msg"])
    if kind == "string_pattern_mismatch":
        pattern = (error.get("ctx") or {}).get("pattern", "")
        return PATTERN_HINTS.get(pattern, f"formato no válido (patrón {pattern})")
    template = _MESSAGES.get(kind)
    if template is None:
        return str(error["msg"])
    ctx = {k: str(v).replace(" or ", " o ") for k, v in (error.get("ctx") or {}).items()}
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template


# --- whole-flow checks ------------------------------------------------------------------


def _static_checks(flow: Flow, located: Located, name: str) -> list[str]:
    problems: list[str] = []
    known = set(flow.inputs) | set(templating.BUILTINS)
    ids: set[str] = set()
    for input_name, spec in flow.inputs.items():
        for ref in (spec.password_input, spec.rut_input):
            if ref is not None and ref not in flow.inputs:
                line, col = _nearest_mark(("inputs", input_name), located)
                problems.append(
                    f"{name}:{line}:{col}: inputs.{input_name}: no existe la entrada «{ref}»"
                )
    for loc, step in _located_steps(flow.steps, ("steps",)):
        line, col = _nearest_mark(loc, located)
        where = f"{name}:{line}:{col}: {_path_text(loc)}"
        if step.id is not None:
            if step.id in ids:
                problems.append(f"{where}: id repetido «{step.id}»")
            ids.add(step.id)
        for text in _texts(step):
            try:
                names = templating.references(text)
            except templating.TemplateSyntaxError as exc:
                problems.append(f"{where}: {exc}")
                continue
            problems.extend(
                f"{where}: «${{{ref}}}» no es una entrada ni una variable conocida aquí"
                for ref in names
                if ref not in known
            )
        if isinstance(step, Ask | Read):
            known.add(step.into)
    return problems


def _located_steps(steps: list[Step], loc: Loc) -> list[tuple[Loc, Step]]:
    out: list[tuple[Loc, Step]] = []
    for i, step in enumerate(steps):
        out.append(((*loc, i), step))
        nested = getattr(step, "steps", None)
        if nested:
            out.extend(_located_steps(nested, (*loc, i, "steps")))
    return out


def _texts(step: Step) -> list[str]:
    """Every string of a step that is substituted at run time."""
    out: list[str] = []

    def collect(value: Any) -> None:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(step.model_dump(exclude={"steps", "id"}))
    return out


def _at(name: str, node: yaml.Node | None, message: str) -> str:
    if node is None:
        return f"{name}:1:1: {message}"
    return f"{name}:{node.start_mark.line + 1}:{node.start_mark.column + 1}: {message}"
