"""Evidence file names are safe whatever a step is called (issue #7), without a browser.

A screenshot is stored by :meth:`Evidence.screenshot` as ``shots/NNN-<slug>.<suffix>``,
where the runner passes ``<step id or kind>-<status>`` as the name and the step's number
as ``NNN``; a kept file (a download, a captcha image) by :meth:`Evidence.keep_file` as
``files/NNN-<slug>.<extension of the portal's file name>``. Whatever the name holds, the
result must be one short, portable file name inside the evidence folder, never a Windows
device name, and two steps must never share a file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError

from portal_bot.evidence import Evidence, default_folder, safe_slug
from portal_bot.flow import Flow, windows_reserved

HOSTILE_NAMES = [
    "../x",
    "../../etc/passwd",
    "..",
    ".",
    "/abs",
    "/etc/passwd",
    "C:\\Windows\\System32\\config",
    "\\\\servidor\\c$\\x",
    "CON",
    "con",
    "Nul",
    "nul.png",
    "NUL.txt",
    "con .txt",
    "com1",
    "LPT1",
    "aux",
    "prn",
    "conin$",
    "paso\u202egnp.exe",
    "\u200f",
    "\u2066paso\u2069",
    "pa\u200bso",
    "pa\x00so",
    "pa\x1b[31mso",
    "",
    " ",
    "-",
    "---",
    "x" * 10_000,
    "Paso",
    "paso",
    "PASO",
    "señal",
    "senal",
    "ñandú",
    "日本語",
    "🙂",
    "a/b",
    "a\\b",
    "a:b",
    'a*b?c<d>e|f"g',
    "punto.",
    "espacio ",
    "con-passed",
]
SLUG = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
PORTABLE = re.compile(rf"{SLUG}\.{SLUG}")


def assert_portable(folder: Path, relative: str, top: str) -> str:
    parts = relative.split("/")
    assert parts[0] == top and len(parts) == 2, relative
    name = parts[1]
    assert PORTABLE.fullmatch(name), name
    assert len(relative) <= 100, relative
    assert not windows_reserved(name), name
    target = (folder / relative).resolve()
    assert target.is_relative_to(folder.resolve()), target
    assert target.is_file()
    return name


@pytest.fixture
def evidence(tmp_path: Path) -> Iterator[Evidence]:
    opened = Evidence(tmp_path / "ev")
    yield opened
    opened.close()


def test_screenshot_names_are_plain_short_portable_and_never_shared(evidence: Evidence) -> None:
    names = []
    for index, name in enumerate(HOSTILE_NAMES, 1):
        # as the runner names them: «<step id or kind>-<status>», one shot per step
        relative = evidence.screenshot(index, f"{name}-passed", b"img", suffix="webp")
        names.append(assert_portable(evidence.folder, relative, "shots"))
    # names differing only in case or in a stripped character («Paso», «paso», «pa​so»)
    # still never share a file: the step number comes first, and the slug is lower case
    # (case-insensitive file systems: Windows, macOS)
    assert len({name.casefold() for name in names}) == len(HOSTILE_NAMES)
    assert len(list((evidence.folder / "shots").iterdir())) == len(HOSTILE_NAMES)


def test_kept_file_names_are_plain_short_portable_and_never_shared(evidence: Evidence) -> None:
    names = []
    for index, name in enumerate(HOSTILE_NAMES, 1):
        original = f"{name}.pdf" if index % 2 else f"carta.{name}"  # the portal names it
        relative = evidence.keep_file(index, name, original, b"%PDF")
        names.append(assert_portable(evidence.folder, relative, "files"))
    assert len({n.casefold() for n in names}) == len(HOSTILE_NAMES)
    assert len(list((evidence.folder / "files").iterdir())) == len(HOSTILE_NAMES)


def test_a_kept_file_without_extension_gets_a_neutral_one(evidence: Evidence) -> None:
    relative = evidence.keep_file(4, "carta", "carta", b"x")
    assert relative == "files/004-carta.bin"


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_safe_slug_is_a_bounded_plain_slug(name: str) -> None:
    slug = safe_slug(name)
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug), slug
    assert len(slug) <= 40
    # not a file name on its own: safe_slug("CON") is «con», safe_slug("") is «paso»;
    # only the «NNN-» prefix the Evidence methods add makes it unique and not a device


VALID_SLUGS = ("con-passed", "paso", "senal")


@pytest.mark.parametrize("name", [n for n in HOSTILE_NAMES if n not in VALID_SLUGS])
def test_a_hostile_name_is_never_a_flow_or_step_id(name: str) -> None:
    """The flow id names the evidence folder verbatim (``default_folder``), and step ids,
    screenshot and download names are file-name parts: the model refuses them all."""
    base = {
        "title": "Caso",
        "country": "PE",
        "portal": "SUNAT",
        "domains": ["sunat.gob.pe"],
    }
    with pytest.raises(ValidationError):
        Flow.model_validate({**base, "id": name, "steps": [{"say": "x"}]})
    with pytest.raises(ValidationError):
        Flow.model_validate({**base, "id": "caso", "steps": [{"say": "x", "id": name}]})
    with pytest.raises(ValidationError):
        Flow.model_validate({**base, "id": "caso", "steps": [{"screenshot": name}]})
    with pytest.raises(ValidationError):
        Flow.model_validate(
            {**base, "id": "caso", "steps": [{"click": "Descargar", "download": name}]}
        )


def test_an_accepted_flow_id_is_one_folder_name(tmp_path: Path) -> None:
    for flow_id in ("con-certificado", "pe-sunat-pse-alta", "a" * 60):
        folder = default_folder(flow_id, tmp_path)
        assert folder.parent == tmp_path
        assert not windows_reserved(folder.name)
