"""How a run talks to the human: the Prompter protocol and its three kinds.

- :class:`TerminalPrompter` asks a person at a terminal (rich prompts, hidden secrets).
- :class:`ScriptedPrompter` answers from a script: ``--yes`` against a mock, and tests.
- :class:`NoTerminalPrompter` is used when nobody can answer: every gate is declined and
  every question left unanswered, so nothing irreversible happens by default.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Protocol, TextIO

from rich.console import Console
from rich.panel import Panel
from rich.prompt import Confirm, InvalidResponse, Prompt
from rich.table import Table

YES = frozenset({"s", "si", "sí", "y", "yes"})
NO = frozenset({"n", "no"})


def yes_no(answer: str) -> bool | None:
    """A gate's answer: True for s/sí/si (y/yes), False for n/no, None for anything else
    (case and surrounding spaces ignored)."""
    word = answer.strip().casefold()
    return True if word in YES else (False if word in NO else None)


class YesNo(Confirm):
    """rich's Confirm, answered in Spanish (s/sí/n/no) or English (y/yes/n/no)."""

    def __init__(self, *args: object, lang: str = "es", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        english = lang == "en"
        self.choices = ["y", "n"] if english else ["s", "n"]
        self.validate_error_message = (
            "[prompt.invalid]Please answer y (yes) or n (no)"
            if english
            else "[prompt.invalid]Responda s (sí) o n (no)"
        )

    def process_response(self, value: str) -> bool:
        answer = yes_no(value)
        if answer is None:
            raise InvalidResponse(self.validate_error_message)
        return answer


@dataclass(frozen=True)
class GateRequest:
    step: str
    question: str
    details: Mapping[str, str]


@dataclass(frozen=True)
class GateAnswer:
    approved: bool
    by: str


@dataclass(frozen=True)
class Question:
    text: str
    secret: bool = False
    mock_value: str | None = None
    """The answer as the mock portal knows it (mock runs only); used by --yes."""


class Prompter(Protocol):
    def confirm(self, gate: GateRequest) -> GateAnswer:
        """Approve or decline an irreversible step."""

    def ask(self, question: Question) -> str | None:
        """A value typed by the human, or None when nobody answers."""

    def wait_for_human(self, instruction: str) -> bool:
        """Tell the human to act in the browser; True once they say they are done."""


def operator_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "operador"


Pause = Callable[[], AbstractContextManager[object]]
"""Makes room on the terminal while a prompt is open (e.g. stops a live progress view)."""


@dataclass
class TerminalPrompter:
    """A person at a terminal answers; ``pause`` clears the screen's live parts meanwhile."""

    console: Console
    operator: str = field(default_factory=operator_name)
    pause: Pause = nullcontext

    def confirm(self, gate: GateRequest) -> GateAnswer:
        with self.pause():
            return self._confirm(gate)

    def ask(self, question: Question) -> str | None:
        with self.pause():
            return self._ask(question)

    def wait_for_human(self, instruction: str) -> bool:
        with self.pause():
            return self._wait_for_human(instruction)

    def _confirm(self, gate: GateRequest) -> GateAnswer:
        table = Table.grid(padding=(0, 2))
        for label, value in gate.details.items():
            table.add_row(f"[bold]{label}[/]", value)
        self.console.print(
            Panel(table, title=f"[bold yellow]Confirmación: {gate.step}[/]", border_style="yellow")
        )
        try:
            from portal_bot.i18n import choose

            approved = YesNo(gate.question, console=self.console, lang=choose())(default=False)
        except EOFError:
            return GateAnswer(False, "sin respuesta")
        return GateAnswer(approved, self.operator)

    def _ask(self, question: Question) -> str | None:
        try:
            answer = Prompt.ask(question.text, console=self.console, password=question.secret)
        except EOFError:
            return None
        return answer or None

    def _wait_for_human(self, instruction: str) -> bool:
        self.console.print(Panel(instruction, title="Acción en el navegador", border_style="cyan"))
        try:
            Prompt.ask("Pulse Enter cuando haya terminado", console=self.console, default="")
        except EOFError:
            return False
        return True


@dataclass
class NoTerminalPrompter:
    """Nobody can answer: gates are declined, questions unanswered."""

    def confirm(self, gate: GateRequest) -> GateAnswer:
        return GateAnswer(False, "sin terminal")

    def ask(self, question: Question) -> str | None:
        return None

    def wait_for_human(self, instruction: str) -> bool:
        return False


@dataclass
class ScriptedPrompter:
    """Answers from a script: approvals, fixed answers, and the mock's own challenges.

    A question's ``mock_value`` is only filled in runs against a mock, so a scripted answer
    can never be invented for a live portal.
    """

    approve: bool = True
    answers: dict[str, str] = field(default_factory=dict)
    by: str = "--yes"
    asked: list[str] = field(default_factory=list)

    def confirm(self, gate: GateRequest) -> GateAnswer:
        self.asked.append(gate.question)
        return GateAnswer(self.approve, self.by)

    def ask(self, question: Question) -> str | None:
        self.asked.append(question.text)
        if question.text in self.answers:
            return self.answers[question.text]
        return question.mock_value

    def wait_for_human(self, instruction: str) -> bool:
        self.asked.append(instruction)
        return self.approve


def new_secret(console: Console, label: str, stdin: TextIO) -> str:
    """A secret value to store, never from the command line.

    At a terminal it is typed twice, hidden, and both must match. Otherwise the first line
    of ``stdin`` is taken (``pass show sunat | portal-bot secrets set clave_sol``).
    """
    from portal_bot.errors import UsageError

    if not stdin.isatty():
        value = stdin.readline().rstrip("\r\n")
        if not value:
            raise UsageError(f"No se recibió {label} por la entrada estándar.")
        return value
    for _ in range(3):
        try:
            first = Prompt.ask(f"{label} (no se mostrará)", console=console, password=True)
            second = Prompt.ask("Repítala", console=console, password=True)
        except EOFError:
            break
        if not first:
            console.print("[yellow]Está vacía; escríbala de nuevo.[/]")
        elif first != second:
            console.print("[yellow]No coinciden; escríbala de nuevo.[/]")
        else:
            return first
    raise UsageError(f"No se guardó nada: {label} no se confirmó.")
