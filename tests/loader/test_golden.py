"""Loader: every broken flow under cases/ is refused with exactly its golden message.

Set PORTAL_BOT_UPDATE_GOLDEN=1 to rewrite the .expected files after a deliberate change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from portal_bot.errors import FlowError
from portal_bot.loader import load_flow

CASES = Path(__file__).parent / "cases"
FILES = sorted(CASES.glob("*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_broken_flow_is_refused_with_its_golden_message(path: Path) -> None:
    with pytest.raises(FlowError) as caught:
        load_flow(path)
    text = str(caught.value).replace(str(path), path.name) + "\n"
    golden = path.with_suffix(".expected")
    if os.environ.get("PORTAL_BOT_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_every_case_has_a_golden_file() -> None:
    assert FILES, "no cases found"
    missing = [p.name for p in FILES if not p.with_suffix(".expected").exists()]
    assert not missing
