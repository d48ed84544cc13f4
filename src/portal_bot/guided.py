"""``--guided``: the person acts; the tool points, explains and waits.

For every action step the target is outlined and a bubble with the step's instruction is
placed next to it (below, or above when there is no room; never over it, and it lets
clicks through). The run goes on when the person has done it: the step's ``until``
holds, the click was registered or led somewhere, the field's value changed, the box has
the wanted state. The bubble is removed before the step's screenshot: the evidence shows
the page, with the element outlined, not the tool's overlay.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import ElementHandle, FrameLocator, Locator, Page, expect
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from portal_bot.actions import ActionFailed, Session, act, pin, target_of, watch_page
from portal_bot.flow import ActionBase, Check, Click, Fill, Press, Select, Upload

MARK = "data-portal-bot-guia"
BUBBLE_ID = "portal-bot-burbuja"
DONE = "data-portal-bot-hecho"
HUMAN_MS = 600_000
"""How long a person may take over one step, unless --step-timeout says otherwise."""

SHOW = """(el, args) => {
  const [text, bubbleId, mark, done, number] = args;
  document.getElementById(bubbleId)?.remove();
  el.setAttribute(mark, '');
  el.addEventListener('click', () => el.setAttribute(done, ''), {once: true, capture: true});
  el.scrollIntoView({block: 'center', inline: 'nearest'});
  const r = el.getBoundingClientRect();
  const b = document.createElement('div');
  b.id = bubbleId;
  b.setAttribute('role', 'status');
  b.dataset.paso = String(number);
  b.textContent = text;
  b.style.cssText = 'position:absolute;z-index:2147483647;max-width:320px;padding:10px 14px;' +
    'background:#12324f;color:#fff;font:600 14px/1.35 sans-serif;border-radius:8px;' +
    'box-shadow:0 4px 14px rgba(0,0,0,.35);pointer-events:none;';
  document.body.appendChild(b);
  const below = r.bottom + 12 + b.offsetHeight < window.innerHeight;
  const top = below ? r.bottom + 12 : Math.max(4, r.top - 12 - b.offsetHeight);
  const left = Math.min(Math.max(4, r.left), window.innerWidth - b.offsetWidth - 4);
  b.style.top = (top + window.scrollY) + 'px';
  b.style.left = (left + window.scrollX) + 'px';
  const style = document.createElement('style');
  style.id = bubbleId + '-estilo';
  style.textContent = '[' + mark + ']{outline:3px solid #e4002b !important;outline-offset:2px}';
  document.head.appendChild(style);
}"""

USED = "([el, done]) => !el.isConnected || el.hasAttribute(done)"

HIDE = """(els, args) => {
  const [bubbleId, mark, done] = args;
  document.getElementById(bubbleId)?.remove();
  document.getElementById(bubbleId + '-estilo')?.remove();
  for (const el of document.querySelectorAll('[' + mark + ']')) {
    el.removeAttribute(mark);
    el.removeAttribute(done);
  }
}"""


def perform(session: Session, step: ActionBase, instruction: str, number: int) -> None:
    """Let the person do ``step``; return once it is done (or raise on a failure sign)."""
    target = session.find(target_of(step), session.timeout(step))
    timeout = step.timeout_ms or (session.timeout_cap or HUMAN_MS)
    step = step.model_copy(update={"timeout_ms": timeout})
    scope = session.scope
    # What the person changes is read before the bubble shows: a person may act the
    # moment it appears, and be done before this process looks again.
    pinned = pin(session, timeout)
    value = target.input_value() if isinstance(step, Fill | Select) else ""
    _show(target, instruction, number)
    try:
        if isinstance(step, Click) and (step.new_window or step.download):
            _click_elsewhere(session, step, target, timeout)
            return
        _wait_for_person(step, target, pinned, timeout, instruction, value)
        if step.until is not None:
            # The bubble stays until the page shows the step worked: a page that ignored
            # the first click (late handlers) gets clicked again by the person, not by us.
            act(session, step.model_copy(update={"irreversible": True}), lambda: None, pinned)
    finally:
        _hide(scope)


def _wait_for_person(
    step: ActionBase,
    target: Locator,
    pinned: ElementHandle | None,
    timeout: int,
    instruction: str,
    value: str,
) -> None:
    try:
        if isinstance(step, Fill | Select):
            expect(target).not_to_have_value(value, timeout=timeout)
        elif isinstance(step, Check):
            if step.checked:
                expect(target).to_be_checked(timeout=timeout)
            else:
                expect(target).not_to_be_checked(timeout=timeout)
        elif step.until is not None:
            return  # the caller waits for ``until`` (and watches ``fail_if``)
        elif isinstance(step, Click | Press | Upload):
            _wait_for_use(pinned, timeout)
    except AssertionError:
        raise ActionFailed(f"la persona no completó «{instruction}» a tiempo") from None
    except PlaywrightError:
        return  # the page moved on (a navigation took the element away): it was done


def _wait_for_use(pinned: ElementHandle | None, timeout: int) -> None:
    """Until the element was clicked, or left its page: a link's new page may come
    before anyone looks again, and the element is then gone with its document."""
    frame = pinned.owner_frame() if pinned is not None else None
    if frame is None:
        return  # it is already gone
    try:
        frame.wait_for_function(USED, arg=[pinned, DONE], timeout=timeout)
    except PlaywrightTimeoutError:
        raise AssertionError from None


def _click_elsewhere(session: Session, step: Click, target: Locator, timeout: int) -> None:
    if step.new_window:
        with session.context.expect_page(timeout=timeout) as info:
            pass
        page = info.value
        page.wait_for_load_state("domcontentloaded")
        watch_page(session, page)
        session.page = page
        session.frames.clear()
        return
    with session.page.expect_download(timeout=timeout) as download:
        pass
    saved = download.value
    assert step.download is not None
    session.keep(step.download, saved.suggested_filename, Path(saved.path()).read_bytes())


def _show(target: Locator, text: str, number: int) -> None:
    target.evaluate(SHOW, [text, BUBBLE_ID, MARK, DONE, number])


def _hide(scope: Page | FrameLocator) -> None:
    """Remove the bubble through its document, whether or not the element is still there."""
    try:
        scope.locator("html").evaluate_all(HIDE, [BUBBLE_ID, MARK, DONE])
    except PlaywrightError:
        return  # the document is gone (the page navigated away)
