"""The command line's own words (click's and typer's), in Spanish or English.

Click and typer write their help and error texts through ``gettext``, each module with
its own ``_``; typer also keeps a few panel titles as module constants, and labels each
option with its Python type (``<bool>``, ``<list[str]>``). :func:`install` puts this
module's catalogue in their place, before a command line is parsed, in the language of
``--lang`` (anywhere on the line) or ``PORTAL_BOT_LANG`` (else the locale, else Spanish).
:class:`LocalGroup` is the top command's class, so that every entry point (``main``,
``CliRunner``) goes through :func:`install`.

Nothing here changes what a command does; only how the tool's frame talks.
"""

from __future__ import annotations

import gettext
import importlib
import importlib.abc
import importlib.util
import sys
from collections.abc import Sequence
from typing import Any

import typer.core

ES: dict[str, str] = {
    "Usage:": "Uso:",
    "Options": "Opciones",
    "Commands": "Órdenes",
    "Arguments": "Argumentos",
    "Positional arguments": "Argumentos",
    "Error": "Error",
    "Show this message and exit.": "Muestra esta ayuda y termina.",
    "Show the version and exit.": "Muestra la versión y termina.",
    "[required]": "[obligatorio]",
    "required": "obligatorio",
    "[default: {}]": "[por defecto: {}]",
    "default: {default}": "por defecto: {default}",
    "[env var: {}]": "[variable de entorno: {}]",
    "env var: {var}": "variable de entorno: {var}",
    "(deprecated) ": "(obsoleto) ",
    "deprecated": "obsoleto",
    "(dynamic)": "(dinámico)",
    "Aborted!": "Cancelado.",
    "Aborted.": "Cancelado.",
    "Try '{command} {option}' for help.": "Vea «{command} {option}» para la ayuda.",
    "Try [blue]'{command_path} {help_option}'[/] for help.": (
        "Vea [blue]«{command_path} {help_option}»[/] para la ayuda."
    ),
    "Error: {message}": "Error: {message}",
    "Missing argument": "Falta el argumento",
    "Missing option": "Falta la opción",
    "Missing parameter": "Falta el parámetro",
    "Missing {param_type}": "Falta {param_type}",
    "Missing parameter: {param_name}": "Falta el parámetro: {param_name}",
    "Missing command.": "Falta la orden.",
    "No such command {name!r}.": "No existe la orden {name!r}.",
    "No such option {name!r}.": "No existe la opción {name!r}.",
    "No such option: {name}": "No existe la opción: {name}",
    "Option {name!r} does not take a value.": "La opción {name!r} no lleva valor.",
    "Option {name!r} requires an argument.": "La opción {name!r} necesita un valor.",
    "Option {name!r} requires {nargs} arguments.": "La opción {name!r} necesita {nargs} valores.",
    "Got unexpected extra argument ({args})": "Sobra un argumento ({args})",
    "Got unexpected extra arguments ({args})": "Sobran argumentos ({args})",
    "Did you mean {possibility}?": "¿Quiso decir {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(¿Quiso decir una de estas: {possibilities}?)",
    "Invalid value for {param_hint}: {message}": "Valor no válido para {param_hint}: {message}",
    "Invalid value: {message}": "Valor no válido: {message}",
    "{value!r} is not a valid {number_type}.": "{value!r} no es un {number_type} válido.",
    "{value} is not in the range {range}.": "{value} no está en el intervalo {range}.",
    "{value!r} is not a valid boolean.": "{value!r} no es sí o no.",
    "{name} {filename!r} does not exist.": "No existe {filename!r}.",
    "{name} {filename!r} is a directory.": "{filename!r} es una carpeta.",
    "{name} {filename!r} is a file.": "{filename!r} es un archivo.",
    "{name} {filename!r} is not readable.": "No se puede leer {filename!r}.",
    "{name} {filename!r} is not writable.": "No se puede escribir en {filename!r}.",
    "Error: invalid input": "Error: respuesta no válida",
    "Do you want to continue?": "¿Desea continuar?",
}

TYPE_LABELS_ES = {
    "str": "texto",
    "int": "número",
    "float": "número",
    "path": "ruta",
    "file": "archivo",
    "directory": "carpeta",
    "list[str]": "texto…",
    "int range": "número",
    "float range": "número",
    "integer": "número entero",
}
TYPE_LABELS_EN = {
    "str": "text",
    "int": "number",
    "float": "number",
    "list[str]": "text…",
    "int range": "number",
    "float range": "number",
}

ARGUMENT_NAMES = {
    "es": {
        "flow": "FLUJO",
        "files": "ARCHIVOS",
        "run_dir": "CARPETA",
        "name": "NOMBRE",
        "url": "URL",
    },
    "en": {"flow": "FLOW", "files": "FILES", "run_dir": "FOLDER", "name": "NAME", "url": "URL"},
}

CONTEXT = {"help_option_names": ["-h", "--help"]}
"""``-h`` as well as ``--help``, for every command (child contexts inherit it)."""

_language = "es"


def language(args: Sequence[str], environ: dict[str, str] | None = None) -> str:
    """``--lang X`` / ``--lang=X`` anywhere in ``args``, else the environment's."""
    from portal_bot.i18n import LANGS, choose

    explicit = None
    for number, arg in enumerate(args):
        if arg == "--lang" and number + 1 < len(args):
            explicit = args[number + 1]
        elif arg.startswith("--lang="):
            explicit = arg.split("=", 1)[1]
    return choose(explicit if explicit in LANGS else None, environ)


def translate(message: str) -> str:
    """click's and typer's ``_``: Spanish unless the language is English."""
    return message if _language == "en" else ES.get(message, message)


def ntranslate(singular: str, plural: str, n: int) -> str:
    return translate(singular if n == 1 else plural)


def current() -> str:
    return _language


_MODULES = ("typer.core", "typer.main", "typer._click.parser")
"""Modules that word their texts through ``gettext`` (typer's own copy of click, in
``typer._click``, writes most of them in plain English: see :data:`PATTERNS_ES`)."""

PATTERNS_ES: tuple[tuple[str, str], ...] = (
    (r"^Missing argument '(.+)'\.", r"Falta el argumento «\1»."),
    (r"^Missing option '(.+)'\.", r"Falta la opción «\1»."),
    (r"^Missing parameter: (.+)", r"Falta el parámetro «\1»."),
    (r"^No such option: (\S+)", r"No existe la opción «\1»."),
    (r"\(Possible options: (.+)\)", r"(¿quiso decir: \1?)"),
    (r"^No such command '(.+)'\.", r"No existe la orden «\1»."),
    (r"^Missing command\.", "Falta la orden."),
    (r"^Got unexpected extra argument\(s\) \((.+)\)", r"Sobra lo que sigue: \1"),
    (r"^Invalid value for (.+?): (.+)", r"Valor no válido para \1: \2"),
    (r"^Invalid value: (.+)", r"Valor no válido: \1"),
    (r"Value (.+) is not a valid integer\.", r"\1 no es un número entero."),
    (r"Value (.+) is not a valid float\.", r"\1 no es un número."),
    (r"Value (.+) is not a valid (.+)\.", r"\1 no es un valor válido (\2)."),
    (r"(\S+) is not in the range (.+)\.", r"\1 no está en el intervalo \2."),
    (r"(?:Path|File|Directory) '(.+)' does not exist\.", r"No existe «\1»."),
    (r"Input should be a valid integer[^\n]*", "debe ser un número entero"),
    (r"Input should be a valid number[^\n]*", "debe ser un número"),
    (r"Input should be greater than or equal to (\S+)", r"debe ser al menos \1"),
    (r"^Option '(.+)' requires an argument\.", r"La opción «\1» necesita un valor."),
    (r"^Option '(.+)' does not take a value\.", r"La opción «\1» no lleva valor."),
    (r"^Could not open file (.+): (.+)", r"No se pudo abrir el archivo \1: \2"),
)
"""English messages of typer's copy of click, and their Spanish."""


def translate_message(message: str) -> str:
    """An error message of typer's click in the current language."""
    if _language == "en":
        return message
    import re

    for pattern, spanish in PATTERNS_ES:
        message = re.sub(pattern, spanish, message)
    return message


def install(lang: str) -> None:
    """Make click and typer speak ``lang`` from now on (in this process)."""
    global _language
    _language = lang
    for name in _MODULES:
        _speak(importlib.import_module(name))
    rich = sys.modules.get(RICH)
    if rich is not None:
        _speak_rich(rich)
    elif not any(isinstance(finder, _RichWhenLoaded) for finder in sys.meta_path):
        sys.meta_path.insert(0, _RichWhenLoaded())


RICH = "typer.rich_utils"
"""typer's help and error panels: rich and its markdown (~60 ms to import), loaded by
typer only to show help or an error, so made Spanish when that happens."""


def _speak(module: Any) -> None:
    if getattr(module, "_", None) in (gettext.gettext, translate):
        module._ = translate
    if getattr(module, "ngettext", None) in (gettext.ngettext, ntranslate):
        module.ngettext = ntranslate


def _speak_rich(rich: Any) -> None:
    _speak(rich)
    for constant, msgid in (
        ("DEPRECATED_STRING", "(deprecated) "),
        ("DEFAULT_STRING", "[default: {}]"),
        ("ENVVAR_STRING", "[env var: {}]"),
        ("REQUIRED_LONG_STRING", "[required]"),
        ("ARGUMENTS_PANEL_TITLE", "Arguments"),
        ("OPTIONS_PANEL_TITLE", "Options"),
        ("COMMANDS_PANEL_TITLE", "Commands"),
        ("ERRORS_PANEL_TITLE", "Error"),
        ("ABORTED_TEXT", "Aborted."),
        ("RICH_HELP", "Try [blue]'{command_path} {help_option}'[/] for help."),
    ):
        setattr(rich, constant, translate(msgid))


class _RichWhenLoaded(importlib.abc.MetaPathFinder):
    """Makes :data:`RICH` Spanish as soon as typer imports it (once)."""

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: Any = None) -> Any:
        if fullname != RICH:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None:
            return spec
        load = spec.loader.exec_module

        def exec_module(module: Any) -> None:
            load(module)
            _speak_rich(module)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def _patch_vendored_click() -> None:
    """typer's copy of click: the usage prefix, the help option's text, error messages."""
    from typer._click import core, exceptions, formatting

    original_usage = formatting.HelpFormatter.write_usage

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        original_usage(self, prog, args, f"{translate('Usage:')} " if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]

    original_help = core.Command.get_help_option

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original_help(self, ctx)
        if option is not None:
            option.help = translate("Show this message and exit.")
        return option

    core.Command.get_help_option = get_help_option  # type: ignore[method-assign]

    for cls in [getattr(exceptions, n) for n in dir(exceptions)]:
        if isinstance(cls, type) and "format_message" in cls.__dict__:
            cls.format_message = _translated(cls.__dict__["format_message"])  # type: ignore[attr-defined]


def _translated(method: Any) -> Any:
    def format_message(self: Any) -> str:
        return translate_message(method(self))

    return format_message


_patch_vendored_click()


def _display_type(self: Any, ctx: Any) -> str:
    """The value's kind in words (``<texto>``, ``<número>``); nothing for a switch."""
    label = _ORIGINAL_DISPLAY_TYPE(self, ctx)
    if getattr(self, "is_flag", False) or label == "<bool>":
        return ""
    bare = label.strip("<>")
    table = TYPE_LABELS_EN if _language == "en" else TYPE_LABELS_ES
    return f"<{table.get(bare, bare)}>"


def _usage_display_name(self: Any) -> str:
    """``FLUJO`` for a required argument, ``[FLUJO]`` for an optional one; hidden
    arguments (kept only to refuse a secret typed as a value) are not shown."""
    if self.hidden:
        return ""
    name = str(self.metavar or self.name).upper()
    name = name if self.required else f"[{name}]"
    return name + ("..." if self.nargs != 1 else "")


typer.core.TyperArgument._usage_display_name = _usage_display_name  # type: ignore[method-assign]

_ORIGINAL_DISPLAY_TYPE = typer.core._TyperParameter.display_type
typer.core._TyperParameter.display_type = _display_type  # type: ignore[method-assign]


def name_arguments(command: Any, lang: str) -> None:
    """Arguments shown by what they are (``FLUJO``), not by the Python name (``{flow}``),
    and the usage line's placeholders in words of ``lang``."""
    names = ARGUMENT_NAMES.get(lang, ARGUMENT_NAMES["es"])
    spanish = lang != "en"
    command.options_metavar = "[OPCIONES]" if spanish else "[OPTIONS]"
    for param in command.params:
        if getattr(param, "param_type_name", "") == "argument" and param.name in names:
            param.metavar = names[param.name]
    subcommands = getattr(command, "commands", None)
    if subcommands is not None:
        command.subcommand_metavar = "ORDEN [ARGUMENTOS]..." if spanish else "COMMAND [ARGS]..."
        for sub in subcommands.values():
            name_arguments(sub, lang)


class LocalGroup(typer.core.TyperGroup):
    """The top command: installs the language before anything is parsed or shown."""

    def main(self, args: Sequence[str] | None = None, *extra: Any, **kwargs: Any) -> Any:
        import sys

        given = list(sys.argv[1:] if args is None else args)
        lang = language(given)
        install(lang)
        name_arguments(self, lang)
        return super().main(given, *extra, **kwargs)
