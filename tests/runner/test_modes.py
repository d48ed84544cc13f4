"""Dry-run walkthroughs: nothing is submitted; what does not fit the portal is all reported."""

from __future__ import annotations

from portal_bot.evidence import read_events
from tests.conftest import Runner

DEMO = {"ruc": "20100066603", "usuario_sol": "MODDATOS"}
CLAVE = {"clave_sol": "moddatos"}


def test_dry_run_submits_nothing_and_shows_the_simulated_step(run: Runner) -> None:
    run.reset(
        "sunat", popups=["informativo", "celular"], captcha="never", handler_delay_ms=300
    )  # two campaign pop-ups with late handlers: a dry run closes them as a run does
    result = run("pe-sunat-pse-alta", DEMO, CLAVE, mode="dry-run")

    assert result.exit_code == 0, result.message
    assert run.state("sunat")["submissions"] == 0
    assert run.state("sunat")["login_attempts"] == 1
    events = read_events(result.folder)
    simulated = [e for e in events if e["type"] == "step_ended" and e["status"] == "simulated"]
    assert len(simulated) == 1 and simulated[0]["screenshot"].endswith("registrar-simulated.webp")
    assert not [e for e in events if e["type"] == "gate_asked"]
    said = [e["text"] for e in events if e["type"] == "said"]
    assert len([t for t in said if "ventana emergente" in t]) == 2
    report = (result.folder / "report.html").read_text()
    assert "Ensayo: no se envió" in report
    assert "ENSAYO: no se envió nada" in report


def test_a_dry_run_stops_acting_at_its_first_miss_and_reports_the_rest_unreached(
    run: Runner,
) -> None:
    run.reset("sunat", popups="none", captcha="never", permission=False)
    result = run("pe-sunat-pse-alta", DEMO, CLAVE, mode="dry-run", step_timeout_ms=3000)

    assert result.exit_code == 1
    assert run.state("sunat")["submissions"] == 0
    ended = [e for e in read_events(result.folder) if e["type"] == "step_ended"]
    [miss] = [e for e in ended if e["unresolved"]]
    after = [e for e in ended if e["index"] > miss["index"]]
    assert after and all(e["status"] == "not_reached" for e in after), after
    assert "COMUNICACION TERCERIZACIÓN CON PSE" in result.message
    assert f"No se alcanzaron {len(after)} pasos" in result.message
