"""pe-sunat-pse-alta in every markup dialect of the SUNAT mock (1 in test_sunat.py and
test_modes.py): the five scenarios of a seed flow, and the layout-table row that must not
pass for a registration."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from portal_bot.evidence import read_events
from portal_bot.flow import Target, Visible
from portal_bot.locators import holds_now
from portal_bot.mocks.sunat import catalog
from portal_bot.prompt import ScriptedPrompter
from tests.conftest import Runner
from tests.runner.test_sunat import CLAVE, DEMO

FLOW = "pe-sunat-pse-alta"
DIALECTS = [2, 3]
"""The dialects other than 1. Dialect 1 is the real markup and every mock's default: the
same scenarios in it are the flow's own tests (test_sunat.py, test_all_flows.py), which
check all that is checked here and more; running them again here only cost time."""
QUIET = {"captcha": "never", "handler_delay_ms": 300}


@pytest.mark.parametrize("dialect", DIALECTS)
def test_registers_once_then_a_second_run_sends_nothing(run: Runner, dialect: int) -> None:
    run.reset("sunat", dialect=dialect, popups=["importante", "informativo"], **QUIET)
    first = run(FLOW, DEMO, CLAVE)

    assert first.exit_code == 0, first.message
    state = run.state("sunat")
    assert (state["submissions"], state["login_attempts"]) == (1, 1)
    assert [r["ruc"] for r in state["registrations"]] == [catalog.VIDA_SOFTWARE]
    said = [e["text"] for e in read_events(first.folder) if e["type"] == "said"]
    assert len([t for t in said if "ventana emergente" in t]) == 2

    second = run(FLOW, DEMO, CLAVE)

    assert second.exit_code == 0, second.message
    assert second.result is not None and second.result.outcome == "already_done"
    assert run.state("sunat")["submissions"] == 1


@pytest.mark.parametrize("dialect", DIALECTS)
def test_declined_gate_submits_nothing(run: Runner, dialect: int) -> None:
    run.reset("sunat", dialect=dialect, popups="none", **QUIET)
    result = run(FLOW, DEMO, CLAVE, yes=False, prompter=ScriptedPrompter(False, by="agente"))

    assert result.exit_code == 3, result.message
    assert run.state("sunat")["submissions"] == 0


@pytest.mark.parametrize("dialect", DIALECTS)
def test_wrong_password_is_tried_once_and_explained(run: Runner, dialect: int) -> None:
    run.reset("sunat", dialect=dialect, popups="none", **QUIET)
    result = run(FLOW, DEMO, {"clave_sol": "otra-clave"})

    assert result.exit_code == 1
    assert "no aceptó el ingreso" in result.message
    assert run.state("sunat")["login_attempts"] == 1


@pytest.mark.parametrize("dialect", DIALECTS)
def test_dry_run_submits_nothing(run: Runner, dialect: int) -> None:
    run.reset("sunat", dialect=dialect, popups=["informativo", "celular"], **QUIET)
    result = run(FLOW, DEMO, CLAVE, mode="dry-run")

    assert result.exit_code == 0, result.message
    assert run.state("sunat")["submissions"] == 0
    events = read_events(result.folder)
    started = {e["index"]: e["step_id"] for e in events if e["type"] == "step_started"}
    simulated = [started[e["index"]] for e in events if e.get("status") == "simulated"]
    assert simulated == ["registrar"]


def test_a_ruc_typed_in_a_layout_table_is_not_a_registration(run: Runner) -> None:
    """Dialect 1 lays out both dialogs with tables: when «Registrar» is pressed the RUC
    sits in a box of a layout-table row, and the registration's answer never comes (the
    connection drops). Neither check of ``done_when`` may take that row for the PSE's row
    in the authorizations grid."""
    run.reset("sunat", dialect=1, popups="none", **QUIET)
    run.server.inject("sunat", kind="drop", path=catalog.PSE_PATH, method="POST", times=9)
    result = run(FLOW, DEMO, CLAVE, step_timeout_ms=5_000)

    assert result.exit_code == 1, result.message
    assert result.result is not None and result.result.outcome != "already_done"
    assert "ya figura" not in result.message
    assert run.state("sunat")["submissions"] == 0
    events = read_events(result.folder)
    started = {e["index"]: e["step_id"] for e in events if e["type"] == "step_started"}
    ended = [e for e in events if e["type"] == "step_ended"]
    assert [e["status"] for e in ended if started[e["index"]] == "registrar"] == ["failed"]


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


LAYOUT_PAGE = """<!doctype html><meta charset="utf-8">
<div role="grid"><div role="row"><table role="presentation"><tr>
  <th role="columnheader">RUC</th><th role="columnheader">Razón Social</th></tr></table></div>
  <div class="dojoxGridContent"></div></div>
<div role="dialog" aria-label="Lista de PSE activos">
  <table id="tabArchLista"><tr><td>RUC</td><td><input value="20600337832"></td>
    <td><span role="button">Buscar</span></td></tr></table>
</div>"""


def test_a_row_is_a_cell_of_a_data_grid_not_a_value_in_a_layout_table(page: Page) -> None:
    """The issue's trap, on its own: the RUC only in a box of a layout-table row, the
    authorizations grid empty. A role-and-name row finds the layout row; a person's
    «row» does not."""
    page.set_content(LAYOUT_PAGE)
    assert page.get_by_role("row", name=catalog.VIDA_SOFTWARE).count() == 1
    row = Visible(visible=Target(row=catalog.VIDA_SOFTWARE))
    assert not holds_now(page, page, row)
    page.locator(".dojoxGridContent").evaluate(
        "e => e.innerHTML = '<div role=row><table role=presentation><tr>"
        "<td role=gridcell>20600337832</td><td role=gridcell>VIDA SOFTWARE S.A.C.</td>"
        "</tr></table></div>'"
    )
    assert holds_now(page, page, row)
