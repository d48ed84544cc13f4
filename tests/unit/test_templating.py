from __future__ import annotations

from datetime import UTC, datetime

import pytest

from portal_bot.templating import TemplateSyntaxError, builtin_values, references, render


def test_secrets_are_masked_in_what_is_shown() -> None:
    out = render(
        "${usuario}:${clave}", {"usuario": "ANA", "clave": "s3creta"}, frozenset({"clave"})
    )
    assert out.value == "ANA:s3creta"
    assert out.shown == "ANA:•••"
    assert out.secrets == ("clave",)


def test_filters_and_escape() -> None:
    out = render("$${x} ${rut|compact}", {"rut": "12.345.678-5"}, frozenset())
    assert out.value == "${x} 123456785"


@pytest.mark.parametrize(
    "text",
    ["${a.__class__}", "${a[0]}", "${__import__('os')}", "${a|system}", "${a", "${ A }x${b()}"],
)
def test_anything_but_a_name_and_a_known_filter_is_refused(text: str) -> None:
    with pytest.raises(TemplateSyntaxError):
        references(text)


def test_tomorrow_is_computed_in_the_flow_time_zone() -> None:
    # 03:00 UTC on 1 March is still 28 February in Lima (UTC-5).
    values = builtin_values("America/Lima", "%d/%m/%Y", datetime(2026, 3, 1, 3, 0, tzinfo=UTC))
    assert values == {"today": "28/02/2026", "tomorrow": "01/03/2026"}
