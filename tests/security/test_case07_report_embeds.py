"""Case 7: ``portal-bot report`` embeds only screenshots inside the run folder, whatever
path events.jsonl names."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portal_bot.cli import app

cli = CliRunner()
OUTSIDE = b"contenido de fuera de la carpeta: no debe aparecer en el informe"


def _point_first_screenshot(folder: Path, path: str) -> None:
    events = folder / "events.jsonl"
    lines = events.read_text().splitlines()
    for number, line in enumerate(lines):
        event = json.loads(line)
        if event["type"] == "step_ended" and event.get("screenshot"):
            event["screenshot"] = path
            lines[number] = json.dumps(event, ensure_ascii=False)
            break
    events.write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize("how", ["dotdot", "absolute", "link-file", "link-folder"])
def test_report_embeds_nothing_from_outside_the_folder(
    copy: Path, tmp_path: Path, how: str
) -> None:
    secret = tmp_path / "fuera" / "secreto.webp"
    secret.parent.mkdir()
    secret.write_bytes(OUTSIDE)
    if how == "dotdot":
        named = "shots/../../fuera/secreto.webp"
    elif how == "absolute":
        named = str(secret)
    elif how == "link-file":
        (copy / "shots" / "999-enlace.webp").symlink_to(secret)
        named = "shots/999-enlace.webp"
    else:
        (copy / "shots" / "otra").symlink_to(secret.parent)
        named = "shots/otra/secreto.webp"
    _point_first_screenshot(copy, named)

    result = cli.invoke(app, ["report", str(copy)])

    assert result.exit_code == 0, result.output
    report = (copy / "report.html").read_bytes()
    assert base64.b64encode(OUTSIDE)[:40] not in report
    assert OUTSIDE not in report


def test_report_still_embeds_the_runs_own_screenshots(copy: Path) -> None:
    shot = sorted((copy / "shots").iterdir())[0]
    (copy / "report.html").unlink()

    assert cli.invoke(app, ["report", str(copy)]).exit_code == 0

    assert base64.b64encode(shot.read_bytes())[:60] in (copy / "report.html").read_bytes()
