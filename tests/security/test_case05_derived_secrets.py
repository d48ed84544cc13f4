"""Case 5: a value read from a field that held a secret, and a secret through ``|upper``
or ``|lower``, are secrets: masked in what is said, in the gate, in the events (what
``--json`` prints); and the scan knows every escape form the writers produce."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from markupsafe import escape as markup_escape

from portal_bot.events import Event
from portal_bot.leaks import scan
from portal_bot.prompt import ScriptedPrompter
from tests.conftest import Runner, all_bytes
from tests.security.conftest import run_text

SECRET = "Ab'\"<>cd"
STEPS = """
  - goto: https://e-menu.sunat.gob.pe/cl-ti-itmenu/MenuInternet.htm
  - click: {clickable: RUC}
  - fill: {field: Usuario}
    value: ${clave_sol}
  - read: {field: Usuario}
    from_value: true
    into: copia
  - say: "Se leyó ${copia}; en mayúsculas ${clave_sol|upper}, en minúsculas ${clave_sol|lower}"
  - confirm: "¿Sigue con ${copia}?"
    show:
      Copia: ${copia}
      Mayúsculas: ${clave_sol|upper}
      Minúsculas: ${clave_sol|lower}
"""


def _forms(secret: str) -> list[str]:
    return [secret, secret.upper(), secret.lower()]


def test_a_read_or_filtered_secret_is_masked_everywhere(run: Runner) -> None:
    run.reset("sunat", popups="none", captcha="never")
    events: list[Event] = []
    prompter = ScriptedPrompter(approve=True, by="agente")

    result = run_text(
        run, STEPS, {"clave_sol": SECRET}, prompter=prompter, listeners=(events.append,)
    )

    assert result.exit_code == 0, result.message
    assert result.leaks == []
    printed = "\n".join(json.dumps(e.model_dump(mode="json"), ensure_ascii=False) for e in events)
    asked = "\n".join(prompter.asked)
    folder = all_bytes(result.folder).decode("utf-8", "replace")
    for form in _forms(SECRET):
        assert form not in printed
        assert form not in asked
        assert html.unescape(form) not in html.unescape(folder)
    assert "•••" in asked and "•••" in printed


@pytest.mark.parametrize(
    "writer",
    [
        lambda s: str(markup_escape(s)),  # Jinja: &#39; &#34;
        lambda s: html.escape(s),  # &#x27; &quot;
        lambda s: (
            s.replace("&", "&amp;")
            .replace("'", "&apos;")
            .replace('"', "&quot;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
        ),  # XML
        lambda s: html.escape(s).replace("&#x27;", "&#39;"),  # a mix
        lambda s: str(markup_escape(s.upper())),  # |upper, escaped
    ],
    ids=["jinja", "html", "xml", "mixed", "upper-jinja"],
)
def test_the_scan_finds_every_escape_form(writer: object, tmp_path: Path) -> None:
    assert callable(writer)
    (tmp_path / "report.html").write_text(f"<p>{writer(SECRET)}</p>", encoding="utf-8")

    found = scan(tmp_path, {"clave_sol": SECRET})

    assert [(leak.file, leak.secret) for leak in found] == [("report.html", "clave_sol")]
    assert not (tmp_path / "report.html").exists()


def test_a_plain_input_equal_to_a_secret_in_another_case_stays_shown(tmp_path: Path) -> None:
    """SUNAT's demo user MODDATOS has the clave moddatos: the user is shown by design."""
    from portal_bot.inputs import Values
    from portal_bot.scrub import Scrubber

    values = Values(
        {"usuario_sol": "MODDATOS", "clave_sol": "moddatos", "copia": "Moddatos"},
        {"clave_sol"},
        {"usuario_sol"},
    )
    (tmp_path / "events.jsonl").write_text('{"usuario_sol": "MODDATOS"}')

    assert values.shown()["usuario_sol"] == "MODDATOS"
    assert values.shown()["copia"] == "•••"
    assert Scrubber(values)("Usuario MODDATOS, clave moddatos") == "Usuario MODDATOS, clave •••"
    assert scan(tmp_path, values.secret_values(), public=values.public_values()) == []
