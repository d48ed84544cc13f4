"""The failure matrix: every fault the mocks inject, at several steps of every seed flow.

Each cell runs the flow with one fault switched on (no retries, so the failure itself is
what is checked) and then, when the failure left something behind in the portal beyond a
sign-in, runs it again with the portal healthy. The first run must end
with exit 1 and a Spanish message that names the step and the cause, a picture of the
failed step when the page still exists, and a complete, valid evidence folder; nothing may
be submitted twice. The second run must finish the procedure with exactly one submission
per business action. A pop-up the flow knows is closed and the run goes on.
"""

from __future__ import annotations

import os
import signal
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserType

from portal_bot.events import Event, StepStarted
from portal_bot.evidence import read_events
from portal_bot.mocks.sii import urls as sii
from portal_bot.mocks.siigo.letter import build_pdf
from portal_bot.mocks.sunat import catalog as sunat
from portal_bot.verify import verify
from tests.conftest import Runner
from tests.runner.test_sii import AUTENTICACION, CENTRALIZAR, CLAVE_CERT, CLAVE_SII, pfx
from tests.runner.test_sii import GIVEN as SII_GIVEN
from tests.runner.test_sii import SECRETS as SII_SECRETS
from tests.runner.test_siigo import CLAVE as SIIGO_CLAVE
from tests.runner.test_siigo import DEMO as SIIGO_DEMO
from tests.runner.test_siigo import FLOW as SIIGO
from tests.runner.test_sunat import CLAVE as SUNAT_CLAVE
from tests.runner.test_sunat import DEMO as SUNAT_DEMO

SUNAT = "pe-sunat-pse-alta"
STEP_TIMEOUT_MS = 2_500
SIIGO_STEP2 = "/certificado-digital/tramita-tu-certificado"
SIIGO_FE = "/documentos-electronicos/facturacion-electronica"


@dataclass(frozen=True)
class Procedure:
    """A seed flow with its mock, its demo inputs and what counts as its business."""

    portal: str
    settings: dict[str, Any]
    inputs: Callable[[Path], tuple[dict[str, str], dict[str, str]]]
    business: Callable[[dict[str, Any]], tuple[int, ...]]
    """Counters of what the procedure submits; each must be exactly 1 once done."""


PROCEDURES = {
    SUNAT: Procedure(
        "sunat",
        {"popups": "none", "captcha": "never"},
        lambda _: (SUNAT_DEMO, SUNAT_CLAVE),
        lambda s: (len(s["registrations"]), s["submissions"]),
    ),
    CENTRALIZAR: Procedure(
        "sii",
        {"login_modal": False},  # one pop-up at a time: the fault's
        lambda tmp: (
            {"rut": "12.345.678-5", "certificado": str(pfx(tmp))},
            {"clave_sii": CLAVE_SII, "clave_certificado": CLAVE_CERT},
        ),
        lambda s: (len(s["centralized"]), s["submissions"]),
    ),
    AUTENTICACION: Procedure(
        "sii",
        {},
        lambda _: (SII_GIVEN, SII_SECRETS),
        lambda s: (s["clave_changes"], s["submissions"]),
    ),
    SIIGO: Procedure(
        "siigo",
        {},
        lambda tmp: ({**SIIGO_DEMO, "carta_firmada": str(letter(tmp))}, SIIGO_CLAVE),
        lambda s: (len(s["requests"]), s["submissions"]),
    ),
}


def letter(folder: Path) -> Path:
    path = folder / "carta-firmada.pdf"
    path.write_bytes(build_pdf([("F1", "Carta firmada y escaneada"), ("F1", "")]))
    return path


@dataclass(frozen=True)
class Cell:
    flow: str
    fault: dict[str, Any]
    step: str
    """The id of the step that must fail ("" when the run must go on to the end)."""
    cause: str
    """Part of the message that names the cause."""
    kill_at: str = ""
    """Kill the browser process when this step starts (instead of a server fault)."""
    or_step: str = ""
    """A step before ``step`` where the run may stop first, as rightly (its page is the
    same one, already covered: whether it stops there depends on the page's timing)."""
    ids: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        what = "kill" if self.kill_at else self.fault["kind"]
        return f"{self.flow}-{what}-{self.step or 'sigue'}"


GONE = "el navegador se cerró"
CUT = "se cortó la conexión"
ERROR = "(HTTP 500)"
SLOW = "no terminó de responder"
EXPIRED = "la sesión del portal expiró"
POPUP = "ventana emergente «Aviso»"
MAYBE_SENT = "no lo repita a mano"
NO_DEADLINE_LIMIT_S = 600
"""No run lasts longer than its --deadline, or 10 minutes when none is given."""


def fault(kind: str, path: str, method: str = "GET", **more: Any) -> dict[str, Any]:
    return {"kind": kind, "path": path, "method": method, "times": 99, "seconds": 60, **more}


CELLS = [
    # SUNAT: the menu, the login, the PSE module (an iframe) and the registration.
    Cell(SUNAT, fault("error500", sunat.MENU_PATH), "abrir-sol", ERROR),
    Cell(
        SUNAT,
        fault("drop", f"{sunat.OAUTH_PREFIX}/j_security_check", "POST"),
        "iniciar-sesion",
        CUT,
    ),
    Cell(SUNAT, fault("slow", sunat.PSE_PATH), "vista-pse", SLOW),
    Cell(SUNAT, fault("expire", sunat.PSE_PATH, times=1), "vista-pse", EXPIRED),
    # The pop-up covers the menu from its load: the search box typed into before its late
    # handler is wired cannot be typed again under it, or, once wired, the option is covered.
    Cell(
        SUNAT,
        fault("popup", sunat.MENU_PATH, skip=1, times=1),
        "abrir-altas-bajas",
        POPUP,
        or_step="buscar-opcion",
    ),
    Cell(SUNAT, fault("lost_answer", sunat.PSE_PATH, "POST"), "registrar", MAYBE_SENT),
    Cell(SUNAT, {}, "alta-servicio", GONE, kill_at="alta-servicio"),
    # SII, centralizar: public pages, Mi SII, the upload form and its submission.
    Cell(CENTRALIZAR, fault("error500", sii.SERVICIOS_PATH), "servicios-online", ERROR),
    Cell(CENTRALIZAR, fault("drop", sii.FACTURA_PATH), "factura-electronica", CUT),
    Cell(CENTRALIZAR, fault("slow", sii.CENTRALIZAR_PATH), "centralizar", SLOW),
    Cell(CENTRALIZAR, fault("expire", sii.CENTRALIZAR_PATH, times=1), "centralizar", EXPIRED),
    Cell(CENTRALIZAR, fault("popup", sii.MISII_PATH, times=1, title="Importante"), "", ""),
    Cell(
        CENTRALIZAR, fault("lost_answer", sii.CENTRALIZAR_POST_PATH, "POST"), "enviar", MAYBE_SENT
    ),
    Cell(CENTRALIZAR, {}, "conozca-factura", GONE, kill_at="conozca-factura"),
    # SII, Recuperar Clave: the page, the e-mailed code, the code, the new clave.
    Cell(AUTENTICACION, fault("error500", sii.RECOVERY_PATH), "recuperar-clave", ERROR),
    Cell(AUTENTICACION, fault("slow", sii.RECOVERY_PATH, "POST"), "pedir-codigo", MAYBE_SENT),
    Cell(AUTENTICACION, fault("drop", sii.RECOVERY_CODE_PATH, "POST"), "enviar-codigo", CUT),
    Cell(
        AUTENTICACION,
        fault("expire", sii.RECOVERY_CLAVE_PATH, "POST", times=1),
        "enviar-formulario",
        EXPIRED,
    ),
    Cell(AUTENTICACION, fault("popup", sii.RECOVERY_PATH, times=1, title="Importante"), "", ""),
    Cell(
        AUTENTICACION,
        fault("lost_answer", sii.RECOVERY_CLAVE_PATH, "POST"),
        "enviar-formulario",
        MAYBE_SENT,
    ),
    Cell(AUTENTICACION, {}, "ingresar-codigo", GONE, kill_at="ingresar-codigo"),
    # Siigo: Nube, the technology platform, the request form and its submission.
    Cell(SIIGO, fault("error500", SIIGO_FE), "facturacion-electronica", ERROR),
    Cell(SIIGO, fault("drop", "/certificado-digital"), "activa-certificado", CUT),
    Cell(SIIGO, fault("slow", SIIGO_STEP2), "continuar-tramite", SLOW),
    Cell(SIIGO, fault("expire", SIIGO_STEP2, times=1), "continuar-tramite", EXPIRED),
    Cell(
        SIIGO, fault("popup", f"{SIIGO_FE}/inicia-tu-proceso", times=1), "activa-certificado", POPUP
    ),
    Cell(
        SIIGO, fault("lost_answer", f"{SIIGO_STEP2}/enviar", "POST"), "enviar-solicitud", MAYBE_SENT
    ),
    Cell(SIIGO, {}, "rep-nombre", GONE, kill_at="rep-nombre"),
]


class Killer:
    """Kills every process of one Chromium (found by a marker switch) at a step's start."""

    def __init__(self, step_id: str) -> None:
        self.step_id = step_id
        self.marker = f"--portal-bot-test-{uuid.uuid4().hex}"
        self.killed = 0

    def __call__(self, event: Event) -> None:
        if isinstance(event, StepStarted) and event.step_id == self.step_id and not self.killed:
            for proc in Path("/proc").iterdir():
                try:
                    cmdline = (proc / "cmdline").read_bytes()
                except OSError:
                    continue
                if self.marker.encode() in cmdline:
                    os.kill(int(proc.name), signal.SIGKILL)
                    self.killed += 1


@pytest.fixture
def own_browser(
    browser_type: BrowserType, browser_type_launch_args: dict[str, Any]
) -> Iterator[Callable[[str], Browser]]:
    launched: list[Browser] = []

    def launch(marker: str) -> Browser:
        args = [*browser_type_launch_args.get("args", []), marker]
        launched.append(browser_type.launch(**{**browser_type_launch_args, "args": args}))
        return launched[-1]

    yield launch
    for browser in launched:
        if browser.is_connected():
            browser.close()


SIGNING_IN = frozenset({"login_attempts", "logins_ok", "sessions", "challenges", "popups_shown"})
"""What every sign-in changes in a mock's state (counters, sessions, the captcha or code
on show, the pop-ups seen): not something a failed run leaves for the next one to cope with."""


def left_behind(state: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in state.items() if key not in SIGNING_IN}


def step_ids(folder: Path) -> dict[int, str | None]:
    return {e["index"]: e["step_id"] for e in read_events(folder) if e["type"] == "step_started"}


@pytest.mark.parametrize("cell", CELLS, ids=[cell.name for cell in CELLS])
def test_fault(
    cell: Cell, run: Runner, tmp_path: Path, own_browser: Callable[[str], Browser]
) -> None:
    procedure = PROCEDURES[cell.flow]
    run.reset(procedure.portal, **procedure.settings)
    untouched = run.state(procedure.portal)
    inputs, secrets = procedure.inputs(tmp_path)
    killer = Killer(cell.kill_at) if cell.kill_at else None
    if cell.fault:
        run.server.inject(procedure.portal, **cell.fault)

    started = time.monotonic()
    first = run(
        cell.flow,
        inputs,
        secrets,
        step_timeout_ms=STEP_TIMEOUT_MS,
        listeners=(killer,) if killer else (),
        browser=own_browser(killer.marker) if killer else None,
        retry_budget_ms=0,
    )
    took = time.monotonic() - started

    assert took < NO_DEADLINE_LIMIT_S, f"{cell.name}: {took:.0f} s"
    assert read_events(first.folder)[-1]["duration_ms"] < NO_DEADLINE_LIMIT_S * 1000
    state = run.state(procedure.portal)
    assert all(count <= 1 for count in procedure.business(state)), state
    assert verify(first.folder) == []
    events = read_events(first.folder)
    assert events[-1]["type"] == "run_ended"
    if not cell.step:  # a pop-up the flow knows: closed, and the run goes on
        assert first.exit_code == 0, first.message
        assert any("Se cerró la ventana emergente" in e.get("text", "") for e in events)
        assert procedure.business(state) == (1, 1)
        return
    assert first.exit_code == 1, first.message
    assert first.result is not None and first.result.failed_step is not None
    failed = first.result.failed_step
    assert step_ids(first.folder)[failed] in {cell.step, cell.or_step or cell.step}, first.message
    assert first.message.startswith(f"Falló el paso {failed} «"), first.message
    assert cell.cause in first.message, first.message
    if cell.fault.get("kind") in ("slow", "lost_answer"):  # no answer in time: not a cut line
        assert CUT not in first.message, first.message
    [ended] = [e for e in events if e["type"] == "step_ended" and e["index"] == failed]
    assert ended["status"] == "failed"
    if killer:
        assert killer.killed > 0
    else:
        assert ended["screenshot"] and (first.folder / ended["screenshot"]).is_file()

    run.server.clear_faults(procedure.portal)
    if left_behind(run.state(procedure.portal)) == left_behind(untouched):
        # The failure left nothing behind but a sign-in (nothing asked, saved, attached or
        # sent): the run after it is the plain run the flow's own tests make, and their
        # second runs already sign in again. Only a portal the failure changed needs to
        # be shown that a new run finishes once.
        return
    started = time.monotonic()
    second = run(cell.flow, inputs, secrets, deadline_s=300)

    assert time.monotonic() - started < 300 + 30  # the deadline, then picture and report

    assert second.exit_code == 0, second.message
    assert procedure.business(run.state(procedure.portal)) == (1, 1)
