// The Performance panel, drawn by the engine whatever the script renders: for an instance or an
// account, the equity and drawdown charts of a window (24 h, 7 d, 30 d, all), the window's
// metrics (GET …/performance), and its round trips; an account adds its PnL by instance and by
// market. It polls while the page is visible and the panel on screen, one round at a time, and
// stops for good on destroy(). Everything the server sends goes in as text.
import { api } from './api.js';
import { h, definitionList, fillRows, setText } from './dom.js';
import { formatCount, formatMoney, formatNumber, formatPercent, formatTime, signClass } from './format.js';
import { drawdownXY, equityXY, timeLineChart } from './equity-chart.js';

const POLL_MS = 5000;
const MAX_POINTS = 1000;
const TRIP_ROWS = 100;
export const WINDOWS = [
  { key: '24h', label: '24 h', seconds: 86400 },
  { key: '7d', label: '7 d', seconds: 7 * 86400 },
  { key: '30d', label: '30 d', seconds: 30 * 86400 },
  { key: 'all', label: 'All', seconds: null },
];

function list(value) {
  return Array.isArray(value) ? value : [];
}

/**
 * @param {'instance'|'account'} scope
 * @param {string} name  the instance's id or the account's name
 * @param {{ window?: string }} options  the window shown first (default 7d)
 */
export function performancePanel(scope, name, { window: initial = '7d' } = {}) {
  let destroyed = false;
  let timer = null;
  let round = null;
  let onScreen = true;
  let current = WINDOWS.find((w) => w.key === initial) ?? WINDOWS[1];
  const controller = new AbortController();
  const prefix = scope === 'instance' ? 'perf' : 'account-perf';

  const buttons = WINDOWS.map((w) => h('button', {
    type: 'button', class: 'seg seg-window', 'aria-pressed': String(w === current), 'data-testid': `${prefix}-window-${w.key}`, text: w.label,
    on: { click: () => choose(w) },
  }));
  const chooser = h('div', { class: 'segmented', role: 'group', 'aria-label': 'Window' }, buttons);
  const caption = h('p', { class: 'muted small', 'data-testid': `${prefix}-caption` });
  const failure = h('p', { class: 'alert alert-error', role: 'alert', hidden: true, 'data-testid': `${prefix}-error` });
  const empty = h('p', { class: 'alert alert-info', hidden: true, 'data-testid': `${prefix}-empty` });
  const metrics = h('div', { 'data-testid': `${prefix}-metrics` });
  const equity = timeLineChart({ label: 'Equity', color: '#2563eb', testid: `${prefix}-equity-chart` });
  const drawdown = timeLineChart({ label: 'Drawdown', color: '#dc2626', testid: `${prefix}-drawdown-chart`, fill: true, unit: ' %' });
  const charts = h('div', { class: 'grid-2 perf-charts', hidden: true },
    h('div', {}, h('h3', { text: 'Equity' }), equity.element),
    h('div', {}, h('h3', { text: 'Drawdown' }), drawdown.element));

  const tripsBody = h('tbody');
  const tripsNote = h('p', { class: 'muted small', 'data-testid': `${prefix}-trips-note` });
  const trips = h('div', { hidden: true },
    h('h3', { class: 'subhead', text: 'Round trips' }), tripsNote,
    h('div', { class: 'table-wrap tall' }, h('table', { class: 'data compact', 'data-testid': `${prefix}-trips` },
      h('thead', {}, h('tr', {}, [...(scope === 'account' ? ['Instance'] : []), 'Side', 'Entry', 'Entry price', 'Exit', 'Exit price', 'Qty', 'PnL', 'Fees']
        .map((c, i, all) => h('th', { scope: 'col', class: i >= all.length - 3 ? 'num' : null, text: c })))),
      tripsBody)));

  const byInstanceBody = h('tbody');
  const byMarketBody = h('tbody');
  const breakdown = scope === 'account'
    ? h('div', { class: 'grid-2 perf-breakdown', hidden: true },
      h('div', {}, h('h3', { class: 'subhead', text: 'PnL by instance' }),
        h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', 'data-testid': `${prefix}-by-instance` },
          h('thead', {}, h('tr', {}, ['Instance', 'PnL', 'Fees', 'Trades'].map((c, i) => h('th', { scope: 'col', class: i > 0 ? 'num' : null, text: c })))),
          byInstanceBody))),
      h('div', {}, h('h3', { class: 'subhead', text: 'PnL by market' }),
        h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', 'data-testid': `${prefix}-by-market` },
          h('thead', {}, h('tr', {}, ['Market', 'PnL', 'Fees', 'Trades'].map((c, i) => h('th', { scope: 'col', class: i > 0 ? 'num' : null, text: c })))),
          byMarketBody))))
    : null;

  const element = h('div', { class: 'perf-panel', 'data-testid': `${prefix}-panel`, dataset: { window: current.key } },
    h('div', { class: 'perf-head' }, chooser, caption), failure, empty, metrics, charts, breakdown, trips);

  // Polls only while the panel is on screen: a long detail page scrolled elsewhere costs nothing.
  const observer = typeof IntersectionObserver === 'function'
    ? new IntersectionObserver((entries) => {
      const was = onScreen;
      onScreen = entries.some((e) => e.isIntersecting);
      if (onScreen && !was && !round) load();
    })
    : null;
  observer?.observe(element);

  function choose(w) {
    if (w === current) return;
    current = w;
    element.dataset.window = w.key;
    buttons.forEach((b, i) => b.setAttribute('aria-pressed', String(WINDOWS[i] === w)));
    load();
  }

  function range() {
    if (current.seconds === null) return {};
    const to = Math.floor(Date.now() / 1000);
    return { from: to - current.seconds, to };
  }

  async function load() {
    clearTimeout(timer);
    round?.abort();
    const mine = new AbortController();
    round = mine;
    const signal = AbortSignal.any([controller.signal, mine.signal]);
    const shown = current;
    try {
      const span = range();
      const [series, performance] = scope === 'instance'
        ? await Promise.all([api.instanceEquity(name, { ...span, maxPoints: MAX_POINTS }, { signal }), api.instancePerformance(name, span, { signal })])
        : await Promise.all([api.accountEquity(name, { ...span, maxPoints: MAX_POINTS }, { signal }), api.accountPerformance(name, span, { signal })]);
      if (destroyed || mine.signal.aborted) return;
      failure.hidden = true;
      show(series, performance, shown);
      // What the test waits for: the window whose data is drawn.
      element.dataset.shown = shown.key;
    } catch (error) {
      if (destroyed || error.name === 'AbortError') return;
      failure.textContent = `Could not load the performance: ${error.message}`;
      failure.hidden = false;
    } finally {
      if (round === mine) round = null;
    }
    if (!destroyed && round === null) timer = setTimeout(poll, POLL_MS);
  }

  function poll() {
    if (document.hidden || !onScreen) { timer = setTimeout(poll, POLL_MS); return; }
    load();
  }

  function show(series, performance, shown) {
    const xy = equityXY(series?.points);
    const m = performance?.metrics ?? {};
    setText(caption, xy.length
      ? `${formatTime(xy[0].x * 1000)} – ${formatTime(xy[xy.length - 1].x * 1000)} UTC · ${formatCount(xy.length)} points`
      : '');
    const none = xy.length === 0;
    empty.hidden = !none;
    setText(empty, none
      ? (shown.seconds === null ? 'No history yet: equity is recorded once the instance runs on live ticks.' : `No history in the last ${shown.label}.`)
      : '');
    charts.hidden = none;
    if (!none) {
      equity.update(xy);
      drawdown.update(drawdownXY(xy));
    }
    metrics.replaceChildren(definitionList([
      ['Return', h('span', { class: signClass(m.return_pct), text: formatPercent(m.return_pct) }), 'return'],
      ['Max drawdown', formatPercent(m.max_drawdown_pct), 'max-drawdown'],
      ['Sharpe', formatNumber(m.sharpe ?? null), 'sharpe'],
      ['Win rate', formatPercent(m.win_rate_pct), 'win-rate'],
      ['Exposure', formatPercent(m.exposure_pct), 'exposure'],
      ['Fees', formatNumber(m.fees_paid ?? null), 'fees'],
      ['Trades', `${formatCount(m.trades)} (${formatCount(m.closed_trades)} closed, ${formatCount(m.open_trades)} open)`, 'trades'],
      ['Equity', `${formatNumber(m.start_equity ?? null)} → ${formatNumber(m.final_equity ?? null)}`, 'equity'],
    ], { testid: `${prefix}-metric-list` }));
    metrics.classList.add('perf-metrics');

    trips.hidden = false;
    const all = list(performance?.round_trips);
    setText(tripsNote, all.length > TRIP_ROWS ? `The newest ${TRIP_ROWS} of ${formatCount(all.length)} round trips.` : '');
    fillRows(tripsBody, all.slice(-TRIP_ROWS).reverse().map((t) => [
      ...(scope === 'account'
        ? [h('a', { href: `#/instances/${encodeURIComponent(String(t.instance_id ?? ''))}`, class: 'mono', text: String(t.instance_id ?? '') })]
        : []),
      t.side, formatTime(t.entry_time), formatNumber(t.entry_price ?? null),
      t.exit_time ? formatTime(t.exit_time) : 'open', formatNumber(t.exit_price ?? null),
      h('td', { class: 'num', text: formatNumber(t.qty ?? null) }),
      h('td', { class: signClass(t.pnl), text: t.pnl === null || t.pnl === undefined ? '—' : formatMoney(t.pnl) }),
      h('td', { class: 'num', text: formatNumber(t.fees ?? null) }),
    ]), scope === 'account' ? 9 : 8, 'No round trips in this window.');

    if (breakdown) {
      breakdown.hidden = false;
      fillRows(byInstanceBody, list(performance?.by_instance).map((r) => [
        h('a', { href: `#/instances/${encodeURIComponent(String(r.id))}`, class: 'mono', text: String(r.id) }),
        h('td', { class: signClass(r.pnl), text: formatMoney(r.pnl) }),
        h('td', { class: 'num', text: formatNumber(r.fees ?? null) }), h('td', { class: 'num', text: formatCount(r.trades) }),
      ]), 4, 'No round trips closed in this window.');
      fillRows(byMarketBody, list(performance?.by_market).map((r) => [
        String(r.market), h('td', { class: signClass(r.pnl), text: formatMoney(r.pnl) }),
        h('td', { class: 'num', text: formatNumber(r.fees ?? null) }), h('td', { class: 'num', text: formatCount(r.trades) }),
      ]), 4, 'No round trips closed in this window.');
    }
  }

  load();
  return {
    element,
    refresh: load,
    destroy() {
      destroyed = true;
      clearTimeout(timer);
      controller.abort();
      observer?.disconnect();
      equity.destroy();
      drawdown.destroy();
    },
  };
}
