"""The security cases of issue 15 share the evidence tests' pristine SUNAT run."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from portal_bot.events import Listener
from portal_bot.job import JobRequest, JobResult, execute
from portal_bot.loader import load_flow
from portal_bot.prompt import Prompter
from tests.conftest import Runner


def seal(folder: Path) -> str:
    """The hash a ticket holds: the SHA-256 of the folder's manifest.json."""
    return hashlib.sha256((folder / "manifest.json").read_bytes()).hexdigest()


@pytest.fixture
def copy(pristine: Path, tmp_path: Path) -> Path:
    """A copy of the pristine run folder to tamper with."""
    folder = tmp_path / "run"
    shutil.copytree(pristine, folder, symlinks=True)
    return folder


HEADER = """
id: prueba-seguridad
title: Prueba de seguridad
country: PE
portal: SUNAT
mock: sunat
domains: [e-menu.sunat.gob.pe, api-seguridad.sunat.gob.pe, ww1.sunat.gob.pe]
inputs:
  clave_sol: {type: secret, prompt: Clave SOL}
steps:
"""


def flow_file(folder: Path, steps: str, header: str = HEADER) -> Path:
    """A small flow on the SUNAT mock, written to ``folder``; ``steps`` is YAML."""
    path = folder / "prueba-seguridad.yaml"
    path.write_text(header + steps, encoding="utf-8")
    return path


def run_text(
    run: Runner,
    steps: str,
    secrets: dict[str, str],
    *,
    prompter: Prompter | None = None,
    listeners: tuple[Listener, ...] = (),
    step_timeout_ms: int | None = None,
) -> JobResult:
    """Run a small flow through the same code as ``portal-bot run``, on the shared mock."""
    request = JobRequest(
        flow=load_flow(flow_file(run.tmp, steps)),
        evidence=run.tmp / f"ev-{len(list(run.tmp.iterdir()))}",
        mock_server=run.server.address,
        yes=prompter is None,
        step_timeout_ms=step_timeout_ms,
        environ={f"PORTAL_BOT_SECRET_{k.upper()}": v for k, v in secrets.items()},
    )
    return execute(request, prompter, None, listeners, browser=run.browser)
