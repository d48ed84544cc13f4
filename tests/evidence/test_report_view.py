"""The report as an agent sees it: opened in headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from portal_bot.evidence import read_events
from portal_bot.report import write_report
from tests.conftest import Runner


@pytest.fixture(scope="module")
def sunat_run(tmp_path_factory: pytest.TempPathFactory, mock_server, browser) -> Path:  # type: ignore[no-untyped-def]
    run = Runner(mock_server, browser, tmp_path_factory.mktemp("report"))
    run.reset("sunat", popups="none", captcha="never")
    result = run(
        "pe-sunat-pse-alta",
        {"ruc": "20100066603", "usuario_sol": "MODDATOS"},
        {"clave_sol": "moddatos"},
    )
    assert result.exit_code == 0
    return result.folder


def test_report_shows_every_step_with_its_screenshot_and_the_gate_answer(
    sunat_run: Path, browser: Browser, tmp_path: Path
) -> None:
    ended = [e for e in read_events(sunat_run) if e["type"] == "step_ended"]
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto((sunat_run / "report.html").as_uri())

    expect(page.get_by_role("status").first).to_contain_text("Resultado: Completado")
    steps = page.locator("li.step")
    expect(steps).to_have_count(len(ended))
    for event in ended:
        step = page.locator(f"#paso-{event['index']}")
        expect(step.get_by_role("heading")).to_contain_text(f"Paso {event['index']}.")
        pictures = step.get_by_role("img")
        if event["screenshot"]:
            expect(pictures).to_have_count(1)
            assert pictures.evaluate("i => i.getBoundingClientRect().height") > 200
        else:
            expect(pictures).to_have_count(0)
    gate = page.locator(".gate")
    expect(gate).to_contain_text("¿Registrar a VIDA SOFTWARE S.A.C.")
    expect(gate).to_contain_text("Aprobado por --yes")
    gate.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "informe.png"), full_page=True)
    assert (tmp_path / "informe.png").stat().st_size > 50_000
    page.close()


def test_report_in_english(sunat_run: Path, browser: Browser, tmp_path: Path) -> None:
    folder = tmp_path / "copia"
    import shutil

    shutil.copytree(sunat_run, folder)
    write_report(folder, "en")
    page = browser.new_page()
    page.goto((folder / "report.html").as_uri())
    expect(page.get_by_role("status").first).to_contain_text("Outcome: Completed")
    expect(page.locator(".gate")).to_contain_text("Approved by --yes")
    expect(page.get_by_role("heading", name="Step 1.")).to_be_visible()
    page.close()
