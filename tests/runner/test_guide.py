"""portal-bot guide as a customer gets it: a real process, HTML and PDF, made from a full
run on the mock's demo account (see tests/evidence/test_guides.py for every flow)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser

from tests.conftest import portal_bot_process


def test_guide_command_writes_html_and_pdf_from_a_full_run(
    tmp_path: Path, browser: Browser
) -> None:
    done = portal_bot_process(["guide", "cl-sii-centralizar-certificado", "--out", str(tmp_path)])

    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "guide.pdf").read_bytes().startswith(b"%PDF-")
    page = browser.new_page()
    page.goto((tmp_path / "guide.html").as_uri())
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    assert f"({len(headings)} pasos)" in done.stdout
    assert "https://homer.sii.cl/" in headings[0]
    texts = " ".join(headings)
    assert "‹RUT personal del representante legal›" in texts
    assert "12.345.678-5" not in texts, "instructions name the customer's data, not the demo's"
    assert "Envíe el certificado" in texts or "Centralice" in texts or "Enviar" in texts
    assert all(i.evaluate("i => i.naturalWidth > 0") for i in page.get_by_role("img").all())
    page.close()
