"""Evidence screenshots: secrets masked, the acted-on element outlined, and a banner on
simulated steps.

The outline comes from a stylesheet every document gets when it loads (``OUTLINE_SCRIPT``,
installed with ``context.add_init_script``): it draws the element that carries the mark.
Moving the mark is one call per step; re-styling every frame for every shot (the
screenshot's ``style`` option) cost about 25 ms a step. In a headed run the person sees
the same outline on what the tool acts on.
"""

from __future__ import annotations

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

MARK = "data-portal-bot-objetivo"
OUTLINE_SCRIPT = (
    "(() => { const add = () => { const s = document.createElement('style');"
    f" s.textContent = '[{MARK}] {{ outline: 3px solid #e4002b !important;"
    " outline-offset: 2px !important; }'; (document.head || document.documentElement)"
    ".appendChild(s); }; if (document.documentElement) add();"
    " else document.addEventListener('DOMContentLoaded', add); })();"
)
MOVE = (
    "els => { for (const e of document.querySelectorAll('[" + MARK + "]')) "
    "e.removeAttribute('" + MARK + "'); els.forEach(e => e.setAttribute('" + MARK + "', ''));"
    " return els.length; }"
)
CLEAR = "els => els.forEach(e => e.removeAttribute('" + MARK + "'))"


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


def take(
    page: Page,
    masks: list[Locator],
    banner: str | None = None,
    full_page: bool = False,
) -> bytes | None:
    """A JPEG of the page, or None when the page is gone."""
    if page.is_closed():
        return None
    style = []
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
        if banner:
            _banner(page, False)


def _banner(page: Page, on: bool) -> None:
    """Only the top document carries the banner, not the iframes inside it."""
    verb = "setAttribute" if on else "removeAttribute"
    try:
        page.evaluate(f"() => document.documentElement.{verb}('{BANNER_MARK}', '')")
    except PlaywrightError:
        return
