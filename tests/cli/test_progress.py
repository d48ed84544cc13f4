"""The run's views: the live footer (synthetic events, no browser), plain lines, --json."""

from __future__ import annotations

import json
from io import BytesIO, StringIO
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from portal_bot.cli import app
from portal_bot.events import Event, GateAnswered, RunEnded, RunStarted, StepEnded, StepStarted
from portal_bot.evidence import Evidence
from portal_bot.progress import ConsoleView, JsonLines, LiveView, make_view
from portal_bot.prompt import GateRequest, Question, TerminalPrompter
from tests.conftest import portal_bot_process

DEMO = ["--input", "ruc=20100066603", "--input", "usuario_sol=MODDATOS"]


def started(total: int = 3) -> RunStarted:
    return RunStarted(
        flow_id="pe-sunat-pse-alta",
        flow_title="Alta de PSE en SUNAT",
        portal="SUNAT SOL",
        country="PE",
        target="mock",
        mode="run",
        operator="ana",
        inputs={"ruc": "20100066603", "clave_sol": "•••"},
        steps_total=total,
    )


def step(index: int, title: str) -> StepStarted:
    return StepStarted(index=index, step_id=None, kind="fill", title=title)


def ended(index: int) -> StepEnded:
    return StepEnded(index=index, status="passed", duration_ms=12)


FINISHED = RunEnded(outcome="done", exit_code=0, message="Flujo completado.", duration_ms=900)


def terminal() -> Console:
    return Console(force_terminal=True, file=StringIO(), width=80, color_system=None)


def frame(view: LiveView) -> str:
    """What the live footer shows now, as plain text."""
    plain = Console(file=StringIO(), width=80, color_system=None)
    plain.print(view.render())
    return plain.file.getvalue()  # type: ignore[attr-defined,no-any-return]


def feed(view: ConsoleView, *events: Event) -> None:
    for event in events:
        view(event)


def test_live_view_shows_steps_done_of_total_and_the_current_step() -> None:
    console = terminal()
    view = LiveView(console)
    try:
        feed(view, started(), step(1, "Abra SUNAT"), ended(1), step(2, "Escriba el RUC"))

        assert view.live.is_started
        now = frame(view)
        assert "1/3 pasos" in now
        assert "Paso 2: Escriba el RUC" in now
        assert "0:00:0" in now
        shown = console.file.getvalue()  # type: ignore[attr-defined]
        assert "1/3 ✔ Abra SUNAT" in shown, "finished steps scroll above the footer"
        assert "Paso 2: Escriba el RUC" in shown

        feed(view, ended(2), step(3, "Pulse Enviar"), ended(3))
        assert "3/3 pasos" in frame(view)
        view(FINISHED)
        assert not view.live.is_started
        assert console.file.getvalue().rstrip().endswith("Flujo completado.")  # type: ignore[attr-defined]
    finally:
        view.close()


class AnsweringConsole(Console):
    """A terminal whose person answers at once; notes whether the footer was up."""

    def __init__(self, view: LiveView, answer: str) -> None:
        super().__init__(force_terminal=True, file=StringIO(), width=80)
        self.view = view
        self.answer = answer
        self.footer_up: list[bool] = []

    def input(self, *args: Any, **kwargs: Any) -> str:
        self.footer_up.append(self.view.live.is_started)
        return self.answer


def test_live_view_steps_aside_while_a_prompt_is_open() -> None:
    view = LiveView(terminal())
    prompts = AnsweringConsole(view, "y")
    prompter = TerminalPrompter(prompts, "ana", pause=view.paused)
    try:
        feed(view, started(), step(1, "Pulse Enviar"))
        assert view.live.is_started

        answer = prompter.confirm(GateRequest("Pulse Enviar", "¿Envía?", {"RUC": "20100066603"}))
        assert answer.approved and answer.by == "ana"
        assert view.live.is_started, "the footer comes back after the gate"
        prompts.answer = "código"
        assert prompter.ask(Question("Código del correo")) == "código"
        prompts.answer = ""
        assert prompter.wait_for_human("Firme en el navegador")

        assert prompts.footer_up == [False, False, False]
        assert view.live.is_started
        feed(view, GateAnswered(index=1, approved=True, by="ana"), ended(1), FINISHED)
        assert not view.live.is_started
    finally:
        view.close()


def test_a_prompt_before_the_run_starts_does_not_start_the_footer() -> None:
    view = LiveView(terminal())
    with view.paused():
        view(started())
        assert not view.live.is_started
    assert view.live.is_started
    view.close()


def test_without_a_terminal_the_view_is_plain_lines() -> None:
    out, err = Console(file=StringIO(), width=80), Console(file=StringIO(), width=80)
    view = make_view(out, err, quiet=False, json_lines=False)
    assert type(view) is ConsoleView

    feed(view, started(2), step(1, "Abra SUNAT"), ended(1), FINISHED)

    text = out.file.getvalue()  # type: ignore[attr-defined]
    assert "   1/2 ✔ Abra SUNAT\n" in text
    assert "\x1b" not in text
    assert err.file.getvalue() == ""  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("tty", "quiet", "json_lines", "kind", "on"),
    [
        (True, False, False, LiveView, "out"),
        (True, True, False, ConsoleView, "out"),
        (True, False, True, ConsoleView, "err"),
        (False, False, True, ConsoleView, "err"),
    ],
)
def test_which_view(tty: bool, quiet: bool, json_lines: bool, kind: type, on: str) -> None:
    out = Console(file=StringIO(), force_terminal=tty)
    err = Console(file=StringIO())
    view = make_view(out, err, quiet=quiet, json_lines=json_lines)
    assert type(view) is kind
    assert view.console is (out if on == "out" else err)
    assert view.quiet is quiet


def test_json_lines_are_byte_for_byte_the_evidence_lines(tmp_path: Path) -> None:
    evidence = Evidence(tmp_path / "ev")
    stream = BytesIO()
    lines = JsonLines(stream)
    for event in (started(1), step(1, "Año «ñ» •"), ended(1), FINISHED):
        evidence(event)
        lines(event)
    evidence.close()

    assert stream.getvalue() == (tmp_path / "ev" / "events.jsonl").read_bytes()


def test_json_with_bad_input_writes_nothing_to_stdout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_BOT_BROWSER", "/nonexistent/browser-must-not-be-needed")
    monkeypatch.delenv("PORTAL_BOT_SECRET_CLAVE_SOL", raising=False)

    result = CliRunner().invoke(app, ["run", "pe-sunat-pse-alta", "--mock", "--json", *DEMO])

    assert result.exit_code == 2
    assert result.stdout == ""
    assert "PORTAL_BOT_SECRET_CLAVE_SOL" in result.stderr


def test_json_run_prints_only_events_on_stdout(tmp_path: Path) -> None:
    evidence = tmp_path / "ev"
    done = portal_bot_process(
        [
            "run",
            "pe-sunat-pse-alta",
            *DEMO,
            "--mock",
            "--yes",
            "--json",
            "--evidence",
            str(evidence),
        ],
        {"clave_sol": "moddatos"},
    )

    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert events[0]["type"] == "run_started"
    assert events[0]["inputs"]["clave_sol"] == "•••"
    assert events[-1]["type"] == "run_ended"
    assert events[-1]["exit_code"] == 0
    assert done.stdout == (evidence / "events.jsonl").read_text(encoding="utf-8")
    assert "moddatos" not in done.stdout + done.stderr
    assert "Flujo completado." in done.stderr
    assert "Sello de la evidencia (péguelo en el ticket" in done.stderr
