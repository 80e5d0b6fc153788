// "Why": what led an instance to an order or a signal — the market's ticks up to the tick it
// names (that tick highlighted), the instance's saved state as of a snapshot at or before it (a
// collapsible tree), and its log lines around that time. Everything strategy-supplied goes in
// as text (h() and textContent only).
import { api } from './api.js';
import { h, card, definitionList, fillRows } from './dom.js';
import { formatBytes, formatNumber, formatTime, shortHash } from './format.js';
import { badge } from './ui.js';

const TICK_COLUMNS = ['Seq', 'Time', 'Price', 'Bid', 'Ask', 'Volume'];
// Levels of the state tree open at first.
const OPEN_LEVELS = 2;

function num(value) {
  return h('td', { class: 'num', text: typeof value === 'number' ? formatNumber(value) : '—' });
}

/** A JSON value as a tree of <details>: objects and arrays fold, leaves show their JSON text. */
export function jsonTree(value, key = null, depth = 0) {
  const label = key === null ? null : h('span', { class: 'json-key', text: key });
  if (value !== null && typeof value === 'object') {
    const isArray = Array.isArray(value);
    // Lua arrays count from 1.
    const entries = isArray ? value.map((v, i) => [String(i + 1), v]) : Object.entries(value).sort(([a], [b]) => a.localeCompare(b));
    const meta = h('span', { class: 'json-meta', text: isArray ? `[${entries.length}]` : `{${entries.length}}` });
    const list = h('ul', { class: 'json-children' }, entries.map(([k, v]) => h('li', {}, jsonTree(v, k, depth + 1))));
    return h('details', { class: 'json-node', open: depth < OPEN_LEVELS }, h('summary', {}, label, meta), list);
  }
  const kind = value === null ? 'null' : typeof value;
  return h('span', { class: 'json-leaf' }, label, h('span', { class: `json-value json-${kind}`, text: JSON.stringify(value) ?? String(value) }));
}

/** The why panel: hidden until show(); returns { element, show(instanceId, seq, what), hide(), destroy() }. */
export function whyPanel() {
  const view = card('Why', { id: 'why', testid: 'why-panel' });
  view.section.hidden = true;
  const title = view.section.querySelector('h2');
  const close = h('button', { type: 'button', class: 'btn btn-small btn-quiet', 'data-testid': 'why-close', text: 'Close' });
  view.actions.append(close);
  let controller = null;

  function hide() {
    controller?.abort();
    view.section.hidden = true;
  }
  close.addEventListener('click', hide);

  function ticksTable(ticks, seq) {
    const newestFirst = [...ticks].reverse();
    const tbody = h('tbody');
    const rows = newestFirst.map((t) => [h('td', { class: 'num', text: String(t.seq) }), h('td', { class: 'nowrap', text: formatTime(t.ts) }),
      num(t.price), num(t.bid), num(t.ask), num(t.volume)]);
    fillRows(tbody, rows, TICK_COLUMNS.length, 'No journaled ticks up to this one (the journal keeps only so many).');
    newestFirst.forEach((t, i) => {
      if (t.seq !== seq) return;
      tbody.rows[i].classList.add('why-hit');
      tbody.rows[i].setAttribute('aria-current', 'true');
    });
    return h('div', { class: 'table-wrap tall' }, h('table', { class: 'data compact', 'data-testid': 'why-ticks' },
      h('caption', { class: 'visually-hidden', text: 'Ticks up to the order’s, newest first' }),
      h('thead', {}, h('tr', {}, TICK_COLUMNS.map((c) => h('th', { scope: 'col', text: c })))), tbody));
  }

  function stateView(snapshot) {
    if (!snapshot) return h('p', { class: 'muted', 'data-testid': 'why-no-snapshot', text: 'No snapshot was taken at or before this tick.' });
    const parts = [definitionList([
      ['Taken', `${formatTime(snapshot.taken_at)} (${snapshot.reason}) after tick ${snapshot.tick_seq}`],
      ['Script version', h('span', { class: 'mono', title: snapshot.version, text: shortHash(snapshot.version) })],
      ['Size', formatBytes(snapshot.bytes)],
    ], { testid: 'why-snapshot' })];
    if (snapshot.state_error) {
      parts.push(h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'why-state-error', text: `The saved state cannot be shown: ${snapshot.state_error}` }));
    } else {
      if (snapshot.state_truncated) parts.push(h('p', { class: 'muted small', text: 'Shown in part: the state is larger or deeper than the view shows.' }));
      parts.push(h('div', { class: 'json-tree', 'data-testid': 'why-state' }, jsonTree(snapshot.state)));
    }
    return h('div', {}, parts);
  }

  function logsView(logs) {
    if (logs.length === 0) return h('p', { class: 'muted', 'data-testid': 'why-logs', text: 'No log lines within a minute of this tick.' });
    return h('div', { class: 'log-lines', tabindex: '0', role: 'log', 'data-testid': 'why-logs' },
      logs.map((l) => h('div', { class: 'log-line' }, h('span', { class: 'muted', text: `${formatTime(l.at)} ` }), badge('level', l.level), ` ${l.message}`)));
  }

  async function show(instanceId, seq, what) {
    controller?.abort();
    controller = new AbortController();
    const { signal } = controller;
    title.textContent = `Why: ${what} at tick ${seq}`;
    view.section.hidden = false;
    view.body.replaceChildren(h('p', { class: 'muted', text: 'Loading…' }));
    view.section.scrollIntoView({ block: 'nearest' });
    try {
      const why = await api.why(instanceId, seq, { signal });
      view.body.replaceChildren(
        h('div', { class: 'grid-2' },
          h('div', {}, h('h3', { text: `Ticks of ${why.market}, newest first` }), ticksTable(why.ticks, why.seq)),
          h('div', {}, h('h3', { text: 'Saved state' }), stateView(why.snapshot))),
        h('h3', { class: 'why-logs-title', text: 'Log lines around it' }),
        logsView(why.logs));
    } catch (error) {
      if (error.name === 'AbortError') return;
      view.body.replaceChildren(h('div', { class: 'alert alert-error', role: 'alert', text: `Could not load: ${error.message}` }));
    }
  }

  return { element: view.section, show, hide, destroy: () => controller?.abort() };
}
