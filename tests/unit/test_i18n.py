from __future__ import annotations

from portal_bot.i18n import EN, ES, choose


def test_catalogues_have_identical_keys() -> None:
    assert set(ES) == set(EN)
    assert all(ES.values()) and all(EN.values())


def test_language_choice() -> None:
    assert choose(None, {}) == "es"
    assert choose(None, {"LANG": "en_US.UTF-8"}) == "en"
    assert choose(None, {"LANG": "C.UTF-8"}) == "es"
    assert choose(None, {"LANG": "en_US.UTF-8", "PORTAL_BOT_LANG": "es"}) == "es"
    assert choose("en", {"PORTAL_BOT_LANG": "es"}) == "en"
