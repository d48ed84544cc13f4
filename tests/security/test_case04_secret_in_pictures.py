"""Case 4: a secret typed into a visible field whose ``until`` never holds: the failure
screenshot does not show it (the field is blanked before the first keystroke)."""

from __future__ import annotations

import base64

from playwright.sync_api import Browser

from portal_bot import locators, shots
from portal_bot.browser import context_arguments
from portal_bot.flow import Target
from tests.conftest import Runner, all_bytes
from tests.security.conftest import run_text

MENU = "https://e-menu.sunat.gob.pe/cl-ti-itmenu/MenuInternet.htm"
STEPS = f"""
  - goto: {MENU}
  - click: {{clickable: RUC}}
  - fill: {{field: Usuario}}
    id: clave-a-la-vista
    value: ${{clave_sol}}
    timeout_ms: 1500
    until: {{visible: {{text: Esto nunca aparece en la página}}}}
"""
SECRET = "WWWWWWWWWWWWWWWW"
DARKEST = """async ([src, box]) => {
  const img = new Image();
  img.src = src;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.width; canvas.height = img.height;
  const g = canvas.getContext('2d');
  g.drawImage(img, 0, 0);
  const d = g.getImageData(box.x, box.y, box.width, box.height).data;
  let darkest = 255;
  for (let i = 0; i < d.length; i += 4) {
    darkest = Math.min(darkest, (d[i] * 299 + d[i + 1] * 587 + d[i + 2] * 114) / 1000);
  }
  return darkest;
}"""


def _field_box(browser: Browser) -> dict[str, float]:
    """Where the Usuario field is in a 1280×800 picture, shrunk past its border."""
    context = browser.new_context(**context_arguments(mock=True))
    try:
        page = context.new_page()
        page.goto(MENU)
        locators.resolve(page, Target(clickable="RUC"), 15_000).click()
        box = locators.resolve(page, Target(field="Usuario"), 15_000).bounding_box()
        assert box is not None
        scale = shots.SCALE  # the evidence's pictures are taken at this scale
        return {"x": int(box["x"] * scale) + 4, "y": int(box["y"] * scale) + 4,
                "width": int(box["width"] * scale) - 8,
                "height": int(box["height"] * scale) - 8}  # fmt: skip
    finally:
        context.close()


def _darkest_in(browser: Browser, picture: bytes, box: dict[str, float]) -> float:
    page = browser.new_page()
    try:
        src = "data:image/webp;base64," + base64.b64encode(picture).decode()
        darkest: float = page.evaluate(DARKEST, [src, box])
        return darkest
    finally:
        page.close()


def test_the_failure_picture_of_a_secret_fill_does_not_show_it(run: Runner) -> None:
    run.reset("sunat", popups="none", captcha="never")

    result = run_text(run, STEPS, {"clave_sol": SECRET})

    assert result.exit_code == 1, result.message
    assert result.leaks == []
    assert SECRET.encode() not in all_bytes(result.folder)
    names = sorted(p.name for p in (result.folder / "shots").iterdir())
    failed = [name for name in names if "clave-a-la-vista-failed" in name]
    assert len(failed) == 1, names
    picture = (result.folder / "shots" / failed[0]).read_bytes()
    # Typed W's would be dark text; the blanked field is light grey stripes only.
    assert _darkest_in(run.browser, picture, _field_box(run.browser)) > 150
