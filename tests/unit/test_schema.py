"""The JSON Schema editors use: current, and every flow validates against it."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml

from portal_bot.schema import flow_schema, flow_schema_text

ROOT = Path(__file__).resolve().parents[2]
FLOWS = sorted((ROOT / "flows").glob("*.yaml"))


def test_committed_schema_is_current() -> None:
    committed = (ROOT / "schema" / "flow.schema.json").read_text(encoding="utf-8")
    assert committed == flow_schema_text(), "run: portal-bot schema > schema/flow.schema.json"


@pytest.mark.parametrize("path", FLOWS, ids=[p.stem for p in FLOWS])
def test_every_flow_validates_against_the_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/flow.schema.json"
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), flow_schema())


def test_schema_refuses_an_unknown_step_kind() -> None:
    broken = {"id": "x", "title": "x", "country": "PE", "portal": "x", "domains": ["a.pe"],
              "steps": [{"clik": "x"}]}  # fmt: skip
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, flow_schema())
