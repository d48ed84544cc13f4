// portal-bot record: what a person does in a page, told to the recorder as a person
// would tell it ("I clicked «Iniciar sesión»", "I typed in «RUC»"). Installed in every
// document of the recording browser. A password's value never leaves the page: only the
// fact that one was typed.
(() => {
  if (window.__portalBotRecording) return;
  window.__portalBotRecording = true;
  const send = payload => {
    try { return window.__portalBotRecord(payload); } catch (e) { return null; }
  };
  const norm = s => (s || '').replace(/\s+/g, ' ').trim();
  const bare = s => norm(s).replace(/^[\s:*]+|[\s:*]+$/g, '');
  const PANEL = 'portal-bot-panel';
  const inPanel = e => e.composedPath().some(n => n.id === PANEL);
  const visible = el => {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) return false;
    const s = getComputedStyle(el);
    return s.visibility !== 'hidden' && s.display !== 'none';
  };
  const byIds = ids => norm((ids || '').split(/\s+/).map(id => {
    const n = document.getElementById(id);
    return n ? n.textContent : '';
  }).join(' '));
  const CLICKABLE = 'button, a[href], [role=button], [role=link], [role=tab], [role=menuitem],'
    + ' [role=option], [role=treeitem], input[type=submit], input[type=button],'
    + ' input[type=image], summary';
  const FIELD = 'input, select, textarea, [role=textbox], [role=combobox], [role=checkbox],'
    + ' [role=radio], [contenteditable=true]';

  const nameOf = el => {
    let name = el.getAttribute('aria-label') || byIds(el.getAttribute('aria-labelledby'));
    if (!name && el.tagName === 'INPUT') name = el.value || el.alt || '';
    if (!name) name = el.innerText || el.textContent || '';
    // An icon («x», «×») is named by its tooltip, as a person hovering it reads it.
    if (bare(name).length <= 1) name = el.title || (el.querySelector('[title]') || {}).title
      || (el.querySelector('img') || {}).alt || name;
    return bare(name);
  };
  const textBefore = el => {
    for (let node = el; node && node !== document.body; node = node.parentElement) {
      for (let prev = node.previousElementSibling; prev; prev = prev.previousElementSibling) {
        if (prev.matches(FIELD) || prev.querySelector(FIELD)) return '';
        const text = bare(prev.innerText || prev.textContent);
        if (text) return text;
      }
    }
    return '';
  };
  const labelOf = el => {
    let name = el.getAttribute('aria-label') || byIds(el.getAttribute('aria-labelledby'));
    if (!name && el.labels && el.labels.length) {
      const label = el.labels[0].cloneNode(true);
      label.querySelectorAll('input, select, textarea').forEach(n => n.remove());
      name = label.textContent;
    }
    if (!bare(name)) name = el.placeholder || el.title || textBefore(el);
    return bare(name);
  };
  const dialogOf = el => {
    const d = el.closest('[role=dialog], [role=alertdialog], dialog, [aria-modal=true]');
    if (!d) return null;
    let name = d.getAttribute('aria-label') || byIds(d.getAttribute('aria-labelledby'));
    if (!bare(name)) {
      const head = d.querySelector('h1, h2, h3, h4, h5, h6, [role=heading], b, strong, legend');
      name = head ? head.textContent : '';
    }
    if (!bare(name)) {  // an untitled dialog: its first line of text (a Dojo «IMPORTANTE» bar)
      const line = [...d.querySelectorAll('*')].find(n => visible(n)
        && !n.closest(CLICKABLE) && [...n.childNodes].some(c => c.nodeType === 3 && c.textContent.trim()));
      name = line ? line.textContent : '';
    }
    const found = bare(name);
    return found && found.length <= 60 ? found : null;
  };
  const sectionOf = el => {
    for (let node = el; node && node !== document.body; node = node.parentElement) {
      if (node.tagName === 'FIELDSET') {
        const legend = node.querySelector('legend');
        if (legend) return bare(legend.textContent);
      }
      for (let prev = node.previousElementSibling; prev; prev = prev.previousElementSibling) {
        const head = prev.matches('h1,h2,h3,h4,h5,h6,legend,[role=heading]') ? prev
          : prev.querySelector('h1,h2,h3,h4,h5,h6,legend,[role=heading]');
        if (head) return bare(head.textContent);
      }
    }
    return null;
  };
  const same = (selector, name, read) => [...document.querySelectorAll(selector)]
    .filter(n => visible(n) && read(n).toLowerCase() === name.toLowerCase()).length;
  const where = (el, selector, name, read) => {
    if (same(selector, name, read) < 2) return {};
    const dialog = dialogOf(el);
    if (dialog) return {dialog};
    const section = sectionOf(el);
    return section ? {section} : {};
  };
  const dataRow = el => {
    // An ARIA row first: a Dojo grid's row holds a layout table of its own.
    const row = el.closest('[role=row]') || el.closest('tr');
    if (!row) return null;
    const table = row.closest('[role=grid], [role=table], [role=treegrid]') || row.closest('table');
    if (!table) return null;
    const header = table.querySelector('th, [role=columnheader]');
    if (!header || row.querySelector('th, [role=columnheader]')) return null;
    const cells = [...row.querySelectorAll('td, [role=gridcell], [role=cell]')]
      .map(c => bare(c.innerText || c.textContent)).filter(Boolean);
    return cells.length ? cells : null;
  };

  const snapshot = () => {
    const texts = [];
    const seen = new Set();
    for (const el of document.querySelectorAll('body *')) {
      if (texts.length >= 300) break;
      const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
      if (!own || el.closest('#' + PANEL) || !visible(el)) continue;
      if (/^(SCRIPT|STYLE|OPTION|INPUT|TEXTAREA)$/.test(el.tagName)) continue;
      const text = norm(el.innerText || el.textContent);
      if (!text || text.length > 160 || seen.has(text)) continue;
      seen.add(text);
      texts.push(text);
    }
    const rows = [];
    for (const row of document.querySelectorAll('[role=row], tr')) {
      if (!visible(row)) continue;
      const cells = dataRow(row.querySelector('td, [role=gridcell], [role=cell]') || row);
      if (cells) rows.push(cells);
    }
    const fields = [...document.querySelectorAll('input[type=password]')].filter(visible).length;
    return {texts, rows, passwords: fields};
  };
  window.__portalBotSnapshot = snapshot;

  const sent = new WeakMap();
  const report = (el, extra) => send(Object.assign({
    at: Date.now(), url: location.href, before: snapshot(), dialog: dialogOf(el),
  }, extra));
  const fieldEvent = el => {
    if (el.type === 'file') {
      const files = [...el.files].map(f => f.name);
      return {kind: 'upload', field: labelOf(el), files, context: where(el, FIELD, labelOf(el), labelOf)};
    }
    if (el.tagName === 'SELECT') {
      const option = el.selectedOptions[0];
      return {kind: 'select', field: labelOf(el), option: option ? bare(option.text) : '',
        context: where(el, FIELD, labelOf(el), labelOf)};
    }
    const secret = el.type === 'password';
    return {kind: 'fill', field: labelOf(el), secret, value: secret ? null : el.value,
      context: where(el, FIELD, labelOf(el), labelOf)};
  };
  const flush = el => {
    if (!el || !el.matches || !el.matches('input, textarea, select')) return;
    if (/^(checkbox|radio|submit|button|image|hidden)$/.test(el.type)) return;
    const key = el.type === 'password' ? '•' + el.value.length : el.value;
    if (sent.get(el) === key) return;
    sent.set(el, key);
    report(el, fieldEvent(el));
  };

  document.addEventListener('change', e => {
    if (inPanel(e)) return;
    const el = e.composedPath()[0];
    if (el.matches && el.matches('input[type=checkbox], input[type=radio]')) return;
    flush(el);
  }, true);
  document.addEventListener('keydown', e => {
    if (inPanel(e) || e.key !== 'Enter') return;
    const el = e.composedPath()[0];
    if (!el.matches || !el.matches('input')) return;
    flush(el);
    report(el, {kind: 'press', key: 'Enter', field: labelOf(el),
      context: where(el, FIELD, labelOf(el), labelOf)});
  }, true);
  document.addEventListener('click', e => {
    if (inPanel(e) || !e.isTrusted) return;
    flush(document.activeElement);
    const el = e.composedPath()[0];
    if (!el.closest) return;
    const box = el.closest('input[type=checkbox], input[type=radio], [role=checkbox], [role=radio]');
    if (box) {
      // A native box has already changed when its click is dispatched; an ARIA one not yet.
      const checked = box.matches('input') ? box.checked
        : box.getAttribute('aria-checked') !== 'true';
      report(box, {kind: 'check', field: labelOf(box), checked,
        context: where(box, FIELD, labelOf(box), labelOf)});
      return;
    }
    const label = el.closest('label');
    if (label && label.control && /^(checkbox|radio)$/.test(label.control.type)) return;
    if (el.closest('input:not([type=submit]):not([type=button]):not([type=image]), select, textarea')) return;
    const clickable = el.closest(CLICKABLE);
    if (clickable) {
      const name = nameOf(clickable);
      if (name) {
        report(clickable, {kind: 'click', clickable: name, dialog: dialogOf(clickable),
          context: where(clickable, CLICKABLE, name, nameOf)});
        return;
      }
    }
    const cells = dataRow(el);
    if (cells) {
      const cell = el.closest('td, [role=gridcell], [role=cell]');
      const text = cell ? bare(cell.innerText || cell.textContent) : cells[0];
      report(el, {kind: 'click', row: text || cells[0], cells, dialog: dialogOf(el)});
      return;
    }
    const text = bare(el.innerText || el.textContent);
    if (text && text.length <= 80) {
      report(el, {kind: 'click', clickable: text, dialog: dialogOf(el),
        context: where(el, '*', text, n => bare(n.innerText || n.textContent))});
    }
  }, true);

  // The panel: which submissions need a gate, and the end of the recording.
  if (window !== window.top) return;
  const panel = () => {
    if (document.getElementById(PANEL) || !document.body) return;
    const host = document.createElement('div');
    host.id = PANEL;
    host.style.cssText = 'position:fixed;right:12px;bottom:12px;z-index:2147483647;';
    const root = host.attachShadow({mode: 'open'});
    root.innerHTML = '<style>section{font:13px/1.35 sans-serif;background:#12324f;color:#fff;'
      + 'padding:10px 12px;border-radius:8px;max-width:340px;box-shadow:0 4px 14px #0006}'
      + 'h2{font-size:13px;margin:0 0 6px}label{display:block;margin:4px 0}'
      + 'button{margin-top:8px;font:inherit}</style>'
      + '<section aria-label="portal-bot: grabación"><h2>portal-bot · grabando</h2>'
      + '<div id=envios></div><button type=button id=fin>Terminar grabación</button></section>';
    const list = root.getElementById('envios');
    const draw = items => {
      list.innerHTML = items.length ? '<p>Envíos al portal: marque los irreversibles'
        + ' (se pedirá confirmación antes de cada uno).</p>' : '';
      items.forEach((item, index) => {
        const row = document.createElement('label');
        const box = document.createElement('input');
        box.type = 'checkbox';
        box.checked = item.irreversible === true;
        box.addEventListener('change', () => send({kind: 'panel', index, irreversible: box.checked}));
        row.append(box, ' «' + item.name + '» es irreversible');
        list.append(row);
      });
    };
    root.getElementById('fin').addEventListener('click', () => send({kind: 'end'}));
    window.__portalBotPanel = draw;
    document.body.append(host);
    Promise.resolve(send({kind: 'hello'})).then(items => draw(items || []));
  };
  if (document.body) panel(); else document.addEventListener('DOMContentLoaded', panel);
})();
