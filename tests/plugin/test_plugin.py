"""The pytest plugin (``portal_bot.pytest_plugin``) driven through pytester.

Each test writes flow files into pytester's own folder; three of them start a browser
(SUNAT, the fastest flow): a dry-run that passes, a real run (``yes``) broken on purpose,
and a dry-run under pytest-xdist with two workers.

In-process runs (:func:`inline`) rely on the plugin being loaded through its entry point;
``-p portal_bot`` is given only to runs in a new process, as a person types it (in this
process ``portal_bot`` is already imported, and pytest would warn that ``-p`` cannot
rewrite it). They also leave out pytest-playwright, whose per-test soft-assertion scope
cannot nest inside this test's own.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]
FLOWS = ROOT / "flows"
SUNAT = FLOWS / "pe-sunat-pse-alta.yaml"
MARKER = "# yaml-language-server: $schema=../schema/flow.schema.json"
INVALID = f"""{MARKER}
id: invalido
title: Flujo inválido
country: PE
portal: SUNAT
domains: ["e-menu.sunat.gob.pe"]
steps:
  - goto: https://e-menu.sunat.gob.pe/
color: rojo
"""


@pytest.fixture(scope="session")
def chromium() -> str | None:
    """The browser, found before pytester points HOME at its own folder."""
    from portal_bot.browser import find_browser

    return find_browser().executable


@pytest.fixture
def pytester(
    pytester: pytest.Pytester, chromium: str | None, monkeypatch: pytest.MonkeyPatch
) -> pytest.Pytester:
    """pytester with the repository's own strictness: any warning is an error."""
    pytester.makeini("[pytest]\nfilterwarnings =\n    error\n")
    if chromium:
        monkeypatch.setenv("PORTAL_BOT_BROWSER", chromium)
    return pytester


def inline(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest(*args, "-p", "no:playwright")


def write(pytester: pytest.Pytester, relative: str, text: str) -> Path:
    path = pytester.path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def sunat_text() -> str:
    return SUNAT.read_text(encoding="utf-8")


def test_collects_one_item_per_flow_file_and_nothing_else(pytester: pytest.Pytester) -> None:
    for path in FLOWS.glob("*.yaml"):
        write(pytester, f"flows/{path.name}", path.read_text(encoding="utf-8"))
    write(pytester, "flows/notas.yaml", "id: no-es-un-flujo\n")  # no marker
    write(pytester, "casos/pe-sunat-pse-alta.yaml", sunat_text())  # not in a flows folder
    write(pytester, "flows/leeme.txt", MARKER + "\n")

    result = inline(pytester, "--collect-only", "-q")

    expected = sorted(f"flows/{p.name}::{p.stem}" for p in FLOWS.glob("*.yaml"))
    assert sorted(line for line in result.outlines if "::" in line) == expected
    assert len(expected) == 4
    off = inline(pytester, "--collect-only", "-q", "-p", "no:portal_bot")
    assert [line for line in off.outlines if "::" in line] == []


def test_ini_option_names_the_flow_folders(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nfilterwarnings = error\nportal_bot_flow_folders = casos\n")
    write(pytester, "casos/pe-sunat-pse-alta.yaml", sunat_text())
    write(pytester, "flows/pe-sunat-pse-alta.yaml", sunat_text())

    result = inline(pytester, "--collect-only", "-q")

    assert [line for line in result.outlines if "::" in line] == [
        "casos/pe-sunat-pse-alta.yaml::pe-sunat-pse-alta"
    ]


def test_plugin_imports_nothing_heavy() -> None:
    """It is loaded into every pytest session: neither the loader nor Playwright at start."""
    code = (
        "import sys, portal_bot.pytest_plugin\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'portal_bot', 'playwright', 'pydantic', 'yaml', 'jinja2', 'starlette'}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "['portal_bot', 'portal_bot.pytest_plugin']"


def test_invalid_flow_fails_with_the_loaders_file_line_col(pytester: pytest.Pytester) -> None:
    write(pytester, "flows/invalido.yaml", INVALID)

    result = inline(pytester, "flows")

    result.assert_outcomes(failed=1, warnings=0)
    result.stdout.re_match_lines([r"/\S+/flows/invalido\.yaml:9:\d+: color: clave desconocida"])
    result.stdout.fnmatch_lines(["*_ flow: invalido _*"])
    assert "Traceback" not in result.stdout.str()


def test_dry_run_passes_and_leaves_evidence(pytester: pytest.Pytester) -> None:
    write(pytester, "flows/pe-sunat-pse-alta.yaml", sunat_text())

    result = pytester.runpytest_subprocess(
        "flows", "-p", "portal_bot", "--portal-bot-mode=dry-run", "-v"
    )

    result.assert_outcomes(passed=1, warnings=0)
    result.stdout.fnmatch_lines(["flows/pe-sunat-pse-alta.yaml::pe-sunat-pse-alta PASSED*"])
    # The evidence folder is under pytest's temporary folder (--basetemp, set by pytester).
    [summary_file] = pytester.path.glob("runpytest-[0-9]*/pe-sunat-pse-alta0/summary.json")
    folder = summary_file.parent
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert (summary["mode"], summary["outcome"], summary["exit_code"]) == ("dry-run", "done", 0)
    assert (folder / "report.html").is_file()


def test_broken_step_names_the_step_and_its_screenshot(pytester: pytest.Pytester) -> None:
    """A real run (``yes``) against the mock; the tab's name is one SUNAT does not show."""
    original = "  - click: {clickable: RUC}\n"
    assert original in sunat_text()
    broken = sunat_text().replace(
        original,
        "  - click: {role: tab, name: RUC Empresarial, exact: true}\n    timeout_ms: 2000\n",
    )
    write(pytester, "flows/pe-sunat-pse-alta.yaml", broken)

    # A browser run in its own process: the outer session's Playwright owns this thread.
    result = pytester.runpytest_subprocess(
        "flows", "-p", "portal_bot", "--portal-bot-mode=yes", "--portal-bot-evidence=evidencia"
    )

    result.assert_outcomes(failed=1, warnings=0)
    result.stdout.fnmatch_lines(
        [
            "*_ flow: pe-sunat-pse-alta _*",
            "El flujo pe-sunat-pse-alta (flows/pe-sunat-pse-alta.yaml) falló en modo yes "
            "(código de salida 1):",
            "  Paso 2 · ingresar-con-ruc · «Elija ingresar con RUC»",
            "    no se encontró una pestaña «RUC Empresarial» en la página*",
            "    Captura:   *",
            "  Evidencia: *",
        ]
    )
    text = result.stdout.str()
    screenshot = Path(re.findall(r"Captura: +(\S+)", text)[0])
    folder = Path(re.findall(r"Evidencia: +(\S+)", text)[0])
    assert screenshot.name == "002-ingresar-con-ruc-failed.webp"
    assert screenshot.is_file()
    assert folder.parent == pytester.path / "evidencia"
    assert screenshot.is_relative_to(folder)
    assert (folder / "report.html").is_file()
    assert "Traceback" not in text


def test_runs_under_xdist_with_two_workers(pytester: pytest.Pytester) -> None:
    write(pytester, "flows/pe-sunat-pse-alta.yaml", sunat_text())
    write(pytester, "flows/invalido.yaml", INVALID)

    result = pytester.runpytest_subprocess(
        "flows", "-p", "portal_bot", "-p", "xdist", "-n", "2", "--portal-bot-mode=dry-run", "-rA"
    )

    result.assert_outcomes(passed=1, failed=1, warnings=0)
    result.stdout.fnmatch_lines_random(
        [
            "PASSED flows/pe-sunat-pse-alta.yaml::pe-sunat-pse-alta",
            "FAILED flows/invalido.yaml::invalido*",
            "*/flows/invalido.yaml:9:*: color: clave desconocida*",
        ]
    )
    result.stdout.fnmatch_lines(["created: 2/2 workers"])
