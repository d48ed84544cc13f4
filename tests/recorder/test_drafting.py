"""What the recorder writes from what a person did (no browser: the acts are given)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from portal_bot.drafting import REVIEW, draft_flow
from portal_bot.loader import load_flow
from portal_bot.recorder import Act, Recording


def act(kind: str, frame: str | None = None, **data: Any) -> Act:
    before = data.pop("before", {"texts": [], "rows": [], "passwords": 0})
    after = data.pop("after", None)
    posts = data.pop("posts", [])
    return Act(kind, data, 0, frame, 0.0, before, after, posts)


def recording() -> Recording:
    login = {"texts": ["Ingreso"], "rows": [], "passwords": 1}
    grid = {"texts": ["Autorizaciones"], "rows": [], "passwords": 0}
    done = {"texts": ["Autorizaciones", "Se registró la autorización del PSE"],
            "rows": [["20600337832", "VIDA SOFTWARE S.A.C."]], "passwords": 0}  # fmt: skip
    registrar = act("click", "iframe#app", clickable="Registrar", before=grid, after=done,
                    posts=["https://ww1.sunat.gob.pe/registrar"])  # fmt: skip
    registrar.irreversible = True
    return Recording(
        start_url="https://e-menu.sunat.gob.pe/cl-ti-itmenu/MenuInternet.htm",
        hosts=["api-seguridad.sunat.gob.pe", "ww1.sunat.gob.pe"],
        acts=[
            act("fill", field="RUC", value="20100066603", before=login),
            act("fill", field="Correo", value="ana@empresa.pe", before=login),
            act("fill", field="Contraseña", secret=True, before=login),
            act("click", clickable="Iniciar sesión", before=login, posts=["https://x/login"]),
            act("click", "iframe#avisos", clickable="Cerrar", dialog="Importante"),
            act("fill", "iframe#app", field="RUC del PSE", value="20600337832", before=grid),
            act("click", "iframe#app", row="20600337832", before=grid),
            registrar,
        ],
    )


def test_a_recording_becomes_a_flow_that_validates(tmp_path: Path) -> None:
    text = draft_flow(recording(), "pe-grabado", "Grabado")
    path = tmp_path / "pe-grabado.yaml"
    path.write_text(text, encoding="utf-8")
    flow = load_flow(path)
    assert {name: spec.type for name, spec in flow.inputs.items()} == {
        "ruc": "ruc", "correo": "email", "contrasena": "secret", "ruc_del_pse": "ruc",
    }  # fmt: skip
    assert flow.dismiss[0].name == "Importante"
    assert "submits_password: true" in text
    assert 'click: {row: "${ruc_del_pse}"}' in text
    assert 'done_when: {visible: {row: "${ruc_del_pse}"}}' in text
    assert 'until: {text: "Se registró la autorización del PSE"}' in text
    assert REVIEW not in text.split("steps:")[1]


def test_an_unanswered_submission_is_marked_for_review() -> None:
    made = recording()
    made.acts[-1].irreversible = None
    text = draft_flow(made, "pe-grabado", "Grabado")
    assert f"irreversible: true  {REVIEW}: ¿irreversible?" in text


def test_the_tax_id_shown_after_signing_in_becomes_an_identity_check() -> None:
    made = recording()
    login = made.acts[3]
    login.after = {"texts": ["Bienvenido, EMPRESA DEMO", "RUC: 20100066603 Usuario: MODDATOS"],
                   "rows": [], "passwords": 0}  # fmt: skip
    text = draft_flow(made, "pe-grabado", "Grabado")
    assert '- verify: {text: "RUC:"}\n    id: comprobar-identidad\n    input: ruc' in text
    assert "identity_check" not in text
