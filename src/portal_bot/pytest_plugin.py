"""pytest plugin: every flow file is one test, run against its mock portal.

::

    pytest flows/                                  # auto-loaded through the entry point
    pytest flows/ -p portal_bot --portal-bot-mode=yes -n 2

Collection rule. A file becomes a test only when all three hold:

1. its name ends in ``.yaml`` or ``.yml``;
2. the folder it is in is named ``flows`` (the ini option ``portal_bot_flow_folders``
   lists other folder names; it replaces the default);
3. its first line is the editor marker every flow starts with,
   ``# yaml-language-server: $schema=…flow.schema.json``.

So ``pytest tests/`` collects nothing new (the loader's broken test files live in
``tests/loader/cases/`` and have no marker), and other projects' YAML files are ignored.
``-p no:portal_bot`` turns the plugin off.

The test (a) validates the file with :func:`portal_bot.loader.load_flow`, then (b) runs it
against its mock with the mock's demo account, every gate approved:
``--portal-bot-mode=dry-run`` (the default) walks without sending anything,
``--portal-bot-mode=yes`` is a real run against the mock. Secrets of the demo account
reach the run only through ``JobRequest.environ``, never argv or ``os.environ``. A flow
without a mock, or whose mock has no demo account for it, is validated and then skipped.

Evidence goes under pytest's temporary folder (per xdist worker), or into
``--portal-bot-evidence DIR``. A failure names the flow, each failed step (number, id,
title, message, screenshot) and the evidence folder, as read from its ``summary.json``.

This module is imported into every pytest session wherever portal-bot is installed, so
at import it needs only pytest and the standard library: the loader, the mocks and
Playwright are imported when a flow test runs.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from _pytest._code.code import TerminalRepr, TracebackStyle

    from portal_bot.job import JobResult

MARKER = re.compile(r"#\s*yaml-language-server:\s*\$schema=\S*flow\.schema\.json\s*")
SUFFIXES = (".yaml", ".yml")
TOP_LEVEL_ID = re.compile(r"^id:\s*['\"]?([A-Za-z0-9_.-]+)['\"]?\s*$", re.MULTILINE)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("portal-bot", "portal-bot: los flujos como pruebas")
    group.addoption(
        "--portal-bot-mode",
        dest="portal_bot_mode",
        choices=("dry-run", "yes"),
        default="dry-run",
        help="dry-run: recorrer cada flujo en su simulación sin enviar nada (por defecto); "
        "yes: ejecución real contra la simulación, con todas las confirmaciones aprobadas.",
    )
    group.addoption(
        "--portal-bot-evidence",
        dest="portal_bot_evidence",
        metavar="DIR",
        default=None,
        help="Carpeta donde dejar la evidencia de cada flujo "
        "(por defecto, la carpeta temporal de pytest).",
    )
    parser.addini(
        "portal_bot_flow_folders",
        type="args",
        default=["flows"],
        help="Nombres de las carpetas cuyos archivos de flujo son pruebas (por defecto: flows).",
    )


def is_flow_file(path: Path, folders: list[str]) -> bool:
    """The collection rule of the module docstring; reads at most the first line."""
    if path.suffix not in SUFFIXES or path.parent.name not in folders:
        return False
    try:
        with path.open("rb") as handle:
            first = handle.readline(512)
    except OSError:
        return False
    return MARKER.fullmatch(first.decode("utf-8", "replace").rstrip("\r\n")) is not None


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> FlowFile | None:
    if is_flow_file(file_path, list(parent.config.getini("portal_bot_flow_folders"))):
        flow_file: FlowFile = FlowFile.from_parent(parent, path=file_path)
        return flow_file
    return None


class FlowFile(pytest.File):
    def collect(self) -> list[pytest.Item]:
        # The flow's id without parsing YAML (that is the test's job): its top-level line.
        try:
            found = TOP_LEVEL_ID.search(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            found = None
        name = found.group(1) if found else self.path.stem
        return [FlowItem.from_parent(self, name=name)]


@dataclass
class FailedStep:
    index: int
    id: str | None
    title: str
    message: str | None
    screenshot: Path | None


@dataclass(eq=False)
class FlowRunFailed(Exception):
    """A flow that ran and did not finish well; shown by :meth:`FlowItem.repr_failure`."""

    flow_id: str
    mode: str
    exit_code: int
    message: str
    folder: Path
    steps: list[FailedStep] = field(default_factory=list)

    def __str__(self) -> str:
        return self.message

    def render(self, path: str) -> str:
        lines = [
            f"El flujo {self.flow_id} ({path}) falló en modo {self.mode} "
            f"(código de salida {self.exit_code}):",
            f"  {self.message}",
        ]
        for step in self.steps:
            lines += [
                "",
                f"  Paso {step.index} · {step.id or '(sin id)'} · «{step.title}»",
                f"    {step.message or '(sin mensaje)'}",
                f"    Captura:   {step.screenshot or '—'}",
            ]
        lines += [
            "",
            f"  Evidencia: {self.folder}",
            f"  Informe:   {self.folder / 'report.html'}",
        ]
        return "\n".join(lines)


class FlowItem(pytest.Item):
    """One flow file: validate it, then run it against its mock."""

    def runtest(self) -> None:
        from portal_bot.loader import load_flow

        flow = load_flow(self.path)
        if flow.mock is None:
            pytest.skip(f"{flow.id}: válido; no tiene simulación (mock) contra la cual ejecutarlo")
        from portal_bot.job import JobRequest, execute
        from portal_bot.mocks import REGISTRY, make_portal

        if flow.mock not in REGISTRY:
            known = ", ".join(sorted(REGISTRY))
            pytest.fail(
                f"{flow.id}: no hay simulación «{flow.mock}»; las hay: {known}", pytrace=False
            )
        mode = str(self.config.getoption("portal_bot_mode"))
        portal = make_portal(flow.mock)
        with tempfile.TemporaryDirectory(prefix="portal-bot-demo-") as files:
            try:
                demo = portal.demo(flow.id, Path(files))
            except KeyError:
                pytest.skip(
                    f"{flow.id}: válido; la simulación {flow.mock} no tiene cuenta de "
                    "demostración para este flujo"
                )
            secret = {k for k, spec in flow.inputs.items() if spec.type == "secret"}
            folder = self._evidence_folder(flow.id)
            self.user_properties.append(("evidence", str(folder)))
            request = JobRequest(
                flow=flow,
                given={k: v for k, v in demo.items() if k not in secret},
                evidence=folder,
                mock=True,
                yes=True,
                mode="run" if mode == "yes" else "dry-run",
                operator="pytest",
                environ={
                    f"PORTAL_BOT_SECRET_{k.upper()}": v for k, v in demo.items() if k in secret
                },
            )
            result = execute(request, None, None)
        if result.exit_code != 0:
            raise failure(flow.id, mode, result)

    def _evidence_folder(self, flow_id: str) -> Path:
        chosen = self.config.getoption("portal_bot_evidence")
        if chosen:
            from portal_bot.evidence import claim_folder

            return claim_folder(flow_id, self.config.invocation_params.dir / str(chosen))
        factory: pytest.TempPathFactory | None = getattr(self.config, "_tmp_path_factory", None)
        if factory is None:  # -p no:tmpdir
            return Path(tempfile.mkdtemp(prefix=f"{flow_id}-"))
        return factory.mktemp(flow_id, numbered=True)

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: TracebackStyle | None = None,
    ) -> str | TerminalRepr:
        from portal_bot.errors import FlowError, PortalBotError

        error = excinfo.value
        if isinstance(error, FlowRunFailed):
            return error.render(self.nodeid.split("::")[0])
        if isinstance(error, FlowError):
            return "\n".join(error.problems)
        if isinstance(error, PortalBotError):
            return f"{self.name}: {error}"
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"flow: {self.name}"


def failure(flow_id: str, mode: str, result: JobResult) -> FlowRunFailed:
    """What went wrong, from the run's summary.json (written by :mod:`portal_bot.summary`)."""
    from portal_bot.summary import SUMMARY

    try:
        summary: dict[str, Any] = json.loads((result.folder / SUMMARY).read_text("utf-8"))
    except (OSError, ValueError):
        summary = {"steps": []}
    steps = [
        FailedStep(
            index=step["index"],
            id=step.get("id"),
            title=step.get("title") or "",
            message=step.get("message"),
            screenshot=result.folder / step["screenshot"] if step.get("screenshot") else None,
        )
        for step in summary.get("steps", [])
        if step.get("status") == "failed"
    ]
    return FlowRunFailed(flow_id, mode, result.exit_code, result.message, result.folder, steps)
