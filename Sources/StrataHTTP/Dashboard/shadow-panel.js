// The detail view's Shadow card: another version or config of the instance running beside it in
// observe mode. Without a shadow: a form to start one. With one: its status, its widgets, the
// live and the shadow's decisions side by side, and Promote / Remove. Polled every 2 s while the
// view is open; strategy text only ever goes in through textContent.
import { api } from './api.js';
import { h, definitionList, fillRows } from './dom.js';
import { formatJSON, formatNumber, formatTime, shortHash } from './format.js';
import { WidgetBoard } from './widgets.js';
import { badge, confirmAction, toast } from './ui.js';

const POLL_MS = 2000;

function intent(side, quantity, type, price) {
  return [side, quantity, type, price !== undefined && price !== null ? `@ ${price}` : null].filter((p) => p !== null && p !== undefined).join(' ');
}

/** Rows of one side's decisions: [tick, time, what, outcome]. */
function liveRows(orders, signals) {
  const rows = orders.map((o) => ({ seq: o.tick_seq ?? null, at: o.created_at, what: intent(o.side, o.quantity, o.type, o.price), outcome: o.status }))
    .concat(signals.map((s) => ({ seq: s.tick_seq ?? null, at: s.at, what: intent(s.intent?.side, s.intent?.quantity, s.intent?.type, s.intent?.price), outcome: s.reason })));
  return rows.sort((a, b) => (b.at < a.at ? -1 : b.at > a.at ? 1 : 0));
}

function decisionTable(testid, rows, emptyText) {
  const tbody = h('tbody');
  const table = h('table', { class: 'data compact', 'data-testid': testid },
    h('thead', {}, h('tr', {}, ...['Tick', 'Time', 'Decision', 'Outcome'].map((c) => h('th', { scope: 'col', text: c })))), tbody);
  fillRows(tbody, rows.map((r) => [r.seq === null ? '—' : String(r.seq), formatTime(r.at), h('td', { class: 'mono', text: r.what }), r.outcome]), 4, emptyText);
  return table;
}

export function shadowPanel(id, { onPromoted } = {}) {
  let destroyed = false;
  let timer = null;
  let controller = new AbortController();
  let board = null;
  const element = h('div', { class: 'shadow-panel', 'data-testid': 'shadow-panel' });

  function schedule() {
    if (destroyed) return;
    clearTimeout(timer);
    timer = setTimeout(refresh, POLL_MS);
  }

  async function refresh() {
    if (destroyed) return;
    try {
      const shadow = await api.getShadow(id, { signal: controller.signal });
      if (destroyed) return;
      if (shadow.status === 'none') showForm();
      else showShadow(shadow);
    } catch (error) {
      if (destroyed || error.name === 'AbortError') return;
      element.replaceChildren(h('p', { class: 'alert alert-error', role: 'alert', text: `Could not load the shadow: ${error.message}` }));
    }
    schedule();
  }

  // --- no shadow: a form -----------------------------------------------------------------------

  let formShown = false;
  function showForm() {
    board?.destroy();
    board = null;
    if (formShown) return;
    formShown = true;
    const config = h('textarea', { class: 'mono', rows: 3, 'data-testid': 'shadow-config', placeholder: '{"fast": 5}' });
    const source = h('textarea', { class: 'mono', rows: 6, 'data-testid': 'shadow-source', placeholder: 'Leave empty to run the instance’s own version' });
    const error = h('p', { class: 'field-error', role: 'alert', 'data-testid': 'shadow-error' });
    const start = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'shadow-start', text: 'Start shadow' });
    const form = h('form', { class: 'shadow-form fields', 'data-testid': 'shadow-form' },
      h('p', { class: 'muted small', text: 'Run another config or script version beside this instance, in observe mode, from its current state.' }),
      h('label', { class: 'field' }, h('span', { class: 'field-label', text: 'Config changes (JSON object)' }), config),
      h('label', { class: 'field' }, h('span', { class: 'field-label', text: 'Script (optional)' }), source),
      error, start);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      error.textContent = '';
      let changes = {};
      if (config.value.trim() !== '') {
        try { changes = JSON.parse(config.value); } catch { error.textContent = 'The config changes are not valid JSON.'; return; }
        if (changes === null || typeof changes !== 'object' || Array.isArray(changes)) { error.textContent = 'The config changes must be a JSON object.'; return; }
      }
      const body = { config: changes };
      if (source.value.trim() !== '') body.source = source.value;
      start.disabled = true;
      try {
        await api.setShadow(id, body, { signal: controller.signal });
        formShown = false;
        toast('Shadow started.', 'ok');
        refresh();
      } catch (failure) {
        if (failure.name !== 'AbortError') error.textContent = failure.message;
      } finally {
        start.disabled = false;
      }
    });
    element.replaceChildren(form);
  }

  // --- a shadow: beside the instance -----------------------------------------------------------

  let parts = null;
  function showShadow(shadow) {
    formShown = false;
    if (!parts) {
      parts = {
        status: h('span', { 'data-testid': 'shadow-status' }),
        props: h('div'),
        error: h('p', { class: 'alert alert-error', role: 'alert', hidden: true, 'data-testid': 'shadow-failure' }),
        widgets: h('div', { class: 'widgets', 'data-testid': 'shadow-widgets' }),
        live: h('div', { class: 'table-wrap' }),
        mine: h('div', { class: 'table-wrap' }),
      };
      const promote = h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'shadow-promote', text: 'Promote' });
      const remove = h('button', { type: 'button', class: 'btn', 'data-testid': 'shadow-remove', text: 'Remove' });
      promote.addEventListener('click', promoteShadow);
      remove.addEventListener('click', removeShadow);
      board = new WidgetBoard(parts.widgets);
      element.replaceChildren(
        h('div', { class: 'page-head' }, parts.status, h('div', { class: 'card-actions' }, promote, remove)),
        parts.props, parts.error, parts.widgets,
        h('div', { class: 'grid-2' },
          h('div', {}, h('h3', { text: 'Live decisions' }), parts.live),
          h('div', {}, h('h3', { text: 'Shadow decisions (would-be orders)' }), parts.mine)));
    }
    parts.status.replaceChildren(badge('state', shadow.status, 'shadow-state'));
    parts.props.replaceChildren(definitionList([
      ['Version', shadow.version ? shortHash(shadow.version) : 'the instance’s version'],
      ['Config', h('span', { class: 'mono', text: formatJSON(shadow.config) })],
      ['Ticks', formatNumber(shadow.ticks)],
      ['Since', formatTime(shadow.created_at)],
    ], { testid: 'shadow-props' }));
    const failure = shadow.error ?? shadow.render_error;
    parts.error.hidden = !failure;
    parts.error.textContent = failure ? `${failure.kind}: ${failure.message}` : '';
    board.update(shadow.widgets ?? []);
    parts.live.replaceChildren(decisionTable('shadow-live-decisions', liveRows(shadow.live_orders ?? [], shadow.live_signals ?? []), 'No live decisions yet.'));
    parts.mine.replaceChildren(decisionTable('shadow-decisions', liveRows([], shadow.shadow_signals ?? []), 'No shadow decisions yet.'));
  }

  async function promoteShadow() {
    const ok = await confirmAction({
      title: 'Promote the shadow?',
      message: 'Its config (and its script, for every instance of this type) becomes the instance’s, and the instance continues from the shadow’s state.',
      confirmLabel: 'Promote',
    });
    if (!ok || destroyed) return;
    try {
      await api.promoteShadow(id, { signal: controller.signal });
      toast('Shadow promoted.', 'ok');
      parts = null;
      onPromoted?.();
      refresh();
    } catch (error) {
      if (error.name !== 'AbortError') toast(`Could not promote: ${error.message}`, 'error');
    }
  }

  async function removeShadow() {
    try {
      await api.removeShadow(id, { signal: controller.signal });
      parts = null;
      board?.destroy();
      board = null;
      refresh();
    } catch (error) {
      if (error.name !== 'AbortError') toast(`Could not remove the shadow: ${error.message}`, 'error');
    }
  }

  refresh();
  return {
    element,
    destroy() {
      destroyed = true;
      clearTimeout(timer);
      controller.abort();
      controller = null;
      board?.destroy();
    },
  };
}
