"""Case 10: usage problems end with exit 2 and one Spanish line, never a traceback; a run
that cannot finish still closes its folder with a manifest and the secret scan."""

from __future__ import annotations

import errno
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest
from typer.testing import CliRunner, Result

from portal_bot import evidence as evidence_module
from portal_bot.cli import app
from portal_bot.errors import UsageError
from portal_bot.mocks.server import MockServer
from portal_bot.verify import verify
from tests.conftest import Runner, portal_bot_process
from tests.runner.test_sunat import CLAVE, DEMO
from tests.security.conftest import run_text

cli = CliRunner()
SAY = "  - say: Hola\n"


def _run_cli(server: MockServer, *args: str, env: dict[str, str] | None = None) -> Result:
    demo = [f"--input={k}={v}" for k, v in DEMO.items()]
    command = ["run", "pe-sunat-pse-alta", *demo, "--mock-server", server.address, *args]
    environ = {"PORTAL_BOT_SECRET_CLAVE_SOL": CLAVE["clave_sol"], **(env or {})}
    return cli.invoke(app, command, env=environ)


def _one_clear_line(result: Result, words: str) -> None:
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert words in result.output


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """A read-only file system (a tiny tmpfs), when this machine lets the tests mount."""
    where = tmp_path / "solo-lectura"
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("no se puede montar un sistema de archivos de solo lectura aquí")
    yield where
    subprocess.run(["umount", str(where)], check=False)


def test_evidence_that_is_a_file(mock_server: MockServer, tmp_path: Path) -> None:
    target = tmp_path / "archivo.txt"
    target.write_text("no es una carpeta")

    result = _run_cli(mock_server, "--yes", "--evidence", str(target))

    _one_clear_line(result, "es un archivo, no una carpeta")


def test_evidence_under_proc(mock_server: MockServer) -> None:
    result = _run_cli(mock_server, "--yes", "--evidence", "/proc/self/portal-bot")

    _one_clear_line(result, "es del sistema")


def test_evidence_on_a_read_only_file_system(mock_server: MockServer, read_only: Path) -> None:
    result = _run_cli(mock_server, "--yes", "--evidence", str(read_only / "ev"))

    _one_clear_line(result, "solo lectura")


def test_a_full_disk_is_one_line_and_the_folder_is_still_closed(
    run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    run.reset("sunat", popups="none", captcha="never")
    real_write = Path.write_bytes
    taken: list[Path] = []

    def full_after_two_shots(self: Path, data: bytes) -> int:
        if self.parent.name == "shots":
            taken.append(self)
            if len(taken) > 2:
                raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", full_after_two_shots)
    steps = "  - goto: https://e-menu.sunat.gob.pe/cl-ti-itmenu/MenuInternet.htm\n" + "".join(
        f"  - screenshot: foto-{n}\n" for n in range(3)
    )

    result = run_text(run, steps, {"clave_sol": "moddatos"})

    assert result.exit_code == 2
    assert "no queda espacio en el disco" in result.message
    assert (result.folder / "manifest.json").is_file()
    assert verify(result.folder, result.seal) == []


def test_a_full_disk_on_the_event_log_is_a_usage_error_and_a_closed_folder(
    run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    run.reset("sunat", popups="none", captcha="never")
    real_init = evidence_module.Evidence.__init__

    class FillingLog:
        """The event log's file, on a disk that fills up after three lines."""

        def __init__(self, handle: BinaryIO) -> None:
            self.handle, self.lines = handle, 0

        def write(self, data: bytes) -> int:
            self.lines += 1
            if self.lines > 3:
                raise OSError(errno.ENOSPC, "No space left on device")
            return self.handle.write(data)

        def flush(self) -> None:
            self.handle.flush()

        def close(self) -> None:
            self.handle.close()

    def filling(self: evidence_module.Evidence, folder: Path) -> None:
        real_init(self, folder)
        self._events = FillingLog(self._events)  # type: ignore[assignment]

    monkeypatch.setattr(evidence_module.Evidence, "__init__", filling)
    steps = "  - goto: https://e-menu.sunat.gob.pe/cl-ti-itmenu/MenuInternet.htm\n" + "".join(
        f"  - screenshot: foto-{n}\n" for n in range(3)
    )

    with pytest.raises(UsageError) as refused:
        run_text(run, steps, {"clave_sol": "moddatos"})

    assert "no queda espacio en el disco" in str(refused.value)
    (folder,) = run.tmp.glob("ev-*")
    assert (folder / "manifest.json").is_file()


def test_a_browser_that_does_not_start(mock_server: MockServer, tmp_path: Path) -> None:
    demo = [f"--input={k}={v}" for k, v in DEMO.items()]
    done = portal_bot_process(
        ["run", "pe-sunat-pse-alta", *demo, "--mock-server", mock_server.address, "--yes",
         "--browser", "/bin/false", "--evidence", str(tmp_path / "ev")],
        CLAVE,
    )  # fmt: skip

    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "No se pudo iniciar el navegador" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert (tmp_path / "ev" / "manifest.json").is_file()
    assert verify(tmp_path / "ev") == []


@pytest.mark.parametrize("option", ["--headed", "--guided"])
def test_headed_or_guided_without_a_display(
    mock_server: MockServer, tmp_path: Path, option: str
) -> None:
    result = _run_cli(
        mock_server,
        option,
        "--evidence",
        str(tmp_path / "ev"),
        env={"DISPLAY": "", "WAYLAND_DISPLAY": ""},
    )

    _one_clear_line(result, "No hay una pantalla")


def test_mock_on_a_port_already_in_use() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = cli.invoke(app, ["mock", "--port", str(port)])

    _one_clear_line(result, f"No se pudo abrir el puerto {port}")
