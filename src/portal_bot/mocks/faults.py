"""Faults the mock server injects on request, for tests and for practice.

A real portal answers with an error page, takes too long, drops the connection, expires the
session, throws a pop-up in the middle of a form, or records a submission and then never
answers. Each of these can be switched on, per portal, over HTTP on any of its hosts:

- ``POST /__mock__/faults`` with one fault (or ``{"faults": [...]}``) adds it;
- ``GET /__mock__/faults`` lists the portal's faults with how often each one struck;
- ``DELETE /__mock__/faults`` removes them (``/__mock__/reset`` does too).

A fault is a JSON object::

    {"kind": "error500", "path": "/cl-ti-itmenu/MenuInternet.htm", "method": "GET",
     "host": "e-menu.sunat.gob.pe", "skip": 0, "times": 1}

``kind`` is one of :data:`KINDS`; ``path`` is matched as a shell pattern (``*`` allowed)
against the request path; ``method`` and ``host`` are optional; the first ``skip``
matching requests go through untouched and the next ``times`` ones get the fault.
``seconds`` sets how long ``slow`` waits before answering and how long ``lost_answer``
keeps the browser waiting (both end early when the browser hangs up); ``title`` and
``button`` name ``popup``'s dialog, which only a page (HTML with status 200) can carry: a
redirect or a file passes the pop-up on to the next matching request.

The browser process killed mid-run is not a server fault: the tests kill Chromium
themselves (see ``tests/runner/test_faults.py``).
"""

from __future__ import annotations

import asyncio
import fnmatch
import html
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args

from starlette.responses import HTMLResponse

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from portal_bot.mocks.portal import MockPortal

Kind = Literal["error500", "slow", "drop", "expire", "popup", "lost_answer"]
KINDS: tuple[str, ...] = get_args(Kind)
"""``error500``: an error page with status 500 instead of the page. ``slow``: the page,
after ``seconds``. ``drop``: the connection closed without an answer. ``expire``: every
session of the portal ends, then the request goes on (so the portal sends the user back to
its login). ``popup``: the page with a modal dialog over it. ``lost_answer``: the portal
handles the request (a submission is recorded) but its answer never reaches the browser."""


@dataclass
class Fault:
    kind: Kind
    path: str
    method: str | None = None
    host: str | None = None
    skip: int = 0
    times: int = 1
    seconds: float = 30.0
    title: str = "Aviso"
    button: str = "Cerrar"
    hits: int = 0
    seen: int = 0

    @classmethod
    def parse(cls, data: object) -> Fault:
        """A fault from its JSON object; ``ValueError`` with a Spanish message if bad."""
        if not isinstance(data, dict):
            raise ValueError("cada falla es un objeto JSON")
        known = {"kind", "path", "method", "host", "skip", "times", "seconds", "title", "button"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"campos desconocidos en la falla: {', '.join(unknown)}")
        if data.get("kind") not in KINDS:
            raise ValueError(f"«kind» debe ser uno de: {', '.join(KINDS)}")
        if not isinstance(data.get("path"), str) or not data["path"].startswith("/"):
            raise ValueError("«path» es obligatorio y empieza con /, por ejemplo /login*")
        for name in ("skip", "times"):
            value = data.get(name, 0 if name == "skip" else 1)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"«{name}» debe ser un entero de 0 o más")
        seconds = data.get("seconds", 30.0)
        if not isinstance(seconds, int | float) or not 0 <= seconds <= 600:
            raise ValueError("«seconds» debe estar entre 0 y 600")
        fault = cls(**data)
        if fault.method is not None:
            fault.method = fault.method.upper()
        return fault

    def matches(self, method: str, host: str, path: str) -> bool:
        return (
            (self.method is None or self.method == method)
            and (self.host is None or self.host == host)
            and fnmatch.fnmatchcase(path, self.path)
        )

    def describe(self) -> dict[str, Any]:
        return asdict(self)


class FaultPlan:
    """The faults switched on for one portal; the server asks it for every request."""

    def __init__(self) -> None:
        self.faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        self.faults.append(fault)

    def clear(self) -> None:
        self.faults.clear()

    def strike(self, method: str, host: str, path: str) -> Fault | None:
        """The fault this request gets, counting it; None if it goes through."""
        for fault in self.faults:
            if not fault.matches(method, host, path):
                continue
            fault.seen += 1
            if fault.skip < fault.seen <= fault.skip + fault.times:
                fault.hits += 1
                return fault
        return None


async def inject(
    fault: Fault, portal: MockPortal, app: ASGIApp, scope: Scope, receive: Receive, send: Send
) -> None:
    """Answer ``scope`` with ``fault`` instead of (or around) the portal's own answer."""
    match fault.kind:
        case "error500":
            await ERROR_PAGE(scope, receive, send)
        case "slow":
            body = await _body(receive)
            if body is not None and not await _hung_up(receive, fault.seconds):
                await app(scope, _replay(body, receive), send)
        case "drop":
            await _abort(send)
        case "expire":
            with portal.lock:
                portal.expire_sessions()
            await app(scope, receive, send)
        case "popup":
            await app(scope, receive, _with_popup(send, fault))
        case "lost_answer":
            body = await _body(receive)
            if body is not None:
                await app(scope, _replay(body, receive), _discard)
                await _hung_up(receive, fault.seconds)
            await _abort(send)


async def _body(receive: Receive) -> list[Message] | None:
    """The request's body messages, or None if the browser hung up first."""
    body: list[Message] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        body.append(message)
        if not message.get("more_body", False):
            return body


async def _hung_up(receive: Receive, seconds: float) -> bool:
    """Wait ``seconds`` or until the browser hangs up (a navigation elsewhere or a closed
    tab ends the wait, so nothing lingers on the server); True if it hung up."""
    try:
        message = await asyncio.wait_for(receive(), timeout=seconds)
    except TimeoutError:
        return False
    return bool(message["type"] == "http.disconnect")


def _replay(body: list[Message], receive: Receive) -> Receive:
    """A ``receive`` that gives the body already read, then listens to the browser."""
    queue = list(body)

    async def replay() -> Message:
        return queue.pop(0) if queue else await receive()

    return replay


ERROR_PAGE = HTMLResponse(
    "<!doctype html><html lang='es'><head><meta charset='utf-8'>"
    "<title>Error 500 - Internal Server Error</title></head><body>"
    "<h1>Error 500 - Internal Server Error</h1>"
    "<p>El servicio no está disponible en este momento. Por favor, intente más tarde.</p>"
    "</body></html>",
    status_code=500,
)


async def _discard(message: Message) -> None:
    """The answer the browser never gets."""


async def _abort(send: Send) -> None:
    """Close the connection with no answer at all, as a dropped connection does.

    uvicorn's ``send`` is a method of the request's cycle, which holds the transport; an
    aborted transport sends nothing more (not even a TLS close), so Chromium sees the
    connection cut (``ERR_EMPTY_RESPONSE`` or ``ERR_CONNECTION_CLOSED``).
    """
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None:
        raise RuntimeError("falla «drop»: el servidor no expone la conexión")
    transport.abort()
    for _ in range(10):  # let the server see the connection lost before we return
        if getattr(cycle, "disconnected", True):
            break
        await asyncio.sleep(0)


POPUP = """
<div role="dialog" aria-modal="true" aria-labelledby="portal-bot-fault-title"
     style="position:fixed;inset:0;z-index:2147483000;background:rgba(0,0,0,.45);
            display:flex;align-items:center;justify-content:center">
  <div style="background:#fff;padding:24px;max-width:420px;font:16px sans-serif">
    <h2 id="portal-bot-fault-title">{title}</h2>
    <p>Estimado contribuyente: le recordamos mantener actualizados sus datos.</p>
    <button type="button" onclick="this.closest('[role=dialog]').remove()">{button}</button>
  </div>
</div>
"""


def _with_popup(send: Send, fault: Fault) -> Send:
    """A ``send`` that adds a modal dialog to an HTML page before ``</body>``."""
    held: list[Message] = []
    body: list[bytes] = []

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            held.append(message)
            return
        if message["type"] != "http.response.body":
            await send(message)
            return
        body.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        start = held[0]
        headers = [(k, v) for k, v in start.get("headers", []) if k != b"content-length"]
        data = b"".join(body)
        page = start.get("status") == 200 and any(
            k == b"content-type" and v.startswith(b"text/html") for k, v in headers
        )
        if page:
            snippet = POPUP.format(title=html.escape(fault.title), button=html.escape(fault.button))
            marker = data.rfind(b"</body>")
            cut = marker if marker >= 0 else len(data)
            data = data[:cut] + snippet.encode() + data[cut:]
        else:  # a redirect or a file: the pop-up waits for the next page
            fault.hits -= 1
            fault.seen -= 1
        headers.append((b"content-length", str(len(data)).encode()))
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": data})

    return wrapped
