"""The report as a supervisor reads it, opened in headless Chromium: the summary at the
top, the step index with thumbnails, the dry-run's own look, the steps not reached, and
the English copy written beside the folder."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from typer.testing import CliRunner

from portal_bot import __version__
from portal_bot.cli import app
from portal_bot.evidence import read_events
from tests.conftest import DemoRuns

FLOW = "cl-sii-centralizar-certificado"
"""A flow with one irreversible step (it sends the certificate)."""


def open_report(browser: Browser, path: Path) -> Page:
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(path.as_uri())
    return page


def test_summary_block_says_outcome_what_was_sent_and_the_hashes(
    demo_runs: DemoRuns, browser: Browser
) -> None:
    folder = demo_runs(FLOW)
    events = read_events(folder)
    start = events[0]
    page = open_report(browser, folder / "report.html")
    summary = page.locator("section.summary")

    expect(page.get_by_role("status")).to_contain_text("Trámite completado")
    expect(summary).to_contain_text("Lo que se envió")
    expect(summary.locator(".sent")).to_contain_text("Aprobada por --yes el")
    expect(summary).to_contain_text(__version__)
    chain = json.loads((folder / "manifest.json").read_text())["chain"]
    expect(summary.locator("code.chain")).to_have_text(chain)
    expect(summary).to_contain_text(f"{start['timezone']}, UTC−03:00")
    text = page.locator("body").inner_text()
    assert not re.search(r"\d{2}:\d{2}:\d{2}\.\d{3}", text), "no ISO times with fractions"
    assert "Falló — Falló" not in text
    page.close()


def test_index_thumbnails_open_the_full_screenshot(demo_runs: DemoRuns, browser: Browser) -> None:
    folder = demo_runs(FLOW)
    shot = next(e for e in read_events(folder) if e["type"] == "step_ended" and e["screenshot"])
    page = open_report(browser, folder / "report.html")
    full = page.locator(f"#captura-{shot['index']}")
    expect(full).to_be_hidden()
    box = page.locator(f"#indice-{shot['index']} a.thumb").bounding_box()
    assert box is not None and box["width"] <= 140, "a thumbnail, not the whole picture"

    page.locator(f"#indice-{shot['index']} a.thumb").click()

    expect(full).to_be_visible()
    width = full.get_by_role("img").evaluate("i => i.getBoundingClientRect().width")
    assert width > 600
    page.close()


def test_skipped_finish_is_not_a_headed_step(demo_runs: DemoRuns, browser: Browser) -> None:
    folder = demo_runs("cl-sii-autenticacion-certificado")
    events = read_events(folder)
    kinds = {e["index"]: e["kind"] for e in events if e["type"] == "step_started"}
    skipped = [e["index"] for e in events if e["type"] == "step_ended"
               and e["status"] == "skipped" and kinds[e["index"]] == "finish"]  # fmt: skip
    page = open_report(browser, folder / "report.html")
    for index in skipped:
        expect(page.locator(f"#paso-{index}")).to_have_count(0)
        expect(page.locator(f"#indice-{index}")).to_have_count(0)
    expect(page.get_by_role("status")).to_contain_text("Trámite completado")
    page.close()


def test_dry_run_has_its_own_grey_look(demo_runs: DemoRuns, browser: Browser) -> None:
    folder = demo_runs(FLOW, mode="dry-run")
    page = open_report(browser, folder / "report.html")
    status = page.get_by_role("status")

    expect(status).to_contain_text("ENSAYO: no se envió nada")
    expect(page.locator("body")).to_have_class("dry")
    assert status.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(230, 232, 235)"
    assert "Completado" not in page.locator("body").inner_text()
    expect(page.locator("section.summary")).to_contain_text("Nada: esta ejecución no envió")
    page.close()


def test_declined_run_lists_what_was_not_done_and_the_steps_not_reached(
    demo_runs: DemoRuns, browser: Browser
) -> None:
    folder = demo_runs(FLOW, approve=False)
    events = read_events(folder)
    ended = {e["index"] for e in events if e["type"] == "step_ended"}
    total = events[0]["steps_total"]
    page = open_report(browser, folder / "report.html")

    expect(page.get_by_role("status")).to_contain_text("Detenido en una confirmación")
    expect(page.locator("section.summary")).to_contain_text("la confirmación la rechazó agente")
    expect(page.locator("ol.unreached li")).to_have_count(total - len(ended))
    titles = events[0]["step_titles"]
    expect(page.locator("ol.unreached")).to_contain_text(titles[-1])
    page.close()


def test_report_in_english_goes_beside_the_folder_which_still_verifies(
    demo_runs: DemoRuns, browser: Browser, tmp_path: Path
) -> None:
    folder = tmp_path / "copia"
    shutil.copytree(demo_runs(FLOW), folder)
    cli = CliRunner()

    made = cli.invoke(app, ["report", str(folder), "--lang", "en"])

    assert made.exit_code == 0, made.output
    english = tmp_path / "copia.report.en.html"
    assert english.is_file()
    checked = cli.invoke(app, ["verify", str(folder)])
    assert checked.exit_code == 0, checked.output
    page = open_report(browser, english)
    expect(page.get_by_role("status")).to_contain_text("Procedure completed")
    expect(page.locator("section.summary")).to_contain_text("What was sent")
    expect(page.locator("section.summary")).to_contain_text("Approved by --yes on")
    expect(page.locator("section.summary")).to_contain_text("quoted as recorded, in Spanish")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.close()
