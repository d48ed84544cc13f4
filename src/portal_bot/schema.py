"""The flow format's JSON Schema, generated from the models in ``flow.py``.

Flow files point editors at it with a first line
``# yaml-language-server: $schema=../schema/flow.schema.json``; ``schema/flow.schema.json``
is this function's output, kept in the repository and checked by a test.
"""

from __future__ import annotations

import json
from typing import Any

from portal_bot.flow import Flow

SCHEMA_ID = "https://portal-bot.invalid/schema/flow.schema.json"


def flow_schema() -> dict[str, Any]:
    schema = Flow.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "portal-bot flow"
    return schema


def flow_schema_text() -> str:
    return json.dumps(flow_schema(), indent=2, ensure_ascii=False) + "\n"
