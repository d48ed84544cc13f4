"""The console's views of a run, each one listener of the event stream.

- :class:`ConsoleView`: one line per step (pipes, CI, ``--quiet`` prints only the outcome).
- :class:`LiveView`: the same lines, under a live footer with a progress bar (steps done
  of the total, elapsed time) and the current step; for terminals. It steps aside while
  a prompt is open (:meth:`LiveView.paused`, given to the prompter).
- :class:`JsonLines`: ``--json``, each event as the very line ``events.jsonl`` gets.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from portal_bot.events import (
    Event,
    FileSaved,
    GateAnswered,
    RunEnded,
    RunStarted,
    Said,
    StepEnded,
    StepStarted,
)
from portal_bot.evidence import GENESIS, event_line, line_hash

MARKS = {
    "passed": "[green]✔[/]",
    "failed": "[red]✘[/]",
    "skipped": "[dim]–[/]",
    "simulated": "[yellow]◌ ensayo: no se envió[/]",
    "already_done": "[green]✔ ya estaba hecho[/]",
    "not_reached": "[dim]– no alcanzado[/]",
}


class ConsoleView:
    """Prints each step as it starts and ends; quiet mode prints only the outcome."""

    def __init__(self, console: Console, quiet: bool = False) -> None:
        self.console = console
        self.quiet = quiet
        self.total = 0
        self.titles: dict[int, str] = {}
        self.folder: Path | None = None
        """The evidence folder, once known: kept files are shown by their full path."""

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Room for a prompt (nothing to do: plain lines never move)."""
        yield

    def close(self) -> None:
        """The run is over, however it ended."""

    def __call__(self, event: Event) -> None:
        print_ = self.console.print
        match event:
            case RunStarted():
                self.total = event.steps_total
                if not self.quiet:
                    target = "portal de práctica" if event.target == "mock" else "PORTAL REAL"
                    if event.mode == "dry-run":
                        target += " · ensayo: no se envía nada"
                    print_(
                        f"[bold]{escape(event.flow_title)}[/] · {escape(event.portal)} ({target})"
                    )
            case StepStarted():
                self.titles[event.index] = event.title
            case StepEnded():
                if not self.quiet:
                    title = escape(self.titles.get(event.index, ""))
                    mark = MARKS.get(event.status, event.status)
                    line = f"  {event.index:>2}/{self.total} {mark} {title}"
                    if event.message:
                        line += f" [dim]({escape(event.message)})[/]"
                    print_(line)
            case Said():
                if not self.quiet:
                    print_(f"     [cyan]»[/] {escape(event.text)}")
            case GateAnswered():
                if not self.quiet:
                    verdict = "[green]aprobada[/]" if event.approved else "[red]rechazada[/]"
                    print_(f"     Confirmación {verdict} por {escape(event.by)}")
            case FileSaved():
                if not self.quiet:
                    path = str(self.folder / event.path) if self.folder else event.path
                    what = (
                        "Imagen de la pregunta guardada en"
                        if event.what == "pregunta"
                        else "Archivo guardado en"
                    )
                    print_(f"     {what}: {escape(path)}", soft_wrap=True)
            case RunEnded():
                style = (
                    "green"
                    if event.exit_code == 0
                    else ("yellow" if event.exit_code == 3 else "red")
                )
                print_(f"[bold {style}]{escape(event.message)}[/]")
            case _:
                pass


class LiveView(ConsoleView):
    """Plain step lines scrolling above a live footer, for a terminal::

        ⠹ ━━━━━━━━━━━━━━━╸━━━━━━━━━━━━━━  5/12 pasos 0:00:03
          Paso 6: Escriba «Usuario» en el campo Usuario

    The footer exists only while the run does, and is taken down while a prompt is open.
    """

    def __init__(self, console: Console, refresh_per_second: float = 8) -> None:
        super().__init__(console, quiet=False)
        self.progress = Progress(
            SpinnerColumn(),
            BarColumn(bar_width=32),
            MofNCompleteColumn(),
            TextColumn("pasos"),
            TimeElapsedColumn(),
            console=console,
        )
        self.task: TaskID | None = None
        self.current = ""
        self.refresh_per_second = refresh_per_second
        self.live = self._new_live()
        self.pauses = 0
        self.running = False
        self.ended: set[int] = set()

    def render(self) -> RenderableType:
        line = Text(f"  {self.current}", style="bold", no_wrap=True, overflow="ellipsis")
        return Group(self.progress, line)

    def __call__(self, event: Event) -> None:
        match event:
            case RunStarted():
                self.task = self.progress.add_task("", total=event.steps_total or None)
                super().__call__(event)
                self.running = True
                self._show()
                return
            case StepStarted():
                self.current = f"Paso {event.index}: {event.title}"
            case StepEnded() if self.task is not None:
                self.ended.add(event.index)
                self.progress.update(self.task, completed=len(self.ended))
            case RunEnded():
                self.close()
            case _:
                pass
        super().__call__(event)
        if self.live.is_started:
            self.live.refresh()

    def _new_live(self) -> Live:
        return Live(
            console=self.console,
            get_renderable=self.render,
            refresh_per_second=self.refresh_per_second,
            transient=True,
            redirect_stdout=False,
            redirect_stderr=False,
        )

    def _show(self) -> None:
        if self.running and not self.pauses:
            # A new Live each time: a restarted one still remembers the height of the
            # footer it drew before the prompt, and its first refresh would move up over
            # (and erase) that many lines of the answered prompt.
            self.live = self._new_live()
            self.live.start(refresh=True)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Take the footer down while a prompt is open; put it back after."""
        self.pauses += 1
        self.live.stop()
        try:
            yield
        finally:
            self.pauses -= 1
            self._show()

    def close(self) -> None:
        self.running = False
        self.live.stop()


def make_view(out: Console, err: Console, *, quiet: bool, json_lines: bool) -> ConsoleView:
    """The view for ``portal-bot run``: live on a terminal, plain lines otherwise.

    With ``--json`` stdout is for events only, so people get plain lines on ``err``.
    """
    if out.is_terminal and not (quiet or json_lines):
        return LiveView(out)
    return ConsoleView(err if json_lines else out, quiet=quiet)


class JsonLines:
    """``--json``: every event, one JSON object a line, exactly as in ``events.jsonl``.

    Each line comes from :func:`~portal_bot.evidence.event_line`, as in the evidence (the
    event's own JSON form, plus ``prev``, the SHA-256 of the line before), so a script
    reading stdout sees the same scrubbed events, and can check the same chain.
    """

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.chain = GENESIS

    def __call__(self, event: Event) -> None:
        line = event_line(event, self.chain)
        self.stream.write(line + b"\n")
        self.stream.flush()
        self.chain = line_hash(line)
