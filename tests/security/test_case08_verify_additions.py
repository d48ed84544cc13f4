"""Case 8: ``verify`` names every addition (a nested manifest.json, a symbolic link) and
a malformed events line, with a clear message and no traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portal_bot.cli import app

cli = CliRunner()


def _nested_manifest_in_shots(folder: Path) -> str:
    (folder / "shots" / "manifest.json").write_text('{"chain": "x", "files": {}}')
    return "archivo añadido: shots/manifest.json"


def _nested_manifest_in_files(folder: Path) -> str:
    (folder / "files" / "x").mkdir(parents=True)
    (folder / "files" / "x" / "manifest.json").write_text("{}")
    return "archivo añadido: files/x/manifest.json"


def _symlink_to_etc(folder: Path) -> str:
    (folder / "shots" / "etc").symlink_to("/etc")
    return "enlace simbólico añadido: shots/etc"


def _symlink_file(folder: Path) -> str:
    (folder / "shots" / "hostname.webp").symlink_to("/etc/hostname")
    return "enlace simbólico añadido: shots/hostname.webp"


def _events_line_42(folder: Path) -> str:
    events = folder / "events.jsonl"
    events.write_bytes(b"42\n" + events.read_bytes())
    return "events.jsonl: la línea 1 no es un evento"


@pytest.mark.parametrize(
    "tamper",
    [
        _nested_manifest_in_shots,
        _nested_manifest_in_files,
        _symlink_to_etc,
        _symlink_file,
        _events_line_42,
    ],
    ids=lambda f: f.__name__[1:],
)
def test_verify_refuses_additions(copy: Path, tamper: Callable[[Path], str]) -> None:
    expected = tamper(copy)

    result = cli.invoke(app, ["verify", str(copy)])

    assert result.exit_code == 1, result.output
    assert expected in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_report_of_a_malformed_events_line_is_one_clear_line(copy: Path) -> None:
    _events_line_42(copy)

    result = cli.invoke(app, ["report", str(copy)])

    assert result.exit_code == 2, result.output
    assert "la línea 1 no es un evento" in result.output
    assert isinstance(result.exception, SystemExit)
