"""Every seed flow's customer guide, made from a full run on the mock's demo account and
opened in headless Chromium: one instruction per thing the customer does, starting at
the portal's address and ending on what they see when it worked; branches kept; nothing
only the agent does; no input prompt dumped whole, no filter's leftovers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from portal_bot.flow import Ask, Flow, Goto, leaves
from portal_bot.guide import collect, render
from portal_bot.loader import load_flow
from portal_bot.templating import FILTERS
from tests.conftest import FLOWS, DemoRuns, completed

FLOW_IDS = sorted(path.stem for path in FLOWS.glob("*.yaml"))
LEAST = {
    "cl-sii-autenticacion-certificado": 15,
    "cl-sii-centralizar-certificado": 10,
    "co-siigo-certificado-digital": 25,
    "pe-sunat-pse-alta": 14,
}
"""Fewest steps each guide may have (today's flows give a few more)."""


def customer_steps(flow: Flow) -> list[str]:
    """What the guide must hold whatever the run: the address, and every action."""
    return [s.id for s in leaves(flow.steps) if s.id and not isinstance(s, Ask)
            and type(s).__name__ in ("Goto", "Click", "Fill", "Select", "Check", "Upload",
                                     "Press", "Manual")]  # fmt: skip


def leftovers(flow: Flow) -> list[str]:
    """Texts that must not reach a customer: the prompts of questions only the agent
    answers (a file's path) and what a filter makes of any prompt."""
    prompts = [spec.prompt for spec in flow.inputs.values()]
    agent = [s.ask for s in leaves(flow.steps) if isinstance(s, Ask) and s.fill_in is None]
    filtered = [f(p) for p in prompts + agent for f in FILTERS.values() if f(p) != p]
    return [text for text in agent + filtered if len(text) > 8]


@pytest.mark.parametrize("flow_id", FLOW_IDS)
def test_guide_is_complete_and_speaks_to_the_customer(
    flow_id: str, demo_runs: DemoRuns, browser: Browser, tmp_path: Path
) -> None:
    flow = load_flow(FLOWS / f"{flow_id}.yaml")
    folder = demo_runs(flow_id)
    completed(folder)
    steps = collect(flow, folder)
    (tmp_path / "guide.html").write_text(render(flow, steps), encoding="utf-8")
    page = browser.new_page()
    page.goto((tmp_path / "guide.html").as_uri())
    items = page.locator("ol.guide > li")
    texts = items.locator("h2").all_inner_texts()

    assert items.count() == len(steps) >= LEAST[flow_id]
    first = next(s for s in leaves(flow.steps) if isinstance(s, Goto))
    assert first.goto in texts[0], "the guide starts with the portal's address"
    assert texts[-1].endswith("Listo: si todo salió bien, el portal le muestra una pantalla "
                              "como esta.")  # fmt: skip
    assert items.last.get_by_role("img").count() == 1
    shown = set(items.evaluate_all("els => els.map(e => e.dataset.paso)"))
    assert [s for s in customer_steps(flow) if s not in shown] == []
    joined = "\n".join(texts)
    assert [text for text in leftovers(flow) if text in joined] == []
    assert not re.search(r"\w{30,}", joined), "a filter glued words together"
    assert "${" not in joined and "Simulación" not in page.content()
    images = page.locator("ol.guide img").all()
    assert all(image.evaluate("i => i.naturalWidth > 0") for image in images)
    assert len(images) >= len(steps) // 2
    page.close()


def test_siigo_guide_has_the_payment_branch_and_the_letter_signed_offline(
    demo_runs: DemoRuns, browser: Browser, tmp_path: Path
) -> None:
    flow = load_flow(FLOWS / "co-siigo-certificado-digital.yaml")
    steps = collect(flow, demo_runs("co-siigo-certificado-digital"))

    branches = [f"{s.branch}: {s.text}" for s in steps if s.branch]
    assert any("Pague" in text or "Pagar" in text for text in branches), branches
    signing = [s for s in steps if "firma" in s.text.lower() and s.image is None]
    assert signing, "signing the letter is a step of its own, away from the screen"
    upload = next(i for i, s in enumerate(steps) if s.step_id == "adjuntar-carta")
    assert steps.index(signing[0]) < upload
