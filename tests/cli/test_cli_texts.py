"""The command line's frame in Spanish (typer's and click's words too), English under
--lang en or PORTAL_BOT_LANG=en; -h; gates answered s/sí/no; full flow ids; a live
footer that leaves an answered gate on the screen."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from portal_bot.cli import app
from portal_bot.cli_texts import install
from portal_bot.events import FileSaved
from portal_bot.loader import load_flow
from portal_bot.progress import ConsoleView, LiveView
from portal_bot.prompt import GateRequest, TerminalPrompter, yes_no
from tests.cli.test_progress import ended, feed, started, step
from tests.conftest import FLOWS, portal_bot_process

TYPER_ENGLISH = (
    "Usage", "Options", "Commands", "Arguments", "Show this message", "[required]",
    "[default:", "<bool>", "<list[str]>", "<str>", "<path>", "[OPTIONS]", "COMMAND",
    "{flow}", "Try ",
)  # fmt: skip


@pytest.fixture(autouse=True)
def spanish_afterwards() -> object:
    yield None
    install("es")


def invoke(*args: str, lang: str = "es") -> str:
    result = CliRunner().invoke(app, list(args), env={"PORTAL_BOT_LANG": lang, "COLUMNS": "100"})
    return result.output


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["run", "--help"], ["run", "-h"],
                                  ["secrets", "set", "-h"], ["report", "-h"]])  # fmt: skip
def test_help_holds_no_english_from_typer(args: list[str]) -> None:
    shown = invoke(*args)

    assert "Uso: portal-bot" in shown
    assert "Muestra esta ayuda y termina." in shown
    assert [word for word in TYPER_ENGLISH if word in shown] == []


def test_run_help_names_its_argument_and_value_kinds_in_spanish() -> None:
    shown = invoke("run", "-h")

    assert "Uso: portal-bot run [OPCIONES] FLUJO" in shown
    assert "[obligatorio]" in shown and "<texto>" in shown and "Opciones" in shown


def test_english_frame_from_the_same_catalogue() -> None:
    by_env = invoke("run", "--help", lang="en")
    by_option = invoke("run", "--lang", "en", "-h")

    for shown in (by_env, by_option):
        assert "Usage: portal-bot run [OPTIONS] FLOW" in shown
        assert "Show this message and exit." in shown
        assert "[required]" in shown and "Uso:" not in shown


def test_error_box_in_spanish() -> None:
    shown = invoke("run")

    assert "Falta el argumento «FLUJO»." in shown
    assert "Vea «portal-bot run -h» para la ayuda." in shown
    assert "Missing" not in shown and "Try" not in shown
    assert "No existe la opción «--nada»" in invoke("run", "x", "--nada")


def test_flows_piped_prints_full_ids() -> None:
    done = portal_bot_process(["flows"])

    assert done.returncode == 0, done.stderr
    ids = [load_flow(path).id for path in sorted(FLOWS.glob("*.yaml"))]
    firsts = [line.split()[0] for line in done.stdout.splitlines()[1:] if line.strip()]
    assert [i for i in ids if i not in firsts] == []
    assert "…" not in done.stdout


@pytest.mark.parametrize(
    ("answer", "meaning"),
    [("s", True), ("S", True), ("sí", True), ("Sí ", True), ("si", True), ("y", True),
     ("yes", True), ("n", False), ("No", False), ("x", None), ("", None), ("sip", None)],
)  # fmt: skip
def test_gate_answers(answer: str, meaning: bool | None) -> None:
    assert yes_no(answer) is meaning


class Typing(Console):
    """A terminal where the person types the given lines, one per prompt."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(force_terminal=True, file=StringIO(), width=80, color_system=None)
        self.lines = lines

    def input(self, *args: object, **kwargs: object) -> str:
        self.print(*args, end="")
        return self.lines.pop(0)


def test_gate_takes_s_and_explains_a_wrong_answer_in_spanish() -> None:
    console = Typing(["ok", "s"])
    answer = TerminalPrompter(console, "ana").confirm(GateRequest("Enviar", "¿Enviar?", {}))

    shown = console.file.getvalue()  # type: ignore[attr-defined]
    assert answer.approved
    assert "[s/n] (n)" in shown
    assert "Responda s (sí) o n (no)" in shown
    assert "Please" not in shown


def test_live_view_leaves_the_answered_gate_in_the_scrollback() -> None:
    console = Typing(["s"])
    view = LiveView(console)
    prompter = TerminalPrompter(console, "ana", pause=view.paused)
    try:
        feed(view, started(), step(1, "Pulse Enviar"))
        prompter.confirm(GateRequest("Pulse Enviar", "¿Envía el alta?", {"RUC": "20100066603"}))
        feed(view, ended(1), step(2, "Anote el estado"))
    finally:
        view.close()

    shown = console.file.getvalue()  # type: ignore[attr-defined]
    after_gate = shown[shown.index("¿Envía el alta?") :]
    before_footer = after_gate[: after_gate.index("pasos")]
    assert "\x1b[1A" not in before_footer, "the footer came back by moving up over the gate"


def test_a_kept_question_picture_is_shown_by_its_full_path(tmp_path: Path) -> None:
    console = Console(file=StringIO(), width=60, color_system=None)
    view = ConsoleView(console)
    view.folder = tmp_path
    feed(view, started(), step(1, "Escriba el código de la imagen"))

    view(FileSaved(index=1, path="files/001-pregunta.png", sha256="0" * 64, size=9,
                   what="pregunta"))  # fmt: skip

    shown = console.file.getvalue()  # type: ignore[attr-defined]
    assert f"Imagen de la pregunta guardada en: {tmp_path}/files/001-pregunta.png" in shown
