// The detail view's history tabs: orders, signals, logs and the audit log, newest first. An
// order or signal that names its tick gets a "why" button that opens the why panel (why.js).
import { api } from './api.js';
import { h, fillRows } from './dom.js';
import { formatJSON, formatNumber, formatTime } from './format.js';
import { badge } from './ui.js';
import { whyPanel } from './why.js';

function num(value) {
  return h('td', { class: 'num', text: typeof value === 'number' ? formatNumber(value) : '—' });
}

function time(iso) {
  return h('td', { class: 'nowrap', text: formatTime(iso) });
}

/** The "why" cell: a button when the row names its tick (`why(seq, what)` opens the panel). */
function whyCell(seq, what, why) {
  if (typeof seq !== 'number') return h('td', { class: 'muted', text: '—' });
  const button = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'why-button', dataset: { seq: String(seq) },
    'aria-label': `Why this ${what} (tick ${seq})`, text: 'why' });
  button.addEventListener('click', () => why(seq, what));
  return h('td', {}, button);
}

function intentSummary(intent) {
  if (!intent || typeof intent !== 'object') return formatJSON(intent);
  const { side, qty, quantity, type, price, tag, ...rest } = intent;
  const parts = [side, qty ?? quantity, type, price !== undefined && price !== null ? `@ ${price}` : null,
    tag !== undefined && tag !== null ? `tag ${tag}` : null]
    .filter((p) => p !== undefined && p !== null).map(String);
  if (Object.keys(rest).length > 0) parts.push(formatJSON(rest));
  return parts.join(' ');
}

const TABS = [
  {
    key: 'orders', label: 'Orders',
    columns: ['Time', 'Side', 'Type', 'Qty', 'Price', 'Status', 'Filled', 'Avg price', 'Fee', 'Tag', 'Reason', 'Why'],
    fetch: (id, signal) => api.orders(id, 50, { signal }).then((r) => r.orders),
    row: (o, why) => [time(o.created_at), h('td', { class: `side-${o.side === 'buy' ? 'buy' : 'sell'}`, text: o.side }), o.type, num(o.quantity), num(o.price),
      h('td', {}, badge('order', o.status)), num(o.filled_quantity), num(o.average_price), num(o.fee), o.tag ?? '', o.reason ?? '',
      whyCell(o.tick_seq, 'order', why)],
    empty: 'No orders yet.',
  },
  {
    key: 'signals', label: 'Signals',
    columns: ['Time', 'Intent', 'Reason', 'Why'],
    fetch: (id, signal) => api.signals(id, 50, { signal }).then((r) => r.signals),
    row: (s, why) => [time(s.at), h('td', { class: 'mono', text: intentSummary(s.intent) }), s.reason, whyCell(s.tick_seq, 'signal', why)],
    empty: 'No signals: orders denied in observe mode show here.',
  },
  {
    key: 'logs', label: 'Logs',
    columns: ['Time', 'Level', 'Message'],
    fetch: (id, signal) => api.logs(id, 100, { signal }).then((r) => r.logs),
    row: (l) => [time(l.at), h('td', {}, badge('level', l.level)), h('td', { class: 'mono wrap', text: l.message })],
    empty: 'No log lines yet.',
  },
  {
    key: 'audit', label: 'Audit',
    columns: ['Time', 'Actor', 'Change', 'Old', 'New'],
    fetch: (id, signal) => api.audit(id, { signal }).then((r) => r.audit),
    row: (a) => [time(a.at), a.actor, a.field, h('td', { class: 'mono wrap', text: formatJSON(a.old ?? '') }), h('td', { class: 'mono wrap', text: formatJSON(a.new) })],
    empty: 'No changes recorded.',
  },
];

/**
 * Builds the tabbed activity panel; returns { element, why, refresh(key), refreshAll(), destroy() }
 * where `why` is the why panel's element, for the page to place.
 */
export function activityPanel(instanceId) {
  const controller = new AbortController();
  const why = whyPanel();
  const openWhy = (seq, what) => why.show(instanceId, seq, what);
  const tablist = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Activity' });
  const panels = h('div', { class: 'tab-panels' });
  const entries = new Map();
  const inFlight = new Set();
  const scheduled = new Map();

  TABS.forEach((tab, i) => {
    const tabId = `tab-${tab.key}`;
    const panelId = `panel-${tab.key}`;
    const count = h('span', { class: 'tab-count' });
    const button = h('button', { type: 'button', role: 'tab', id: tabId, 'aria-controls': panelId, 'aria-selected': i === 0 ? 'true' : 'false', tabindex: i === 0 ? '0' : '-1', 'data-testid': tabId }, tab.label, count);
    const tbody = h('tbody');
    const table = h('table', { class: 'data compact', 'data-testid': `${tab.key}-table` },
      h('thead', {}, h('tr', {}, tab.columns.map((c) => h('th', { scope: 'col', text: c })))),
      tbody);
    fillRows(tbody, [], tab.columns.length, 'Loading…');
    const panel = h('div', { role: 'tabpanel', id: panelId, 'aria-labelledby': tabId, hidden: i !== 0, class: 'tab-panel' }, h('div', { class: 'table-wrap tall' }, table));
    button.addEventListener('click', () => select(tab.key));
    button.addEventListener('keydown', (event) => {
      const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
      if (!step) return;
      const next = TABS[(i + step + TABS.length) % TABS.length].key;
      select(next);
      entries.get(next).button.focus();
    });
    tablist.append(button);
    panels.append(panel);
    entries.set(tab.key, { tab, button, panel, tbody, count });
  });

  function select(key) {
    for (const [k, e] of entries) {
      const on = k === key;
      e.button.setAttribute('aria-selected', on ? 'true' : 'false');
      e.button.tabIndex = on ? 0 : -1;
      e.panel.hidden = !on;
    }
  }

  async function refresh(key) {
    if (inFlight.has(key) || controller.signal.aborted) return;
    const e = entries.get(key);
    inFlight.add(key);
    try {
      const items = await e.tab.fetch(instanceId, controller.signal);
      fillRows(e.tbody, items.map((item) => e.tab.row(item, openWhy)), e.tab.columns.length, e.tab.empty);
      e.count.textContent = items.length ? String(items.length) : '';
    } catch (error) {
      if (error.name !== 'AbortError') fillRows(e.tbody, [], e.tab.columns.length, `Could not load: ${error.message}`);
    } finally {
      inFlight.delete(key);
    }
  }

  return {
    element: h('div', { class: 'activity' }, tablist, panels),
    why: why.element,
    refresh,
    /** Refreshes one table soon, at most once per `delay` however many events arrive. */
    soon(key, delay = 500) {
      if (scheduled.has(key)) return;
      scheduled.set(key, setTimeout(() => { scheduled.delete(key); refresh(key); }, delay));
    },
    refreshAll() { for (const tab of TABS) refresh(tab.key); },
    destroy() {
      controller.abort();
      why.destroy();
      for (const t of scheduled.values()) clearTimeout(t);
      scheduled.clear();
    },
  };
}
