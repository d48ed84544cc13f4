"""The command line: a thin typer shell over load_flow / execute. Only here are errors
turned into exit codes: 0 done, 1 a step failed, 2 bad usage or input, 3 stopped at a
gate, 4 a secret found in the evidence, 130 interrupted."""

from __future__ import annotations

import functools
import hashlib
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from portal_bot import __version__
from portal_bot.cli_texts import CONTEXT, LocalGroup
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
    cls=LocalGroup,
    context_settings=CONTEXT,
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
    """Where flows are looked for: ./flows, then the flows shipped with portal-bot.

    Installed from a wheel they are ``portal_bot/flows``; in a source checkout (editable
    install, ``src/portal_bot``) they are the repository's ``flows/``, which the wheel maps.
    """
    package = Path(__file__).resolve().parent
    checkout = package.parents[1]
    in_checkout = package.parent.name == "src" and (checkout / "pyproject.toml").is_file()
    source = checkout / "flows" if in_checkout else None
    found: list[Path] = []
    for folder in (Path.cwd() / "flows", source, package / "flows"):
        if folder is not None and folder.is_dir() and folder.resolve() not in found:
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


def _load_for_run(name: str, mock_server: str | None, mock_token: str | None) -> Flow:
    """The flow, the modules of a run and the mock's proof (while the driver starts)."""
    from portal_bot.job import prove_ahead

    loaded = _load(name)
    if mock_server is not None:
        prove_ahead(mock_server, mock_token)
    return loaded


@app.command("flows")
@handles_errors
def flows_command() -> None:
    """Lista los flujos disponibles."""
    from rich.table import Table

    from portal_bot.loader import load_flow

    table = Table("Flujo", "País", "Portal", "Trámite", box=None)
    table.columns[0].no_wrap = True  # an id is typed back: never cut it
    for folder in flow_dirs():
        for path in sorted(folder.glob("*.yaml")):
            try:
                flow = load_flow(path)
            except FlowError:
                table.add_row(path.stem, "", "", "[red]inválido: portal-bot validate[/]")
                continue
            table.add_row(flow.id, flow.country, flow.portal, flow.title)
    table.columns[0].min_width = max(len(str(cell)) for cell in table.columns[0].cells)
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
        bool, typer.Option(help="Ejecutar contra el portal de práctica (la simulación local).")
    ] = False,
    mock_server: Annotated[
        str | None,
        typer.Option(help="Portal de práctica ya iniciado con «portal-bot mock»: IP:PUERTO local."),
    ] = None,
    mock_token: Annotated[
        str | None,
        typer.Option(
            help="Clave que muestra «portal-bot mock» (si el portal de práctica es de otro "
            "usuario).",
        ),
    ] = None,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes",
            help="Aprobar todo y responder los desafíos del portal de práctica (solo en él).",
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
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Ensayo: recorrer el flujo sin enviar nada.")
    ] = False,
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
    secrets_: Annotated[
        str,
        typer.Option(
            "--secrets",
            help="De dónde leer los secretos: env (PORTAL_BOT_SECRET_*, o se preguntan) o "
            "keyring (el llavero del sistema; vea portal-bot secrets).",
        ),
    ] = "env",
    json_: Annotated[
        bool,
        typer.Option(
            "--json", help="Eventos en la salida estándar, un objeto JSON por línea (como jq)."
        ),
    ] = False,
    deadline: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option(
            "--deadline",
            min=1,
            help="Segundos que puede durar toda la ejecución: ningún paso espera más allá.",
        ),
    ] = None,
) -> None:
    """Ejecuta un flujo en un navegador real, con confirmaciones y evidencia."""
    from portal_bot.browser import SECRET_ENV_PREFIX
    from portal_bot.driver import started_while

    # Playwright's driver starts while the flow loads (portal_bot.driver). No child process
    # may inherit a secret: they leave the environment first, for the run to read.
    secret_names = [name for name in os.environ if name.startswith(SECRET_ENV_PREFIX)]
    secret_env = {name: os.environ.pop(name) for name in secret_names}
    with started_while(lambda: _load_for_run(flow, mock_server, mock_token)) as (driver, loaded):
        from portal_bot import inputs
        from portal_bot.events import Listener
        from portal_bot.job import JobRequest, execute
        from portal_bot.progress import JsonLines, make_view
        from portal_bot.prompt import TerminalPrompter, operator_name

        # With --json, stdout carries only events: people read (and answer on) stderr.
        human = err if json_ else out
        interactive = sys.stdin.isatty() and (sys.stderr if json_ else sys.stdout).isatty()
        view = make_view(out, err, quiet=quiet, json_lines=json_)
        listeners: tuple[Listener, ...] = (view, JsonLines(sys.stdout.buffer)) if json_ else (view,)
        who = operator or operator_name()
        prompter = TerminalPrompter(err, who, pause=view.paused) if interactive else None

        def ask_input(name: str, spec: object, message: str) -> str | None:
            from portal_bot.prompt import Question

            secret = getattr(spec, "type", "") == "secret"
            return prompter.ask(Question(message, secret=secret)) if prompter else None

        if dry_run and guided:
            raise UsageError("Elija --dry-run o --guided, no los dos.")
        if dry_run:
            _show_reviews(find_flow(flow), human)
        if channel is not None and channel not in ("chrome", "msedge"):
            raise UsageError("--channel admite chrome o msedge")
        if secrets_ not in ("env", "keyring"):
            raise UsageError("--secrets admite env o keyring")
        request = JobRequest(
            flow=loaded,
            given=inputs.parse_assignments(input_),
            environ=secret_env,
            evidence=evidence,
            mock=mock,
            mock_server=mock_server,
            mock_token=mock_token,
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
            secrets=secrets_,
            deadline_s=deadline,
            flow_sha256=hashlib.sha256(find_flow(flow).read_bytes()).hexdigest(),
        )

        def located(folder: Path) -> None:
            view.folder = folder  # kept files (a captcha's picture) are shown by full path
            if not quiet:
                human.print(f"Evidencia en [bold]{escape(str(folder))}[/]", soft_wrap=True)

        try:
            result = execute(
                request,
                prompter,
                ask_input,
                listeners=listeners,
                on_folder=located,
                hold_ctrl_c=True,
                driver=driver,
            )
        finally:
            view.close()
        if result.exit_code == 4:
            err.print(f"[red]{escape(result.message)}[/]")
        human.print(f"Informe: {escape(str(result.folder / 'report.html'))}", soft_wrap=True)
        human.print(
            f"Sello de la evidencia (péguelo en el ticket; cubre todos los archivos de la "
            f"carpeta): [bold]{result.seal}[/]",
            soft_wrap=True,
        )
        raise typer.Exit(result.exit_code)


def _show_reviews(path: Path, console: Console) -> None:
    """A recorded flow's open decisions (``# REVISAR``), before its dry-run."""
    from portal_bot.drafting import REVIEW

    lines = path.read_text(encoding="utf-8").splitlines()
    marked = [(n, line.strip()) for n, line in enumerate(lines, 1) if REVIEW in line]
    if marked:
        console.print(f"[yellow]{len(marked)} decisiones por revisar en {escape(str(path))}:[/]")
        for number, line in marked:
            console.print(f"  línea {number}: {escape(line)}", soft_wrap=True)


secrets_app = typer.Typer(
    help="Secretos en el llavero del sistema, para [bold]run --secrets keyring[/]. "
    "El valor nunca va en la línea de órdenes: se escribe sin mostrarse.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
app.add_typer(secrets_app, name="secrets")

SecretName = Annotated[str, typer.Argument(help="Entrada secreta del flujo, p. ej. clave_sol.")]
Account = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--account",
        help="RUC, RUT o NIT del contribuyente dueño del secreto (un valor por cliente).",
    ),
]
NoValue = Annotated[Optional[list[str]], typer.Argument(hidden=True)]  # noqa: UP045


def _secret_flows(name: str, extra: list[str] | None) -> list[Flow]:
    """The known flows with a secret input ``name``; refuse values given as arguments."""
    import re

    from portal_bot.flow import VAR_NAME
    from portal_bot.loader import load_flow

    if extra:
        raise UsageError(
            "El valor de un secreto nunca se escribe en la línea de órdenes (queda en el "
            "historial y lo ven otros procesos): ejecute solo «portal-bot secrets set "
            f"{name}» y escríbalo cuando se le pida. Si ya lo escribió, bórrelo del historial."
        )
    if not re.match(VAR_NAME, name):
        raise UsageError(f"«{name[:40]}» no es un nombre de entrada (ejemplo: clave_sol)")
    users: list[Flow] = []
    for folder in flow_dirs():
        for path in sorted(folder.glob("*.yaml")):
            try:
                loaded = load_flow(path)
            except FlowError:
                continue
            spec = loaded.inputs.get(name)
            if spec is not None and spec.type == "secret":
                users.append(loaded)
    return users


def _check_account(users: list[Flow], account: str | None) -> None:
    """When every flow using the secret has the same kind of tax id, check its digit now."""
    from portal_bot import inputs, secrets
    from portal_bot.errors import InputError
    from portal_bot.flow import Input

    kinds = {f.inputs[name].type for f in users if (name := secrets.tax_id_input(f))}
    if account is None or len(kinds) != 1:
        return
    (kind,) = kinds
    try:
        inputs.check(Input(type=kind, prompt=kind.upper()), account, {})
    except InputError as exc:
        raise InputError(f"--account: {exc}") from None


@secrets_app.command("set")
@handles_errors
def secrets_set_command(name: SecretName, account: Account = None, extra: NoValue = None) -> None:
    """Guarda un secreto: se escribe dos veces sin mostrarse (o una línea por stdin)."""
    from portal_bot import secrets
    from portal_bot.prompt import new_secret

    users = _secret_flows(name, extra)
    if not users:
        err.print(f"[yellow]Ningún flujo conocido tiene un secreto «{escape(name)}».[/]")
    elif account is None and all(secrets.tax_id_input(f) for f in users):
        tax = users[0].inputs[secrets.tax_id_input(users[0]) or ""].type.upper()
        ids = ", ".join(f.id for f in users)
        raise UsageError(
            f"Los flujos que usan «{name}» ({ids}) lo buscan por contribuyente: indique de "
            f"quién es con --account {tax}, p. ej. portal-bot secrets set {name} --account {tax}"
        )
    _check_account(users, account)
    secrets.usable_keyring()
    owner = f" del {account}" if account else ""
    value = new_secret(err, f"Valor de «{name}»{owner}", sys.stdin)
    entry = secrets.store(name, account, value)
    out.print(f"[green]✔[/] Guardado en el llavero del sistema como «{escape(entry)}».")


@secrets_app.command("delete")
@handles_errors
def secrets_delete_command(
    name: SecretName, account: Account = None, extra: NoValue = None
) -> None:
    """Borra un secreto del llavero del sistema."""
    from portal_bot import secrets

    _secret_flows(name, extra)
    entry = secrets.entry(name, account)
    if secrets.delete(name, account):
        out.print(f"[green]✔[/] Borrado «{escape(entry)}» del llavero del sistema.")
    else:
        out.print(f"No había «{escape(entry)}» en el llavero del sistema.")


@secrets_app.command("status")
@handles_errors
def secrets_status_command(
    flow: Annotated[str, typer.Argument(help="Nombre o archivo del flujo.")],
    account: Account = None,
) -> None:
    """Muestra qué secretos del flujo están en el llavero (sin mostrar sus valores)."""
    from rich.table import Table

    from portal_bot import secrets

    loaded = _load(flow)
    names = [n for n, spec in loaded.inputs.items() if spec.type == "secret"]
    tax_id = secrets.tax_id_input(loaded)
    if tax_id is not None and account is None:
        tax = loaded.inputs[tax_id].type.upper()
        raise UsageError(f"El flujo {loaded.id} guarda sus secretos por {tax}: indique --account")
    if tax_id is None:
        account = None
    table = Table("Secreto", "Entrada del llavero", "Estado", box=None)
    missing: list[str] = []
    scope = f" --account {account}" if account else ""
    for name in names:
        stored = secrets.read(name, account) is not None
        if not stored:
            missing.append(f"portal-bot secrets set {name}{scope}")
        state = "[green]guardado[/]" if stored else "[red]falta[/]"
        table.add_row(name, escape(secrets.entry(name, account)), state)
    out.print(table)
    for command in missing:
        out.print(f"Guárdelo con: {escape(command)}", soft_wrap=True)
    if missing:
        raise typer.Exit(1)


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
    seal: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--sello",
            "--chain",
            metavar="SELLO",
            help="El sello de la evidencia que se pegó en el ticket (cubre todos los "
            "archivos de la carpeta). --chain es su nombre anterior.",
        ),
    ] = None,
) -> None:
    """Comprueba que una carpeta de evidencia no fue modificada."""
    from portal_bot.verify import verify

    if not run_dir.is_dir():
        raise UsageError(f"No existe la carpeta {run_dir}")
    problems = verify(run_dir, seal)
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
        str | None,
        typer.Option(
            "--lang",
            help="es o en (por defecto, el de la ejecución). En otro idioma se escribe junto "
            "a la carpeta (CARPETA.report.en.html), que así sigue verificándose.",
        ),
    ] = None,
) -> None:
    """Rehace el informe a partir de events.jsonl."""
    from portal_bot.report import write_report

    if not (run_dir / "events.jsonl").is_file():
        raise UsageError(f"{run_dir} no tiene events.jsonl: ¿es una carpeta de evidencia?")
    chosen = _lang(lang) if lang else None
    out.print(f"Informe: {escape(str(write_report(run_dir, chosen)))}", soft_wrap=True)


@app.command("record")
@handles_errors
def record_command(
    destination: Annotated[Path, typer.Option("--out", help="Archivo del flujo nuevo (.yaml).")],
    url: Annotated[Optional[str], typer.Argument(help="Dirección de entrada del portal.")] = None,  # noqa: UP045
    mock: Annotated[
        bool, typer.Option(help="Grabar contra la simulación local de los portales.")
    ] = False,
    mock_server: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(help="Grabar contra una simulación en HOST:PUERTO."),
    ] = None,
    flow_id: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--id", help="Identificador del flujo (por defecto, el nombre del archivo)."),
    ] = None,
    title: Annotated[Optional[str], typer.Option(help="Título del trámite.")] = None,  # noqa: UP045
    browser: Annotated[Optional[str], typer.Option(help="Ruta del navegador.")] = None,  # noqa: UP045
    headless: Annotated[bool, typer.Option(hidden=True)] = False,
    debugging_port: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--remote-debugging-port", hidden=True),
    ] = None,
) -> None:
    """Graba un trámite hecho una vez por una persona y lo escribe como flujo."""
    from contextlib import ExitStack

    from portal_bot.drafting import REVIEW, draft_flow
    from portal_bot.loader import load_flow
    from portal_bot.recorder import RecordOptions, record

    if destination.suffix not in (".yaml", ".yml"):
        raise UsageError(f"--out debe terminar en .yaml: {destination}")
    if destination.exists():
        raise UsageError(f"{destination} ya existe; elija otro nombre para no sobrescribirlo.")
    name = flow_id or destination.stem
    options = RecordOptions(url=url, browser=browser, headless=headless,
                            debugging_port=debugging_port)  # fmt: skip
    with ExitStack() as stack:
        if mock or mock_server:
            from portal_bot.mocks import all_portals

            portals = all_portals()
            options.mock_hosts = tuple(sorted(h for p in portals for h in p.hosts))
            if mock:
                from portal_bot.mocks.server import MockServer

                options.mock_address = stack.enter_context(MockServer(portals)).address
            else:
                options.mock_address = mock_server

        def ready() -> None:
            out.print("Grabando: haga el trámite en la ventana y, al terminar, pulse «Terminar "
                      "grabación» (o cierre el navegador).")  # fmt: skip
            out.file.flush()

        recording = record(options, ready)
    if not recording.acts:
        raise UsageError("No se grabó ninguna acción: no se escribió ningún flujo.")
    text = draft_flow(recording, name, title or f"Trámite grabado: {name}")
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_text(text, encoding="utf-8")
    load_flow(destination)
    reviews = [line.strip() for line in text.splitlines() if REVIEW in line]
    out.print(f"Flujo escrito en {destination} ({len(recording.acts)} acciones grabadas).")
    if reviews:
        out.print(f"Quedan {len(reviews)} decisiones por revisar (marcadas {REVIEW}).")
    out.print(f"Pruébelo sin enviar nada: portal-bot run {destination} --dry-run --mock")


@app.command("mock")
@handles_errors
def mock_command(
    port: Annotated[int, typer.Option(help="Puerto local (0: uno libre).")] = 8443,
    open_: Annotated[
        bool, typer.Option("--open", help="Abrir un navegador apuntado a la simulación.")
    ] = False,
    browser: Annotated[Optional[str], typer.Option(help="Ruta del navegador.")] = None,  # noqa: UP045
    dialect: Annotated[
        int,
        typer.Option(
            min=1,
            max=3,
            help="Variante del marcado de las páginas (1: la del portal real; 2 y 3: otras "
            "formas de las mismas pantallas, para probar que un flujo no depende de una).",
        ),
    ] = 1,
) -> None:
    """Sirve los portales de práctica (simulaciones locales de los portales)."""
    from portal_bot.mocks import all_portals
    from portal_bot.mocks.server import MockServer

    server = MockServer(all_portals(), port=port)
    try:
        server.start()
    except OSError as exc:
        server.stop()
        raise UsageError(
            f"No se pudo abrir el puerto {port} para el portal de práctica "
            f"({exc.strerror or exc}): "
            "elija otro con --port (0 toma uno libre)."
        ) from None
    try:
        if dialect != 1:
            for portal in server.portals:
                portal.configure({"dialect": dialect})
            out.print(f"Variante de marcado: {dialect}")
        out.print(f"Portal de práctica en https://{server.address} para: {', '.join(server.hosts)}")
        out.print(f"Úselo con: portal-bot run FLUJO --mock-server {server.address}")
        out.print(
            f"Clave de este portal de práctica: {server.token} (otro usuario la indica con "
            "--mock-token)"
        )
        if open_:
            _open_browser(server.address, server.hosts, browser)
            return
        out.print("Ctrl-C para terminar.")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            out.print("Portal de práctica detenido.")
    finally:
        server.stop()


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
