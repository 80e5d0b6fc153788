// The detail view's Backtest card: run the instance's current version and config over a data
// file of the server (cash, fees), follow it (polled while it runs, with a Cancel button), then
// show its metrics, equity chart and trades, with a link to the full report; earlier backtests
// of the instance are listed below (click one to show it). Text goes in through textContent only.
import { api, backtestReportURL } from './api.js';
import { h, definitionList, fillRows, setText } from './dom.js';
import { formatCount, formatMoney, formatNumber, formatTime, formatUnixShort, shortHash, signClass } from './format.js';
import { loadChartJs } from './widgets.js';
import { badge, updateBadge } from './ui.js';

const POLL_MS = 500;
const TRADE_ROWS = 50;
const FINISHED = new Set(['done', 'failed', 'cancelled']);

function percent(value) {
  return typeof value === 'number' && Number.isFinite(value) ? `${formatNumber(Math.round(value * 100) / 100)} %` : '—';
}

export function backtestPanel(id) {
  let destroyed = false;
  let timer = null;
  let chart = null;
  let current = null;
  const controller = new AbortController();
  const { signal } = controller;

  const dataSelect = h('select', { 'data-testid': 'backtest-data', 'aria-label': 'Data file' });
  const cash = h('input', { type: 'number', min: '1', step: 'any', value: '100000', 'data-testid': 'backtest-cash', 'aria-label': 'Starting cash' });
  const fee = h('input', { type: 'number', min: '0', max: '9999', step: 'any', value: '0', 'data-testid': 'backtest-fee', 'aria-label': 'Fee (bps)' });
  const run = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'backtest-run', text: 'Run backtest' });
  const cancel = h('button', { type: 'button', class: 'btn', 'data-testid': 'backtest-cancel', text: 'Cancel', hidden: true });
  const formError = h('p', { class: 'field-error', role: 'alert', 'data-testid': 'backtest-error' });
  const form = h('form', { class: 'backtest-form', 'data-testid': 'backtest-form' },
    h('label', { class: 'field' }, h('span', { class: 'field-label', text: 'Data file' }), dataSelect),
    h('label', { class: 'field' }, h('span', { class: 'field-label', text: 'Cash' }), cash),
    h('label', { class: 'field' }, h('span', { class: 'field-label', text: 'Fee (bps)' }), fee),
    h('div', { class: 'backtest-buttons' }, run, cancel));

  const state = badge('state', 'loading', 'backtest-status');
  state.hidden = true;
  const bar = h('progress', { max: '1', value: '0', 'data-testid': 'backtest-progress', hidden: true });
  const caption = h('p', { class: 'muted small', 'data-testid': 'backtest-caption' });
  const failure = h('pre', { class: 'alert alert-error mono', role: 'alert', 'data-testid': 'backtest-failure', hidden: true });
  const metrics = h('div', { 'data-testid': 'backtest-metrics' });
  const canvas = h('canvas', { 'aria-label': 'Equity curve', role: 'img' });
  const chartBox = h('div', { class: 'chart-box backtest-chart', 'data-testid': 'backtest-chart', hidden: true }, canvas);
  const tradesBody = h('tbody');
  const trades = h('table', { class: 'data compact', 'data-testid': 'backtest-trades', hidden: true },
    h('thead', {}, h('tr', {}, ...['Side', 'Entry', 'Entry price', 'Exit', 'Exit price', 'Qty', 'PnL'].map((c) => h('th', { scope: 'col', text: c })))),
    tradesBody);
  const tradesNote = h('p', { class: 'muted small', 'data-testid': 'backtest-trades-note' });
  const report = h('a', { class: 'btn', target: '_blank', rel: 'noopener', 'data-testid': 'backtest-report', text: 'Full report', hidden: true });
  const result = h('div', { class: 'backtest-result', 'data-testid': 'backtest-result' },
    h('div', { class: 'backtest-head' }, state, bar, report), caption, failure, metrics, chartBox, tradesNote, trades);
  const historyBody = h('tbody');
  const history = h('table', { class: 'data compact clickable', 'data-testid': 'backtest-history' },
    h('thead', {}, h('tr', {}, ...['Started', 'Data', 'Status', 'Return', 'Trades'].map((c) => h('th', { scope: 'col', text: c })))),
    historyBody);
  const element = h('div', { class: 'backtest-panel', 'data-testid': 'backtest-panel' },
    h('p', { class: 'muted small', text: 'Runs this instance’s current version and config over a data file of the server, with the paper broker.' }),
    form, formError, result, h('h3', { class: 'subhead', text: 'Earlier backtests' }), history);

  function later(fn, ms) {
    clearTimeout(timer);
    timer = setTimeout(() => { if (!destroyed) fn(); }, ms);
  }

  async function loadFiles() {
    try {
      const { files } = await api.dataFiles({ signal });
      if (destroyed) return;
      dataSelect.replaceChildren(...files.map((f) => h('option', { value: f.name, text: f.folder ? `${f.name}/ (folder)` : f.name })));
      if (files.length === 0) {
        run.disabled = true;
        formError.textContent = 'The server has no data files (strata serve --data-dir).';
      }
    } catch (error) {
      if (!destroyed && error.name !== 'AbortError') formError.textContent = `Could not list the data files: ${error.message}`;
    }
  }

  async function loadHistory() {
    try {
      const { backtests } = await api.backtests(id, 20, { signal });
      if (destroyed) return;
      fillRows(historyBody, backtests.map((b) => {
        const cells = [formatTime(b.created_at), b.data, b.status, h('td', { class: signClass(b.summary?.return_pct), text: percent(b.summary?.return_pct) }),
          formatCount(b.summary?.closed_trades)];
        return cells;
      }), 5, 'No backtests yet.');
      [...historyBody.rows].forEach((row, index) => {
        const b = backtests[index];
        if (!b) return;
        row.tabIndex = 0;
        row.dataset.run = b.id;
        const open = () => show(b.id);
        row.addEventListener('click', open);
        row.addEventListener('keydown', (event) => { if (event.key === 'Enter') open(); });
      });
    } catch (error) {
      if (!destroyed && error.name !== 'AbortError') fillRows(historyBody, [], 5, `Could not list the backtests: ${error.message}`);
    }
  }

  function running(yes) {
    run.disabled = yes;
    cancel.hidden = !yes;
    cancel.disabled = false;
  }

  function showRun(b) {
    current = b;
    state.hidden = false;
    updateBadge(state, 'state', b.status === 'done' ? 'running' : b.status === 'failed' ? 'error' : b.status === 'cancelled' ? 'stopped' : 'loading');
    setText(state, b.status);
    bar.hidden = FINISHED.has(b.status);
    bar.value = b.progress ?? 0;
    setText(caption, `${b.id} · ${b.data} · version ${shortHash(b.version)} · ${b.status === 'running' ? `${Math.round((b.progress ?? 0) * 100)} %` : formatTime(b.finished_at ?? b.created_at)}`);
    failure.hidden = !(b.status === 'failed' || (b.status === 'cancelled' && b.error && b.error !== 'cancelled'));
    failure.textContent = failure.hidden ? '' : (b.error ?? '');
    report.hidden = !(b.status === 'done' && b.has_report);
    if (!report.hidden) report.href = backtestReportURL(b.id);
    if (b.status === 'done') showResult(b);
    else {
      metrics.replaceChildren();
      chartBox.hidden = true;
      trades.hidden = true;
      setText(tradesNote, '');
    }
  }

  function showResult(b) {
    const s = b.summary ?? {};
    metrics.replaceChildren(definitionList([
      ['Return', h('span', { class: signClass(s.return_pct), text: percent(s.return_pct) }), 'return'],
      ['Max drawdown', percent(s.max_drawdown_pct), 'drawdown'],
      ['Sharpe', formatNumber(s.sharpe), 'sharpe'],
      ['Win rate', percent(s.win_rate_pct), 'win-rate'],
      ['Trades', formatCount(s.closed_trades), 'trades'],
      ['Fees', formatNumber(s.fees_paid), 'fees'],
      ['Final equity', formatNumber(s.final_equity), 'equity'],
    ], { testid: 'backtest-summary' }));
    const list = Array.isArray(b.detail?.trades) ? b.detail.trades : [];
    const total = b.detail?.trades_total ?? list.length;
    trades.hidden = false;
    setText(tradesNote, total > TRADE_ROWS ? `The newest ${TRADE_ROWS} of ${formatCount(total)} trades; the full report lists them all.` : '');
    fillRows(tradesBody, list.slice(-TRADE_ROWS).reverse().map((t) => [t.side, formatTime(t.entry_time), formatNumber(t.entry_price), t.exit_time ? formatTime(t.exit_time) : 'open',
      t.exit_price === null ? '—' : formatNumber(t.exit_price), formatNumber(t.qty), h('td', { class: signClass(t.pnl), text: t.pnl === null ? '—' : formatMoney(t.pnl) })]),
    7, 'No trades.');
    drawCurve(Array.isArray(b.detail?.equity_curve) ? b.detail.equity_curve : []);
  }

  function drawCurve(points) {
    chartBox.hidden = points.length === 0;
    if (points.length === 0) return;
    // Days apart: dates; within a few days: "MM-DD hh:mm".
    const days = points.length > 1 && points[points.length - 1][0] - points[0][0] > 3 * 86400;
    const label = (t) => (days ? new Date(t * 1000).toISOString().slice(0, 10) : formatUnixShort(t));
    const data = { labels: points.map((p) => label(p[0])), datasets: [{ label: 'Equity', data: points.map((p) => p[1]), borderColor: '#2563eb',
      backgroundColor: '#2563eb', borderWidth: 1.6, pointRadius: 0, tension: 0 }] };
    loadChartJs().then((Chart) => {
      if (destroyed) return;
      chart?.destroy();
      chart = new Chart(canvas, { type: 'line', data, options: { animation: false, responsive: true, maintainAspectRatio: false,
        plugins: { legend: { display: false } }, scales: { x: { ticks: { maxTicksLimit: 8, autoSkip: true } } } } });
    }).catch(() => {
      chartBox.replaceChildren(h('p', { class: 'muted', text: 'Charts are unavailable: Chart.js did not load.' }));
    });
  }

  async function show(runID) {
    try {
      const b = await api.getBacktest(runID, { signal });
      if (destroyed) return;
      showRun(b);
      if (!FINISHED.has(b.status)) {
        running(true);
        later(() => show(runID), POLL_MS);
      } else {
        running(false);
        loadHistory();
      }
    } catch (error) {
      if (destroyed || error.name === 'AbortError') return;
      formError.textContent = `Could not load the backtest: ${error.message}`;
      running(false);
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    formError.textContent = '';
    const body = { instance_id: id, data: dataSelect.value };
    if (cash.value !== '') body.cash = Number(cash.value);
    if (fee.value !== '') body.fee_bps = Number(fee.value);
    running(true);
    try {
      const b = await api.startBacktest(body, { signal });
      if (destroyed) return;
      showRun(b);
      loadHistory();
      later(() => show(b.id), POLL_MS);
    } catch (error) {
      if (destroyed || error.name === 'AbortError') return;
      formError.textContent = error.message;
      running(false);
    }
  });

  cancel.addEventListener('click', async () => {
    if (!current) return;
    cancel.disabled = true;
    try {
      await api.cancelBacktest(current.id, { signal });
    } catch (error) {
      if (!destroyed && error.name !== 'AbortError') formError.textContent = error.message;
    }
    if (!destroyed) show(current.id);
  });

  loadFiles();
  loadHistory();

  return {
    element,
    destroy() {
      destroyed = true;
      clearTimeout(timer);
      controller.abort();
      chart?.destroy();
    },
  };
}
