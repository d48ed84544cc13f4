"""--guided: a stand-in person, attached to the same Chromium over CDP, does what the
bubbles ask; the run waits for it and completes with one PSE registered."""

from __future__ import annotations

import re
import socket
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import BrowserContext, Frame, Page, Playwright, sync_playwright

from portal_bot.browser import LaunchOptions, find_browser, launch_arguments
from portal_bot.job import JobRequest, JobResult, execute
from portal_bot.mocks.server import MockServer
from tests.conftest import flow

BUBBLE = "#portal-bot-burbuja"
TARGET = "[data-portal-bot-guia]"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _run_guided(server: MockServer, port: int, folder: Path, out: dict[str, object]) -> None:
    try:
        _run(server, port, folder, out)
    except BaseException as exc:
        out["error"] = exc
        raise


def _run(server: MockServer, port: int, folder: Path, out: dict[str, object]) -> None:
    request = JobRequest(
        flow=flow("pe-sunat-pse-alta"),
        given={"ruc": "20100066603", "usuario_sol": "MODDATOS"},
        evidence=folder,
        mock_server=server.address,
        yes=True,
        mode="guided",
        environ={"PORTAL_BOT_SECRET_CLAVE_SOL": "moddatos"},
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.connect_over_cdp(f"http://127.0.0.1:{port}")
        out["result"] = execute(request, None, None, context=browser.contexts[0])


def _bubble(page: Page) -> tuple[Frame, str, str] | None:
    for frame in page.frames:
        try:
            bubble = frame.locator(BUBBLE)
            if bubble.count():
                return frame, bubble.get_attribute("data-paso") or "", bubble.inner_text()
        except Exception:  # a frame navigating away
            continue
    return None


def _act_as_person(frame: Frame, text: str) -> None:
    target = frame.locator(TARGET).first
    if not target.is_visible():
        return  # nothing to do where the bubble points (the page is changing): look again
    tomorrow = (datetime.now(ZoneInfo("America/Lima")) + timedelta(days=1)).strftime("%d/%m/%Y")
    typed = {"Escriba la clave SOL": "moddatos", "Escriba la fecha de inicio": tomorrow}
    quoted = re.match(r"Escriba «(.+?)»", text)
    if quoted or text.startswith("Escriba"):
        value = (
            quoted.group(1) if quoted else next(v for k, v in typed.items() if text.startswith(k))
        )
        target.fill("")
        target.press_sequentially(value)
    elif text.startswith("Marque"):
        target.check()
    else:
        target.click()


def _page_text(frame: Frame) -> str:
    try:
        return frame.locator("body").inner_text(timeout=2_000)
    except Exception:  # the frame is navigating: the page is doing something
        return ""


def _person(context: BrowserContext, runner: threading.Thread, seen: list[str]) -> list[str]:
    """Do what each new bubble asks; like a person, try again when nothing happens.

    "Nothing happens" is what the person sees: the page's text is what it was before
    the action. When it changed, the person waits longer for the guide to move on:
    clicking «Buscar» again once the results are there would search again, and the
    portal would forget the row chosen in the meantime. (Text that arrives late on its
    own, like the authorizations grid, only delays a needed second click.)
    """
    deadline = time.monotonic() + 300  # a bound for a stuck run: 15-90 s here, loaded
    done: list[str] = []
    acted: dict[str, tuple[float, str]] = {}
    while runner.is_alive() and time.monotonic() < deadline:
        found = next((b for p in context.pages if (b := _bubble(p))), None)
        if found is not None and found[1] in acted:
            at, before = acted[found[1]]
            waited = time.monotonic() - at
            if waited < 1.5 or (waited < 8 and _page_text(found[0]) != before):
                found = None  # give the page time; when it changed, give the guide more
        if found is None:
            if context.pages:
                context.pages[-1].wait_for_timeout(50)  # a person's pause before looking again
            continue
        frame, number, text = found
        seen.append(f"{number}: {text}")
        before = _page_text(frame)
        try:
            _act_as_person(frame, text)
        except Exception as exc:
            raise AssertionError(f"the person could not do «{text}» after {done}") from exc
        if number not in acted:
            done.append(text)
        acted[number] = (time.monotonic(), before)
    return done


def test_guided_run_waits_for_the_person_and_registers_once(
    mock_server: MockServer, playwright: Playwright, tmp_path: Path
) -> None:
    mock_server.reset("sunat")
    mock_server.portal("sunat").configure({"popups": "none", "captcha": "never"})
    port = _free_port()
    options = LaunchOptions(
        find_browser(),
        mock_address=mock_server.address,
        mock_domains=tuple(mock_server.hosts),
        extra_args=(
            f"--remote-debugging-port={port}",
            "--ignore-certificate-errors",
            # The stand-in person attaches over a second CDP connection, which does not see
            # out-of-process iframes of pages another client opened: keep frames in-process.
            "--disable-features=IsolateOrigins,site-per-process",
        ),
    )
    arguments = launch_arguments(options)
    arguments.pop("env")
    shared = playwright.chromium.launch_persistent_context(str(tmp_path / "perfil"), **arguments)
    out: dict[str, object] = {}
    runner = threading.Thread(target=_run_guided, args=(mock_server, port, tmp_path / "ev", out))
    runner.start()
    seen: list[str] = []  # every bubble acted on, repeats included
    try:
        done = _person(shared, runner, seen)
        runner.join(30)
    finally:
        shared.close()
    runner.join(30)

    assert "error" not in out, out.get("error")
    assert "result" in out, f"the run did not finish; the person acted on: {seen}"
    result = out["result"]
    assert isinstance(result, JobResult)
    assert result.exit_code == 0, (result.message, seen)
    assert len(mock_server.state("sunat")["registrations"]) == 1
    assert "Registre la autorización del PSE" in done
    assert "Escriba la clave SOL" in done
    assert b"portal-bot-burbuja" not in b"".join(
        p.read_bytes() for p in (tmp_path / "ev").rglob("*.jsonl")
    )
