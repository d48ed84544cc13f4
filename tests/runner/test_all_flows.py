"""Every flow in flows/, with its mock's demo data: dry-runs that submit nothing, failures,
and --trace, and never a secret in the evidence. A declined gate of every seed flow is in
test_identity.py (the gate that shows whose account it is)."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal_bot.evidence import read_events
from portal_bot.flow import ActionBase, Flow, leaves
from portal_bot.mocks import make_portal
from tests.conftest import FLOWS, Runner, assert_no_secret, flow

FLOW_IDS = sorted(p.stem for p in FLOWS.glob("*.yaml"))


def demo(loaded: Flow, folder: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(given inputs, secrets) of the flow's mock demo account."""
    assert loaded.mock is not None
    values = make_portal(loaded.mock).demo(loaded.id, folder)
    secret = {k for k, spec in loaded.inputs.items() if spec.type == "secret"}
    return (
        {k: v for k, v in values.items() if k not in secret},
        {k: v for k, v in values.items() if k in secret},
    )


def prepared(
    run: Runner, flow_id: str, folder: Path
) -> tuple[Flow, dict[str, str], dict[str, str]]:
    """The flow, its demo inputs and secrets, and its mock reset (no random pop-ups)."""
    loaded = flow(flow_id)
    given, secrets = demo(loaded, folder)
    assert loaded.mock is not None
    run.reset(loaded.mock)
    if loaded.mock == "sunat":
        run.reset("sunat", popups="none", captcha="never")
    return loaded, given, secrets


@pytest.mark.parametrize("flow_id", FLOW_IDS)
def test_dry_run_with_trace_submits_nothing_and_simulates_every_submission(
    run: Runner, tmp_path: Path, flow_id: str
) -> None:
    loaded, given, secrets = prepared(run, flow_id, tmp_path)

    result = run(flow_id, given, secrets, mode="dry-run", trace=True)

    assert result.exit_code == 0, result.message
    assert run.state(loaded.mock)["submissions"] == 0
    ended = {e["index"]: e for e in read_events(result.folder) if e["type"] == "step_ended"}
    irreversible = [
        i
        for i, s in enumerate(leaves(loaded.steps), 1)
        if isinstance(s, ActionBase) and s.irreversible
    ]
    reached = [i for i in irreversible if ended[i]["status"] != "skipped"]
    assert reached, "the dry-run reaches at least one submission"
    for index in reached:
        assert ended[index]["status"] == "simulated"
        assert ended[index]["screenshot"]
    assert "Ensayo: no se envió" in (result.folder / "report.html").read_text()
    assert list((result.folder / "trace").glob("parte-*.zip"))
    assert result.leaks == []
    assert_no_secret(result.folder, secrets)


PASSWORDS = {
    "pe-sunat-pse-alta": "clave_sol",
    "cl-sii-centralizar-certificado": "clave_sii",
    "co-siigo-certificado-digital": "clave_siigo",
}


@pytest.mark.parametrize("flow_id", sorted(PASSWORDS))
def test_a_rejected_password_is_tried_once_and_leaks_nothing(
    run: Runner, tmp_path: Path, flow_id: str
) -> None:
    loaded, given, secrets = prepared(run, flow_id, tmp_path)
    secrets[PASSWORDS[flow_id]] = "Equivoca-123"

    result = run(flow_id, given, secrets)

    assert result.exit_code == 1, result.message
    assert run.state(loaded.mock)["login_attempts"] == 1
    assert run.state(loaded.mock)["submissions"] == 0
    assert result.leaks == []
    assert_no_secret(result.folder, secrets)
