"""Tamper evidence: every kind of change to a real run folder is named by verify."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portal_bot.cli import app

cli = CliRunner()


def _flip_byte(folder: Path) -> str:
    shot = sorted((folder / "shots").iterdir())[3]
    data = bytearray(shot.read_bytes())
    data[len(data) // 2] ^= 0x01
    shot.write_bytes(bytes(data))
    return f"archivo modificado: shots/{shot.name}"


def _delete(folder: Path) -> str:
    shot = sorted((folder / "shots").iterdir())[0]
    shot.unlink()
    return f"archivo borrado: shots/{shot.name}"


def _add(folder: Path) -> str:
    (folder / "shots" / "999-extra.jpg").write_bytes(b"\xff\xd8nueva")
    return "archivo añadido: shots/999-extra.jpg"


def _rename(folder: Path) -> str:
    shot = sorted((folder / "shots").iterdir())[1]
    shot.rename(shot.with_name("otro-nombre.jpg"))
    return f"archivo renombrado: shots/{shot.name} → shots/otro-nombre.jpg"


def _cut_events(folder: Path) -> str:
    events = folder / "events.jsonl"
    lines = events.read_bytes().splitlines(keepends=True)
    events.write_bytes(b"".join(lines[:-3]))
    return "los eventos están recortados al final"


def _edit_event(folder: Path) -> str:
    events = folder / "events.jsonl"
    lines = events.read_bytes().splitlines(keepends=True)
    lines[4] = lines[4].replace(b'"passed"', b'"failed"')
    events.write_bytes(b"".join(lines))
    return "la cadena se rompe en la línea 6"


@pytest.mark.parametrize(
    "tamper",
    [_flip_byte, _delete, _add, _rename, _cut_events, _edit_event],
    ids=lambda f: f.__name__[1:],
)
def test_verify_names_what_was_tampered(
    pristine: Path, tmp_path: Path, tamper: Callable[[Path], str]
) -> None:
    folder = tmp_path / "run"
    shutil.copytree(pristine, folder)
    expected = tamper(folder)

    result = cli.invoke(app, ["verify", str(folder)])

    assert result.exit_code == 1
    assert expected in result.output


def test_verify_passes_on_the_untouched_folder_and_checks_the_ticket_hash(pristine: Path) -> None:
    assert cli.invoke(app, ["verify", str(pristine)]).exit_code == 0
    import hashlib

    seal = hashlib.sha256((pristine / "manifest.json").read_bytes()).hexdigest()
    assert cli.invoke(app, ["verify", str(pristine), "--sello", seal]).exit_code == 0
    other = cli.invoke(app, ["verify", str(pristine), "--chain", "0" * 64])
    assert other.exit_code == 1 and "ticket" in other.output


def test_report_is_rebuilt_from_the_event_log_alone(pristine: Path, tmp_path: Path) -> None:
    folder = tmp_path / "run"
    shutil.copytree(pristine, folder)
    original = (folder / "report.html").read_text()
    (folder / "report.html").unlink()

    result = cli.invoke(app, ["report", str(folder)])

    assert result.exit_code == 0
    assert (folder / "report.html").read_text() == original


def test_junit_and_summary_sit_next_to_the_report(pristine: Path) -> None:
    import json
    from xml.etree import ElementTree as ET

    summary = json.loads((pristine / "summary.json").read_text())
    assert summary["outcome"] == "done" and summary["exit_code"] == 0
    suite = ET.parse(pristine / "junit.xml").getroot().find("testsuite")
    assert suite is not None
    assert int(suite.get("tests", "0")) == len(summary["steps"])
    assert suite.get("failures") == "0"
