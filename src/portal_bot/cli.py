"""The command line: a thin typer shell over load_flow / execute. Only here are errors
turned into exit codes: 0 done, 1 a step failed, 2 bad usage or input, 3 stopped at a
gate, 4 a secret found in the evidence, 130 interrupted."""

from __future__ import annotations

import functools
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from portal_bot import __version__
from portal_bot.errors import FlowError, PortalBotError, UsageError

if TYPE_CHECKING:
    from portal_bot.flow import Flow

app = typer.Typer(
    name="portal-bot",
    help="Guía a agentes y clientes por portales tributarios: flujos declarativos, "
    "confirmaciones humanas y evidencia.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_show_locals=False,
)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


F = TypeVar("F", bound=Callable[..., None])


def handles_errors(command: F) -> F:
    """Map the exception tree to exit codes and Spanish messages (and Ctrl-C to 130)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            command(*args, **kwargs)
        except PortalBotError as exc:
            err.print(f"[red]{escape(str(exc))}[/]", soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err.print("[yellow]Interrumpido por el operador.[/]")
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def _lang(explicit: str | None) -> str:
    from portal_bot.i18n import LANGS, choose

    if explicit is not None and explicit not in LANGS:
        raise UsageError("--lang admite es o en")
    return choose(explicit)


def flow_dirs() -> list[Path]:
    """Where flows are looked for: ./flows, then the flows shipped with portal-bot."""
    shipped = Path(__file__).resolve().parent / "flows"
    source = Path(__file__).resolve().parents[2] / "flows"
    found: list[Path] = []
    for folder in (Path.cwd() / "flows", source, shipped):
        if folder.is_dir() and folder.resolve() not in found:
            found.append(folder.resolve())
    return found


def find_flow(name: str) -> Path:
    path = Path(name)
    if path.suffix in (".yaml", ".yml") or path.exists():
        if not path.is_file():
            raise UsageError(f"No existe el archivo de flujo {path}")
        return path
    for folder in flow_dirs():
        candidate = folder / f"{name}.yaml"
        if candidate.is_file():
            return candidate
    known = ", ".join(sorted({p.stem for d in flow_dirs() for p in d.glob("*.yaml")}))
    raise UsageError(f"No hay un flujo llamado «{name}». Flujos disponibles: {known or 'ninguno'}")


def _load(name: str) -> Flow:
    from portal_bot.loader import load_flow

    return load_flow(find_flow(name))


@app.command("flows")
@handles_errors
def flows_command() -> None:
    """Lista los flujos disponibles."""
    from rich.table import Table

    from portal_bot.loader import load_flow

    table = Table("Flujo", "País", "Portal", "Trámite", box=None)
    for folder in flow_dirs():
        for path in sorted(folder.glob("*.yaml")):
            try:
                flow = load_flow(path)
            except FlowError:
                table.add_row(path.stem, "", "", "[red]inválido: portal-bot validate[/]")
                continue
            table.add_row(flow.id, flow.country, flow.portal, flow.title)
    out.print(table)


@app.command("validate")
@handles_errors
def validate_command(
    files: Annotated[
        list[str] | None, typer.Argument(help="Archivos o nombres de flujo; por defecto, todos.")
    ] = None,
) -> None:
    """Valida archivos de flujo sin abrir ningún navegador."""
    from portal_bot.loader import load_flow

    paths = (
        [find_flow(f) for f in files]
        if files
        else [p for d in flow_dirs() for p in sorted(d.glob("*.yaml"))]
    )
    problems: list[str] = []
    for path in paths:
        try:
            load_flow(path)
            out.print(f"[green]✔[/] {escape(str(path))}")
        except FlowError as exc:
            problems.extend(exc.problems)
    if problems:
        raise FlowError(problems)


@app.command("plan")
@handles_errors
def plan_command(
    flow: Annotated[str, typer.Argument(help="Nombre o archivo del flujo.")],
    format_: Annotated[
        str, typer.Option("--format", help="text, md o html.", case_sensitive=False)
    ] = "text",
) -> None:
    """Muestra los pasos del flujo como una lista numerada, sin abrir el navegador."""
    from portal_bot import plan

    renderers = {"text": plan.plan_text, "md": plan.plan_markdown, "html": plan.plan_html}
    if format_.lower() not in renderers:
        raise UsageError("--format admite text, md o html")
    out.print(
        renderers[format_.lower()](_load(flow)), markup=False, highlight=False, soft_wrap=True
    )


@app.command("run")
@handles_errors
def run_command(
    flow: Annotated[str, typer.Argument(help="Nombre o archivo del flujo.")],
    input_: Annotated[
        list[str], typer.Option("--input", "-i", help="Entrada NOMBRE=VALOR (nunca secretos).")
    ] = [],  # noqa: B006
    mock: Annotated[
        bool, typer.Option(help="Ejecutar contra la simulación local del portal.")
    ] = False,
    mock_server: Annotated[
        str | None, typer.Option(help="Simulación en otro servidor HOST:PUERTO.")
    ] = None,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes",
            help="Aprobar todo y responder los desafíos de la simulación (solo simulación).",
        ),
    ] = False,
    evidence: Annotated[
        Path | None,
        typer.Option(help="Carpeta de evidencia (por defecto runs/<fecha>-<flujo>)."),
    ] = None,
    headed: Annotated[bool, typer.Option(help="Mostrar el navegador.")] = False,
    browser: Annotated[
        str | None, typer.Option(help="Ruta del navegador (o PORTAL_BOT_BROWSER).")
    ] = None,
    channel: Annotated[
        str | None, typer.Option(help="Navegador instalado: chrome o msedge.")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Recorrer sin enviar nada.")] = False,
    guided: Annotated[
        bool,
        typer.Option("--guided", help="La persona actúa en el navegador; la herramienta guía."),
    ] = False,
    operator: Annotated[
        str | None, typer.Option(help="Nombre del agente (por defecto el usuario del sistema).")
    ] = None,
    ticket: Annotated[str | None, typer.Option(help="Número de ticket para la evidencia.")] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Mostrar solo el resultado.")
    ] = False,
    lang: Annotated[str | None, typer.Option("--lang", help="Idioma del informe: es o en.")] = None,
    step_timeout: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(
            "--step-timeout", min=1, help="Milisegundos que cada paso espera a la página."
        ),
    ] = None,
    trace: Annotated[
        bool,
        typer.Option(
            "--trace", help="Grabar una traza de Playwright (sin secretos) para depurar el flujo."
        ),
    ] = False,
) -> None:
    """Ejecuta un flujo en un navegador real, con confirmaciones y evidencia."""
    from portal_bot import inputs
    from portal_bot.job import JobRequest, execute
    from portal_bot.progress import ConsoleView
    from portal_bot.prompt import TerminalPrompter, operator_name

    loaded = _load(flow)
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    who = operator or operator_name()
    prompter = TerminalPrompter(err, who) if interactive else None

    def ask_input(name: str, spec: object, message: str) -> str | None:
        from portal_bot.prompt import Question

        secret = getattr(spec, "type", "") == "secret"
        return prompter.ask(Question(message, secret=secret)) if prompter else None

    if dry_run and guided:
        raise UsageError("Elija --dry-run o --guided, no los dos.")
    if channel is not None and channel not in ("chrome", "msedge"):
        raise UsageError("--channel admite chrome o msedge")
    request = JobRequest(
        flow=loaded,
        given=inputs.parse_assignments(input_),
        evidence=evidence,
        mock=mock,
        mock_server=mock_server,
        yes=yes,
        browser=browser,
        channel=channel,
        headed=headed or guided,
        mode="dry-run" if dry_run else ("guided" if guided else "run"),
        operator=who,
        ticket=ticket,
        trace=trace,
        step_timeout_ms=step_timeout,
        lang=_lang(lang),
    )
    result = execute(
        request,
        prompter,
        ask_input,
        listeners=(ConsoleView(out, quiet=quiet),),
        on_folder=lambda folder: (
            out.print(f"Evidencia en [bold]{escape(str(folder))}[/]", soft_wrap=True)
            if not quiet
            else None
        ),
    )
    if result.exit_code == 4:
        err.print(f"[red]{escape(result.message)}[/]")
    out.print(f"Informe: {escape(str(result.folder / 'report.html'))}", soft_wrap=True)
    out.print(f"Hash final de la cadena (para el ticket): [bold]{result.chain}[/]", soft_wrap=True)
    raise typer.Exit(result.exit_code)


@app.command("guide")
@handles_errors
def guide_command(
    flow: Annotated[str, typer.Argument(help="Nombre o archivo del flujo.")],
    out_dir: Annotated[
        Path, typer.Option("--out", help="Carpeta donde escribir guide.html y guide.pdf.")
    ],
    browser: Annotated[Optional[str], typer.Option(help="Ruta del navegador.")] = None,  # noqa: UP045
) -> None:
    """Escribe una guía paso a paso con imágenes para el cliente (HTML y PDF)."""
    from portal_bot.guide import make_guide

    steps = make_guide(_load(flow), out_dir, browser)
    for name in ("guide.html", "guide.pdf"):
        out.print(f"{out_dir / name} ({len(steps)} pasos)", soft_wrap=True)


@app.command("schema")
@handles_errors
def schema_command() -> None:
    """Imprime el JSON Schema de los archivos de flujo (para el editor)."""
    from portal_bot.schema import flow_schema_text

    sys.stdout.write(flow_schema_text())


@app.command("verify")
@handles_errors
def verify_command(
    run_dir: Annotated[Path, typer.Argument(help="Carpeta de evidencia de una ejecución.")],
    chain: Annotated[Optional[str], typer.Option(help="Hash final anotado en el ticket.")] = None,  # noqa: UP045
) -> None:
    """Comprueba que una carpeta de evidencia no fue modificada."""
    from portal_bot.verify import verify

    if not run_dir.is_dir():
        raise UsageError(f"No existe la carpeta {run_dir}")
    problems = verify(run_dir, chain)
    for problem in problems:
        out.print(f"[red]✘[/] {escape(problem.message)}", soft_wrap=True)
    if problems:
        raise typer.Exit(1)
    out.print(f"[green]✔[/] La evidencia de {escape(str(run_dir))} está intacta.", soft_wrap=True)


@app.command("report")
@handles_errors
def report_command(
    run_dir: Annotated[Path, typer.Argument(help="Carpeta de evidencia de una ejecución.")],
    lang: Annotated[
        str | None, typer.Option("--lang", help="es o en (por defecto, el de la ejecución).")
    ] = None,
) -> None:
    """Rehace report.html a partir de events.jsonl."""
    from portal_bot.report import write_report

    if not (run_dir / "events.jsonl").is_file():
        raise UsageError(f"{run_dir} no tiene events.jsonl: ¿es una carpeta de evidencia?")
    chosen = _lang(lang) if lang else None
    out.print(f"Informe: {escape(str(write_report(run_dir, chosen)))}", soft_wrap=True)


@app.command("mock")
@handles_errors
def mock_command(
    port: Annotated[int, typer.Option(help="Puerto local (0: uno libre).")] = 8443,
    open_: Annotated[
        bool, typer.Option("--open", help="Abrir un navegador apuntado a la simulación.")
    ] = False,
    browser: Annotated[Optional[str], typer.Option(help="Ruta del navegador.")] = None,  # noqa: UP045
) -> None:
    """Sirve las simulaciones de los portales para practicar."""
    from portal_bot.mocks import all_portals
    from portal_bot.mocks.server import MockServer

    with MockServer(all_portals(), port=port) as server:
        out.print(f"Simulación en https://{server.address} para: {', '.join(server.hosts)}")
        out.print(f"Úsela con: portal-bot run FLUJO --mock-server {server.address}")
        if open_:
            _open_browser(server.address, server.hosts, browser)
            return
        out.print("Ctrl-C para terminar.")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            out.print("Simulación detenida.")


def _entry_points() -> list[tuple[str, str]]:
    from portal_bot.flow import Goto, walk
    from portal_bot.loader import load_flow

    entries: list[tuple[str, str]] = []
    for folder in flow_dirs():
        for path in sorted(folder.glob("*.yaml")):
            try:
                flow = load_flow(path)
            except FlowError:
                continue
            first = next((s for s in walk(flow.steps) if isinstance(s, Goto)), None)
            if first is not None:
                entries.append((flow.title, first.goto))
    return entries


def _open_browser(address: str, hosts: list[str], path: str | None) -> None:
    from html import escape as html_escape

    from playwright.sync_api import sync_playwright

    from portal_bot.browser import LaunchOptions, find_browser, launch, new_context

    choice = find_browser(path)
    links = "".join(
        f'<li><a href="{html_escape(url)}">{html_escape(title)}</a> '
        f"<code>{html_escape(url)}</code></li>"
        for title, url in _entry_points()
    )
    index = (
        '<!doctype html><meta charset="utf-8"><title>portal-bot: simulaciones</title>'
        "<h1>Simulaciones de portales (práctica)</h1><p>Este navegador solo llega a las "
        f"simulaciones locales.</p><ul>{links}</ul>"
    )
    with sync_playwright() as playwright:
        options = LaunchOptions(
            choice, headless=False, mock_address=address, mock_domains=tuple(hosts)
        )
        launched = launch(playwright, options)
        page = new_context(launched, mock=True).new_page()
        page.set_content(index)
        out.print("Cierre la ventana del navegador para terminar.")
        page.wait_for_event("close", timeout=0)
        launched.close()


def version_callback(value: bool) -> None:
    if value:
        out.print(f"portal-bot {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Muestra la versión."
        ),
    ] = False,
) -> None:
    """portal-bot"""


def main() -> None:
    app()
