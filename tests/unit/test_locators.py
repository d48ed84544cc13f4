"""The person-like targets against small pages in headless Chromium: the same thing a
person would pick, whatever markup the build used."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from portal_bot import locators
from portal_bot.actions import ActionFailed, choose, type_into
from portal_bot.flow import Target, Visible


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


def target(data: Any) -> Target:
    return Target.model_validate(data)


def picked(page: Page, data: Any, timeout_ms: float = 1_000) -> str:
    """The id of the element the target resolves to."""
    found = locators.resolve(page, target(data), timeout_ms)
    return str(found.evaluate("e => e.id"))


def visible(page: Page, data: Any) -> bool:
    return locators.holds_now(page, page, Visible(visible=target(data)))


CLICKABLES = {
    "button": "<button id=x class='btn btnPor'>RUC</button>",
    "tab": "<div role=tablist><a id=x role=tab href='#'>RUC</a></div>",
    "link": "<a id=x href='#'>ruc</a>",
    "submit": "<input id=x type=submit value='RUC'>",
    "dijit": "<span id=x role=button aria-labelledby=l><span id=l>RUC</span></span>",
    "span": "<span id=x onclick='void 0'>RUC</span>",
    "colon": "<button id=x>RUC:</button>",
}


@pytest.mark.parametrize("html", CLICKABLES.values(), ids=list(CLICKABLES))
def test_a_clickable_is_whatever_a_person_can_click(page: Page, html: str) -> None:
    page.set_content(f"<p>Ingrese con su RUC o DNI</p>{html}")
    assert picked(page, {"clickable": "RUC"}) == "x"


def test_a_clickable_prefers_a_button_to_a_title_with_the_same_text(page: Page) -> None:
    page.set_content("<h2 id=h>Continuar</h2><p>…</p><button id=b>Continuar</button>")
    assert picked(page, {"clickable": "Continuar"}) == "b"


def test_an_icon_titled_so_is_clickable(page: Page) -> None:
    page.set_content(
        "<div role=dialog><span id=x role=button title=Cancelar>x</span><b>IMPORTANTE</b></div>"
    )
    assert picked(page, {"clickable": "Cancelar"}) == "x"


def test_names_ignore_case_accents_spaces_and_edges_but_not_words(page: Page) -> None:
    page.set_content(
        "<a id=a href='#'>Ingresar a Mi Sii</a><a id=b href='#'>  Búsqueda   avanzada: </a>"
        "<button id=c>..</button>"
    )
    assert picked(page, {"clickable": "ingresar a mi SII"}) == "a"
    assert picked(page, {"clickable": "Busqueda avanzada"}) == "b"
    assert picked(page, {"clickable": ".."}) == "c"
    assert not visible(page, {"clickable": "Mi SII"})
    assert not visible(page, {"clickable": "busqueda avanzada", "exact": True})


FIELDS = {
    "label": "<label for=x>RUC</label><input id=x>",
    "colon-label": "<label>RUC: <input id=x></label>",
    "required": "<label for=x>RUC *</label><input id=x>",
    "placeholder": "<input id=x placeholder=RUC>",
    "aria-label": "<input id=x aria-label=RUC>",
    "cell-before": "<table><tr><td>RUC:</td><td><input id=x></td></tr></table>",
    "span-before": "<div><span>RUC</span> <input id=x></div>",
}


@pytest.mark.parametrize("html", FIELDS.values(), ids=list(FIELDS))
def test_a_field_is_found_by_what_names_it(page: Page, html: str) -> None:
    page.set_content(f"<button>RUC</button>{html}<input id=otro placeholder=Usuario>")
    assert picked(page, {"field": "RUC"}) == "x"


def test_a_field_name_with_two_fields_is_an_error_naming_both_sections(page: Page) -> None:
    page.set_content(
        "<div><h3>Datos de la empresa</h3><label>Correo electrónico <input id=e></label></div>"
        "<fieldset><legend>Datos del representante legal</legend>"
        "<label>Correo electrónico <input id=r></label></fieldset>"
    )
    with pytest.raises(locators.Ambiguous) as error:
        picked(page, {"field": "Correo electronico"})
    assert "2 campos" in str(error.value)
    assert "Datos de la empresa" in str(error.value)
    assert "Datos del representante legal" in str(error.value)
    scoped = {"field": "Correo electrónico", "inside": {"section": "Datos del representante legal"}}
    assert picked(page, scoped) == "r"
    company = {"field": "Correo electrónico", "inside": {"section": "Datos de la empresa"}}
    assert picked(page, company) == "e"


def test_a_row_is_a_data_row_with_that_cell_never_a_layout_row_or_a_typed_value(
    page: Page,
) -> None:
    page.set_content(
        "<table id=layout><tr><td>RUC</td><td><input id=ruc value=20600337832></td>"
        "<td><button>Buscar</button></td></tr></table>"
        "<table id=grid><thead><tr><th>RUC</th><th>Razón Social</th></tr></thead>"
        "<tbody></tbody></table>"
    )
    assert not visible(page, {"row": "20600337832"})
    page.evaluate(
        "document.querySelector('#grid tbody').innerHTML ="
        " '<tr id=r><td>20600337832</td><td>VIDA SOFTWARE S.A.C.</td></tr>'"
    )
    assert picked(page, {"row": "20600337832"}) == "r"


def test_a_layout_table_around_a_grid_is_not_a_grid(page: Page) -> None:
    page.set_content(
        "<table><tr><td>RUC</td><td>20600337832</td></tr><tr><td><div role=grid>"
        "<div role=row><table role=presentation><tr><th role=columnheader>RUC</th></tr>"
        "</table></div></div></td></tr></table>"
    )
    assert not visible(page, {"row": "20600337832"})


def test_a_row_of_a_div_grid(page: Page) -> None:
    page.set_content(
        "<div role=grid><div role=row><span role=columnheader>RUC</span></div>"
        "<div role=row id=r><span role=gridcell>20600337832</span>"
        "<span role=gridcell>VIDA SOFTWARE S.A.C.</span></div></div>"
    )
    assert picked(page, {"row": "VIDA SOFTWARE S.A.C."}) == "r"
    assert not visible(page, {"row": "RUC"})


def test_a_dialog_without_a_name_is_found_by_its_title_line(page: Page) -> None:
    page.set_content(
        "<div role=dialog id=d aria-labelledby=t><span id=t></span>"
        "<div class=barra>IMPORTANTE</div><p>Actualice sus datos</p></div>"
    )
    assert picked(page, {"dialog": "Importante"}) == "d"
    close = {"clickable": "Cerrar", "inside": {"dialog": "Importante"}}
    assert not visible(page, close)


def test_sections_by_legend_heading_or_caption(page: Page) -> None:
    page.set_content(
        "<div class=card id=c><div class=card-header><h5>Paga tu certificado</h5></div>"
        "<div class=card-body><button id=b1>Continuar</button></div></div>"
        "<div class=card><div class=card-header><h5>Tramita tu certificado</h5></div>"
        "<div class=card-body><button id=b2>Continuar</button></div></div>"
        "<table><caption>Certificado centralizado</caption><tr><th>Estado</th></tr>"
        "<tr><td id=v>Vigente</td></tr></table>"
    )
    assert picked(page, {"section": "Paga tu certificado"}) == "c"
    inside = {"clickable": "Continuar", "inside": {"section": "Tramita tu certificado"}}
    assert picked(page, inside) == "b2"
    status = {"text": "Vigente", "inside": {"section": "Certificado centralizado"}}
    assert picked(page, status) == "v"


def test_text_is_found_inside_a_longer_text_without_accents(page: Page) -> None:
    page.set_content("<div id=t>Se guardó archivo OK. Cierre la ventana.</div>")
    assert picked(page, {"text": "se guardo archivo ok"}) == "t"


def test_a_field_in_a_given_state(page: Page) -> None:
    page.set_content(
        "<label><input type=radio name=f id=a checked> Utilizando Clave Tributaria o "
        "Certificado Digital</label><label><input type=radio name=f id=b> sólo Certificado "
        "Digital</label>"
    )
    chosen = {"field": "Utilizando Clave Tributaria o Certificado Digital", "checked": True}
    assert visible(page, chosen)
    assert not visible(page, {"field": "Sólo Certificado Digital", "checked": True})
    assert visible(page, {"field": "Sólo Certificado Digital", "checked": False})


def test_the_closest_candidates_of_a_missing_target(page: Page) -> None:
    page.set_content("<button>RUC</button><button>DNI</button><a href='#'>Ayuda</a>")
    wanted = target({"role": "tab", "name": "RUC"})
    assert not locators.holds_now(page, page, Visible(visible=wanted))
    near = locators.closest(page, wanted)
    assert near[0].describe() == "un botón «RUC»"
    assert wanted.kind() == "una pestaña «RUC»"


def test_typing_fires_the_keys_a_search_box_listens_to(page: Page) -> None:
    page.set_content(
        "<input id=q aria-label='Busque una opción del menú'><ul id=r></ul><script>"
        "q.addEventListener('keyup', () => { r.innerHTML = q.value === 'altas' ?"
        " '<li><a href=#>Altas/Bajas de PSE</a></li>' : ''; });</script>"
    )
    field = locators.resolve(page, target({"field": "Busque una opcion del menu"}), 1_000)
    type_into(field, "altas")
    assert visible(page, {"clickable": "Altas/Bajas de PSE"})


def test_choose_in_a_native_select_by_its_visible_text(page: Page) -> None:
    page.set_content(
        "<label for=s>Tipo de documento</label><select id=s><option value=''>Seleccione"
        "</option><option value=13>Cédula de ciudadanía</option><option value=41>Pasaporte"
        "</option></select>"
    )
    field = locators.resolve(page, target({"field": "Tipo de documento"}), 1_000)
    choose(page, field, "cedula de ciudadania", "«Tipo de documento»", 1_000)
    assert field.input_value() == "13"
    with pytest.raises(ActionFailed) as error:
        choose(page, field, "CC", "«Tipo de documento»", 1_000)
    assert "no ofrece la opción «CC»" in str(error.value)
    assert "«Cédula de ciudadanía», «Pasaporte»" in str(error.value)


def test_choose_in_an_aria_combobox(page: Page) -> None:
    page.set_content(
        "<span id=lbl>Tipo de documento</span><div id=c role=combobox tabindex=0"
        " aria-labelledby=lbl aria-expanded=false>Seleccione</div>"
        "<ul role=listbox id=l hidden><li role=option>Cédula de ciudadanía</li>"
        "<li role=option>Pasaporte</li></ul><script>"
        "c.addEventListener('click', () => { l.hidden = false; });"
        "l.addEventListener('click', e => { c.textContent = e.target.textContent;"
        " l.hidden = true; });</script>"
    )
    field = locators.resolve(page, target({"field": "Tipo de documento"}), 1_000)
    choose(page, field, "Pasaporte", "«Tipo de documento»", 1_000)
    assert field.inner_text() == "Pasaporte"


def test_the_closest_candidate_is_outlined_for_the_failure_picture(page: Page) -> None:
    page.set_content("<button id=r>RUC</button><button id=d>DNI</button>")
    near = locators.closest(page, target({"role": "tab", "name": "RUC"}))
    locators.mark_nearest(page, near[0], "data-cercano")
    assert page.locator("[data-cercano]").evaluate_all("els => els.map(e => e.id)") == ["r"]
    locators.mark_nearest(page, None, "data-cercano")
    assert page.locator("[data-cercano]").count() == 0
