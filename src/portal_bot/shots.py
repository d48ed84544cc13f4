"""Evidence screenshots: secrets masked, the acted-on element outlined, and a banner on
simulated steps. The page is marked only for the instant of the shot."""

from __future__ import annotations

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

MARK = "data-portal-bot-objetivo"
QUICK_MS = 500
HIGHLIGHT = f"[{MARK}] {{ outline: 3px solid #e4002b !important; outline-offset: 2px !important; }}"
BANNER_MARK = "data-portal-bot-simulacion"
BANNER = (
    "html["
    + BANNER_MARK
    + "]::after {{ content: {text}; position: fixed; z-index: 2147483647; top: 0; left: 0; "
    "right: 0; padding: 8px 16px; background: #ffcc00; color: #222; font: bold 16px/1.3 "
    "sans-serif; text-align: center; border-bottom: 2px solid #7a5200; }}"
)


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _mark(target: Locator | None, on: bool) -> bool:
    if target is None:
        return False
    script = f"e => e.{'setAttribute' if on else 'removeAttribute'}('{MARK}', '')"
    try:
        target.evaluate(script, timeout=QUICK_MS)
    except PlaywrightError:
        return False
    return True


def take(
    page: Page,
    masks: list[Locator],
    target: Locator | None = None,
    banner: str | None = None,
    full_page: bool = False,
) -> bytes | None:
    """A JPEG of the page, or None when the page is gone."""
    if page.is_closed():
        return None
    style = []
    marked = _mark(target, True)
    if marked:
        style.append(HIGHLIGHT)
    if banner:
        style.append(BANNER.format(text=_css_string(banner)))
        _banner(page, True)
    try:
        return page.screenshot(
            type="jpeg",
            quality=70,
            full_page=full_page,
            mask=masks,
            style="\n".join(style) or None,
            timeout=10_000,
        )
    except PlaywrightError:
        return None
    finally:
        if marked:
            _mark(target, False)
        if banner:
            _banner(page, False)


def _banner(page: Page, on: bool) -> None:
    """Only the top document carries the banner, not the iframes inside it."""
    verb = "setAttribute" if on else "removeAttribute"
    try:
        page.evaluate(f"() => document.documentElement.{verb}('{BANNER_MARK}', '')")
    except PlaywrightError:
        return
