"""Case 12: a secret of one or two characters is refused (it is no real clave, and the
scan could not tell it from ordinary letters); two runs of one flow in the same second
without ``--evidence`` get a folder each."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from portal_bot import evidence as evidence_module
from portal_bot.errors import InputError
from portal_bot.inputs import Values
from portal_bot.job import JobRequest, execute
from portal_bot.loader import load_flow
from portal_bot.scrub import Scrubber
from tests.conftest import Runner
from tests.security.conftest import flow_file, run_text

SAY = """
  - say: Hola
"""


@pytest.mark.parametrize("short", ["a", "ab", "é"])
def test_a_one_or_two_character_secret_is_refused_before_anything_starts(
    run: Runner, short: str
) -> None:
    with pytest.raises(InputError) as refused:
        run_text(run, SAY, {"clave_sol": short})

    assert "menos de 3 caracteres" in str(refused.value)
    assert f"«{short}»" not in str(refused.value)
    assert not list(run.tmp.glob("ev-*/events.jsonl"))


def test_a_short_secret_never_masks_letters_in_messages() -> None:
    scrub = Scrubber(Values({"clave_sol": "a"}, {"clave_sol"}))

    assert scrub("La clave está mal escrita") == "La clave está mal escrita"


def test_two_runs_in_the_same_second_get_a_folder_each(
    run: Runner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    class Frozen(datetime):
        @classmethod
        def now(cls, tz: object = None) -> Frozen:  # type: ignore[override]
            return cls(2026, 11, 29, 12, 0, 0, tzinfo=UTC)

    monkeypatch.setattr(evidence_module, "datetime", Frozen)
    monkeypatch.chdir(tmp_path)
    flow = load_flow(flow_file(tmp_path, SAY))
    secrets = {"PORTAL_BOT_SECRET_CLAVE_SOL": "moddatos"}

    folders = []
    for _ in range(2):
        request = JobRequest(
            flow=flow, mock_server=run.server.address, yes=True, environ=dict(secrets)
        )
        result = execute(request, None, None, browser=run.browser)
        assert result.exit_code == 0, result.message
        folders.append(result.folder)

    assert folders[0] != folders[1]
    assert all(f.parent == (tmp_path / "runs").resolve() for f in folders)
    assert all((f / "manifest.json").is_file() for f in folders)
