"""Case 6: the domain allow-list reads an address as a browser does: a user part, a
backslash or any host the parsers disagree on is refused, when the flow is loaded and
again when a ``goto`` runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portal_bot.errors import FlowError
from portal_bot.job import JobRequest, execute
from portal_bot.loader import load_flow
from tests.conftest import Runner
from tests.security.conftest import flow_file

HOSTILE = [
    "https://attacker.example\\@e-menu.sunat.gob.pe/login",
    "https://attacker.example\\.e-menu.sunat.gob.pe/",
    "https://e-menu.sunat.gob.pe\\@attacker.example/",
    "https://user@e-menu.sunat.gob.pe/",
    "https://e-menu.sunat.gob.pe@attacker.example/",
    "https://e-menu.sunat.gob.pe:pw@attacker.example/",
    "https://attacker.example%2F@e-menu.sunat.gob.pe/",
    "https://e-menu.sunat.gob.pe%2eattacker.example/",
    "https://e-menu.sunat.gob.pe\t.attacker.example/",
    "https://e-menu.sunat.gob.pe:99999/",
    "https://${servidor}/login",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_a_hostile_address_is_refused_when_the_flow_is_loaded(url: str, tmp_path: Path) -> None:
    path = flow_file(tmp_path, f"  - goto: {json.dumps(url)}\n")

    with pytest.raises(FlowError) as refused:
        load_flow(path)

    assert "steps[0].goto" in str(refused.value)
    if "\t" not in url:  # a tab is already refused as a space
        assert "un navegador la leería distinto" in str(refused.value)


@pytest.mark.parametrize("url", HOSTILE)
def test_a_hostile_address_has_no_host(url: str) -> None:
    from portal_bot.flow import url_host

    assert url_host(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "https://e-menu.sunat.gob.pe/cl-ti-itmenu/MenuInternet.htm",
        "https://E-MENU.sunat.gob.pe:443/a?b=c@d#f@g",
        "https://homer.sii.cl/",
    ],
)
def test_a_plain_address_keeps_its_host(url: str) -> None:
    from portal_bot.flow import url_host

    host = url_host(url)
    assert host is not None and host in url.lower()


def test_a_goto_that_slipped_past_the_loader_is_refused_when_it_runs(run: Runner) -> None:
    run.reset("sunat", popups="none", captcha="never")
    bad = "https://attacker.example\\@e-menu.sunat.gob.pe/cl-ti-itmenu/MenuInternet.htm"
    flow = load_flow(flow_file(run.tmp, "  - goto: https://e-menu.sunat.gob.pe/\n"))
    # What a flow built without the loader (or past a bug in it) would hand the runner.
    hostile = flow.steps[0].model_copy(update={"goto": bad})
    request = JobRequest(
        flow=flow.model_copy(update={"steps": [hostile]}),
        evidence=run.tmp / "ev",
        mock_server=run.server.address,
        yes=True,
        environ={"PORTAL_BOT_SECRET_CLAVE_SOL": "moddatos"},
    )

    result = execute(request, None, None, browser=run.browser)

    assert result.exit_code == 1
    assert "fuera de los dominios del flujo" in result.message
