"""Finding a browser, launching it, and pointing it at a mock server.

Playwright's own browser download does not work on every machine, so the search order
is: a branded channel (``--channel chrome|msedge``), an explicit path (``--browser`` or
``PORTAL_BOT_BROWSER``), Playwright's Chromium when installed (the revision this
Playwright was built for first), a system Chromium or Chrome on ``PATH`` (Debian's
``/usr/bin/chromium``), and last Ubuntu's snap, ``/snap/bin/chromium``. The snap comes
last because its sandbox cannot see ``/tmp``, where Playwright keeps downloads
(microsoft/playwright#6485); Ubuntu's ``chromium-browser`` stub, which only runs the
snap, is never taken for a browser of its own.

A run without a window first looks for a headless shell of the same Chromium, as
Playwright itself does for ``headless=True``: Playwright's ``chromium-headless-shell``
download, then Debian's ``chromium-headless-shell`` package. The shell is the same engine
without the desktop browser around it: a SUNAT run costs Chromium 2.1 s of CPU in it
against 3.8 s in ``/usr/bin/chromium`` (``--headless`` there is the whole browser).
"""

from __future__ import annotations

import importlib.util
import json
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
SYSTEM_HEADLESS_SHELL = ("chromium-headless-shell",)
SNAP_CHROMIUM = Path("/snap/bin/chromium")
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


def find_browser(
    explicit: str | None = None, channel: str | None = None, *, headless: bool = False
) -> BrowserChoice:
    """Pick a browser, or raise :class:`BrowserNotFound` saying how to install one.
    ``headless``: the browser will have no window, so a headless shell may serve."""
    if channel:
        return BrowserChoice(channel=channel)
    path = explicit or os.environ.get("PORTAL_BOT_BROWSER")
    if path:
        if not Path(path).is_file():
            raise BrowserNotFound(f"No existe el navegador indicado: {path}")
        return BrowserChoice(executable=path)
    shell = (
        (_playwright_build(SHELL_BUILD) or _on_path(SYSTEM_HEADLESS_SHELL)) if headless else None
    )
    found = shell or _playwright_build(CHROMIUM_BUILD) or _system_chromium()
    if found:
        return BrowserChoice(executable=found)
    raise BrowserNotFound(
        "No se encontró Chromium. En Debian: «sudo apt-get install chromium». En Ubuntu: "
        "«.venv/bin/python -m playwright install --with-deps chromium» o "
        "«sudo snap install chromium» (el paquete chromium de apt solo instala el snap). "
        "O indique uno con --browser RUTA, PORTAL_BOT_BROWSER o --channel chrome|msedge."
    )


@dataclass(frozen=True)
class PlaywrightBuild:
    """One of Playwright's browser downloads: its name in ``browsers.json`` and where its
    executable sits in the revision's folder (``ms-playwright/<name>-<revision>/``, the
    name with underscores)."""

    name: str
    executable: str


CHROMIUM_BUILD = PlaywrightBuild("chromium", "chrome-linux*/chrome")
SHELL_BUILD = PlaywrightBuild(
    "chromium-headless-shell", "chrome-headless-shell-linux*/chrome-headless-shell"
)


def _playwright_build(build: PlaywrightBuild) -> str | None:
    """Playwright's download of ``build``: the revision this Playwright expects, else the
    newest one."""
    root = os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or str(
        Path.home() / ".cache" / "ms-playwright"
    )
    if root == "0":  # installed inside the playwright package itself
        root = str(_playwright_package() / "driver" / "package" / ".local-browsers")
    prefix = build.name.replace("-", "_") + "-"
    found: dict[int, Path] = {}
    for executable in Path(root).glob(f"{prefix}*/{build.executable}"):
        revision = executable.parent.parent.name.removeprefix(prefix)
        if revision.isdigit() and os.access(executable, os.X_OK):
            found[int(revision)] = executable
    if not found:
        return None
    expected = _expected_revision(build.name)
    best = found.get(expected) if expected is not None else None
    return str(best or found[max(found)])


def _playwright_package() -> Path:
    spec = importlib.util.find_spec("playwright")
    origin = spec.origin if spec else None
    return Path(origin).parent if origin else Path()


def _expected_revision(name: str) -> int | None:
    """The revision of the download ``name`` the installed Playwright was built for (its
    browsers.json)."""
    listing = _playwright_package() / "driver" / "package" / "browsers.json"
    try:
        browsers = json.loads(listing.read_text(encoding="utf-8"))["browsers"]
        return next(int(b["revision"]) for b in browsers if b["name"] == name)
    except (OSError, ValueError, KeyError, TypeError, StopIteration):
        return None


def _system_chromium() -> str | None:
    """A Chromium or Chrome on PATH, then the snap; a snap never before a real package."""
    found = _on_path(SYSTEM_CHROMIUM)
    if found:
        return found
    if SNAP_CHROMIUM.is_file() and os.access(SNAP_CHROMIUM, os.X_OK):
        return str(SNAP_CHROMIUM)
    return None


def _on_path(names: Iterable[str]) -> str | None:
    """The first of ``names`` on PATH that is a browser of its own, not the snap."""
    for name in names:
        found = shutil.which(name)
        if found and not _runs_the_snap(Path(found)):
            return found
    return None


def _runs_the_snap(path: Path) -> bool:
    """The snap itself, or Ubuntu's small shell stub that only starts the snap."""
    resolved = path.resolve()  # /snap/bin/chromium is a link to /usr/bin/snap
    if path.is_relative_to("/snap") or resolved.is_relative_to("/snap") or resolved.name == "snap":
        return True
    try:
        with path.open("rb") as file:
            head = file.read(16384)
    except OSError:
        return False
    return head.startswith(b"#!") and b"/snap/" in head


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
