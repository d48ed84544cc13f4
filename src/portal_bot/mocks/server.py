"""One local TLS server for every mock portal, routed on the ``Host`` header.

Chromium is pointed at it with ``--host-resolver-rules`` (see ``browser.py``), so flows
keep the real ``https://`` URLs. The certificate is made at start for the portals' host
names; the browser context ignores certificate errors for mock runs only.
"""

from __future__ import annotations

import json
import secrets
import socket
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import trustme
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from portal_bot.mocks import client
from portal_bot.mocks.faults import Fault, FaultPlan, inject
from portal_bot.mocks.portal import MockPortal


def _host_of(scope: Scope) -> str:
    for key, value in scope.get("headers", []):
        if key == b"host":
            host: str = value.decode("latin-1")
            return host.split(":", 1)[0].lower()
    return ""


class MockApp:
    """ASGI app: ``/__mock__/…`` on every host, everything else to the owning portal."""

    def __init__(self, portals: Iterable[MockPortal], token: str = "") -> None:
        self.token = token or secrets.token_urlsafe(24)
        self.portals = list(portals)
        self.by_host = {host: p for p in self.portals for host in p.hosts}
        self.apps = {p.name: Starlette(routes=p.routes()) for p in self.portals}
        self.faults = {p.name: FaultPlan() for p in self.portals}
        self.control = Starlette(
            routes=[
                Route("/__mock__/state", self._state, methods=["GET"]),
                Route("/__mock__/reset", self._reset, methods=["POST"]),
                Route("/__mock__/configure", self._configure, methods=["POST"]),
                Route("/__mock__/faults", self._faults, methods=["GET", "POST", "DELETE"]),
            ]
        )

    def portal_for(self, host: str) -> MockPortal | None:
        return self.by_host.get(host)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.control(scope, receive, send)
            return
        if scope["type"] == "http" and scope["path"] == client.PROOF_PATH:
            await self._proof(scope, receive, send)
            return
        portal = self.portal_for(_host_of(scope))
        if portal is None:
            response = HTMLResponse(
                "<!doctype html><meta charset='utf-8'><title>No simulado</title>"
                "<h1>Este servidor no simula ese sitio</h1>",
                status_code=421,
            )
            await response(scope, receive, send)
            return
        scope.setdefault("state", {})["portal"] = portal
        if scope["path"].startswith("/__mock__/"):
            await self.control(scope, receive, send)
            return
        app = self.apps[portal.name]
        with portal.lock:
            fault = self.faults[portal.name].strike(scope["method"], _host_of(scope), scope["path"])
        if fault is None:
            await app(scope, receive, send)
        else:
            await inject(fault, portal, app, scope, receive, send)

    async def _proof(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Prove this is a portal-bot mock: the HMAC of the caller's challenge."""
        challenge = Request(scope).headers.get(client.CHALLENGE_HEADER, "")
        if not 16 <= len(challenge) <= 128:
            await JSONResponse({"error": "falta el desafío"}, status_code=400)(scope, receive, send)
            return
        answer = {"proof": client.proof(self.token, challenge)}
        await JSONResponse(answer)(scope, receive, send)

    @staticmethod
    def _portal(request: Request) -> MockPortal:
        portal: MockPortal = request.scope["state"]["portal"]
        return portal

    async def _state(self, request: Request) -> Response:
        portal = self._portal(request)
        with portal.lock:
            return JSONResponse(portal.state())

    async def _reset(self, request: Request) -> Response:
        portal = self._portal(request)
        with portal.lock:
            portal.reset()
            self.faults[portal.name].clear()
        return JSONResponse({"ok": True})

    async def _configure(self, request: Request) -> Response:
        portal = self._portal(request)
        settings = await request.json()
        if not isinstance(settings, dict):
            return JSONResponse({"error": "se esperaba un objeto JSON"}, status_code=400)
        try:
            with portal.lock:
                portal.configure(settings)
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse({"ok": True})

    async def _faults(self, request: Request) -> Response:
        portal = self._portal(request)
        plan = self.faults[portal.name]
        if request.method == "POST":
            data = await request.json()
            items = data.get("faults") if isinstance(data, dict) and "faults" in data else [data]
            try:
                parsed = [Fault.parse(item) for item in items or []]
            except ValueError as exc:
                return JSONResponse({"error": str(exc)}, status_code=400)
            with portal.lock:
                for fault in parsed:
                    plan.add(fault)
        elif request.method == "DELETE":
            with portal.lock:
                plan.clear()
        with portal.lock:
            return JSONResponse({"faults": [fault.describe() for fault in plan.faults]})


class MockServer:
    """A running mock server; use as a context manager or call start/stop."""

    def __init__(
        self, portals: Iterable[MockPortal], host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.app = MockApp(portals)
        self._bind = (host, port)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._tmp = tempfile.TemporaryDirectory(prefix="portal-bot-mock-")
        self.address = ""

    @property
    def portals(self) -> list[MockPortal]:
        return self.app.portals

    @property
    def hosts(self) -> list[str]:
        return sorted(self.app.by_host)

    def portal(self, name: str) -> MockPortal:
        for portal in self.portals:
            if portal.name == name:
                return portal
        raise KeyError(name)

    def _certificate(self) -> tuple[str, str]:
        ca = trustme.CA(organization_name="portal-bot mock CA")
        leaf = ca.issue_cert(*self.hosts, "localhost", "127.0.0.1")
        folder = Path(self._tmp.name)
        cert, key = folder / "cert.pem", folder / "key.pem"
        leaf.cert_chain_pems[0].write_to_path(str(cert))
        for pem in leaf.cert_chain_pems[1:]:
            pem.write_to_path(str(cert), append=True)
        leaf.private_key_pem.write_to_path(str(key))
        return str(cert), str(key)

    def start(self) -> MockServer:
        certfile, keyfile = self._certificate()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(self._bind)
        except OSError:
            sock.close()
            raise
        host, port = sock.getsockname()[:2]
        self.address = f"{host}:{port}"
        config = uvicorn.Config(
            self.app,
            ssl_certfile=certfile,
            ssl_keyfile=keyfile,
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=1,
        )
        self._server = _Server(config)
        server = self._server
        self._thread = threading.Thread(
            target=lambda: server.run(sockets=[sock]), name="portal-bot-mock", daemon=True
        )
        self._thread.start()
        if not server.ready.wait(10):
            raise RuntimeError("el servidor de simulación no arrancó en 10 s")
        client.publish_token(self.address, self.token)
        return self

    @property
    def token(self) -> str:
        """The random token this server proves itself with (see ``mocks/client.py``)."""
        return self.app.token

    def stop(self) -> None:
        if self.address:
            client.withdraw_token(self.address, self.token)
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(5)
        self._tmp.cleanup()

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def inject(self, name: str, **fault: Any) -> Fault:
        """Switch a fault on for the named portal (same as ``POST /__mock__/faults``)."""
        parsed = Fault.parse(fault)
        portal = self.portal(name)
        with portal.lock:
            self.app.faults[name].add(parsed)
        return parsed

    def clear_faults(self, name: str) -> None:
        """Switch every fault of the named portal off (same as ``DELETE``)."""
        portal = self.portal(name)
        with portal.lock:
            self.app.faults[name].clear()

    def reset(self, name: str) -> None:
        """The named portal back to its initial state, with no faults."""
        portal = self.portal(name)
        with portal.lock:
            portal.reset()
            self.app.faults[name].clear()

    def state(self, name: str) -> dict[str, Any]:
        """The named portal's state, read directly (same JSON as ``/__mock__/state``)."""
        portal = self.portal(name)
        with portal.lock:
            snapshot: dict[str, Any] = json.loads(json.dumps(portal.state()))
        return snapshot


class _Server(uvicorn.Server):
    """uvicorn's server, telling the starting thread when it listens."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self.ready.set()
