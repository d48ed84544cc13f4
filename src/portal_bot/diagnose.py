"""Why a step failed, in words an agent can act on.

A step fails because something it waited for never showed. That is rarely the whole story:
the portal may have answered with an error page, dropped the connection, taken too long,
ended the session, or covered the page with a pop-up; the browser may be gone. The
:class:`Network` watcher remembers what the portal's pages did; :func:`cause` reads it and
the page after a failure and names the likeliest cause. Only the causes in
:data:`TRANSIENT` are worth another try.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError

from portal_bot import shots

if TYPE_CHECKING:
    from collections.abc import Callable

    from playwright.sync_api import BrowserContext, Frame, Page, Request, Response

    from portal_bot.flow import Condition

Kind = Literal[
    "browser_closed", "connection", "server_error", "signed_out", "popup", "slow", "busy"
]
TRANSIENT: frozenset[Kind] = frozenset({"connection", "server_error", "slow"})
"""Causes that a new try may get past (never a password, never a submission without a
``done_when`` check first)."""

WATCHED_TYPES = frozenset({"document", "xhr", "fetch"})
TIMED_OUT = "ERR_TIMED_OUT"
"""A request that got no answer in time: the portal is slow, the line was not cut."""
SLOW_AFTER_S = 2.0
"""A page request still unanswered after this long counts as a slow portal."""


@dataclass(frozen=True)
class Incident:
    """A portal request that failed or came back with a server error."""

    at: float
    url: str
    method: str
    document: bool
    """A page (or iframe) load, not a call made by a page's script."""
    frame: Frame | None
    status: int | None
    """The HTTP status of an error page; None when no answer came."""
    detail: str
    """The network error, or ``HTTP <status>``."""


@dataclass(frozen=True)
class Cause:
    kind: Kind
    text: str
    incident: Incident | None = None

    @property
    def transient(self) -> bool:
        return self.kind in TRANSIENT


@dataclass
class Network:
    """What the portal's pages and calls did, as seen from the browser context."""

    in_domains: Callable[[str], bool]
    pending: dict[Request, tuple[float, Incident]] = field(default_factory=dict)
    incidents: list[Incident] = field(default_factory=list)
    """Failed requests and server errors, oldest first."""
    broken: dict[Frame, Incident] = field(default_factory=dict)
    """Frames whose current document is an error page or never arrived."""
    closed: bool = False
    last_activity: float = 0.0
    """``time.monotonic()`` of the latest request started or ended by the portal's pages."""

    def attach(self, context: BrowserContext) -> None:
        context.on("request", self._request)
        context.on("requestfinished", self._finished)
        context.on("requestfailed", self._failed)
        context.on("response", self._response)
        context.on("close", lambda _: self._close())
        if context.browser is not None:
            context.browser.on("disconnected", lambda _: self._close())

    def _close(self) -> None:
        self.closed = True

    def _watched(self, request: Request) -> bool:
        return request.resource_type in WATCHED_TYPES and self.in_domains(request.url)

    @staticmethod
    def _incident(request: Request, detail: str, status: int | None = None) -> Incident:
        try:
            frame: Frame | None = request.frame
        except PlaywrightError:  # a service worker's request has no frame
            frame = None
        return Incident(
            time.monotonic(),
            request.url,
            request.method,
            request.resource_type == "document",
            frame,
            status,
            detail,
        )

    def _request(self, request: Request) -> None:
        if self._watched(request):
            self.last_activity = time.monotonic()
            self.pending[request] = (time.monotonic(), self._incident(request, "sin respuesta"))

    def _finished(self, request: Request) -> None:
        if self.pending.pop(request, None) is not None:
            self.last_activity = time.monotonic()

    def _failed(self, request: Request) -> None:
        if self.pending.pop(request, None) is not None:
            self.last_activity = time.monotonic()
        error = request.failure or ""
        if self._watched(request) and "ERR_ABORTED" not in error:
            incident = self._incident(request, error)
            self.incidents.append(incident)
            self._document(incident, broken=True)

    def _response(self, response: Response) -> None:
        if not self._watched(response.request):
            return
        incident = self._incident(response.request, f"HTTP {response.status}", response.status)
        if response.status >= 500:
            self.incidents.append(incident)
        if not 300 <= response.status < 400:  # a redirect's target decides
            self._document(incident, broken=response.status >= 500)

    def _document(self, incident: Incident, broken: bool) -> None:
        if incident.document and incident.frame is not None:
            if broken:
                self.broken[incident.frame] = incident
            else:
                self.broken.pop(incident.frame, None)

    def broken_document(self) -> Incident | None:
        """The latest error page still shown in one of the frames, if any."""
        shown = [i for frame, i in self.broken.items() if not frame.is_detached()]
        return max(shown, key=lambda incident: incident.at) if shown else None

    def loading(self) -> bool:
        """Is a page still on its way? (Looking into a page then waits for it.)"""
        return any(incident.document for _, incident in self.pending.values())

    def settles_at(self, quiet_s: float) -> float:
        """When the pages will have been quiet (nothing asked of the portal, nothing
        under way) for ``quiet_s``: infinity while a request is pending."""
        if self.pending:
            return float("inf")
        return self.last_activity + quiet_s

    def waiting(self, now: float) -> tuple[float, Incident] | None:
        """The oldest page request unanswered for a while, with how long, if any."""
        if not self.pending:
            return None
        started, incident = min(self.pending.values(), key=lambda item: item[0])
        return (now - started, incident) if now - started >= SLOW_AFTER_S else None


def _bare(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def cause(
    network: Network,
    page: Page,
    since: float,
    signed_out: list[Condition],
    holds: Callable[[Condition], bool],
    signed_in: bool = True,
) -> Cause | None:
    """The likeliest reason the step that started at ``since`` failed, or None.

    The ``signed_out`` signs count only once the run has signed in (``signed_in``): on the
    login page itself they always hold and say nothing about a session.
    """
    if network.closed or page.is_closed():
        return Cause("browser_closed", "el navegador se cerró (la ventana o su proceso terminó)")
    latest = next((i for i in reversed(network.incidents) if i.at >= since), None)
    incident = latest or network.broken_document()
    if incident is not None:
        if incident.status is not None:
            return Cause(
                "server_error",
                f"el portal respondió con un error ({incident.detail}) en {_bare(incident.url)}",
                incident,
            )
        if TIMED_OUT in incident.detail:  # our own send gave up waiting (see once.py)
            return Cause(
                "slow",
                f"el portal no terminó de responder a {_bare(incident.url)}: se dejó de "
                "esperar su respuesta",
                incident,
            )
        return Cause(
            "connection",
            f"se cortó la conexión con el portal al pedir {_bare(incident.url)} "
            f"({incident.detail})",
            incident,
        )
    # Before looking at the page: a page still loading blocks every look at it.
    waiting = network.waiting(time.monotonic())
    if waiting is not None:
        seconds, incident = waiting
        return Cause(
            "slow",
            f"el portal no terminó de responder a {_bare(incident.url)} "
            f"(se esperó {seconds:.0f} s)",
            incident,
        )
    if not shots.answers(page.locator(":root")):
        return Cause(
            "busy",
            "la página no responde: su propio programa la tiene ocupada (vuelva a intentarlo "
            "más tarde; si se repite, el portal tiene un problema)",
        )
    try:
        if signed_in and any(holds(condition) for condition in signed_out):
            return Cause(
                "signed_out",
                "la sesión del portal expiró: el portal volvió a pedir el ingreso "
                "(no se ingresa de nuevo automáticamente)",
            )
        dialog = page.get_by_role("dialog").filter(visible=True)
        if dialog.count():
            name = dialog.first.get_attribute("aria-label") or _heading(dialog.first.inner_text())
            return Cause("popup", f"una ventana emergente «{name}» tapa la página")
    except PlaywrightError:
        return Cause("browser_closed", "el navegador se cerró (la ventana o su proceso terminó)")
    return None


def _heading(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first[:60]
