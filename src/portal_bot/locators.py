"""Targets and conditions → Playwright locators and waits. No sleeps, no polling.

A target resolves to the first *visible* element it matches, as a person would pick it.
Ordered fallbacks (``any``) wait for whichever appears first, then prefer the earliest
fallback that is present.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, assert_never

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import FrameLocator, Locator, Page, expect

from portal_bot.flow import AtUrl, Condition, HasText, Hidden, Target, Visible

if TYPE_CHECKING:
    from collections.abc import Callable

Scope = Page | FrameLocator | Locator


def _one(scope: Scope, target: Target, render: Callable[[str], str]) -> Locator:
    base: Scope = scope
    if target.inside is not None:
        base = locate(scope, target.inside, render)
    exact = target.exact
    if target.role is not None:
        name = render(target.name) if target.name else None
        found = base.get_by_role(target.role, name=name, exact=exact, checked=target.checked)
    elif target.label is not None:
        found = base.get_by_label(render(target.label), exact=exact)
    elif target.placeholder is not None:
        found = base.get_by_placeholder(render(target.placeholder), exact=exact)
    elif target.text is not None:
        found = base.get_by_text(render(target.text), exact=exact)
    elif target.title is not None:
        found = base.get_by_title(render(target.title), exact=exact)
    elif target.alt is not None:
        found = base.get_by_alt_text(render(target.alt), exact=exact)
    elif target.css is not None:
        found = base.locator(target.css)
    else:  # pragma: no cover - the model guarantees one way
        raise ValueError("objetivo sin forma de búsqueda")
    return found.filter(visible=True)


def locate(scope: Scope, target: Target, render: Callable[[str], str] = str) -> Locator:
    """A locator for the first visible match (any fallback: the union of all)."""
    if not target.any:
        return _one(scope, target, render).first
    combined = _one(scope, target.any[0], render)
    for option in target.any[1:]:
        combined = combined.or_(_one(scope, option, render))
    return combined.first


def resolve(
    scope: Scope, target: Target, timeout_ms: float, render: Callable[[str], str] = str
) -> Locator:
    """Wait until the target is visible; with fallbacks, pick the earliest one present."""
    found = locate(scope, target, render)
    expect(found).to_be_visible(timeout=timeout_ms)
    if not target.any:
        return found
    for option in target.any:
        candidate = _one(scope, option, render).first
        if candidate.count():
            return candidate
    return found


def glob_to_regex(glob: str) -> re.Pattern[str]:
    parts = re.split(r"(\*\*|\*|\?)", glob)
    table = {"**": ".*", "*": "[^/]*", "?": "[^/]"}
    return re.compile("^" + "".join(table.get(p, re.escape(p)) for p in parts) + "$")


def condition_locator(
    scope: Scope, cond: Condition, render: Callable[[str], str] = str
) -> Locator | None:
    """The element a condition is about; None for an address condition."""
    match cond:
        case Visible():
            return locate(scope, cond.visible, render)
        case Hidden():
            return locate(scope, cond.hidden, render)
        case HasText():
            return scope.get_by_text(render(cond.text)).filter(visible=True).first
        case AtUrl():
            return None
        case _:
            assert_never(cond)


def holds_now(
    page: Page, scope: Scope, cond: Condition, render: Callable[[str], str] = str
) -> bool:
    """Does the condition hold right now (no waiting)?"""
    if isinstance(cond, AtUrl):
        return bool(glob_to_regex(render(cond.url)).match(page.url))
    found = condition_locator(scope, cond, render)
    assert found is not None
    try:
        visible = found.is_visible()
    except PlaywrightError:
        visible = False
    return not visible if isinstance(cond, Hidden) else visible


def wait_until(
    page: Page,
    scope: Scope,
    cond: Condition,
    timeout_ms: float,
    render: Callable[[str], str] = str,
) -> bool:
    """Wait for the condition up to ``timeout_ms``; True if it held."""
    if timeout_ms <= 0:
        return holds_now(page, scope, cond, render)
    try:
        if isinstance(cond, AtUrl):
            expect(page).to_have_url(glob_to_regex(render(cond.url)), timeout=timeout_ms)
            return True
        found = condition_locator(scope, cond, render)
        assert found is not None
        if isinstance(cond, Hidden):
            expect(found).to_be_hidden(timeout=timeout_ms)
        else:
            expect(found).to_be_visible(timeout=timeout_ms)
        return True
    except AssertionError:
        return False
