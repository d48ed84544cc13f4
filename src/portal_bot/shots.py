"""Evidence screenshots: secrets masked, the acted-on element outlined, a banner on
simulated steps; WebP, at three quarters of the viewport's size.

Every document gets one small stylesheet when it loads (``PAGE_STYLE_SCRIPT``, installed
with ``context.add_init_script``). It draws three marks, which are plain attributes:

- ``data-portal-bot-objetivo`` outlines the element the current step acts on (moved once
  per step; in a headed run the person sees it too);
- ``data-portal-bot-secreto`` blanks a field that holds a typed secret, for as long as it
  exists, so no picture can show it whatever takes the picture;
- ``data-portal-bot-simulacion`` on the top document shows its value as a banner.

The picture itself is Chromium's own (``Page.captureScreenshot`` over CDP), taken as a PNG
with ``optimizeForSpeed``, the cheapest Chromium has (26 ms of CPU against 64 ms for its
own WebP, on the SUNAT menu). :func:`to_webp` makes the WebP that is kept, with Pillow, on
the evidence folder's writer thread (:meth:`Evidence.screenshot
<portal_bot.evidence.Evidence.screenshot>`), while the run goes on to the next step: a
picture holds a SUNAT run up 45 ms instead of 79 ms.
"""

from __future__ import annotations

import base64
import io
import time

from playwright.sync_api import CDPSession, ElementHandle, Locator, Page
from playwright.sync_api import Error as PlaywrightError

MARK = "data-portal-bot-objetivo"
SECRET = "data-portal-bot-secreto"
NEAREST = "data-portal-bot-cercano"
"""The closest candidate of a target that was not found, outlined in blue, dashed."""
BANNER_MARK = "data-portal-bot-simulacion"
FORMAT = "webp"
"""What a picture is kept as."""
QUALITY = 70
WEBP_METHOD = 2
"""libwebp's effort, 0–6: 2 makes files as small as Chromium's own WebP at half the CPU
of libwebp's default (4)."""
SCALE = 0.75
"""Viewport pictures are taken at this scale (a 1280×800 page gives 960×600): the
portals' text stays legible, and each picture, stored twice (its file and the report),
costs about 30 % less, so that a whole run's evidence stays under 2 MB."""

_CSS = (
    f"[{MARK}] {{ outline: 3px solid #e4002b !important; outline-offset: 2px !important; }}"
    f" [{NEAREST}] {{ outline: 3px dashed #1565c0 !important; outline-offset: 2px !important; }}"
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
_UNMARK = (
    "for (const o of e.ownerDocument.querySelectorAll('[" + MARK + "]')) "
    "o.removeAttribute('" + MARK + "');"
)
MOVE_ONE = (
    "els => { const e = els[0]; if (!e) return false; "
    + _UNMARK
    + " e.setAttribute('"
    + MARK
    + "', ''); return true; }"
)
CLEAR_ONE = "els => { for (const e of els) { " + _UNMARK + " } }"
HIDE_SECRET = "els => els.forEach(e => e.setAttribute('" + SECRET + "', ''))"


class Outline:
    """Which element carries the mark; moved once per step.

    ``MOVE_ONE`` clears older marks in the target's own document in the same call; a mark left
    in another document (the step moved into or out of a frame) is cleared separately.
    The target is the very element acted on when there is one (not another that now has
    its name: a «Continuar» on the next screen), else what the target's locator finds now.
    Each is one look, with no wait: an element the page took along (a link that led away,
    a dialog that closed) is simply not marked, and the run is not held up by it.
    """

    def __init__(self) -> None:
        self.marked: Locator | ElementHandle | None = None
        self.where: object = None

    def move(self, target: Locator | ElementHandle | None, where: object) -> None:
        previous, previous_where = self.marked, self.where
        self.marked, self.where = None, where
        if target is not None and _on_all(target, MOVE_ONE):
            self.marked = target
        if previous is not None and (self.marked is None or previous_where != where):
            _on_all(previous, CLEAR_ONE)


def _on_all(target: Locator | ElementHandle, script: str) -> bool:
    """Run ``script`` (on a list of elements) on what ``target`` finds now, or on the
    element; False when the page does not have it any more."""
    try:
        if isinstance(target, Locator):
            return bool(target.evaluate_all(script))
        return bool(target.evaluate(f"e => ({script})([e])"))
    except PlaywrightError:
        return False


PROBE_TIMEOUT_MS = 1_000


def answers(locator: Locator) -> bool:
    """Does the document holding ``locator`` answer a trivial script in a moment? (An
    evaluation without a timeout waits for as long as the page's own script runs.)"""
    try:
        locator.page.locator(":root").evaluate("() => 1", timeout=PROBE_TIMEOUT_MS)
    except PlaywrightError:
        return False
    return True


def hide_secret(field: Locator) -> None:
    """Blank a field that holds a secret in every picture taken while it exists."""
    field.evaluate_all(HIDE_SECRET)


def hide_before_typing(field: Locator) -> None:
    """Blank the one field a secret is about to be typed into: it waits for the field
    (like the fill that follows), so no picture, even of a fill that fails half-way or
    whose ``until`` never holds, shows a character of it."""
    field.evaluate("e => e.setAttribute('" + SECRET + "', '')")


SHOT_TIMEOUT_MS = 5_000
"""Longest time one picture may take, its retry and the banner included."""


class Camera:
    """Takes the pictures, through one CDP session per page.

    Every browser call here is bounded: a picture the browser never delivers (the page's
    own script navigated to another site while it was taken) is tried once more
    on the new document, all within :data:`SHOT_TIMEOUT_MS`, and then left out. A
    run never waits for a picture forever.
    """

    def __init__(self, timeout_ms: int = SHOT_TIMEOUT_MS) -> None:
        self.sessions: dict[int, CDPSession] = {}
        self.timeout_ms = timeout_ms

    def take(self, page: Page, banner: str | None = None, full_page: bool = False) -> bytes | None:
        """A PNG of the page's viewport (or whole page), or None when there is none; it is
        kept as :func:`to_webp` makes it."""
        if page.is_closed():
            return None
        ends = time.monotonic() + self.timeout_ms / 1000
        try:
            if banner:
                self._banner(page, banner, ends)
            try:
                return self._shoot(page, full_page, ends)
            except PlaywrightError:
                # Between two documents (a navigation under way) there is nothing to
                # picture, and the CDP session may belong to the old one: forget it, wait
                # for the new document, then try once more.
                self._forget(page)
                page.wait_for_load_state("domcontentloaded", timeout=_left(ends))
                return self._shoot(page, full_page, ends)
        except PlaywrightError:
            self._forget(page)
            return None
        finally:
            if banner:
                self._banner(page, None, time.monotonic() + PROBE_TIMEOUT_MS / 1000)

    def stop_loading(self, page: Page) -> None:
        """Stop the page's navigation under way, as the browser's ✕ does: Chromium
        delivers no picture while a document is on its way, however long the portal
        takes. Only for the picture of a failed run's last step: nothing acts after it,
        and what was sent stays sent."""
        try:
            self._session(page).send("Page.stopLoading", timeout=PROBE_TIMEOUT_MS)
        except PlaywrightError:
            self._forget(page)

    def _session(self, page: Page) -> CDPSession:
        cdp = self.sessions.get(id(page))
        if cdp is None:
            cdp = self.sessions[id(page)] = page.context.new_cdp_session(page)
        return cdp

    def _shoot(self, page: Page, full_page: bool, ends: float) -> bytes:
        cdp = self._session(page)
        params: dict[str, object] = {"format": "png", "optimizeForSpeed": True}
        if full_page:
            metrics = cdp.send("Page.getLayoutMetrics", timeout=_left(ends))
            size = metrics["cssContentSize"]
            params["captureBeyondViewport"] = True
            params["clip"] = {"x": 0, "y": 0, "width": size["width"],
                              "height": size["height"], "scale": 1}  # fmt: skip
        else:
            metrics = cdp.send("Page.getLayoutMetrics", timeout=_left(ends))
            view = metrics["cssVisualViewport"]
            params["clip"] = {
                "x": view["pageX"], "y": view["pageY"], "scale": SCALE,
                "width": view["clientWidth"], "height": view["clientHeight"],
            }  # fmt: skip
        shot = cdp.send("Page.captureScreenshot", params, timeout=_left(ends))
        return base64.b64decode(shot["data"])

    def _forget(self, page: Page) -> None:
        """Drop the page's CDP session. Not detached: a detach waits for a navigation
        under way to commit, however long the portal takes; the session ends with its
        page."""
        self.sessions.pop(id(page), None)

    def _banner(self, page: Page, text: str | None, ends: float) -> None:
        """Only the top document carries the banner, not the iframes inside it."""
        script = (
            f"(e, t) => e.setAttribute('{BANNER_MARK}', t)"
            if text
            else f"e => e.removeAttribute('{BANNER_MARK}')"
        )
        try:
            page.locator(":root").evaluate(script, text, timeout=_left(ends))
        except PlaywrightError:
            return


WEBP_MAX_SIDE = 16_383
"""The longest side a WebP can have: a taller whole-page picture is kept scaled down."""


def to_webp(png: bytes) -> bytes:
    """The picture as it is kept: WebP, quality :data:`QUALITY`, no alpha channel, no side
    longer than :data:`WEBP_MAX_SIDE`."""
    from PIL import Image  # only where pictures are taken: not in the quick commands

    with Image.open(io.BytesIO(png)) as image:
        opaque = image if image.mode == "RGB" else image.convert("RGB")
        if max(opaque.size) > WEBP_MAX_SIDE:
            opaque.thumbnail((WEBP_MAX_SIDE, WEBP_MAX_SIDE))
        kept = io.BytesIO()
        opaque.save(kept, "WEBP", quality=QUALITY, method=WEBP_METHOD)
    return kept.getvalue()


def _left(ends: float) -> float:
    """Milliseconds left until ``ends`` (at least 1: a zero timeout means none)."""
    return max(1.0, (ends - time.monotonic()) * 1000)
