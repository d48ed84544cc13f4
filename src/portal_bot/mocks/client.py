"""Reading and steering a mock server from outside: ``/__mock__/…`` over HTTPS.

Works the same for the in-process server and for ``--mock-server HOST:PORT``: the request
goes to the server's address with the portal's host name in the ``Host`` header.
"""

from __future__ import annotations

import http.client
import json
import ssl
from typing import Any


def _request(address: str, host: str, method: str, path: str, body: Any = None) -> Any:
    server, _, port = address.rpartition(":")
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    connection = http.client.HTTPSConnection(server, int(port), timeout=10, context=context)
    try:
        payload = None if body is None else json.dumps(body).encode()
        headers = {"Host": host, "Content-Type": "application/json"}
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        data = response.read()
    finally:
        connection.close()
    if response.status >= 400:
        raise RuntimeError(f"{host}{path}: HTTP {response.status} {data[:200]!r}")
    return json.loads(data)


def read_state(address: str, host: str) -> dict[str, Any]:
    state: dict[str, Any] = _request(address, host, "GET", "/__mock__/state")
    return state


def reset(address: str, host: str) -> None:
    _request(address, host, "POST", "/__mock__/reset", {})


def configure(address: str, host: str, settings: dict[str, Any]) -> None:
    _request(address, host, "POST", "/__mock__/configure", settings)
