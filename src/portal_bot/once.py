"""A password or a submission is sent once, by us, never again by the browser.

Chromium resends a request whose connection dropped before the answer (a POST too): a
portal that recorded the first one sees a second login attempt (accounts lock) or a
second submission. While a step that ``submits_password`` or is ``irreversible`` acts,
:func:`guard` routes the context's requests: each request that is not a plain read
(GET, HEAD, OPTIONS) is sent once from here (``route.fetch`` with no retries and no
redirects followed), the page is answered from that one response, and any repeat of the
same request is aborted. When the answer does not come in time, the page's request fails
as timed out (as a cut connection when the line broke), and the runner says the
submission may have arrived. A file upload (a multipart body) comes
from Chromium with its file parts empty: each is filled in from the file this run attached
under that name (:func:`attached`), and the whole body is sent once like any other. A part
whose file the run did not attach (a page that made its own) leaves the request to the
browser, as before.

``route.fetch`` goes out from Playwright's driver, not from Chromium, so it does not know
the browser's ``--host-resolver-rules``: for a run on a mock, :func:`map_mock` tells it
the mock's address, and the request goes there with the portal's host name and cookies.
"""

from __future__ import annotations

import re
import time
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from portal_bot.flow import ActionBase, Step

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Request, Route

READS = ("GET", "HEAD", "OPTIONS")
_MOCKS: weakref.WeakKeyDictionary[BrowserContext, str] = weakref.WeakKeyDictionary()
_FILES: weakref.WeakKeyDictionary[BrowserContext, dict[str, Path]] = weakref.WeakKeyDictionary()


def map_mock(context: BrowserContext, address: str | None) -> None:
    """The run's browser sends the portals' host names to the mock at ``address``."""
    if address is not None:
        _MOCKS[context] = address


def attached(context: BrowserContext, path: str) -> None:
    """The run attaches the file at ``path`` to a form of ``context``: a multipart body
    that names it can then be sent whole, once (see the module's docstring)."""
    _FILES.setdefault(context, {})[_filename(Path(path).name)] = Path(path)


def sends(step: Step) -> bool:
    """Does the step send something that must never go twice?"""
    return isinstance(step, ActionBase) and (step.irreversible or step.submits_password)


@contextmanager
def guard(context: BrowserContext, step: Step, timeout_ms: float) -> Iterator[None]:
    """Inside the block, every sending request of ``context`` goes out exactly once."""
    if not sends(step):
        yield
        return
    sent: set[tuple[str, str, bytes]] = set()

    def once(route: Route, request: Request) -> None:
        if request.method in READS:
            route.fallback()
            return
        body = request.post_data_buffer or b""
        where = _where(context, request)
        if _carries_files(request):
            whole = _with_files(request, body, _FILES.get(context, {}))
            if whole is None:
                route.fallback()
                return
            body = whole
            where = {"headers": _headers(request), **where, "post_data": body}
        key = (request.method, request.url, body)
        if key in sent:
            route.abort("failed")
            return
        sent.add(key)
        sending.append(key)
        try:
            response = route.fetch(**where, max_retries=0, max_redirects=0, timeout=timeout_ms)
        except PlaywrightTimeoutError:  # the portal said nothing in time: not a cut line
            _quietly(route.abort, "timedout")
            return
        except PlaywrightError:
            _quietly(route.abort, "connectionclosed")
            return
        finally:
            sending.remove(key)
        _quietly(route.fulfill, response=response)

    sending: list[tuple[str, str, bytes]] = []
    context.route("**/*", once)
    try:
        yield
    finally:
        _let_finish(context, sending, timeout_ms)
        _quietly(context.unroute, "**/*", once)


def _let_finish(context: BrowserContext, sending: Sequence[object], timeout_ms: float) -> None:
    """Wait (within the send's own timeout) for a request still being sent: a route taken
    away under it leaves the browser's request paused, and the unrouting then waits for the
    portal's answer, however late it comes."""
    ends = time.monotonic() + timeout_ms / 1000 + 1
    while sending and time.monotonic() < ends:
        pages = [page for page in context.pages if not page.is_closed()]
        if not pages:
            return
        try:
            pages[0].wait_for_timeout(20)  # lets the send's handler run meanwhile
        except PlaywrightError:
            return


def _carries_files(request: Request) -> bool:
    """A multipart body (a form with a file)."""
    content_type = request.headers.get("content-type", "")
    return content_type.lower().startswith("multipart/form-data")


BOUNDARY = re.compile(r'boundary="?([^";]+)"?', re.IGNORECASE)
FILENAME = re.compile(rb'filename="([^"]*)"', re.IGNORECASE)


def _with_files(request: Request, body: bytes, files: dict[str, Path]) -> bytes | None:
    """The multipart ``body`` with each empty file part filled in from the file attached
    under its name; None when a part names a file this run did not attach."""
    found = BOUNDARY.search(request.headers.get("content-type", ""))
    if found is None:
        return None
    delimiter = b"--" + found[1].encode("latin-1")
    parts = body.split(delimiter)
    for number, part in enumerate(parts):
        head, blank, content = part.partition(b"\r\n\r\n")
        name = FILENAME.search(head)
        if not blank or name is None or not name[1]:
            continue  # not a file part, or a file box left empty
        if content != b"\r\n":
            return None  # a file part that already carries bytes: not Chromium's form
        path = files.get(name[1].decode("utf-8", "replace"))
        if path is None:
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        parts[number] = head + blank + data + b"\r\n"
    return delimiter.join(parts)


def _filename(name: str) -> str:
    """A file's name as Chromium writes it in a multipart part's header."""
    return name.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def _headers(request: Request) -> dict[str, str]:
    """The request's own headers for a body of another length (Playwright sets it)."""
    return {k: v for k, v in request.headers.items() if k.lower() != "content-length"}


def _where(context: BrowserContext, request: Request) -> dict[str, Any]:
    """``route.fetch`` arguments: nothing to change on a live portal; on a mock, its
    address, with the portal's host name and the browser's cookies for it."""
    address = _MOCKS.get(context)
    if address is None:
        return {}
    parts = urlsplit(request.url)
    skip = ("host", "cookie", "content-length")
    headers = {k: v for k, v in request.headers.items() if k.lower() not in skip}
    headers["host"] = parts.netloc
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies(request.url))
    if cookies:
        headers["cookie"] = cookies
    url = urlunsplit(("https", address, parts.path or "/", parts.query, ""))
    return {"url": url, "headers": headers}


def _quietly(call: object, *args: object, **kwargs: object) -> None:
    """The page or the browser may be gone by now (a closed tab, a Ctrl-C)."""
    try:
        call(*args, **kwargs)  # type: ignore[operator]
    except PlaywrightError:
        return
