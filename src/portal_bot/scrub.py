"""Removing secret values from any text before it is shown or stored."""

from __future__ import annotations

import html
import json
import urllib.parse

from portal_bot.inputs import Values
from portal_bot.templating import MASK


class Scrubber:
    """Replaces every secret of a run (and its common encodings) with a mask.

    It reads the run's values each time, so secrets typed during the run are covered too.
    """

    def __init__(self, values: Values) -> None:
        self.values = values

    def forms(self) -> list[str]:
        found: set[str] = set()
        for secret in self.values.secret_values().values():
            found |= {
                secret,
                urllib.parse.quote(secret, safe=""),
                urllib.parse.quote_plus(secret, safe=""),
                json.dumps(secret)[1:-1],
                html.escape(secret),
            }
        return sorted((f for f in found if f), key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for form in self.forms():
            text = text.replace(form, MASK)
        return text
