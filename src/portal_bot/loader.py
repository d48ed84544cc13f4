"""YAML text → :class:`Flow`, every problem reported as ``file:line:col``.

A flow file may come from anyone (a ticket, a colleague, a download), so it is read as
hostile until proven otherwise:

* the file must be a regular file of at most :data:`MAX_BYTES`, in UTF-8;
* invisible and control characters are refused anywhere in it (bidi overrides can make
  a line show something else than what it says, see :func:`_hidden_char`);
* the YAML is read as a stream of parser events and turned into plain data by hand,
  without recursion: anchors, aliases, custom tags, duplicate keys, more than one
  document, nesting deeper than :data:`MAX_DEPTH` and more than :data:`MAX_NODES`
  elements are refused *while parsing*, so a hostile file costs milliseconds whatever
  it holds; plain scalars keep their source text so that an unquoted ``012345`` can be
  told apart from a number;
* every text is checked for ``${…}`` syntax and for other template languages
  (:func:`portal_bot.templating.check`).

Pydantic validates the data; its error locations are mapped back to the positions kept
while parsing. Static checks that need the whole flow (every ``${name}`` is known, ids
are unique) run last.
"""

from __future__ import annotations

import codecs
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import yaml
from pydantic import ValidationError

from portal_bot import templating
from portal_bot.errors import FlowError, InputError
from portal_bot.flow import (
    SLUG,
    STEP_KINDS,
    TAX_ID_TYPES,
    VAR_NAME,
    VERIFIABLE,
    ActionBase,
    Ask,
    Flow,
    Frame,
    Read,
    Step,
    Verify,
    windows_reserved,
)

MAX_BYTES = 256 * 1024
MAX_DEPTH = 24
MAX_NODES = 3_000
"""Values (mappings, lists, scalars) in a flow. The largest real flow has 554; each one
costs parsing and, when invalid, a pydantic error or two: at this bound the costliest
file to refuse (thousands of invalid entries) takes ~25 ms and ~8 MB."""
MAX_PROBLEMS = 50
"""At most this many problems are listed (a file of 500 broken steps would bury the
first one)."""
MAX_ECHO = 40
"""At most this many characters of the flow's own text are quoted back in a message."""

# libyaml's parser (C) when PyYAML was built with it, else PyYAML's own: the same YAML 1.1
# events either way (the messages of broken YAML differ, and both are translated below).
# The C one is 10 times faster; it keeps even a file of MAX_BYTES under 100 ms.
_EVENTS: Any = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader

Loc = tuple[str | int, ...]


@dataclass
class Located:
    """Plain data plus where each part of it came from."""

    data: Any
    marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    """Where each value starts."""
    key_marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    """Where each mapping key is written (``loc`` of its value)."""
    plain_scalars: dict[Loc, str] = field(default_factory=dict)


class _Problem(Exception):
    def __init__(self, message: str, at: tuple[int, int]) -> None:
        super().__init__(message)
        self.at = at


def load_flow(path: Path) -> Flow:
    """Read and validate a flow file; raise :class:`FlowError` listing every problem."""
    name = str(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            # Never opened: reading a FIFO blocks, /dev/zero never ends.
            raise FlowError(
                [
                    f"{name}:1:1: no es un archivo normal (¿un dispositivo o una tubería?); "
                    "indique el archivo .yaml del flujo"
                ]
            )
        if info.st_size > MAX_BYTES:
            raise FlowError([_too_big(name, info.st_size)])
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)  # the file may have grown since stat()
    except FileNotFoundError:
        raise FlowError([f"{name}: no existe el archivo"]) from None
    except PermissionError:
        raise FlowError([f"{name}: no hay permiso para leer el archivo"]) from None
    except OSError as exc:
        raise FlowError([f"{name}: no se puede leer el archivo ({exc.strerror})"]) from None
    if len(raw) > MAX_BYTES:
        raise FlowError([_too_big(name, None)])
    return parse_flow(_decode(raw, name), name)


def parse_flow(text: str, name: str = "<flujo>") -> Flow:
    """Validate flow text; ``name`` is used in messages."""
    text = text.removeprefix("\ufeff")  # a UTF-8 BOM is harmless; columns ignore it
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as exc:  # a lone surrogate: only from a str, never a file
        line, col = _line_col(text, exc.start)
        raise FlowError([f"{name}:{line}:{col}: {_hidden_message(text[exc.start])}"]) from None
    if size > MAX_BYTES:
        raise FlowError([_too_big(name, size)])
    hidden = _hidden_char(text, _ALLOWED_IN_FILE)
    if hidden is not None:
        line, col = _line_col(text, hidden)
        raise FlowError([f"{name}:{line}:{col}: {_hidden_message(text[hidden])}"])
    located = _compose(text, name)
    try:
        flow = Flow.model_validate(located.data)
    except ValidationError as exc:
        raise FlowError(_explain(exc, located, name)) from None
    problems = _static_checks(flow, located, name)
    if problems:
        raise FlowError(_capped(problems))
    return flow


def _too_big(name: str, size: int | None) -> str:
    weight = f"pesa {size} bytes" if size is not None else "pesa demasiado"
    return (
        f"{name}:1:1: el archivo {weight}; un flujo puede pesar como mucho {MAX_BYTES} "
        "bytes: divídalo en varios flujos o quite lo que no sea parte del trámite"
    )


_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def _decode(raw: bytes, name: str) -> str:
    for bom, encoding in _WIDE_BOMS:
        if raw.startswith(bom):
            _wrong_encoding(name, encoding)
    head = raw[:512]
    if len(head) >= 8 and (_mostly_nul(head[1::2]) or _mostly_nul(head[0::2])):
        _wrong_encoding(name, "UTF-16 o UTF-32 (sin BOM)")  # text in it: every other byte 0
    if head.count(0) >= 4:  # a stray NUL is reported where it is; several: not text at all
        raise FlowError(
            [
                f"{name}:1:1: el archivo parece binario (una imagen, un comprimido, un "
                "programa…), no un flujo YAML de texto; indique el archivo .yaml correcto"
            ]
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[start : exc.start].decode("utf-8", "replace")) + 1
        raise FlowError(
            [
                f"{name}:{line}:{col}: el archivo no está en UTF-8: el byte "
                f"0x{raw[exc.start]:02X} no es válido (¿se guardó como Latin-1 o "
                "Windows-1252, o no es un archivo de texto?); guárdelo como UTF-8"
            ]
        ) from None


def _mostly_nul(data: bytes) -> bool:
    return len(data) >= 4 and data.count(0) * 10 >= len(data) * 9


def _wrong_encoding(name: str, encoding: str) -> NoReturn:
    raise FlowError(
        [
            f"{name}:1:1: el archivo está en {encoding}; guárdelo como UTF-8 (en el editor: "
            "«Guardar con codificación» → UTF-8)"
        ]
    )


# --- invisible and control characters ---------------------------------------------------
#
# Refused everywhere in a flow file (comments included), never «neutralised»: flow text
# reaches the terminal, the plan, the guide, events.jsonl, the HTML report and, above all,
# the confirmation a human reads before an irreversible submission. A bidi override
# (U+202E) or isolate (U+2066…) there can make «RUC 20100066603» display as something
# else than what is sent (Trojan Source, CVE-2021-42574); a zero-width space makes a
# ``text:`` target silently never match; a control character (ESC) can rewrite the
# operator's terminal. Neutralising would have to be done in every one of those outputs,
# and a flow written for Spanish-speaking portals never needs these characters, so the
# one safe place is here: the author is told which character, where, and to delete it.
# Categories: Cc control (tab and line breaks allowed), Cf format (bidi marks, zero-width
# characters, soft hyphen, a BOM inside the text), Cs lone surrogates, Zl/Zp the Unicode
# line and paragraph separators. Private-use (icon fonts) and unassigned code points
# (newer emoji) are allowed.

_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_ALLOWED_IN_FILE = frozenset("\t\n\r")
_ALLOWED_IN_TEXT = frozenset("\t\n")
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_CONTROL_NAMES = {
    "\x00": "NUL",
    "\x07": "BEL",
    "\x08": "BACKSPACE",
    "\x0b": "VT",
    "\x0c": "FF",
    "\r": "CR",
    "\x1b": "ESC",
    "\x7f": "DEL",
    "\x85": "NEL",
}


def _hidden_char(text: str, allowed: frozenset[str]) -> int | None:
    """Index of the first invisible or control character of ``text``, if any."""
    bad = [
        ch
        for ch in set(text)  # one pass in C; the checks below run once per distinct char
        if ch not in allowed and unicodedata.category(ch) in _HIDDEN_CATEGORIES
    ]
    return min(text.index(ch) for ch in bad) if bad else None


def _hidden_message(ch: str) -> str:
    code = f"U+{ord(ch):04X}"
    label = unicodedata.name(ch, "") or _CONTROL_NAMES.get(ch, "")
    what = f"{code} ({label})" if label else code
    if ch in _BIDI:
        return (
            f"el carácter invisible {what} cambia el orden en que se muestra el texto y "
            "puede disfrazarlo (en el informe, en una confirmación); bórrelo"
        )
    if unicodedata.category(ch) == "Cc":
        return f"el carácter de control {what} no se admite en un flujo; bórrelo"
    return (
        f"el carácter invisible {what} no se admite en un flujo (no se ve, pero cambia el "
        "texto); bórrelo"
    )


# --- YAML events → data with positions --------------------------------------------------


_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def _open_brackets(text: str, limit: int) -> int | None:
    """Index of the first «[» or «{» that makes more than ``limit`` open at once, counting
    every bracket of the file, quoted ones too (hence a limit well above MAX_DEPTH)."""
    depth = 0
    for ch in _NOT_BRACKET.sub("", text):
        if ch in "[{":
            depth += 1
            if depth > limit:
                break
        elif depth:
            depth -= 1
    else:
        return None
    seen = 0
    for index, ch in enumerate(text):  # only for a refused file: find where it was
        if ch in "[{":
            seen += 1
        elif ch in "]}" and seen:
            seen -= 1
        if seen > limit:
            return index
    return None


def _compose(text: str, name: str) -> Located:
    if _EVENTS is not getattr(yaml, "CSafeLoader", None):
        # PyYAML's own scanner keeps every open bracket of a line as a possible key and
        # walks them all at each token: 3 000 «[» take 140 ms before a single event
        # reaches the builder. libyaml does the same in C (1 ms); without it, stop here.
        deep = _open_brackets(text, 2 * MAX_DEPTH)
        if deep is not None:
            line, col = _line_col(text, deep)
            raise FlowError(
                [
                    f"{name}:{line}:{col}: más de {2 * MAX_DEPTH} corchetes o llaves abiertos a "
                    "la vez; un flujo no anida tanto: revise que cada «[» y «{» se cierre"
                ]
            )
    builder = _Builder(text)
    try:
        for event in yaml.parse(text, Loader=_EVENTS):
            builder.feed(event)
    except _Problem as exc:
        line, col = exc.at
        raise FlowError([f"{name}:{line}:{col}: {exc}"]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and mark and mark.index >= len(text.rstrip()):
            mark = exc.context_mark  # the file ended: point at what was left open
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else f"{name}:1:1"
        if mark and re.search("escape|hexa?decimal", str(exc.problem)):
            # point at the «\» that starts the escape, wherever the parser stopped in it
            back = text.rfind("\\", max(mark.index - 9, 0), mark.index + 1)
            if back >= 0:
                where = f"{name}:{mark.line + 1}:{mark.column + 1 - (mark.index - back)}"
        raise FlowError([f"{where}: YAML inválido: {_yaml_problem(exc, text)}"]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML itself does not allow
        found = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        line, col = _line_col(text, found) if found >= 0 else (1, 1)
        code = f"U+{exc.character:04X}" if isinstance(exc.character, int) else "?"
        raise FlowError(
            [f"{name}:{line}:{col}: el carácter {code} no se admite en YAML; bórrelo"]
        ) from None
    except yaml.YAMLError as exc:
        raise FlowError([f"{name}:1:1: YAML inválido: {exc}"]) from None
    if not builder.has_root or builder.located.data is None:
        raise FlowError(
            [
                f"{name}:1:1: el archivo está vacío; un flujo necesita al menos id, title, "
                "country, portal, domains y steps"
            ]
        )
    return builder.located


@dataclass
class _Open:
    """A mapping or sequence being filled."""

    value: dict[str, Any] | list[Any]
    loc: Loc
    key: str | None = None
    """In a mapping: the key whose value comes next."""


_STR_TAG = "tag:yaml.org,2002:str"
_TAG = re.compile(r"![^\s,\[\]{}]*")


class _Builder:
    """Turns parser events into plain data, refusing what a flow must not hold. No
    recursion: an open mapping or sequence is a stack entry, so depth costs nothing
    until :data:`MAX_DEPTH` stops it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.located = Located(None)
        self.stack: list[_Open] = []
        self.documents = 0
        self.has_root = False
        self.resolver = yaml.resolver.Resolver()
        self.constructor = yaml.constructor.SafeConstructor()

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.NodeEvent):
            self._node(event)
        elif isinstance(event, yaml.CollectionEndEvent):
            self.stack.pop()
        elif isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise _Problem(
                    "el archivo tiene más de un documento YAML («---»); un flujo es un solo "
                    "documento: quite el separador o lleve el resto a otro archivo",
                    _at(event.start_mark),
                )
        # stream starts and ends, document ends: nothing to do

    def _node(self, event: Any) -> None:  # ScalarEvent, AliasEvent or a collection start
        if isinstance(event, yaml.AliasEvent):
            raise _Problem(
                "no se permiten alias (*nombre) en un flujo; escriba el valor completo",
                _at(event.start_mark),
            )
        if event.anchor:
            raise _Problem(
                f"no se permiten anclas (&{event.anchor[:MAX_ECHO]}) en un flujo; quítela y "
                "escriba cada valor completo",
                _at(event.start_mark),
            )
        scalar = isinstance(event, yaml.ScalarEvent)
        tag = event.tag
        if tag is not None and tag != "!" and not (scalar and tag == _STR_TAG):
            raise _Problem(
                f"no se permiten etiquetas YAML («{self._tag_text(event)}»); un flujo solo "
                "lleva textos, números, listas y mapas: quite la etiqueta",
                _at(event.start_mark),
            )
        top = self.stack[-1] if self.stack else None
        if top is not None and isinstance(top.value, dict) and top.key is None:
            self._key(top, event)
            return
        loc = self._loc(top)
        self._count(loc, event)
        if isinstance(event, yaml.ScalarEvent):
            self._attach(top, loc, self._scalar(event, loc))
        elif isinstance(event, yaml.MappingStartEvent):
            self._attach(top, loc, {})
        else:
            self._attach(top, loc, [])

    def _loc(self, top: _Open | None) -> Loc:
        if top is None:
            return ()
        if isinstance(top.value, dict):
            assert top.key is not None
            return (*top.loc, top.key)
        return (*top.loc, len(top.value))

    def _count(self, loc: Loc, event: Any) -> None:
        marks = self.located.marks
        if len(marks) >= MAX_NODES:
            raise _Problem(
                f"el flujo tiene más de {MAX_NODES} elementos; divídalo en varios flujos",
                _at(event.start_mark),
            )
        if len(loc) > MAX_DEPTH:
            raise _Problem(
                f"anidamiento de más de {MAX_DEPTH} niveles; un flujo no necesita tantos: "
                "revise los corchetes y la sangría",
                _at(event.start_mark),
            )
        marks[loc] = _at(event.start_mark)

    def _attach(self, top: _Open | None, loc: Loc, value: Any) -> None:
        if top is None:
            self.located.data = value
            self.has_root = True
        elif isinstance(top.value, dict):
            assert top.key is not None
            top.value[top.key] = value
            top.key = None
        else:
            top.value.append(value)
        if isinstance(value, dict | list):
            self.stack.append(_Open(value, loc))

    def _key(self, top: _Open, event: Any) -> None:
        if not isinstance(event, yaml.ScalarEvent):
            raise _Problem(
                "las claves deben ser texto simple (no listas ni mapas)", _at(event.start_mark)
            )
        key = str(event.value)
        loc = (*top.loc, key)
        assert isinstance(top.value, dict)
        hidden = _hidden_char(key, frozenset()) if event.style == '"' else None
        if hidden is not None:  # written as an escape: the file-wide check missed it
            message = _hidden_message(key[hidden])
            raise _Problem(f"{_path_text(top.loc)}: {message}", _at(event.start_mark))
        if key in top.value:
            first = self.located.key_marks.get(loc)
            where = f" (ya está en la línea {first[0]}, columna {first[1]})" if first else ""
            raise _Problem(
                f"clave repetida «{_echo(key)}»{where}; deje solo una", _at(event.start_mark)
            )
        self._check_text(key, event, loc)
        self.located.key_marks[loc] = _at(event.start_mark)
        top.key = key
        # a placeholder keeps «key in top.value» true for duplicates of a key whose value
        # has not been read yet; the value replaces it
        top.value[key] = None

    def _scalar(self, event: Any, loc: Loc) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolver.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
        construct = self.constructor.yaml_constructors.get(tag)
        if tag == _STR_TAG or construct is None:
            value: Any = event.value
        else:
            node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark)
            try:
                value = construct(self.constructor, node)
            except (ValueError, OverflowError, yaml.YAMLError):
                raise _Problem(
                    f"{_path_text(loc)}: «{_echo(event.value)}» parece un número o una fecha, "
                    "pero no es válido; "
                    f'si es un texto, escríbalo entre comillas: "{_echo(event.value)}"',
                    _at(event.start_mark),
                ) from None
        if isinstance(value, str):
            if event.style == '"':  # escapes (\u202e, \0, \e) bypass the file-wide check
                hidden = _hidden_char(value, _ALLOWED_IN_TEXT)
                if hidden is not None:
                    message = _hidden_message(value[hidden])
                    raise _Problem(f"{_path_text(loc)}: {message}", _at(event.start_mark))
            self._check_text(value, event, loc)
        elif not event.style:  # plain: None from PyYAML, "" from libyaml
            self.located.plain_scalars[loc] = str(event.value)
        return value

    def _check_text(self, value: str, event: Any, loc: Loc) -> None:
        if "{" not in value:  # every construct check() refuses has one
            return
        try:
            templating.check(value)
        except templating.TemplateSyntaxError as exc:
            at = self._inside(event, value, exc.position)
            raise _Problem(f"{_path_text(loc)}: {exc}", at) from None

    def _inside(self, event: Any, value: str, index: int) -> tuple[int, int]:
        """Where ``value[index]`` is written in the file (the scalar's start when it was
        written differently, e.g. with escapes)."""
        snippet = re.split(r"\s", value[index : index + 12], maxsplit=1)[0]
        start, end = event.start_mark.index, event.end_mark.index
        found = self.text.find(snippet, start, end) if snippet else -1
        if found < 0:
            return _at(event.start_mark)
        return _line_col(self.text, found)

    def _tag_text(self, event: Any) -> str:
        """The tag as written (``!!python/object:…``), not as resolved."""
        written = _TAG.match(self.text, event.start_mark.index)
        return _echo(written.group(0) if written else str(event.tag))


def _at(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _echo(text: str) -> str:
    """A flow's own text, short enough to quote in a message."""
    return text if len(text) <= MAX_ECHO else text[: MAX_ECHO - 1] + "…"


# PyYAML and libyaml word their errors differently; both are told in Spanish.
_YAML_PROBLEMS = (
    ("',' or ']'", "falta «,» o «]»: una lista entre corchetes sin cerrar o mal separada"),
    ("',' or '}'", "falta «,» o «}»: un mapa entre llaves sin cerrar o mal separado"),
    # (when the file ends inside them, the position is where they were opened)
    (
        "mapping values are not allowed",
        "aquí no se esperan dos puntos; si «: » es parte del texto, escríbalo entre comillas",
    ),
    (
        "cannot start any token",
        "«{char}» no puede empezar un valor; escriba el texto entre comillas",
    ),
    ("expected <block end>", "la sangría no cuadra con la de las líneas de arriba; revísela"),
    ("did not find expected key", "la sangría no cuadra con la de las líneas de arriba; revísela"),
    ("'-' indicator", "la sangría no cuadra con la de las líneas de arriba; revísela"),
    ("could not find expected ':'", "falta «:» después de la clave (o la clave es muy larga)"),
    ("end of stream", "estas comillas (o este corchete) no se cierran antes del final"),
    (
        "unknown escape character",
        "secuencia de escape desconocida entre comillas dobles; use comillas simples o «\\\\»",
    ),
    ("document start", "sobra texto después del final del flujo; revise la sangría"),
    ("sequence entries are not allowed", "aquí no puede empezar un elemento de lista («- »)"),
    ("node content", "falta un valor aquí"),
    ("undefined tag handle", "etiqueta YAML desconocida; quítela"),
    ("invalid Unicode character escape", "este escape no es un carácter válido; bórrelo"),
    (
        "decimal number",
        "escape incompleto: tras «\\x», «\\u» o «\\U» van 2, 4 u 8 cifras hexadecimales",
    ),
    ("alphabetic or numeric character", "nombre de ancla o alias vacío; quite «&» o «*»"),
    ("incompatible YAML document", "versión de YAML no admitida; quite la línea «%YAML»"),
    ("unknown directive", "directiva desconocida; quite la línea que empieza por «%»"),
    ("duplicate", "directiva «%YAML» repetida; deje solo una"),
)


def _yaml_problem(exc: yaml.MarkedYAMLError, text: str) -> str:
    problem = str(exc.problem or exc.context)
    for fragment, spanish in _YAML_PROBLEMS:
        if fragment in problem:
            mark = exc.problem_mark
            char = text[mark.index] if mark and 0 <= mark.index < len(text) else "?"
            if char == "\t":
                return "hay un tabulador donde YAML no lo admite; sangre solo con espacios"
            return spanish.replace("{char}", char)
    return f"revise la sintaxis aquí (el analizador dice: {problem})"


# --- pydantic errors → file:line:col ----------------------------------------------------


def _explain(exc: ValidationError, located: Located, name: str) -> list[str]:
    problems: list[str] = []
    seen: set[tuple[Loc, str]] = set()
    for error in exc.errors(include_url=False, include_input=False):
        if len(problems) > MAX_PROBLEMS:
            break  # the rest is not even looked at: a hostile file may hold thousands
        loc = _data_loc(tuple(error["loc"]))
        key = bool(loc) and loc[-1] == "[key]"  # the name of a mapping entry is wrong
        if key:
            loc = loc[:-1]
        message = _message(error, loc, located)
        if (loc, message) in seen:
            continue
        seen.add((loc, message))
        line, col = _nearest_mark(loc, located)
        if key or error["type"] == "extra_forbidden":
            line, col = located.key_marks.get(loc, (line, col))
        path = _path_text(loc) + (" (nombre)" if key else "")
        problems.append(f"{name}:{line}:{col}: {path}: {message}")
    return _capped(problems)


def _capped(problems: list[str]) -> list[str]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    return [
        *problems[:MAX_PROBLEMS],
        f"… y más problemas (se muestran los {MAX_PROBLEMS} primeros): corrija estos y vuelva "
        "a validar",
    ]


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
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{_echo(part)}" if text else _echo(part)
    return text or "(raíz)"


_MESSAGES = {
    "missing": "falta este campo",
    "extra_forbidden": "clave desconocida: quítela o corrija su nombre",
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
    "string_too_long": "demasiado largo (máximo {max_length} caracteres); acórtelo",
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

_KINDS_OF_DATA = {list: "una lista", str: "un texto", int: "un número", float: "un número"}


def _message(error: Any, loc: Loc, located: Located) -> str:
    kind = error["type"]
    if not loc and kind in ("model_type", "model_attributes_type", "dict_type"):
        held = _KINDS_OF_DATA.get(type(located.data), "otra cosa")
        return (
            f"un flujo es un mapa «clave: valor» (id, title, country, portal, domains, "
            f"steps…), pero este archivo contiene {held}"
        )
    if kind == "string_type" and loc in located.plain_scalars:
        raw = _echo(located.plain_scalars[loc])
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
            keys = ", ".join(f"«{_echo(key)}»" for key in list(value)[:4])
            return f"{error['msg']} (claves dadas: {keys})"
        return str(error["msg"])
    if kind == "string_pattern_mismatch":
        pattern = (error.get("ctx") or {}).get("pattern", "")
        hint = PATTERN_HINTS.get(pattern, f"formato no válido (patrón {pattern})")
        if pattern == SLUG:
            return _name_hint(_value_at(loc, located), hint)
        return hint
    template = _MESSAGES.get(kind)
    if template is None:
        return str(error["msg"])
    ctx = {k: str(v).replace(" or ", " o ") for k, v in (error.get("ctx") or {}).items()}
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template


def _name_hint(value: Any, hint: str) -> str:
    """Why a name (an id, a screenshot or download name) is refused: it names files."""
    if not isinstance(value, str):
        return hint
    if re.search(r"[/\\]|\.\.|^[A-Za-z]:", value):
        return (
            f"«{_echo(value)}» parece una ruta: este nombre forma parte de nombres de archivo y no "
            f"puede llevar «/», «\\», «..» ni «C:»; {hint}"
        )
    if windows_reserved(value):
        return (
            f"«{_echo(value)}» es un nombre reservado de Windows (CON, PRN, AUX, NUL, COM1…, "
            f"LPT1…) y no puede nombrar un archivo; elija otro y {hint}"
        )
    return hint


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
                    f"{name}:{line}:{col}: inputs.{input_name}: no existe la entrada «{_echo(ref)}»"
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
    problems.extend(
        f"{name}:{line}:{col}: {_path_text(loc)}: {message}"
        for loc, message in [*_input_rules(flow), *_identity_checks(flow)]
        for line, col in [_nearest_mark(loc, located)]
    )
    return problems


def _input_rules(flow: Flow) -> list[tuple[Loc, str]]:
    """An input's example and default follow its own rules; no alias names two choices."""
    from portal_bot import inputs

    problems: list[tuple[Loc, str]] = []
    for input_name, spec in flow.inputs.items():
        loc: Loc = ("inputs", input_name)
        owner: dict[str, str] = {}
        for value, aliases in spec.choice_aliases().items():
            for written in (value, *aliases):
                other = owner.setdefault(inputs.fold(written), value)
                if other != value:
                    problems.append(
                        (
                            (*loc, "choices"),
                            f"«{_echo(written)}» vale a la vez para «{_echo(other)}» y para "
                            f"«{_echo(value)}»; cada forma de escribir una opción debe ser única",
                        )
                    )
        if spec.type == "file":
            continue
        for field_name in ("example", "default"):
            value = getattr(spec, field_name)
            if value is None:
                continue
            try:  # (the example is not offered as a good value while it is checked)
                inputs.check(spec.model_copy(update={"example": None}), value, {})
            except InputError as exc:
                problems.append(
                    ((*loc, field_name), f"no cumple las reglas de la propia entrada: {exc}")
                )
    return problems


def _identity_checks(flow: Flow) -> list[tuple[Loc, str]]:
    """Every irreversible step comes after a ``verify`` of the account's tax id that always
    runs (no ``when``), unless the flow says why it cannot (``identity_check: {skip: …}``)."""
    problems: list[tuple[Loc, str]] = []
    verified = False
    for loc, step, conditional in _guarded_steps(flow.steps, ("steps",)):
        if isinstance(step, Verify):
            spec = flow.inputs.get(step.input)
            if spec is None:
                known = ", ".join(flow.inputs) or "ninguna"
                problems.append(
                    (
                        (*loc, "input"),
                        f"no existe la entrada «{_echo(step.input)}» (entradas: {known})",
                    )
                )
            elif spec.type not in VERIFIABLE:
                problems.append(
                    (
                        (*loc, "input"),
                        f"la entrada «{step.input}» es de tipo {spec.type}; «verify» compara "
                        "una entrada ruc, rut, nit o text",
                    )
                )
            elif spec.type in TAX_ID_TYPES and not conditional:
                verified = True
        elif (
            isinstance(step, ActionBase)
            and step.irreversible
            and not verified
            and flow.identity_check is None
        ):
            problems.append(
                (
                    loc,
                    "este paso envía datos al portal sin comprobar antes de quién es la "
                    "cuenta: agregue antes un paso «verify» sin «when» que lea en el "
                    "portal el RUC, RUT o NIT de una entrada (p. ej. «verify: {text: "
                    "NIT}» con «input: nit»); si el portal no lo muestra antes de este "
                    "paso, explique por qué en «identity_check: {skip: motivo}» del flujo",
                )
            )
    return problems


def _guarded_steps(
    steps: list[Step], loc: Loc, conditional: bool = False
) -> list[tuple[Loc, Step, bool]]:
    """Every step (frames walked into) with whether it may be skipped (its own ``when`` or
    that of a frame around it)."""
    out: list[tuple[Loc, Step, bool]] = []
    for i, step in enumerate(steps):
        skippable = conditional or step.when is not None
        if isinstance(step, Frame):
            out.extend(_guarded_steps(step.steps, (*loc, i, "steps"), skippable))
        else:
            out.append(((*loc, i), step, skippable))
    return out


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
