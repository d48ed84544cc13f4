"""Targets and conditions → Playwright locators and waits, the way a person finds things.

A person looks for "the «Ingresar» button", "the RUC box", "the row of VIDA SOFTWARE",
"the «Importante» pop-up", whatever tags the build used. Each kind of target is a ladder
of Playwright queries, tried in order; the first rung with a visible match wins:

- ``clickable``: an element with a clickable role (button, link, tab, menu item, option,
  tree item) named so → an element titled so (icon buttons) → an element whose own text
  it is → an image with that alternative text;
- ``field``: a control labelled so (``<label>``, aria-label, aria-labelledby) → a control
  whose accessible name it is (title, placeholder) → a placeholder → the first control
  just after a text reading so (``<td>RUC:</td><td><input></td>``);
- ``row``: a data row (an ARIA row of a grid or table that is not a header row, or a row
  of an HTML table with header cells) with a cell whose own text it is;
- ``dialog``: a dialog named so → a dialog holding a line (title, bold text) reading so;
- ``section``: a region, group (a fieldset and its legend), form or table named so → the
  nearest block around a heading, legend or line reading so that holds more than it;
- ``text``: an element whose text contains it.

Names are compared by :func:`name_pattern`: case, accents, runs of spaces and a leading or
trailing ``:``, ``*``, ``.`` do not count; ``exact`` makes the comparison strict. The keys
that name one build's markup (``role``, ``label``, ``placeholder``, ``title``, ``alt``,
``css``) keep Playwright's own matching. The same
ladder serves acting, conditions, dry-runs, guides and the «closest candidates» of a
failure (:func:`closest`), so every part of the tool sees a page the same way.
"""

from __future__ import annotations

import difflib
import re
import time
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, assert_never

from playwright.sync_api import ElementHandle, FrameLocator, Locator, Page, expect
from playwright.sync_api import Error as PlaywrightError

from portal_bot.flow import AtUrl, Condition, HasText, Hidden, Target, Visible

if TYPE_CHECKING:
    from collections.abc import Callable

Scope = Page | FrameLocator | Locator
Pattern = str | re.Pattern[str]

CLICK_ROLES = ("button", "link", "tab", "menuitem", "menuitemradio", "menuitemcheckbox",
               "option", "treeitem")  # fmt: skip
FIELD_ROLES = ("textbox", "searchbox", "combobox", "listbox", "spinbutton", "checkbox",
               "radio", "switch")  # fmt: skip
SECTION_ROLES = ("region", "group", "form", "table", "grid", "tabpanel", "dialog")
FIELD_AFTER = (
    "xpath=following::*[self::input[not(@type='hidden' or @type='submit' or @type='button'"
    " or @type='reset' or @type='image')] or self::select or self::textarea"
    " or @role='textbox' or @role='combobox' or @role='listbox'][1]"
)
DATA_ROWS = (
    ":is([role=grid], [role=treegrid], [role=table]) [role=row]:not(:has([role=columnheader]))"
    ", table:has(> thead > tr > th, > tbody > tr > th, > tr > th) > tbody > tr:has(> td)"
    ", table:has(> thead > tr > th, > tbody > tr > th, > tr > th) > tr:has(> td)"
)
DIALOGS = "[role=dialog], [role=alertdialog], dialog, [aria-modal=true]"
CHECKED = ":checked, [aria-checked=true]"

_FOLD = {"a": "aáàâäã", "e": "eéèêë", "i": "iíìîï", "o": "oóòôöõ", "u": "uúùûü",
         "n": "nñ", "c": "cç", "y": "yý"}  # fmt: skip
_EDGE = " :*.…\u00a0\t\n"
_EDGE_RX = r"[\s:*.…]*"
_SPECIAL = set("\\^$.|?*+()[]{}/-")


def normalize(text: str) -> str:
    """A name as a person compares it: no accents, lower case, single spaces, and no
    ``:``, ``*`` or ``.`` around it."""
    folded = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(plain.lower().split()).strip(_EDGE)


def name_pattern(name: str, exact: bool = False, whole: bool = True) -> Pattern:
    """What Playwright matches a visible name or text against.

    Exact: the string itself (Playwright's exact match). Otherwise a regular expression
    (valid in Python and JavaScript) that ignores case, accents, extra spaces and the
    punctuation around the name; ``whole=False`` finds it inside a longer text.
    """
    if exact:
        return name
    core = normalize(name)
    if not core:  # a name made of dots, like SUNAT's «..» button
        return re.compile(r"^\s*[.…]+\s*$") if whole else re.escape(name.strip())
    parts: list[str] = []
    for ch in core:
        if ch == " ":
            parts.append(r"\s+")
        elif ch in _FOLD:
            parts.append(f"[{_FOLD[ch]}]")
        else:
            parts.append("\\" + ch if ch in _SPECIAL else ch)
    body = "".join(parts)
    return re.compile(f"^{_EDGE_RX}{body}{_EDGE_RX}$" if whole else body, re.IGNORECASE)


def page_of(scope: Scope) -> Page:
    if isinstance(scope, Page):
        return scope
    if isinstance(scope, FrameLocator):
        return scope.owner.page
    return scope.page


def _union(locators: list[Locator]) -> Locator:
    combined = locators[0]
    for other in locators[1:]:
        combined = combined.or_(other)
    return combined


def _roles(base: Scope, roles: tuple[str, ...], name: Pattern, exact: bool) -> Locator:
    return _union([base.get_by_role(role, name=name, exact=exact) for role in roles])  # type: ignore[arg-type]


def _rungs(scope: Scope, target: Target, render: Callable[[str], str]) -> list[Locator]:
    """The ladder for one target (no ``any``), most person-like first, each rung
    filtered to visible elements."""
    base: Scope = scope
    if target.inside is not None:
        base = locate(scope, target.inside, render)
    exact = target.exact
    wanted = render(target.wanted) if target.wanted is not None else ""
    whole = name_pattern(wanted, exact)
    root = page_of(scope)
    rungs: list[Locator]
    match target.way:
        case "clickable":
            rungs = [
                _roles(base, CLICK_ROLES, whole, exact),
                base.get_by_title(whole, exact=exact),
                base.get_by_text(whole, exact=exact),
                base.get_by_alt_text(whole, exact=exact),
            ]
        case "field":
            rungs = [
                base.get_by_label(whole, exact=exact),
                _roles(base, FIELD_ROLES, whole, exact),
                base.get_by_placeholder(whole, exact=exact),
                base.get_by_text(whole, exact=exact).locator(FIELD_AFTER),
            ]
            if target.checked is not None:
                state = root.locator(CHECKED)
                rungs = [
                    rung.and_(state) if target.checked else rung.and_(root.locator(
                        "input:not(:checked), [aria-checked=false]"))
                    for rung in rungs
                ]  # fmt: skip
        case "row":
            rungs = [base.locator(DATA_ROWS).filter(has=root.get_by_text(whole, exact=exact))]
        case "dialog":
            rungs = [
                _roles(base, ("dialog", "alertdialog"), whole, exact),
                base.locator(DIALOGS).filter(has=root.get_by_text(whole, exact=exact)),
            ]
        case "section":
            around = (
                "xpath=ancestor::*[.//input or .//select or .//textarea or .//button"
                " or .//*[@role='button' or @role='row' or @role='textbox']"
                f" or string-length(normalize-space(.)) > {len(wanted) + 3}][1]"
            )
            rungs = [
                _roles(base, SECTION_ROLES, whole, exact),
                base.get_by_text(whole, exact=exact).locator(around),
            ]
        case "text":
            rungs = [base.get_by_text(name_pattern(wanted, exact, whole=False), exact=exact)]
        # One build's markup: Playwright's own matching (a case-insensitive part of the
        # name unless exact), as flows written against it expect.
        case "role":
            assert target.role is not None
            name = wanted if target.name else None
            rungs = [base.get_by_role(target.role, name=name, exact=exact, checked=target.checked)]
        case "label":
            rungs = [base.get_by_label(wanted, exact=exact)]
        case "placeholder":
            rungs = [base.get_by_placeholder(wanted, exact=exact)]
        case "title":
            rungs = [base.get_by_title(wanted, exact=exact)]
        case "alt":
            rungs = [base.get_by_alt_text(wanted, exact=exact)]
        case "css":
            assert target.css is not None
            rungs = [base.locator(target.css)]
        case other:  # pragma: no cover - the model guarantees one way
            raise ValueError(f"objetivo sin forma de búsqueda: {other}")
    return [rung.filter(visible=True) for rung in rungs]


def ladder(scope: Scope, target: Target, render: Callable[[str], str] = str) -> list[Locator]:
    """Every rung of the target, fallbacks (``any``) one after the other, in order."""
    if target.any:
        return [rung for option in target.any for rung in _rungs(scope, option, render)]
    return _rungs(scope, target, render)


def every_match(scope: Scope, target: Target, render: Callable[[str], str] = str) -> Locator:
    """Every visible match of every rung, in page order."""
    return _union(ladder(scope, target, render))


def locate(scope: Scope, target: Target, render: Callable[[str], str] = str) -> Locator:
    """A locator for the first visible match of any rung (for conditions and pop-ups)."""
    return every_match(scope, target, render).first


POLL_SLICE_MS = 2_000
"""The longest single wait handed to Playwright. It looks again every 100 ms in a wait
shorter than 2.5 s, but only every 500 ms in a longer one: a page that answers a moment
after the first looks was seen up to half a second late, at every step. Long waits are
made of slices of this length instead (one more call every 2 s)."""


def sliced(check: Callable[[float], None], timeout_ms: float) -> None:
    """Run a Playwright assertion ``check(timeout_ms)`` in slices of at most
    :data:`POLL_SLICE_MS` until it passes; the last slice's AssertionError once
    ``timeout_ms`` is spent."""
    ends = time.monotonic() + timeout_ms / 1000
    while True:
        left = (ends - time.monotonic()) * 1000
        try:
            check(max(1.0, min(POLL_SLICE_MS, left)))
            return
        except AssertionError:
            if left <= POLL_SLICE_MS:
                raise


class Ambiguous(Exception):
    """A field's name matches more than one field: acting on either could be wrong."""


def resolve(
    scope: Scope, target: Target, timeout_ms: float, render: Callable[[str], str] = str
) -> Locator:
    """Wait until the target is visible, then the first element of the earliest rung that
    has one. A field that more than one visible field answers to is :class:`Ambiguous`."""
    return _resolve(scope, target, timeout_ms, render, with_element=False)[0]


def resolve_element(
    scope: Scope, target: Target, timeout_ms: float, render: Callable[[str], str] = str
) -> tuple[Locator, ElementHandle | None]:
    """:func:`resolve`, and the element it finds, from the same look (acting on the
    element costs no second look over the page)."""
    return _resolve(scope, target, timeout_ms, render, with_element=True)


def _resolve(
    scope: Scope,
    target: Target,
    timeout_ms: float,
    render: Callable[[str], str],
    with_element: bool,
) -> tuple[Locator, ElementHandle | None]:
    rungs = ladder(scope, target, render)
    shown = expect(_union(rungs).first)
    sliced(lambda ms: shown.to_be_visible(timeout=ms), timeout_ms)
    for rung in rungs:
        found = rung.element_handles() if with_element else []
        count = len(found) if with_element else rung.count()
        if not count:
            continue
        if count > 1 and _is_field(target):
            raise Ambiguous(_ambiguity(rung, target, count))
        return rung.first, found[0] if found else None
    return _union(rungs).first, None  # the page changed between the wait and the look


def _is_field(target: Target) -> bool:
    if target.any:
        return all(_is_field(option) for option in target.any)
    return target.way in ("field", "label", "placeholder")


CONTEXT_JS = """els => els.slice(0, 4).map(el => {
  for (let node = el; node; node = node.parentElement || node.getRootNode().host) {
    for (let prev = node.previousElementSibling; prev; prev = prev.previousElementSibling) {
      const head = /^(H[1-6]|LEGEND|CAPTION)$/.test(prev.tagName);
      if (head || prev.getAttribute('role') === 'heading') {
        return prev.textContent.trim().replace(/\\s+/g, ' ').slice(0, 80);
      }
      const inner = prev.querySelector('h1,h2,h3,h4,h5,h6,legend,[role=heading]');
      if (inner) { return inner.textContent.trim().replace(/\\s+/g, ' ').slice(0, 80); }
    }
    if (node.tagName === 'FIELDSET') {
      const legend = node.querySelector('legend');
      if (legend) { return legend.textContent.trim().replace(/\\s+/g, ' ').slice(0, 80); }
    }
  }
  return '';
})"""


def _ambiguity(rung: Locator, target: Target, count: int) -> str:
    try:
        where: list[str] = rung.evaluate_all(CONTEXT_JS)
    except PlaywrightError:
        where = []
    places = [f"«{place}»" for place in where if place]
    detail = f" (en {' y en '.join(places)})" if len(set(places)) > 1 else ""
    return (
        f"{target.kind()} coincide con {count} campos de la página{detail}; el flujo debe "
        "indicar cuál, con «inside: {section: …}»"
    )


def glob_to_regex(glob: str) -> re.Pattern[str]:
    parts = re.split(r"(\*\*|\*|\?)", glob)
    table = {"**": ".*", "*": "[^/]*", "?": "[^/]"}
    return re.compile("^" + "".join(table.get(p, re.escape(p)) for p in parts) + "$")


def text_locator(scope: Scope, text: str) -> Locator:
    """A visible element whose text contains ``text`` (case, accents and spacing aside)."""
    return scope.get_by_text(name_pattern(text, whole=False)).filter(visible=True).first


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
            return text_locator(scope, render(cond.text))
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
    visible = shown_now(found)
    return not visible if isinstance(cond, Hidden) else visible


def shown_now(locator: Locator) -> bool:
    """Is it visible right now (no waiting)? A page gone in between shows nothing."""
    try:
        return locator.is_visible()
    except PlaywrightError:
        return False


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
            url = glob_to_regex(render(cond.url))
            sliced(lambda ms: expect(page).to_have_url(url, timeout=ms), timeout_ms)
            return True
        found = condition_locator(scope, cond, render)
        assert found is not None
        if isinstance(cond, Hidden):
            sliced(lambda ms: expect(found).to_be_hidden(timeout=ms), timeout_ms)
        else:
            sliced(lambda ms: expect(found).to_be_visible(timeout=ms), timeout_ms)
        return True
    except AssertionError:
        return False


# --- what is there instead: the closest candidates of a target that was not found --------

CANDIDATES_JS = """() => {
  const out = [];
  const elements = window.__portalBotCandidates = [];
  const seen = new Set();
  const visible = el => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    const s = getComputedStyle(el);
    return s.visibility !== 'hidden' && s.display !== 'none';
  };
  const kind = el => {
    const role = el.getAttribute('role');
    const tag = el.tagName;
    if (role) return role;
    if (tag === 'A') return el.hasAttribute('href') ? 'link' : 'text';
    const pushes = /^(button|submit|reset)$/.test(el.type);
    if (tag === 'BUTTON' || (tag === 'INPUT' && pushes)) return 'button';
    if (tag === 'INPUT' && /^(checkbox|radio)$/.test(el.type)) return el.type;
    if (tag === 'INPUT' || tag === 'TEXTAREA') return 'textbox';
    if (tag === 'SELECT') return 'combobox';
    if (/^H[1-6]$/.test(tag)) return 'heading';
    if (tag === 'TR') return 'row';
    if (tag === 'TD' || tag === 'TH') return 'cell';
    return 'text';
  };
  const nameOf = el => {
    const t = el.tagName;
    let name = el.getAttribute('aria-label') || '';
    if (!name && el.labels && el.labels.length) name = el.labels[0].textContent;
    if (!name && (t === 'INPUT' || t === 'TEXTAREA')) {
      const pushes = /^(button|submit|reset)$/.test(el.type);
      name = el.placeholder || el.title || (pushes ? el.value : '');
    }
    if (!name && t !== 'SELECT') name = el.innerText || el.textContent || '';
    if (!name) name = el.title || '';
    return name.trim().replace(/\\s+/g, ' ').slice(0, 100);
  };
  const walk = root => {
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) walk(el.shadowRoot);
      const tag = el.tagName;
      const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
      const named = /^(A|BUTTON|INPUT|SELECT|TEXTAREA|H[1-6]|LABEL|TD|TH|LEGEND|CAPTION)$/;
      const interesting = el.hasAttribute('role') || named.test(tag) || own;
      if (!interesting || !visible(el)) continue;
      if (tag === 'INPUT' && el.type === 'hidden') continue;
      const name = nameOf(el);
      if (!name) continue;
      const key = kind(el) + '|' + name;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push([kind(el), name]);
      elements.push(el);
      if (out.length > 400) return;
    }
  };
  walk(document);
  return out;
}"""

KIND_NOUNS = {"text": "el texto", "textbox": "un campo", "combobox": "una lista desplegable",
              "checkbox": "una casilla", "radio": "una opción"}  # fmt: skip


@dataclass(frozen=True)
class Candidate:
    """Something on the page that looks like what was wanted."""

    kind: str
    name: str
    number: int = -1
    """Its place in the page's list of candidates (for :func:`mark_nearest`)."""

    def describe(self) -> str:
        from portal_bot.flow import ROLE_NOUNS

        noun = KIND_NOUNS.get(self.kind) or ROLE_NOUNS.get(self.kind, "un elemento")
        return f"{noun} «{self.name}»"


def closest(
    scope: Scope, target: Target, render: Callable[[str], str] = str, most: int = 3
) -> list[Candidate]:
    """The visible things whose name is closest to what the target wants, best first."""
    wanted = target.wanted
    if not wanted:
        return []
    want = normalize(render(wanted))
    root = scope if isinstance(scope, Locator) else scope.locator(":root")
    try:
        found: Any = root.first.evaluate(CANDIDATES_JS, timeout=2_000)
    except PlaywrightError:
        return []
    scored: list[tuple[float, Candidate]] = []
    for number, (kind, name) in enumerate(found):
        have = normalize(name)
        if not have:
            continue
        score = difflib.SequenceMatcher(None, want, have).ratio()
        if want in have or have in want:
            score = max(score, 0.75 if min(len(want), len(have)) >= 2 else score)
        if score >= 0.6:
            scored.append((score, Candidate(kind, name, number)))
    scored.sort(key=lambda pair: -pair[0])
    return [candidate for _, candidate in scored[:most]]


MARK_NEAREST_JS = """(_, [number, mark]) => {
  document.querySelectorAll('[' + mark + ']').forEach(e => e.removeAttribute(mark));
  const el = (window.__portalBotCandidates || [])[number];
  if (el && number >= 0) el.setAttribute(mark, '');
}"""


def mark_nearest(scope: Scope, candidate: Candidate | None, mark: str) -> None:
    """Outline ``candidate`` (from :func:`closest` on the same page) for the failure's
    picture; with None, clear the outline."""
    root = scope if isinstance(scope, Locator) else scope.locator(":root")
    number = candidate.number if candidate is not None else -1
    try:
        root.first.evaluate(MARK_NEAREST_JS, [number, mark], timeout=2_000)
    except PlaywrightError:
        return
