"""The console's view of a run: one listener of the event stream."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

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

MARKS = {
    "passed": "[green]✔[/]",
    "failed": "[red]✘[/]",
    "skipped": "[dim]–[/]",
    "simulated": "[yellow]◌ simulado, no se envió[/]",
    "already_done": "[green]✔ ya estaba hecho[/]",
}


class ConsoleView:
    """Prints each step as it starts and ends; quiet mode prints only the outcome."""

    def __init__(self, console: Console, quiet: bool = False) -> None:
        self.console = console
        self.quiet = quiet
        self.total = 0
        self.titles: dict[int, str] = {}

    def __call__(self, event: Event) -> None:
        print_ = self.console.print
        match event:
            case RunStarted():
                self.total = event.steps_total
                if not self.quiet:
                    target = "simulación" if event.target == "mock" else "PORTAL REAL"
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
                    verdict = "[green]aprobado[/]" if event.approved else "[red]rechazado[/]"
                    print_(f"     Confirmación {verdict} por {escape(event.by)}")
            case FileSaved():
                if not self.quiet:
                    print_(f"     Archivo guardado: {escape(event.path)}")
            case RunEnded():
                style = (
                    "green"
                    if event.exit_code == 0
                    else ("yellow" if event.exit_code == 3 else "red")
                )
                print_(f"[bold {style}]{escape(event.message)}[/]")
            case _:
                pass
