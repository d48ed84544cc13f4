"""``portal-bot record``: a person does a procedure once in a browser; what they did is
kept as a list of :class:`Act` for ``drafting`` to turn into a flow file.

Every document of the recording browser runs ``recording.js``, which tells the recorder
each thing the person does as a person would say it (the visible name of what was
clicked, the label of what was typed in). The recorder adds what only the browser knows:
the frame and window it happened in, the POST requests that followed it (a password sent,
a submission), the windows it opened, the files it downloaded. A password's value never
reaches the recorder: the page script only says that one was typed.

The window carries a small panel (in the page, outside the procedure's own markup) that
lists the submissions seen, each proposed as irreversible, and the button «Terminar
grabación». Closing the browser, or Ctrl-C, ends the recording too.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError

if TYPE_CHECKING:
    from collections.abc import Callable

    from playwright.sync_api import BrowserContext, Frame, Page, Request

SCRIPT = resources.files("portal_bot").joinpath("recording.js").read_text(encoding="utf-8")
SETTLE_S = 1.5
"""A POST this long after typing or ticking is not its consequence."""
ACTION_S = 10.0
"""A POST this long after a click or an Enter is not its consequence either."""


@dataclass
class Act:
    """One thing the person did, as the page described it."""

    kind: str
    """click, fill, check, select, upload or press."""
    data: dict[str, Any]
    """What the page script said (names, never a password's value)."""
    page: int
    """Which window: 0 the first, then in the order they opened."""
    frame: str | None
    """The ``<iframe>`` it happened in, as a CSS selector (its id or name)."""
    at: float
    """When the page saw it (milliseconds of the epoch, the page's clock)."""
    before: dict[str, Any]
    """What the document showed just before (texts, data rows, password fields)."""
    after: dict[str, Any] | None = None
    """What it showed afterwards: the next act's ``before`` in the same document, or the
    page at the end."""
    posts: list[str] = field(default_factory=list)
    """Addresses of the POST requests that followed it."""
    opened_window: bool = False
    download: str | None = None
    irreversible: bool | None = None
    """The person's answer in the panel (None: proposed, not answered)."""

    @property
    def name(self) -> str:
        return str(self.data.get("clickable") or self.data.get("row") or self.data.get("field"))


@dataclass
class Recording:
    """Everything the recorder saw."""

    start_url: str | None = None
    hosts: list[str] = field(default_factory=list)
    acts: list[Act] = field(default_factory=list)
    typed_secret: bool = False
    ended: bool = False

    def submissions(self) -> list[Act]:
        """The acts that sent something to the portal (after a password, if any)."""
        return [act for act in self.acts if act.posts and not self.sends_password(act)]

    def sends_password(self, act: Act) -> bool:
        return bool(act.posts) and act.before.get("passwords", 0) > 0 and self.typed_before(act)

    def typed_before(self, act: Act) -> bool:
        index = self.acts.index(act)
        return any(a.kind == "fill" and a.data.get("secret") for a in self.acts[:index])


class Recorder:
    """Listens to one browser context for the whole recording."""

    def __init__(self, context: BrowserContext, domains: tuple[str, ...]) -> None:
        self.context = context
        self.domains = domains
        self.recording = Recording()
        self.pages: list[Page] = []
        self.posts: list[tuple[float, str]] = []
        context.add_init_script(SCRIPT)
        context.expose_binding("__portalBotRecord", self._told)
        context.on("page", self._page)
        context.on("request", self._request)
        for page in context.pages:
            self._page(page)

    # --- what the browser tells -----------------------------------------------------

    def _page(self, page: Page) -> None:
        if self.pages and self.recording.acts:
            self.recording.acts[-1].opened_window = True
        self.pages.append(page)
        page.on("framenavigated", self._navigated)
        page.on("download", self._download)

    def _navigated(self, frame: Frame) -> None:
        host = urlsplit(frame.url).hostname
        if urlsplit(frame.url).scheme == "https" and host and host not in self.recording.hosts:
            self.recording.hosts.append(host)

    def _download(self, download: Any) -> None:
        if self.recording.acts:
            self.recording.acts[-1].download = download.suggested_filename

    def _request(self, request: Request) -> None:
        """The first address the person opened (before any redirect) starts the flow; a
        POST belongs to the act the page saw last before it."""
        top = request.frame.parent_frame is None if request.is_navigation_request() else False
        if top and self.recording.start_url is None and request.url.startswith("https://"):
            self.recording.start_url = request.url
        if request.method != "POST":
            return
        self.posts.append((time.time() * 1000, request.url))
        self._attribute()

    def _attribute(self) -> None:
        """Give each POST to the last act before it (the page tells an act a moment after
        its default action, a form's submission, has already started)."""
        for act in self.recording.acts:
            act.posts = []
        for at, url in self.posts:
            earlier = [act for act in self.recording.acts if act.at <= at]
            if not earlier:
                continue
            last = earlier[-1]
            window = ACTION_S if last.kind in ("click", "press") else SETTLE_S
            if at - last.at <= window * 1000:
                last.posts.append(url)
        self._redraw()

    def _told(self, source: dict[str, Any], payload: dict[str, Any]) -> Any:
        kind = payload.get("kind")
        if kind == "hello":
            return self.panel_items()
        if kind == "end":
            self.recording.ended = True
            return None
        if kind == "panel":
            items = self.recording.submissions()
            index = int(payload.get("index", -1))
            if 0 <= index < len(items):
                items[index].irreversible = bool(payload.get("irreversible"))
            return None
        page: Page = source["page"]
        frame: Frame = source["frame"]
        act = Act(
            kind=str(kind),
            data={k: v for k, v in payload.items() if k not in ("before", "kind", "at")},
            page=self.pages.index(page) if page in self.pages else 0,
            frame=_frame_selector(frame),
            at=float(payload.get("at") or time.time() * 1000),
            before=payload.get("before") or {},
        )
        if act.kind == "fill" and act.data.get("secret"):
            self.recording.typed_secret = True
            act.data.pop("value", None)
        if self._repeats(act):
            return None
        for earlier in reversed(self.recording.acts):
            if earlier.page == act.page and earlier.frame == act.frame:
                earlier.after = earlier.after or act.before
                break
        self.recording.acts.append(act)
        if self.posts:
            self._attribute()
        return None

    def _repeats(self, act: Act) -> bool:
        """A second click on the same thing that changed nothing (a person clicking again
        while the page wakes up) is one act; a field typed in again keeps its last value."""
        if not self.recording.acts:
            return False
        last = self.recording.acts[-1]
        if (last.page, last.frame) != (act.page, act.frame) or last.posts:
            return False
        if (
            act.kind == "fill"
            and last.kind == "fill"
            and last.data.get("field") == act.data.get("field")
        ):
            last.data = act.data
            return True
        same = {k: v for k, v in last.data.items() if k != "url"} == {
            k: v for k, v in act.data.items() if k != "url"
        }
        unchanged = last.before.get("texts") == act.before.get("texts")
        return act.kind == last.kind == "click" and same and unchanged

    # --- the panel ---------------------------------------------------------------------

    def panel_items(self) -> list[dict[str, Any]]:
        return [
            {"name": act.name, "irreversible": act.irreversible}
            for act in self.recording.submissions()
        ]

    def _redraw(self) -> None:
        for page in self.pages:
            if page.is_closed():
                continue
            try:
                page.evaluate(
                    "items => window.__portalBotPanel && window.__portalBotPanel(items)",
                    self.panel_items(),
                )
            except PlaywrightError:
                continue

    # --- the end --------------------------------------------------------------------------

    def wait(self) -> Recording:
        """Pump the browser's events until the person ends the recording."""
        try:
            while not self.recording.ended:
                open_pages = [page for page in self.pages if not page.is_closed()]
                if not open_pages:
                    break
                open_pages[0].wait_for_timeout(200)
        except (PlaywrightError, KeyboardInterrupt):
            pass
        self._last_looks()
        return self.recording

    def _last_looks(self) -> None:
        """What each document shows at the end: the ``after`` of its last act."""
        for act in reversed(self.recording.acts):
            if act.after is not None or act.page >= len(self.pages):
                continue
            page = self.pages[act.page]
            if page.is_closed():
                continue
            frame = page.main_frame
            if act.frame is not None:
                try:
                    handle = page.locator(act.frame).first.element_handle(timeout=2_000)
                    frame = handle.content_frame() or frame
                except PlaywrightError:
                    continue
            try:
                act.after = frame.evaluate("() => window.__portalBotSnapshot()")
            except PlaywrightError:
                continue


def _frame_selector(frame: Frame) -> str | None:
    """``iframe#id`` (or ``iframe[name=…]``) of a frame that is not a page's top one."""
    if frame.parent_frame is None:
        return None
    try:
        element = frame.frame_element()
        ident = element.get_attribute("id")
        if ident:
            return f"iframe#{ident}"
        name = element.get_attribute("name")
        if name:
            return f"iframe[name='{name}']"
    except PlaywrightError:
        pass
    return "iframe"


@dataclass
class RecordOptions:
    """How ``portal-bot record`` opens its browser."""

    url: str | None = None
    mock_address: str | None = None
    mock_hosts: tuple[str, ...] = ()
    browser: str | None = None
    headless: bool = False
    debugging_port: int | None = None
    """Lets another program (a test's stand-in person, remote help) drive the window."""


def record(options: RecordOptions, ready: Callable[[], None] = lambda: None) -> Recording:
    """Open the browser, let the person work, and return what they did; ``ready`` is
    called once the window is open."""
    from playwright.sync_api import sync_playwright

    from portal_bot.browser import LaunchOptions, context_arguments, find_browser, launch

    extra = (f"--remote-debugging-port={options.debugging_port}",) if options.debugging_port else ()
    launch_options = LaunchOptions(
        choice=find_browser(options.browser, headless=options.headless),
        headless=options.headless,
        mock_address=options.mock_address,
        mock_domains=options.mock_hosts,
        extra_args=extra,
    )
    with sync_playwright() as playwright:
        browser = launch(playwright, launch_options)
        try:
            on_mock = options.mock_address is not None
            context = browser.new_context(**context_arguments(mock=on_mock))
            recorder = Recorder(context, options.mock_hosts)
            page = context.new_page()
            if options.url:
                page.goto(options.url, wait_until="domcontentloaded")
            ready()
            return recorder.wait()
        finally:
            browser.close()
