"""The report as an agent sees it: opened in headless Chromium."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, expect

from portal_bot.evidence import read_events
from portal_bot.report import write_report


def test_report_shows_every_step_with_its_screenshot_and_the_gate_answer(
    pristine: Path, browser: Browser, tmp_path: Path
) -> None:
    ended = [e for e in read_events(pristine) if e["type"] == "step_ended"]
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto((pristine / "report.html").as_uri())

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


def test_report_in_english(pristine: Path, browser: Browser, tmp_path: Path) -> None:
    folder = tmp_path / "copia"
    import shutil

    shutil.copytree(pristine, folder)
    write_report(folder, "en")
    page = browser.new_page()
    page.goto((folder / "report.html").as_uri())
    expect(page.get_by_role("status").first).to_contain_text("Outcome: Completed")
    expect(page.locator(".gate")).to_contain_text("Approved by --yes")
    expect(page.get_by_role("heading", name="Step 1.")).to_be_visible()
    page.close()
