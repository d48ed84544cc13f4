"""Removing secret values from any text before it is shown or stored."""

from __future__ import annotations

import html
import json
import urllib.parse

from markupsafe import escape as markup_escape

from portal_bot.inputs import Values
from portal_bot.leaks import MIN_SECRET, variants
from portal_bot.templating import MASK


class Scrubber:
    """Replaces every secret of a run (upper- and lower-cased too, and their common
    encodings) with a mask.

    It reads the run's values each time, so secrets typed during the run are covered too.
    Secrets shorter than ``MIN_SECRET`` are refused as inputs; should one get here, it is
    not replaced (a one-letter «secret» would mask that letter in every message).
    """

    def __init__(self, values: Values) -> None:
        self.values = values

    def forms(self) -> list[str]:
        found: set[str] = set()
        public = self.values.public_values()
        for value in self.values.secret_values().values():
            for secret in variants(value, public):
                found |= {
                    secret,
                    urllib.parse.quote(secret, safe=""),
                    urllib.parse.quote_plus(secret, safe=""),
                    json.dumps(secret)[1:-1],
                    json.dumps(secret, ensure_ascii=False)[1:-1],
                    html.escape(secret),
                    html.escape(secret, quote=False),
                    str(markup_escape(secret)),
                }
        return sorted((f for f in found if len(f) >= MIN_SECRET), key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for form in self.forms():
            text = text.replace(form, MASK)
        return text
