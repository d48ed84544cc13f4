"""Reading and steering a mock server from outside: ``/__mock__/…`` over HTTPS.

Works the same for the in-process server and for ``--mock-server HOST:PORT``: the request
goes to the server's address with the portal's host name in the ``Host`` header.

A mock proves it is one before a run trusts it (``--yes`` answers every gate): each server
draws a random token when it starts, keeps it in this process (:data:`TOKENS`) and in a
file only this user can read (:func:`token_file`), and answers a random challenge with its
HMAC (``/__mock__/proof``). Any other server, on any address, cannot answer it.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import http.client
import json
import os
import secrets
import ssl
from pathlib import Path
from typing import Any

TOKENS: dict[str, str] = {}
"""The tokens of the mock servers running in this process, by address."""
PROOF_PATH = "/__mock__/proof"
CHALLENGE_HEADER = "x-portal-bot-challenge"


def proof(token: str, challenge: str) -> str:
    return hmac.new(token.encode(), challenge.encode(), hashlib.sha256).hexdigest()


def token_file(address: str) -> Path:
    """Where a mock server on this machine leaves its token for runs of the same user."""
    name = "".join(c if c.isalnum() or c == "." else "_" for c in address)
    return Path.home() / ".cache" / "portal-bot" / "mocks" / f"{name}.token"


def publish_token(address: str, token: str) -> None:
    """Make the token findable by runs of this user (in this process and on disk)."""
    TOKENS[address] = token
    path = token_file(address)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(token)
    except OSError:
        return  # no writable home: runs in this process still find it, others need it given


def withdraw_token(address: str, token: str) -> None:
    if TOKENS.get(address) == token:
        del TOKENS[address]
    path = token_file(address)
    try:
        if path.read_text().strip() == token:
            path.unlink()
    except OSError:
        return


def find_token(address: str) -> str | None:
    """The token of the mock server at ``address`` started on this machine by this user."""
    if address in TOKENS:
        return TOKENS[address]
    path = token_file(address)
    try:
        if path.is_symlink() or path.stat().st_mode & 0o077:
            return None
        return path.read_text().strip() or None
    except OSError:
        return None


PROVED: set[tuple[str, str]] = set()
"""(address, token) pairs whose server answered a challenge in this process: a run asks
once, ahead, while Playwright's driver starts (``job.prove_ahead``)."""


def proves(address: str, token: str) -> bool:
    """Does the server at ``address`` answer a fresh challenge with ``token``'s HMAC?"""
    if (address, token) in PROVED:
        return True
    challenge = secrets.token_hex(16)
    try:
        answer = _request(address, "portal-bot-mock", "GET", PROOF_PATH,
                          headers={CHALLENGE_HEADER: challenge})  # fmt: skip
    except (OSError, RuntimeError, ValueError, http.client.HTTPException):
        return False
    given = answer.get("proof") if isinstance(answer, dict) else None
    if isinstance(given, str) and hmac.compare_digest(given, proof(token, challenge)):
        PROVED.add((address, token))
        return True
    return False


def _request(
    address: str,
    host: str,
    method: str,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> Any:
    server, _, port = address.rpartition(":")
    server = server.removeprefix("[").removesuffix("]")
    connection = http.client.HTTPSConnection(server, int(port), timeout=10, context=_tls())
    try:
        payload = None if body is None else json.dumps(body).encode()
        sent = {"Host": host, "Content-Type": "application/json", **(headers or {})}
        connection.request(method, path, body=payload, headers=sent)
        response = connection.getresponse()
        data = response.read()
    finally:
        connection.close()
    if response.status >= 400:
        raise RuntimeError(f"{host}{path}: HTTP {response.status} {data[:200]!r}")
    return json.loads(data)


@functools.cache
def _tls() -> ssl.SSLContext:
    """TLS to the mock, whose certificate is its own (the mock proves itself by its
    token, not its certificate): without the system's CA store, which takes ~30 ms to
    load and would check nothing here."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def read_state(address: str, host: str) -> dict[str, Any]:
    state: dict[str, Any] = _request(address, host, "GET", "/__mock__/state")
    return state


def reset(address: str, host: str) -> None:
    _request(address, host, "POST", "/__mock__/reset", {})


def configure(address: str, host: str, settings: dict[str, Any]) -> None:
    _request(address, host, "POST", "/__mock__/configure", settings)
