"""Evidence screenshots: secrets masked, the acted-on element outlined, a banner on
simulated steps; WebP, about half the size of a JPEG of the same page.

Every document gets one small stylesheet when it loads (``PAGE_STYLE_SCRIPT``, installed
with ``context.add_init_script``). It draws three marks, which are plain attributes:

- ``data-portal-bot-objetivo`` outlines the element the current step acts on (moved once
  per step; in a headed run the person sees it too);
- ``data-portal-bot-secreto`` blanks a field that holds a typed secret, for as long as it
  exists, so no picture can show it whatever takes the picture;
- ``data-portal-bot-simulacion`` on the top document shows its value as a banner.

The picture itself is Chromium's own (``Page.captureScreenshot`` over CDP, WebP).
"""

from __future__ import annotations

import base64

from playwright.sync_api import CDPSession, Locator, Page
from playwright.sync_api import Error as PlaywrightError

MARK = "data-portal-bot-objetivo"
SECRET = "data-portal-bot-secreto"
BANNER_MARK = "data-portal-bot-simulacion"
FORMAT = "webp"
QUALITY = 70

_CSS = (
    f"[{MARK}] {{ outline: 3px solid #e4002b !important; outline-offset: 2px !important; }}"
    f" [{SECRET}] {{ color: transparent !important; text-shadow: none !important;"
    " background: repeating-linear-gradient(45deg, #c8c8c8 0 6px, #e2e2e2 6px 12px)"
    " !important; caret-color: transparent !important; }"
    f" html[{BANNER_MARK}]::after {{ content: attr({BANNER_MARK}); position: fixed;"
    " z-index: 2147483647; top: 0; left: 0; right: 0; padding: 8px 16px; background: #ffcc00;"
    " color: #222; font: bold 16px/1.3 sans-serif; text-align: center;"
    " border-bottom: 2px solid #7a5200; }"
)
PAGE_STYLE_SCRIPT = (
    "(() => { const add = () => { const s = document.createElement('style');"
    f" s.textContent = {_CSS!r}; (document.head || document.documentElement)"
    ".appendChild(s); }; if (document.documentElement) add();"
    " else document.addEventListener('DOMContentLoaded', add); })();"
)
MOVE = (
    "els => { for (const e of document.querySelectorAll('[" + MARK + "]')) "
    "e.removeAttribute('" + MARK + "'); els.forEach(e => e.setAttribute('" + MARK + "', ''));"
    " return els.length; }"
)
CLEAR = "els => els.forEach(e => e.removeAttribute('" + MARK + "'))"
HIDE_SECRET = "els => els.forEach(e => e.setAttribute('" + SECRET + "', ''))"


class Outline:
    """Which element carries the mark; moved once per step.

    ``MOVE`` clears older marks in the target's own document in the same call; a mark left
    in another document (the step moved into or out of a frame) is cleared separately.
    """

    def __init__(self) -> None:
        self.marked: Locator | None = None
        self.where: object = None

    def move(self, target: Locator | None, where: object) -> None:
        previous, previous_where = self.marked, self.where
        self.marked, self.where = None, where
        if target is not None:
            try:
                if target.evaluate_all(MOVE):
                    self.marked = target
            except PlaywrightError:
                pass
        if previous is not None and (self.marked is None or previous_where != where):
            try:
                previous.evaluate_all(CLEAR)
            except PlaywrightError:
                return


def hide_secret(field: Locator) -> None:
    """Blank a field that holds a secret in every picture taken while it exists."""
    field.evaluate_all(HIDE_SECRET)


def hide_before_typing(field: Locator) -> None:
    """Blank the one field a secret is about to be typed into: it waits for the field
    (like the fill that follows), so no picture, even of a fill that fails half-way or
    whose ``until`` never holds, shows a character of it."""
    field.evaluate("e => e.setAttribute('" + SECRET + "', '')")


class Camera:
    """Takes the pictures, through one CDP session per page."""

    def __init__(self) -> None:
        self.sessions: dict[int, CDPSession] = {}

    def take(self, page: Page, banner: str | None = None, full_page: bool = False) -> bytes | None:
        """A WebP of the page's viewport (or whole page), or None when the page is gone."""
        if page.is_closed():
            return None
        try:
            if banner:
                _banner(page, banner)
            cdp = self.sessions.get(id(page))
            if cdp is None:
                cdp = self.sessions[id(page)] = page.context.new_cdp_session(page)
            params: dict[str, object] = {
                "format": FORMAT,
                "quality": QUALITY,
                "optimizeForSpeed": True,
            }
            if full_page:
                size = cdp.send("Page.getLayoutMetrics")["cssContentSize"]
                params["captureBeyondViewport"] = True
                params["clip"] = {"x": 0, "y": 0, "width": size["width"],
                                  "height": size["height"], "scale": 1}  # fmt: skip
            try:
                shot = cdp.send("Page.captureScreenshot", params)
            except PlaywrightError:
                # Between two documents (a navigation under way) there is nothing to
                # picture yet: wait for the new one, then try once more.
                page.wait_for_load_state("domcontentloaded", timeout=10_000)
                shot = cdp.send("Page.captureScreenshot", params)
            return base64.b64decode(shot["data"])
        except PlaywrightError:
            return None
        finally:
            if banner:
                _banner(page, None)


def _banner(page: Page, text: str | None) -> None:
    """Only the top document carries the banner, not the iframes inside it."""
    script = (
        f"t => document.documentElement.setAttribute('{BANNER_MARK}', t)"
        if text
        else f"() => document.documentElement.removeAttribute('{BANNER_MARK}')"
    )
    try:
        page.evaluate(script, text) if text else page.evaluate(script)
    except PlaywrightError:
        return
