from __future__ import annotations

from pathlib import Path

import pytest

from portal_bot.browser import child_environment, find_browser, host_rules
from portal_bot.errors import BrowserNotFound


def test_missing_browser_says_how_to_install_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path))
    monkeypatch.delenv("PORTAL_BOT_BROWSER", raising=False)
    with pytest.raises(BrowserNotFound) as caught:
        find_browser()
    assert "apt-get install chromium" in str(caught.value)
    assert "--browser" in str(caught.value)


def test_explicit_browser_path_must_exist() -> None:
    with pytest.raises(BrowserNotFound, match="No existe el navegador"):
        find_browser("/no/such/chromium")


def test_channel_wins_over_everything() -> None:
    assert find_browser("/no/such", "msedge").channel == "msedge"


def test_host_rules_map_only_the_flow_domains_and_block_the_rest() -> None:
    rules = host_rules(["*.sunat.gob.pe", "e-menu.sunat.gob.pe"], "127.0.0.1:9443")
    assert rules == (
        "MAP *.sunat.gob.pe 127.0.0.1:9443, MAP e-menu.sunat.gob.pe 127.0.0.1:9443, MAP * ~NOTFOUND"
    )


def test_child_environment_has_no_secrets() -> None:
    env = child_environment({"PATH": "/bin", "PORTAL_BOT_SECRET_CLAVE_SOL": "x", "HOME": "/root"})
    assert env == {"PATH": "/bin", "HOME": "/root"}
