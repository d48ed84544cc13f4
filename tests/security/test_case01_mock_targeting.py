"""Case 1: ``--yes`` and ``--mock-server`` reach only a portal-bot mock that proves it is
one (the HMAC of a fresh challenge with its random token), on a loopback IP literal; the
evidence's ``target`` is what was proven."""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import trustme
from typer.testing import CliRunner

from portal_bot.cli import app
from portal_bot.errors import UsageError
from portal_bot.evidence import read_events
from portal_bot.job import JobRequest, execute
from portal_bot.loader import load_flow
from portal_bot.mocks.server import MockServer
from tests.conftest import Runner
from tests.security.conftest import flow_file

STEPS = "  - goto: https://e-menu.sunat.gob.pe/cl-ti-itmenu/MenuInternet.htm\n"
SECRETS = {"PORTAL_BOT_SECRET_CLAVE_SOL": "moddatos"}


class Impostor(ThreadingHTTPServer):
    """Any HTTPS server on a loopback port: it answers every request, proof included."""

    seen: list[tuple[str, str, str]]


class _Handler(BaseHTTPRequestHandler):
    server: Impostor

    def _answer(self) -> None:
        self.server.seen.append((self.command, self.headers.get("Host", ""), self.path))
        challenge = self.headers.get("x-portal-bot-challenge", "")
        body = json.dumps({"proof": challenge, "ok": True}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer  # noqa: N815  (http.server's names)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def impostor(tmp_path: Path) -> Iterator[Impostor]:
    ca = trustme.CA()
    cert = ca.issue_cert("e-menu.sunat.gob.pe", "127.0.0.1")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert.configure_cert(context)
    server = Impostor(("127.0.0.1", 0), _Handler)
    server.seen = []
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _request(tmp_path: Path, address: str, token: str | None = None) -> JobRequest:
    return JobRequest(
        flow=load_flow(flow_file(tmp_path, STEPS)),
        evidence=tmp_path / "ev",
        mock_server=address,
        mock_token=token,
        yes=True,
        environ=dict(SECRETS),
    )


@pytest.mark.parametrize("token", [None, "adivinada"])
def test_an_impostor_on_a_loopback_port_gets_nothing(
    impostor: Impostor, tmp_path: Path, token: str | None
) -> None:
    address = f"127.0.0.1:{impostor.server_address[1]}"

    with pytest.raises(UsageError) as refused:
        execute(_request(tmp_path, address, token), None, None)  # its own browser

    assert "simulación" in str(refused.value)
    assert not [s for s in impostor.seen if s[1].startswith("e-menu.sunat.gob.pe")]
    assert not (tmp_path / "ev").exists()


@pytest.mark.parametrize(
    "address", ["localhost:8443", "e-menu.sunat.gob.pe:443", "10.0.0.1:8443", "[::2]:8443"]
)
def test_only_a_loopback_ip_literal_is_accepted(address: str) -> None:
    result = CliRunner().invoke(
        app, ["run", "pe-sunat-pse-alta", "--mock-server", address, "--yes"]
    )

    assert result.exit_code == 2, result.output
    assert "127.0.0.1:8443" in result.output and "localhost" in result.output
    assert isinstance(result.exception, SystemExit)


def test_a_real_mock_proves_itself_and_the_evidence_says_mock(run: Runner) -> None:
    run.reset("sunat", popups="none", captcha="never")
    request = _request(run.tmp, run.server.address)

    result = execute(request, None, None, browser=run.browser)

    assert result.exit_code == 0, result.message
    started = next(e for e in read_events(result.folder) if e["type"] == "run_started")
    assert started["target"] == "mock"


def test_a_wrong_token_for_a_real_mock_is_refused(run: Runner) -> None:
    with pytest.raises(UsageError):
        execute(_request(run.tmp, run.server.address, "otra-clave"), None, None)


def test_a_mock_started_elsewhere_is_found_by_its_token_file(tmp_path: Path) -> None:
    from portal_bot.mocks import all_portals
    from portal_bot.mocks.client import TOKENS, find_token, token_file

    with MockServer(all_portals()) as server:
        del TOKENS[server.address]  # as another process sees it: only the file
        assert token_file(server.address).stat().st_mode & 0o777 == 0o600
        assert find_token(server.address) == server.token
    assert find_token(server.address) is None


def test_a_proof_asked_ahead_is_kept_for_its_token_only(mock_server: MockServer) -> None:
    """``portal-bot run`` asks for the proof while the driver starts; the run's own check
    then uses it, and a wrong token is still refused. A bad address is left to that check."""
    from portal_bot.job import prove_ahead
    from portal_bot.mocks.client import PROVED, proves

    PROVED.discard((mock_server.address, mock_server.token))
    prove_ahead("localhost:8443", None)
    prove_ahead(mock_server.address, None)

    assert (mock_server.address, mock_server.token) in PROVED
    assert not [pair for pair in PROVED if pair[0] == "localhost:8443"]
    assert not proves(mock_server.address, "otra-clave")
