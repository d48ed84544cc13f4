"""Finding a browser, launching it, and pointing it at a mock server.

Playwright's own browser download does not work on every machine, so the search order
is: an explicit path (``--browser`` or ``PORTAL_BOT_BROWSER``), a branded channel
(``--channel chrome|msedge``), Playwright's bundled Chromium when installed, then the
system Chromium.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portal_bot.errors import BrowserNotFound

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Playwright

SYSTEM_CHROMIUM = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
QUIET_FLAGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
SECRET_ENV_PREFIX = "PORTAL_BOT_SECRET_"


@dataclass(frozen=True)
class BrowserChoice:
    """Where the browser comes from; exactly one of the fields is used."""

    executable: str | None = None
    channel: str | None = None


def find_browser(explicit: str | None = None, channel: str | None = None) -> BrowserChoice:
    """Pick a browser, or raise :class:`BrowserNotFound` saying how to install one."""
    if channel:
        return BrowserChoice(channel=channel)
    path = explicit or os.environ.get("PORTAL_BOT_BROWSER")
    if path:
        if not Path(path).is_file():
            raise BrowserNotFound(f"No existe el navegador indicado: {path}")
        return BrowserChoice(executable=path)
    bundled = _playwright_chromium()
    if bundled:
        return BrowserChoice(executable=bundled)
    for name in SYSTEM_CHROMIUM:
        found = shutil.which(name)
        if found:
            return BrowserChoice(executable=found)
    raise BrowserNotFound(
        "No se encontró Chromium. Instálelo con «sudo apt-get install chromium» "
        "(Debian/Ubuntu), o indique uno con --browser RUTA, PORTAL_BOT_BROWSER o "
        "--channel chrome|msedge."
    )


def _playwright_chromium() -> str | None:
    root = os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or str(
        Path.home() / ".cache" / "ms-playwright"
    )
    candidates = sorted(Path(root).glob("chromium-*/chrome-linux*/chrome"), reverse=True)
    return str(candidates[0]) if candidates else None


def host_rules(domains: Iterable[str], address: str) -> str:
    """Chromium host-resolver rules sending ``domains`` to ``address``, all else nowhere."""
    rules = [f"MAP {domain} {address}" for domain in domains]
    rules.append("MAP * ~NOTFOUND")
    return ", ".join(rules)


def child_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for the Playwright driver and the browser: no secrets in it."""
    source = os.environ if environ is None else environ
    return {k: v for k, v in source.items() if not k.startswith(SECRET_ENV_PREFIX)}


@dataclass
class LaunchOptions:
    """How to start the browser for one run."""

    choice: BrowserChoice
    headless: bool = True
    mock_address: str | None = None
    mock_domains: tuple[str, ...] = ()
    extra_args: tuple[str, ...] = field(default_factory=tuple)


def launch_arguments(options: LaunchOptions) -> dict[str, Any]:
    """Keyword arguments for ``chromium.launch``: quiet flags, the mock mapping, no secrets."""
    args = list(QUIET_FLAGS) + list(options.extra_args)
    if _is_root():
        args.append("--no-sandbox")
    if options.mock_address:
        rules = host_rules(options.mock_domains, options.mock_address)
        args.append(f"--host-resolver-rules={rules}")
    kwargs: dict[str, Any] = {"headless": options.headless, "args": args}
    if options.choice.channel:
        kwargs["channel"] = options.choice.channel
    else:
        kwargs["executable_path"] = options.choice.executable
    kwargs["env"] = child_environment()
    return kwargs


def launch(playwright: Playwright, options: LaunchOptions) -> Browser:
    """Launch Chromium with quiet flags, and the mock mapping when there is one."""
    return playwright.chromium.launch(**launch_arguments(options))


def context_arguments(*, mock: bool, locale: str = "es-PE") -> dict[str, Any]:
    """Keyword arguments for ``new_context``: certificate errors ignored only for a mock."""
    return {
        "ignore_https_errors": mock,
        "locale": locale,
        "viewport": {"width": 1280, "height": 800},
        "accept_downloads": True,
    }


def new_context(browser: Browser, *, mock: bool, locale: str = "es-PE") -> BrowserContext:
    """A fresh context for one run."""
    return browser.new_context(**context_arguments(mock=mock, locale=locale))


def _is_root() -> bool:
    return sys.platform != "win32" and hasattr(os, "geteuid") and os.geteuid() == 0
