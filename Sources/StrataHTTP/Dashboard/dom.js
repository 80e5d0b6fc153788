// Small DOM helpers. Every piece of text goes in as a Text node or through textContent: nothing
// here (or anywhere in the dashboard) parses HTML, so strategy-supplied strings stay inert.

/**
 * Creates an element.
 * props: `class`, `text` (textContent), `dataset` (object), `on` (object of event listeners),
 * `hidden`/`disabled`/... (boolean properties), anything else becomes an attribute.
 * children: nodes, strings (appended as text), arrays of those; null/false are skipped.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'on') for (const [type, fn] of Object.entries(value)) el.addEventListener(type, fn);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

/** Appends children (nodes, strings as text, nested arrays); skips null, undefined and false. */
export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : String(child));
  }
  return parent;
}

/** Sets textContent only when it changed (keeps selection and avoids needless layout). */
export function setText(el, text) {
  const value = text === null || text === undefined ? '' : String(text);
  if (el.textContent !== value) el.textContent = value;
}

/** A card section with a heading; returns { section, body, actions }. */
export function card(title, { id, testid, headingLevel = 2, extraClass = '' } = {}) {
  const headingId = id ? `${id}-title` : undefined;
  const actions = h('div', { class: 'card-actions' });
  const body = h('div', { class: 'card-body' });
  const section = h('section', { class: `card ${extraClass}`.trim(), id, 'aria-labelledby': headingId, 'data-testid': testid },
    h('div', { class: 'card-head' }, h(`h${headingLevel}`, { id: headingId, text: title }), actions),
    body);
  return { section, body, actions };
}

/** A definition list from [term, value] pairs; a value may be a node or text. */
export function definitionList(pairs, { testid } = {}) {
  const dl = h('dl', { class: 'props', 'data-testid': testid });
  for (const [term, value, key] of pairs) {
    dl.append(h('dt', { text: term }), h('dd', { dataset: key ? { key } : {} }, value ?? '—'));
  }
  return dl;
}

/** Replaces a tbody's rows; `emptyText` shows as one spanning row when there are none. */
export function fillRows(tbody, rows, columnCount, emptyText) {
  if (rows.length === 0) {
    tbody.replaceChildren(h('tr', { class: 'empty' }, h('td', { colspan: columnCount, text: emptyText })));
  } else {
    tbody.replaceChildren(...rows.map((cells) => h('tr', {}, cells.map((c) => (c instanceof Node && c.nodeName === 'TD' ? c : h('td', {}, c))))));
  }
}
