"""Case 2: the hash pasted into the ticket commits to every file of the folder, so a
folder rebuilt with a consistent manifest no longer matches it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portal_bot.cli import app
from portal_bot.evidence import sha256_file
from tests.security.conftest import seal

cli = CliRunner()


def _rewrite_manifest(folder: Path, drop: tuple[str, ...] = ()) -> None:
    """What an attacker does after a change: a manifest consistent with the folder."""
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text())
    files = {n: d for n, d in manifest["files"].items() if n not in drop}
    manifest["files"] = {n: sha256_file(folder / n) for n in files if (folder / n).is_file()}
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")


def _edit_report(folder: Path) -> None:
    report = folder / "report.html"
    report.write_text(report.read_text().replace("</body>", "<p>aprobado</p></body>"))
    _rewrite_manifest(folder)


def _swap_screenshot(folder: Path) -> None:
    first, second = sorted((folder / "shots").iterdir())[:2]
    first.write_bytes(second.read_bytes())
    _rewrite_manifest(folder)


def _edit_summary(folder: Path) -> None:
    path = folder / "summary.json"
    path.write_text(path.read_text().replace('"done"', '"failed"', 1))
    _rewrite_manifest(folder)


def _edit_junit(folder: Path) -> None:
    path = folder / "junit.xml"
    path.write_text(path.read_text().replace('failures="0"', 'failures="1"', 1))
    _rewrite_manifest(folder)


def _delete_events(folder: Path) -> None:
    (folder / "events.jsonl").unlink()
    _rewrite_manifest(folder, drop=("events.jsonl",))


def _empty_folder(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.name != "manifest.json":
            path.rmdir() if path.is_dir() else path.unlink()
    manifest = json.loads((folder / "manifest.json").read_text())
    (folder / "manifest.json").write_text(json.dumps({"chain": manifest["chain"], "files": {}}))


@pytest.mark.parametrize(
    "tamper",
    [_edit_report, _swap_screenshot, _edit_summary, _edit_junit, _delete_events, _empty_folder],
    ids=lambda f: f.__name__[1:],
)
def test_a_rebuilt_folder_fails_the_ticket_hash(copy: Path, tamper: Callable[[Path], None]) -> None:
    ticket = seal(copy)
    assert cli.invoke(app, ["verify", str(copy), "--chain", ticket]).exit_code == 0
    tamper(copy)

    result = cli.invoke(app, ["verify", str(copy), "--chain", ticket])

    assert result.exit_code == 1, result.output
    assert "ticket" in result.output
    assert "Traceback" not in result.output


def test_the_untouched_folder_matches_its_ticket_hash(copy: Path) -> None:
    result = cli.invoke(app, ["verify", str(copy), "--chain", seal(copy)])

    assert result.exit_code == 0, result.output
    assert "intacta" in result.output
