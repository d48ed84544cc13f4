"""pe-sunat-pse-alta end to end, in headless Chromium against the SUNAT mock."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal_bot.evidence import read_events
from portal_bot.prompt import ScriptedPrompter
from tests.conftest import Runner, all_bytes

DEMO = {"ruc": "20100066603", "usuario_sol": "MODDATOS"}
CLAVE = {"clave_sol": "moddatos"}


def tomorrow_in_lima() -> str:
    return (datetime.now(ZoneInfo("America/Lima")) + timedelta(days=1)).strftime("%d/%m/%Y")


def test_happy_path_registers_the_pse_once_with_tomorrows_date(run: Runner) -> None:
    """With a captcha at the login and both campaign pop-ups over the menu, as SUNAT may
    show them on any day."""
    run.reset("sunat", popups=["importante", "informativo"], captcha="always")
    result = run("pe-sunat-pse-alta", DEMO, CLAVE)

    assert result.exit_code == 0, result.message
    state = run.state("sunat")
    assert [(r["ruc"], r["start_date"]) for r in state["registrations"]] == [
        ("20600337832", tomorrow_in_lima())
    ]
    assert state["submissions"] == 1
    assert state["login_attempts"] == 1
    events = read_events(result.folder)
    executed = [e for e in events if e["type"] == "step_ended" and e["status"] != "skipped"]
    shots = sorted((result.folder / "shots").iterdir())
    assert len(shots) == len(executed) and all(e["screenshot"] for e in executed)
    assert (result.folder / "report.html").is_file()
    assert b"moddatos" not in all_bytes(result.folder)
    gate = next(e for e in events if e["type"] == "gate_asked")
    assert gate["details"]["Razón social"] == "VIDA SOFTWARE S.A.C."
    captcha = next(e for e in events if e["type"] == "step_started" and e["step_id"] == "captcha")
    ended = next(e for e in events if e["type"] == "step_ended" and e["index"] == captcha["index"])
    assert ended["status"] == "passed"
    said = [e["text"] for e in events if e["type"] == "said"]
    assert len([t for t in said if "ventana emergente" in t]) == 2
    assert gate["details"]["Inicio de autorización"] == tomorrow_in_lima()

    # The events are a hash chain ending in the hash the manifest and the ticket carry.
    lines = (result.folder / "events.jsonl").read_bytes().splitlines()
    previous = "0" * 64
    for line in lines:
        assert json.loads(line)["prev"] == previous
        previous = hashlib.sha256(line).hexdigest()
    assert previous == result.chain
    manifest = json.loads((result.folder / "manifest.json").read_text())
    assert manifest["chain"] == result.chain
    assert set(manifest["files"]) >= {"events.jsonl", "report.html"}

    second = run("pe-sunat-pse-alta", DEMO, CLAVE)

    assert second.exit_code == 0, second.message
    assert second.result is not None and second.result.outcome == "already_done"
    again = run.state("sunat")
    assert (len(again["registrations"]), again["submissions"]) == (1, 1)


def test_declined_gate_stops_with_exit_3_and_submits_nothing(run: Runner) -> None:
    run.reset("sunat", popups="none", captcha="never")
    result = run(
        "pe-sunat-pse-alta", DEMO, CLAVE, yes=False, prompter=ScriptedPrompter(False, by="agente")
    )

    assert result.exit_code == 3
    assert run.state("sunat")["submissions"] == 0
    assert run.state("sunat")["registrations"] == []
    answered = [e for e in read_events(result.folder) if e["type"] == "gate_answered"]
    assert [(e["approved"], e["by"]) for e in answered] == [(False, "agente")]


def test_wrong_password_fails_after_exactly_one_login_attempt(run: Runner) -> None:
    run.reset("sunat", popups="none", captcha="never")
    result = run("pe-sunat-pse-alta", DEMO, {"clave_sol": "otra-clave"})

    assert result.exit_code == 1
    assert "no aceptó el ingreso" in result.message
    assert "No se reintenta" in result.message
    assert run.state("sunat")["login_attempts"] == 1
    assert b"otra-clave" not in all_bytes(result.folder)
    failed = [e for e in read_events(result.folder) if e.get("status") == "failed"]
    assert len(failed) == 1 and failed[0]["screenshot"]


def test_pse_already_registered_submits_nothing_and_says_so(run: Runner) -> None:
    run.reset(
        "sunat", popups="none", captcha="never",
        registered=[{"ruc": "20600337832", "start_date": "01/01/2026"}],
    )  # fmt: skip
    result = run("pe-sunat-pse-alta", DEMO, CLAVE)

    assert result.exit_code == 0
    assert "ya figura" in result.message
    assert run.state("sunat")["submissions"] == 0


@pytest.mark.parametrize("popups", [["importante"], ["informativo"]])  # both: the happy path
def test_campaign_popups_are_closed_whenever_they_cover_the_menu(
    run: Runner, popups: list[str]
) -> None:
    run.reset("sunat", popups=popups, captcha="never")
    result = run("pe-sunat-pse-alta", DEMO, CLAVE)

    assert result.exit_code == 0, result.message
    said = [e["text"] for e in read_events(result.folder) if e["type"] == "said"]
    assert len([t for t in said if "ventana emergente" in t]) == len(popups)
    assert len(run.state("sunat")["registrations"]) == 1


def test_newer_menu_search_label_is_found_by_the_fallback(run: Runner) -> None:
    run.reset("sunat", popups="none", captcha="never", menu_search_label="nuevo")
    result = run("pe-sunat-pse-alta", DEMO, CLAVE)

    assert result.exit_code == 0, result.message
