"""The runner's own faults (issues 19 and 13), each on a purpose-built page.

A small "lab" portal, served by its own mock server under two real-looking host names and
driven by its own headless Chromium, holds pages made for one fault each: a page that
navigates while its picture is taken, a success toast with role=alert, a spinner that
covers the page after a click, an upload whose effect comes late, a branch that renders
late, a dry-run whose login is missing, a confirmation lost while ``done_when`` holds, and
a login page where the signed-out sign is always true. The flows are tiny and built here.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml
from playwright.sync_api import Browser, BrowserType
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from portal_bot.browser import LaunchOptions, find_browser, launch_arguments
from portal_bot.events import Listener
from portal_bot.evidence import read_events
from portal_bot.flow import Flow
from portal_bot.job import JobRequest, JobResult, execute
from portal_bot.mocks.portal import MockPortal
from portal_bot.mocks.server import MockServer

LAB = "lab.siigo.com"
OTHER = "laboratorio.sunat.gob.pe"


class LabPortal(MockPortal):
    """Pages set by each test: ``pages["GET /path"]`` (or ``"POST /path"``) → HTML.

    Every request is counted in ``hits``; every POST's form is kept in ``posts``. A page
    given as ``("redirect", URL)`` answers with a 303 to that address; ``("error", "500")``
    with a server error.
    """

    name: ClassVar[str] = "lab"
    hosts: ClassVar[tuple[str, ...]] = (LAB, OTHER)

    pages: dict[str, str | tuple[str, str]]
    hits: dict[str, int]
    posts: list[tuple[str, dict[str, str]]]

    def routes(self) -> list[BaseRoute]:
        return [Route("/{path:path}", self._answer, methods=["GET", "POST"])]

    async def _answer(self, request: Request) -> Response:
        key = f"{request.method} /{request.path_params['path']}"
        form = {k: str(v) for k, v in (await request.form()).items()}
        with self.lock:
            self.hits[key] = self.hits.get(key, 0) + 1
            if request.method == "POST":
                self.posts.append((key, form))
            page = self.pages.get(key)
        if page is None:
            return HTMLResponse("<h1>No existe</h1>", status_code=404)
        if page == ("error", "500"):
            return HTMLResponse("<h1>Error interno</h1>", status_code=500)
        if isinstance(page, tuple):
            return RedirectResponse(page[1], status_code=303)
        return HTMLResponse(page)

    def state(self) -> dict[str, Any]:
        with self.lock:
            return {
                "hits": dict(self.hits),
                "posts": [[key, form] for key, form in self.posts],
                "login_attempts": sum(key == "POST /ingresar" for key, _ in self.posts),
                "submissions": sum(key != "POST /ingresar" for key, _ in self.posts),
                "challenges": {},
            }

    def reset(self) -> None:
        with self.lock:
            self.pages, self.hits, self.posts = {}, {}, []

    def expire_sessions(self) -> None:
        return


def page(body: str, title: str = "Laboratorio", script: str = "") -> str:
    """A small Spanish page; ``script`` runs at the end of the body."""
    return (
        "<!doctype html><html lang='es'><head><meta charset='utf-8'>"
        f"<title>{title}</title></head><body>{body}"
        f"{f'<script>{script}</script>' if script else ''}</body></html>"
    )


@pytest.fixture(scope="module")
def lab_server() -> Iterator[MockServer]:
    with MockServer([LabPortal()]) as server:
        yield server


@pytest.fixture(scope="module")
def lab_browser(browser_type: BrowserType, lab_server: MockServer) -> Iterator[Browser]:
    options = LaunchOptions(
        choice=find_browser(), mock_address=lab_server.address, mock_domains=LabPortal.hosts
    )
    browser = browser_type.launch(**launch_arguments(options))
    yield browser
    browser.close()


@dataclass
class Lab:
    server: MockServer
    browser: Browser
    tmp: Path

    @property
    def portal(self) -> LabPortal:
        portal = self.server.portal("lab")
        assert isinstance(portal, LabPortal)
        return portal

    def serve(self, pages: dict[str, str | tuple[str, str]]) -> None:
        self.server.reset("lab")
        self.portal.pages.update(pages)

    def run(
        self,
        steps: list[dict[str, Any]],
        *,
        mode: str = "run",
        inputs: dict[str, Any] | None = None,
        given: dict[str, str] | None = None,
        deadline_s: float | None = None,
        step_timeout_ms: int | None = None,
        listeners: tuple[Listener, ...] = (),
        **flow: Any,
    ) -> JobResult:
        data = {
            "id": "lab-prueba",
            "title": "Prueba de laboratorio",
            "country": "CO",
            "portal": "Laboratorio",
            "domains": list(LabPortal.hosts),
            "timeout_ms": 4_000,
            "retry_budget_ms": 0,
            "inputs": inputs or {},
            "steps": steps,
            **flow,
        }
        loaded = Flow.model_validate(yaml.safe_load(yaml.safe_dump(data)))
        folder = self.tmp / f"ev-{len(list(self.tmp.iterdir()))}"
        request = JobRequest(
            flow=loaded,
            given=given or {},
            evidence=folder,
            mock_server=self.server.address,
            yes=True,
            mode=mode,  # type: ignore[arg-type]
            deadline_s=deadline_s,
            step_timeout_ms=step_timeout_ms,
        )
        return execute(request, None, None, listeners, browser=self.browser)


@pytest.fixture
def lab(lab_server: MockServer, lab_browser: Browser, tmp_path: Path) -> Lab:
    return Lab(lab_server, lab_browser, tmp_path)


def ended(result: JobResult) -> dict[int, dict[str, Any]]:
    return {e["index"]: e for e in read_events(result.folder) if e["type"] == "step_ended"}


# --- 1. every browser call has a bound -----------------------------------------------------


def test_a_picture_taken_while_the_page_goes_to_another_site_comes_or_is_left_out(
    lab: Lab, lab_browser: Browser
) -> None:
    from portal_bot import shots

    lab.serve(
        {
            "GET /inicio": page(
                "<h1>Inicio</h1>", script=f"location.href = 'https://{OTHER}/destino'"
            ),
            "GET /destino": page(
                "<h1>Destino</h1>",
                script=f"setTimeout(() => location.href = 'https://{LAB}/inicio', 30)",
            ),
        }
    )
    context = lab_browser.new_context(ignore_https_errors=True)
    camera = shots.Camera(timeout_ms=2_000)
    try:
        tab = context.new_page()
        tab.goto(f"https://{LAB}/inicio", wait_until="commit")
        for _ in range(8):
            started = time.monotonic()
            camera.take(tab)
            assert time.monotonic() - started < 2 * 2 + 1
    finally:
        context.close()


# --- 2. a dry-run never acts on a page it has not identified ------------------------------

LOGIN = page(
    "<h1>Ingresa a tu cuenta</h1><form method='post' action='/ingresar'>"
    "<label>Usuario <input name='u'></label><label>Clave <input name='c' type='password'>"
    "</label><button>Continuar</button></form>"
)


def test_a_dry_run_that_missed_its_login_types_and_submits_nothing_after(lab: Lab) -> None:
    lab.serve({"GET /ingreso": LOGIN, "POST /ingresar": page("<h1>Adentro</h1>")})
    result = lab.run(
        [
            {"goto": f"https://{LAB}/ingreso"},
            {"click": {"role": "button", "name": "Iniciar sesión"}, "id": "login"},
            {"fill": {"label": "Usuario"}, "value": "demo", "id": "usuario"},
            {"fill": {"label": "Clave"}, "value": "clave-de-prueba", "id": "clave"},
            {"click": {"role": "button", "name": "Continuar"}, "id": "continuar"},
            {
                "click": {"role": "button", "name": "Continuar"},
                "id": "enviar",
                "irreversible": True,
                "done_when": {"text": "Enviado"},
            },
        ],
        mode="dry-run",
    )

    assert lab.portal.posts == []
    assert result.exit_code == 1
    statuses = {e["index"]: e["status"] for e in ended(result).values()}
    assert statuses == {
        1: "passed",
        2: "failed",
        3: "not_reached",
        4: "not_reached",
        5: "not_reached",
        6: "not_reached",
    }
    messages = {i: e["message"] for i, e in ended(result).items()}
    assert messages[5].endswith("(su objetivo está en esta página, pero no se actuó sobre él)")
    assert "No se alcanzaron 4 pasos" in result.message
    assert "No alcanzado" in (result.folder / "report.html").read_text()


def test_a_dry_run_irreversible_step_whose_target_is_missing_is_a_miss(lab: Lab) -> None:
    lab.serve({"GET /form": page("<h1>Formulario</h1><button>Guardar borrador</button>")})
    result = lab.run(
        [
            {"goto": f"https://{LAB}/form"},
            {
                "click": {"role": "button", "name": "Registrar"},
                "irreversible": True,
                "done_when": {"text": "Registrado"},
            },
        ],
        mode="dry-run",
    )

    assert result.exit_code == 1
    assert ended(result)[2]["status"] == "failed"
    assert "no se encontró un botón «Registrar»" in result.message


# --- 3. fail_if: a text and a level, never a bare role=alert -------------------------------


def test_a_bare_role_alert_is_refused_as_a_failure_sign(lab: Lab) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="también los avisos de éxito"):
        lab.run(
            [
                {
                    "click": "Subir",
                    "until": {"text": "Listo"},
                    "fail_if": [{"visible": {"role": "alert"}, "message": "Falló"}],
                }
            ]
        )


TOASTS = page(
    "<style>.toast-error{color:#b3261e}</style><h1>Carta</h1>"
    "<button onclick=\"setTimeout(() => {document.getElementById('t').innerHTML = "
    "'<div role=alert class=toast-success style=color:#1e7b34>Archivo cargado</div>'}, 200);"
    "setTimeout(() => {document.getElementById('ok').hidden = false}, 900)\">Subir</button>"
    "<div id=t></div><p id=ok hidden>Carta recibida</p>"
)


@pytest.mark.parametrize(
    ("sign", "refused"),
    [
        ({"visible": {"role": "alert"}, "level": "error"}, False),
        ({"visible": {"role": "alert"}, "text": "no se pudo"}, False),
        ({"visible": {"role": "alert"}, "text": "Archivo cargado"}, True),
    ],
    ids=["level-error", "text-other", "text-this"],
)
def test_a_success_toast_with_role_alert_is_not_a_refusal(
    lab: Lab, sign: dict[str, Any], refused: bool
) -> None:
    lab.serve({"GET /carta": TOASTS})
    result = lab.run(
        [
            {"goto": f"https://{LAB}/carta"},
            {
                "click": "Subir",
                "until": {"text": "Carta recibida"},
                "fail_if": [{**sign, "message": "El portal rechazó la carta."}],
            },
        ]
    )

    if refused:
        assert result.exit_code == 1 and "El portal rechazó la carta." in result.message
    else:
        assert result.exit_code == 0, result.message


def test_an_error_toast_by_its_colour_is_a_refusal(lab: Lab) -> None:
    red = TOASTS.replace("class=toast-success style=color:#1e7b34", "style=color:#b3261e")
    lab.serve({"GET /carta": red.replace("Archivo cargado", "El archivo no es un PDF")})
    result = lab.run(
        [
            {"goto": f"https://{LAB}/carta"},
            {
                "click": "Subir",
                "until": {"text": "Carta recibida"},
                "fail_if": [
                    {
                        "visible": {"role": "alert"},
                        "level": "error",
                        "message": "El portal rechazó la carta.",
                    }
                ],
            },
        ]
    )

    assert result.exit_code == 1
    assert "El portal rechazó la carta." in result.message


# --- 4. an action is repeated only when its effect is certainly absent ---------------------


def test_a_click_under_a_spinner_is_not_repeated_and_its_late_effect_counts(lab: Lab) -> None:
    spinner = "<div id=s style='position:fixed;inset:0;background:rgba(0,0,0,.3)'>Cargando…</div>"
    lab.serve(
        {
            "GET /pago": page(
                "<h1>Paga tu certificado</h1><div id=zona><button id=b>Verificar pago</button>"
                "</div><p id=n>0</p>",
                script=(
                    "b.onclick = () => { n.textContent = +n.textContent + 1;"
                    f" document.body.insertAdjacentHTML('beforeend', `{spinner}`);"
                    " setTimeout(() => { document.getElementById('s').remove();"
                    " zona.innerHTML = '<p>Pago verificado</p>'; }, 2500); }"
                ),
            )
        }
    )
    result = lab.run(
        [
            {"goto": f"https://{LAB}/pago"},
            {
                "click": {"role": "button", "name": "Verificar pago"},
                "until": {"text": "Pago verificado"},
            },
            {"read": {"css": "#n"}, "into": "veces"},
            {"say": "Clics: ${veces}"},
        ]
    )

    assert result.exit_code == 0, result.message
    said = [e["text"] for e in read_events(result.folder) if e["type"] == "said"]
    assert "Clics: 1" in said


def test_an_upload_whose_effect_comes_late_is_done_once(lab: Lab, tmp_path: Path) -> None:
    letter = tmp_path / "carta.pdf"
    letter.write_bytes(b"%PDF-1.4\n%%EOF\n")
    lab.serve(
        {
            "GET /adjuntar": page(
                "<h1>Adjunta la carta</h1><label>Carta firmada <input id=f type=file></label>"
                "<p id=n>0</p>",
                script=(
                    "f.onchange = () => { n.textContent = +n.textContent + 1; setTimeout(() =>"
                    " document.body.insertAdjacentHTML('beforeend', '<a href=#>Eliminar</a>'),"
                    " 1500); }"
                ),
            )
        }
    )
    result = lab.run(
        [
            {"goto": f"https://{LAB}/adjuntar"},
            {
                "upload": {"label": "Carta firmada"},
                "file": str(letter),
                "until": {"visible": {"role": "link", "name": "Eliminar"}},
            },
            {"read": {"css": "#n"}, "into": "veces"},
            {"say": "Cargas: ${veces}"},
        ]
    )

    assert result.exit_code == 0, result.message
    said = [e["text"] for e in read_events(result.folder) if e["type"] == "said"]
    assert "Cargas: 1" in said


def test_a_repeat_never_acts_on_another_element_with_the_same_name(lab: Lab) -> None:
    lab.serve(
        {
            "GET /uno": page(
                "<h1>Uno</h1><button onclick=\"setTimeout(() => location.href = '/dos', 100)\">"
                "Siguiente</button>"
            ),
            "GET /dos": page(
                "<h1>Dos</h1><button onclick=\"location.href = '/tres'\">Siguiente</button>"
            ),
            "GET /tres": page("<h1>Tres</h1>"),
        }
    )
    result = lab.run(
        [
            {"goto": f"https://{LAB}/uno"},
            {"click": "Siguiente", "until": {"text": "Listo"}, "timeout_ms": 3_000},
        ]
    )

    assert result.exit_code == 1
    assert lab.portal.hits.get("GET /tres") is None  # the second page's button: untouched
    assert "después de actuar" in result.message and "no se encontró" not in result.message


def test_a_retry_never_acts_on_the_next_pages_namesake(lab: Lab) -> None:
    """Issue 13: a read-only retry re-clicked a same-named element on the next page."""
    lab.serve(
        {
            "GET /uno": page(
                "<h1>Uno</h1><button onclick=\"fetch('/falla'); setTimeout(() =>"
                " location.href = '/dos', 200)\">Siguiente</button>"
            ),
            "GET /falla": ("error", "500"),
            "GET /dos": page(
                "<h1>Dos</h1><button onclick=\"location.href = '/tres'\">Siguiente</button>"
            ),
            "GET /tres": page("<h1>Tres</h1>"),
        }
    )
    result = lab.run(
        [
            {"goto": f"https://{LAB}/uno"},
            {"click": "Siguiente", "until": {"text": "Listo"}, "timeout_ms": 1_500},
        ],
        retry_budget_ms=10_000,
    )

    assert result.exit_code == 1
    assert lab.portal.hits.get("GET /tres") is None
    assert "ya no está en la página: no se repite la acción sobre otro" in result.message


# --- 5. when waits for a branch that renders late ------------------------------------------


def test_when_waits_for_a_branch_that_renders_after_its_data(lab: Lab) -> None:
    lab.serve(
        {
            "GET /tramite": page(
                "<h1>Tramita tu certificado</h1><div id=z></div>",
                script=(
                    "fetch('/estado').then(r => r.text()).then(t => setTimeout(() =>"
                    " z.innerHTML = '<button>' + t + '</button>', 300))"
                ),
            ),
            "GET /estado": "Verificar pago",
        }
    )
    result = lab.run(
        [
            {"goto": f"https://{LAB}/tramite"},
            {"say": "Hay que verificar el pago", "when": {"visible": "Verificar pago"}},
            {"say": "Nada que comprar", "when": {"visible": "Comprar certificado"}},
        ]
    )

    assert result.exit_code == 0, result.message
    statuses = {i: e["status"] for i, e in ended(result).items()}
    assert statuses == {1: "passed", 2: "passed", 3: "skipped"}
    assert ended(result)[3]["duration_ms"] < 2_000


def test_when_waits_its_given_time_for_a_timer_branch(lab: Lab) -> None:
    lab.serve(
        {
            "GET /tramite": page(
                "<h1>Tramite</h1>",
                script="setTimeout(() => document.body.insertAdjacentHTML('beforeend',"
                " '<button>Verificar pago</button>'), 1000)",
            )
        }
    )
    result = lab.run(
        [
            {"goto": f"https://{LAB}/tramite"},
            {"say": "Sí", "when": {"visible": "Verificar pago"}, "when_timeout_ms": 3_000},
        ]
    )

    assert {i: e["status"] for i, e in ended(result).items()} == {1: "passed", 2: "passed"}


# --- 6. what was sent is said; a lost confirmation is checked against done_when ------------

SEND = page(
    "<h1>Autorización</h1><form method=post action=/registrar><button>Registrar</button></form>"
)


def test_a_lost_confirmation_with_done_when_holding_is_not_a_failure(lab: Lab) -> None:
    lab.serve(
        {
            "GET /alta": SEND,
            "POST /registrar": page("<h1>Autorizaciones</h1><table><tr><td>20100066603</td></tr>"),
        }
    )
    result = lab.run(
        [
            {"goto": f"https://{LAB}/alta"},
            {
                "click": "Registrar",
                "irreversible": True,
                "done_when": {"text": "20100066603"},
                "until": {"text": "Se registró la autorización"},
                "timeout_ms": 1_500,
            },
        ]
    )

    assert result.exit_code == 0, result.message
    assert len(lab.portal.posts) == 1
    said = [e["text"] for e in read_events(result.folder) if e["type"] == "said"]
    assert any("No se vio la confirmación" in t and "se da por hecho" in t for t in said)


def test_a_failure_after_a_sent_step_says_what_was_sent_and_when(lab: Lab) -> None:
    lab.serve({"GET /alta": SEND, "POST /registrar": page("<h1>Autorizaciones</h1>")})
    result = lab.run(
        [
            {"goto": f"https://{LAB}/alta"},
            {
                "click": "Registrar",
                "title": "Registre la autorización del PSE",
                "irreversible": True,
                "done_when": {"text": "Se registró"},
            },
            {"read": {"text": "Número de constancia"}, "into": "constancia", "timeout_ms": 800},
        ],
        timezone="America/Lima",
    )

    assert result.exit_code == 1
    assert len(lab.portal.posts) == 1
    assert (
        "Atención: el paso 2 «Registre la autorización del PSE» ya se envió al portal a las "
        in result.message
    )
    assert "no lo repita a mano" in result.message
    assert "Atención" in ended(result)[3]["message"]


def test_a_lost_confirmation_without_done_when_says_the_portal_may_have_it(lab: Lab) -> None:
    lab.serve({"GET /alta": SEND, "POST /registrar": page("<h1>Autorizaciones</h1>")})
    result = lab.run(
        [
            {"goto": f"https://{LAB}/alta"},
            {
                "click": "Registrar",
                "irreversible": True,
                "done_when": {"text": "20100066603"},
                "until": {"text": "Se registró la autorización"},
                "timeout_ms": 1_500,
            },
        ]
    )

    assert result.exit_code == 1
    assert "el portal pudo haber aceptado el envío" in result.message
    assert "Atención: el paso 2" in result.message


# --- 7. signed_out counts only after signing in --------------------------------------------


def test_the_signed_out_sign_says_nothing_on_the_login_page_itself(lab: Lab) -> None:
    lab.serve({"GET /ingreso": LOGIN})
    result = lab.run(
        [
            {"goto": f"https://{LAB}/ingreso"},
            {"fill": {"label": "Número de documento"}, "value": "123", "timeout_ms": 800},
            {
                "click": "Continuar",
                "submits_password": True,
                "until": {"visible": {"role": "link", "name": "Salir"}},
            },
        ],
        signed_out=[{"visible": {"role": "heading", "name": "Ingresa a tu cuenta"}}],
    )

    assert result.exit_code == 1
    assert "no se encontró un campo con la etiqueta «Número de documento»" in result.message
    assert "sesión" not in result.message, result.message


def test_the_signed_out_sign_counts_after_signing_in(lab: Lab) -> None:
    lab.serve(
        {
            "GET /ingreso": LOGIN,
            "POST /ingresar": page(
                "<h1>Inicio</h1><a href='/ingreso'>Salir</a> <a href='/ingreso'>Mis trámites</a>"
            ),
        }
    )
    result = lab.run(
        [
            {"goto": f"https://{LAB}/ingreso"},
            {
                "click": "Continuar",
                "submits_password": True,
                "until": {"visible": {"role": "link", "name": "Salir"}},
            },
            {"click": "Mis trámites", "until": {"text": "Trámites en curso"}, "timeout_ms": 1_500},
        ],
        signed_out=[{"visible": {"role": "heading", "name": "Ingresa a tu cuenta"}}],
    )

    assert result.exit_code == 1
    assert "la sesión del portal expiró" in result.message
