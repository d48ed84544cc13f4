"""--guided with a person quicker than the tool: they act the moment the bubble shows.

The page's own script plays the person: it acts on the outlined element as soon as the
outline appears, before this process looks again. A click that removes its button, or a
field filled at once, must still count as done; nothing may wait for a button that is
gone or for a change that already happened (on a loaded CI machine, that wait was the
whole run's limit).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from portal_bot.actions import Session
from portal_bot.flow import Click, Fill
from portal_bot.guided import MARK, perform
from portal_bot.inputs import Values
from portal_bot.prompt import NoTerminalPrompter
from tests.conftest import flow

# Acts on the element the moment it is outlined: a click for a button, typing for a field.
QUICK_PERSON = """
new MutationObserver((changes) => {
  for (const change of changes) {
    const el = change.target;
    if (change.attributeName !== 'MARK' || !el.hasAttribute('MARK')) continue;
    if (el.tagName === 'INPUT') {
      el.value = 'MODDATOS';
      el.dispatchEvent(new Event('input', {bubbles: true}));
    } else {
      el.click();
    }
  }
}).observe(document, {attributes: true, subtree: true});
""".replace("MARK", MARK)

PAGE = """
<main>
  <label>Usuario <input name="usuario"></label>
  <button type="button" onclick="document.querySelector('main').innerHTML =
    '<h1>Bienvenido</h1>'">Iniciar sesión</button>
</main>
<script>QUICK_PERSON</script>
""".replace("QUICK_PERSON", QUICK_PERSON)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture
def quick(page: Page) -> Session:
    page.set_content(PAGE)
    made = Session(
        flow("pe-sunat-pse-alta"),
        page.context,
        page,
        Values(),
        NoTerminalPrompter(),
        say=lambda _: None,
        keep=lambda name, original, data: name,
    )
    made.timeout_cap = 5_000  # the person's time, were they slow: far more than needed
    return made


def test_a_click_that_removes_its_button_at_once_is_done(quick: Session, page: Page) -> None:
    step = Click.model_validate(
        {"click": {"clickable": "Iniciar sesión"}, "until": {"visible": {"text": "Bienvenido"}}}
    )

    perform(quick, step, "Inicie sesión", 7)

    assert page.get_by_role("heading", name="Bienvenido").is_visible()


def test_a_click_without_until_whose_button_leaves_at_once_is_done(
    quick: Session, page: Page
) -> None:
    step = Click.model_validate({"click": {"clickable": "Iniciar sesión"}})

    perform(quick, step, "Inicie sesión", 7)

    assert page.get_by_role("heading", name="Bienvenido").is_visible()


def test_a_field_filled_the_moment_it_is_outlined_is_done(quick: Session, page: Page) -> None:
    step = Fill.model_validate({"fill": {"field": "Usuario"}, "value": "MODDATOS"})

    perform(quick, step, "Escriba «MODDATOS» en «Usuario»", 4)

    assert page.get_by_label("Usuario").input_value() == "MODDATOS"
