from __future__ import annotations

import stat
from pathlib import Path

import pytest

from portal_bot import browser
from portal_bot.browser import child_environment, find_browser, host_rules
from portal_bot.errors import BrowserNotFound

UBUNTU_STUB = """#!/bin/sh
if ! [ -x /snap/bin/chromium ]; then
    echo "Command '$0' requires the chromium snap to be installed." >&2
    exit 1
fi
exec /snap/bin/chromium "$@"
"""


def executable(path: Path, text: str = "#!/bin/sh\nexit 0\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture
def machine(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A machine with no browser at all: an empty PATH, no Playwright Chromium, no snap."""
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "ms-playwright"))
    monkeypatch.delenv("PORTAL_BOT_BROWSER", raising=False)
    monkeypatch.setattr(browser, "SNAP_CHROMIUM", tmp_path / "snap" / "bin" / "chromium")
    monkeypatch.setattr(browser, "_expected_revision", lambda name: 1255)
    return tmp_path


def playwright_chrome(machine: Path, revision: int) -> Path:
    return executable(machine / "ms-playwright" / f"chromium-{revision}/chrome-linux64/chrome")


def test_missing_browser_says_how_to_install_one_on_debian_and_on_ubuntu(
    machine: Path,
) -> None:
    with pytest.raises(BrowserNotFound) as caught:
        find_browser()
    message = str(caught.value)
    assert "sudo apt-get install chromium" in message
    assert "playwright install --with-deps chromium" in message
    assert "sudo snap install chromium" in message
    assert "--browser" in message


def test_playwright_chromium_comes_before_the_system_one(machine: Path) -> None:
    executable(machine / "bin" / "chromium")
    chrome = playwright_chrome(machine, 1255)
    assert find_browser().executable == str(chrome)


def test_playwright_chromium_of_this_playwright_wins_over_a_newer_one(machine: Path) -> None:
    expected = playwright_chrome(machine, 1255)
    playwright_chrome(machine, 1300)
    playwright_chrome(machine, 999)
    assert find_browser().executable == str(expected)


def test_without_the_expected_revision_the_newest_playwright_chromium_is_used(
    machine: Path,
) -> None:
    playwright_chrome(machine, 999)
    newest = executable(machine / "ms-playwright" / "chromium-1200/chrome-linux/chrome")
    assert find_browser().executable == str(newest)


def test_debian_chromium_on_path_is_found(machine: Path) -> None:
    chromium = executable(machine / "bin" / "chromium")
    assert find_browser().executable == str(chromium)


def test_system_names_are_tried_in_order(machine: Path) -> None:
    executable(machine / "bin" / "google-chrome")
    chromium_browser = executable(machine / "bin" / "chromium-browser")
    assert find_browser().executable == str(chromium_browser)


def test_ubuntu_stub_is_not_a_browser_and_the_snap_is_used_instead(machine: Path) -> None:
    executable(machine / "bin" / "chromium-browser", UBUNTU_STUB)
    with pytest.raises(BrowserNotFound):
        find_browser()
    snap = executable(machine / "snap" / "bin" / "chromium")
    assert find_browser().executable == str(snap)


def test_snap_is_found_when_not_on_path(machine: Path) -> None:
    snap = executable(machine / "snap" / "bin" / "chromium")
    assert find_browser().executable == str(snap)


def test_a_real_package_comes_before_the_snap(machine: Path) -> None:
    executable(machine / "snap" / "bin" / "chromium")
    chrome = executable(machine / "bin" / "google-chrome-stable")
    assert find_browser().executable == str(chrome)


def test_explicit_path_and_environment_come_before_playwright_chromium(
    machine: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    playwright_chrome(machine, 1255)
    mine = executable(machine / "mine" / "chrome")
    assert find_browser(str(mine)).executable == str(mine)
    monkeypatch.setenv("PORTAL_BOT_BROWSER", str(mine))
    assert find_browser().executable == str(mine)


def test_the_installed_playwright_names_its_chromium_revision() -> None:
    for name in ("chromium", "chromium-headless-shell"):
        revision = browser._expected_revision(name)
        assert revision is not None
        assert revision > 1000


def playwright_shell(machine: Path, revision: int) -> Path:
    folder = machine / "ms-playwright" / f"chromium_headless_shell-{revision}"
    return executable(folder / "chrome-headless-shell-linux64" / "chrome-headless-shell")


def test_without_a_window_a_headless_shell_comes_before_any_whole_browser(
    machine: Path,
) -> None:
    playwright_chrome(machine, 1255)
    executable(machine / "bin" / "chromium")
    debian_shell = executable(machine / "bin" / "chromium-headless-shell")
    assert find_browser(headless=True).executable == str(debian_shell)
    shell = playwright_shell(machine, 1255)
    playwright_shell(machine, 1300)
    assert find_browser(headless=True).executable == str(shell)


def test_a_browser_with_a_window_is_never_a_headless_shell(machine: Path) -> None:
    playwright_shell(machine, 1255)
    executable(machine / "bin" / "chromium-headless-shell")
    with pytest.raises(BrowserNotFound):
        find_browser()
    chromium = executable(machine / "bin" / "chromium")
    assert find_browser(headless=False).executable == str(chromium)


def test_an_explicit_browser_is_used_as_given_even_without_a_window(machine: Path) -> None:
    executable(machine / "bin" / "chromium-headless-shell")
    mine = executable(machine / "mine" / "chrome")
    assert find_browser(str(mine), headless=True).executable == str(mine)


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
