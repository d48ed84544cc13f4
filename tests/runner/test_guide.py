"""portal-bot guide: a customer guide with one highlighted screenshot per step."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser

from tests.conftest import portal_bot_process


def test_guide_writes_html_and_pdf_with_one_picture_per_step(
    tmp_path: Path, browser: Browser
) -> None:
    done = portal_bot_process(["guide", "pe-sunat-pse-alta", "--out", str(tmp_path)])

    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "guide.pdf").read_bytes().startswith(b"%PDF-")
    page = browser.new_page()
    page.goto((tmp_path / "guide.html").as_uri())
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    images = page.get_by_role("img").all()
    assert len(headings) == len(images) >= 15
    assert all(image.evaluate("i => i.naturalWidth > 0") for image in images)
    texts = " ".join(headings)
    assert "Registre la autorización del PSE" in texts
    assert "‹RUC del contribuyente›" in texts
    assert "20100066603" not in texts, "instructions name the customer's data, not the demo's"
    assert "Simulación" not in page.content()
    page.close()
