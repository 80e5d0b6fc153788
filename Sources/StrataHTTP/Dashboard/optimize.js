// The Optimize view of one strategy type: parameters with ranges prefilled from its schema, the
// metric, walk-forward windows; the server runs the trials in confined workers and each finished
// trial streams in (the `research` events); a heatmap for two parameters; "use these parameters"
// creates an instance or a shadow of one with them. A run can be cancelled.
import { api, ApiError, openEvents } from './api.js';
import { h, card, fillRows } from './dom.js';
import { formatNumber, formatTime } from './format.js';
import { heatmapView } from './heatmap.js';
import { parameterRows, readParameters } from './optimize-form.js';
import { toast } from './ui.js';

const METRICS = ['sharpe', 'return_pct', 'max_drawdown_pct', 'win_rate_pct', 'profit_factor', 'trades', 'final_equity', 'exposure_pct'];
const LOWER_IS_BETTER = new Set(['max_drawdown_pct']);
const MAX_ROWS = 200;
const POLL_MS = 1500;

export function mountOptimize(container, _params, query) {
  const controller = new AbortController();
  const { signal } = controller;
  let destroyed = false;
  let events = null;
  let poll = null;
  let heatmap = null;
  let run = null;
  let trials = [];
  let strategies = [];

  const typeSelect = h('select', { id: 'opt-type', 'data-testid': 'optimize-type' });
  const dataSelect = h('select', { id: 'opt-data', 'data-testid': 'optimize-data' });
  const cashInput = h('input', { type: 'number', id: 'opt-cash', value: '100000', min: '1', step: 'any' });
  const feeInput = h('input', { type: 'number', id: 'opt-fee', value: '0', min: '0', max: '10000', step: 'any' });
  const metricSelect = h('select', { id: 'opt-metric', 'data-testid': 'optimize-metric' }, METRICS.map((m) => h('option', { value: m, text: m })));
  const searchSelect = h('select', { id: 'opt-search' }, ['grid', 'random'].map((m) => h('option', { value: m, text: m })));
  const trialsInput = h('input', { type: 'number', id: 'opt-trials', value: '50', min: '1', step: '1' });
  const windowsInput = h('input', { type: 'number', id: 'opt-wf', value: '0', min: '0', max: '20', step: '1', 'data-testid': 'optimize-walk-forward' });
  const constraintsInput = h('input', { type: 'text', id: 'opt-constraints', placeholder: 'fast < slow; …', 'data-testid': 'optimize-constraints' });
  const paramsBody = h('tbody', { 'data-testid': 'optimize-params' });
  const formError = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, 'data-testid': 'optimize-error' });
  const runButton = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'optimize-run', text: 'Run' });
  const cancelButton = h('button', { type: 'button', class: 'btn', hidden: true, 'data-testid': 'optimize-cancel', text: 'Cancel' });
  const progress = h('progress', { max: '1', value: '0', hidden: true, 'data-testid': 'optimize-progress' });
  const status = h('p', { class: 'muted', 'data-testid': 'optimize-status' });
  const best = h('div', { 'data-testid': 'optimize-best' });
  const trialsHead = h('thead');
  const trialsBody = h('tbody');
  const windowsBody = h('tbody');
  const windowsCard = card('Walk-forward windows', { testid: 'optimize-windows' });
  const heatCard = card('Heatmap', { testid: 'optimize-heatmap-card' });
  const earlierBody = h('tbody');
  windowsCard.section.hidden = true;
  heatCard.section.hidden = true;

  const field = (label, input, hint) => h('div', { class: 'field' }, h('label', { class: 'field-label', for: input.id, text: label }), input,
    hint ? h('p', { class: 'field-help', text: hint }) : null);
  const form = h('form', { class: 'card create-form', 'data-testid': 'optimize-form', novalidate: true },
    h('div', { class: 'card-body' },
      h('div', { class: 'grid-3' },
        field('Strategy type', typeSelect), field('Data file', dataSelect, 'A file from the server’s data folder.'),
        field('Metric', metricSelect, 'max_drawdown_pct is minimised, the others maximised.'),
        field('Starting cash', cashInput), field('Fee (bps)', feeInput),
        field('Walk-forward windows', windowsInput, '0: one run over all bars. K: optimise on each window, score on the next.'),
        field('Search', searchSelect), field('Trials (random search)', trialsInput),
        field('Constraints', constraintsInput, 'Separated by “;”, like fast < slow.')),
      h('h3', { text: 'Parameters' }),
      h('p', { class: 'muted small', text: 'Ranges come from the strategy’s CONFIG_SCHEMA. Unticked parameters keep their default.' }),
      h('div', { class: 'table-wrap' }, h('table', { class: 'data compact' },
        h('thead', {}, h('tr', {}, ['Sweep', 'Parameter', 'From', 'To', 'Step', 'Or values (a, b, c)'].map((c) => h('th', { scope: 'col', text: c })))),
        paramsBody)),
      formError,
      h('div', { class: 'form-actions' }, runButton, cancelButton, progress, status)));

  const trialsCard = card('Trials', { testid: 'optimize-trials' });
  trialsCard.body.append(best, h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', 'data-testid': 'optimize-trials-table' }, trialsHead, trialsBody)));
  windowsCard.body.append(h('div', { class: 'table-wrap' }, h('table', { class: 'data compact' },
    h('thead', {}, h('tr', {}, ['Window', 'In-sample bars', 'Best parameters', 'In-sample', 'Out-of-sample'].map((c) => h('th', { scope: 'col', text: c })))),
    windowsBody)));
  const earlierCard = card('Earlier optimizations', { testid: 'optimize-earlier' });
  earlierCard.body.append(h('div', { class: 'table-wrap' }, h('table', { class: 'data compact' },
    h('thead', {}, h('tr', {}, ['Started', 'Data', 'Status', 'Trials', 'Best', ''].map((c) => h('th', { scope: 'col', text: c })))),
    earlierBody)));

  container.append(h('div', { class: 'page' },
    h('div', { class: 'page-head' }, h('h1', { text: 'Optimize' }),
      h('p', { class: 'subtitle', text: 'Sweep a strategy’s parameters over historical bars: every trial is a full backtest in a confined worker.' })),
    form, heatCard.section, trialsCard.section, windowsCard.section, earlierCard.section));
  document.title = 'Optimize · Strata';

  const metric = () => run?.parameters?.metric ?? metricSelect.value;
  const higherIsBetter = () => (run?.parameters?.direction ?? (LOWER_IS_BETTER.has(metric()) ? 'minimize' : 'maximize')) === 'maximize';

  function paramNames() {
    const names = new Set();
    for (const trial of trials) for (const name of Object.keys(trial.params ?? {})) names.add(name);
    return [...names];
  }

  function score(trial) {
    const value = trial.metrics?.[metric()];
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  }

  function ranked() {
    const sign = higherIsBetter() ? -1 : 1;
    return [...trials].sort((a, b) => {
      const sa = score(a);
      const sb = score(b);
      if (sa === null || sb === null) return (sa === null) - (sb === null);
      return sign * (sa - sb);
    });
  }

  function useButtons(params) {
    const type = run?.strategy_type ?? typeSelect.value;
    const config = { ...(run?.parameters?.config ?? {}), ...params };
    const instance = query.get('instance');
    return h('span', { class: 'nowrap' },
      h('a', { class: 'btn btn-small', 'data-testid': 'use-parameters',
        href: `#/new?type=${encodeURIComponent(type)}&config=${encodeURIComponent(JSON.stringify(config))}`, text: 'New instance' }),
      instance ? h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'use-as-shadow', text: `Shadow of ${instance}`,
        on: { click: () => shadowWith(instance, params) } }) : null);
  }

  async function shadowWith(instanceID, params) {
    try {
      const current = await api.getInstance(instanceID, { signal });
      await api.setShadow(instanceID, { config: { ...(current.config ?? {}), ...params } }, { signal });
      toast(`Shadow of ${instanceID} set with these parameters.`, 'ok');
      location.hash = `#/instances/${encodeURIComponent(instanceID)}`;
    } catch (error) {
      if (error.name !== 'AbortError') toast(`Could not set the shadow: ${error.message}`, 'error');
    }
  }

  function drawTrials() {
    const names = paramNames();
    trialsHead.replaceChildren(h('tr', {}, ['#', ...names, metric(), 'Return %', 'Max DD %', 'Trades', ''].map((c) => h('th', { scope: 'col', text: c }))));
    const rows = ranked().slice(0, MAX_ROWS).map((t) => [
      String((t.index ?? 0) + 1),
      ...names.map((n) => String(t.params?.[n] ?? '')),
      t.error ? h('span', { class: 'badge state-error', title: t.error, text: 'failed' }) : formatNumber(score(t)),
      formatNumber(t.metrics?.return_pct), formatNumber(t.metrics?.max_drawdown_pct), formatNumber(t.metrics?.trades),
      t.error ? '' : useButtons(t.params ?? {}),
    ]);
    fillRows(trialsBody, rows, names.length + 6, 'No trial has finished yet.');
    if (names.length >= 2) {
      heatCard.section.hidden = false;
      if (!heatmap) {
        heatmap = heatmapView({ xName: names[0], yName: names[1], metric: metric(), higherIsBetter: higherIsBetter() });
        heatCard.body.replaceChildren(heatmap.el);
      }
      heatmap.update(trials);
    }
  }

  function drawResult(done) {
    const summary = done.summary ?? {};
    const top = summary.best;
    best.replaceChildren(top
      ? h('p', { 'data-testid': 'optimize-best-line' }, h('strong', { text: 'Best: ' }),
        Object.entries(top.params ?? {}).map(([k, v]) => `${k} = ${v}`).join(', '),
        ` → ${metric()} ${formatNumber(top.metrics?.[metric()])} `, useButtons(top.params ?? {}),
        ' ', h('a', { href: `/api/optimizations/${encodeURIComponent(done.id)}/report`, target: '_blank', rel: 'noopener', 'data-testid': 'optimize-report-link', text: 'Full report' }))
      : h('p', { class: 'muted', text: done.status === 'cancelled' ? 'Cancelled before any trial finished.' : 'No trial succeeded.' }));
    const windows = Array.isArray(done.detail?.windows) ? done.detail.windows : [];
    windowsCard.section.hidden = windows.length === 0;
    fillRows(windowsBody, windows.map((w, i) => [
      String(i + 1), `${w.in_sample_bars ?? '—'}`,
      Object.entries(w.params ?? {}).map(([k, v]) => `${k} = ${v}`).join(', '),
      formatNumber(w.in_sample), formatNumber(w.out_of_sample),
    ]), 5, '');
    if (windows.length > 0 && summary.out_of_sample !== undefined) {
      windowsBody.append(h('tr', { class: 'total' }, h('td', { colspan: 4, text: 'Out-of-sample (the honest number)' }),
        h('td', { 'data-testid': 'optimize-oos', text: formatNumber(summary.out_of_sample) })));
    }
  }

  function finish(done) {
    run = done;
    stopWatching();
    runButton.disabled = false;
    cancelButton.hidden = true;
    progress.hidden = true;
    status.textContent = done.status === 'done' ? `Done: ${trials.length} trials.`
      : done.status === 'cancelled' ? `Cancelled after ${trials.length} trials.` : `Failed: ${done.error ?? 'unknown error'}`;
    status.dataset.state = done.status;
    if (Array.isArray(done.detail?.trials)) trials = done.detail.trials;
    drawTrials();
    drawResult(done);
    loadEarlier();
  }

  function stopWatching() {
    events?.close();
    events = null;
    clearInterval(poll);
    poll = null;
  }

  async function refresh() {
    if (!run) return;
    try {
      const current = await api.getOptimization(run.id, { signal });
      if (destroyed) return;
      progress.value = current.progress ?? 0;
      if (Array.isArray(current.detail?.trials) && current.detail.trials.length >= trials.length) {
        trials = current.detail.trials;
        drawTrials();
      }
      if (['done', 'failed', 'cancelled'].includes(current.status)) finish(current);
    } catch (error) {
      if (error.name !== 'AbortError') status.textContent = `Could not read the run: ${error.message}`;
    }
  }

  function watch(started) {
    run = started;
    trials = [];
    heatmap?.destroy();
    heatmap = null;
    heatCard.section.hidden = true;
    best.replaceChildren();
    drawTrials();
    runButton.disabled = true;
    cancelButton.hidden = false;
    progress.hidden = false;
    progress.value = 0;
    status.textContent = 'Running…';
    status.dataset.state = 'running';
    if (typeof EventSource !== 'undefined') {
      events = openEvents({ types: ['research'] });
      events.addEventListener('research', (event) => {
        let data;
        try { data = JSON.parse(event.data); } catch { return; }
        if (data.id !== run?.id) return;
        if (typeof data.progress === 'number') progress.value = data.progress;
        if (data.trial) {
          trials.push(data.trial);
          drawTrials();
        }
        if (['done', 'failed', 'cancelled'].includes(data.status)) refresh();
      });
    }
    poll = setInterval(refresh, POLL_MS);
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    formError.hidden = true;
    const read = readParameters(paramsBody);
    if (read.error) {
      formError.hidden = false;
      formError.textContent = read.error;
      return;
    }
    const body = {
      strategy_type: typeSelect.value, data: dataSelect.value, metric: metricSelect.value,
      direction: LOWER_IS_BETTER.has(metricSelect.value) ? 'minimize' : 'maximize',
      search: searchSelect.value, walk_forward: Number(windowsInput.value || 0),
      cash: Number(cashInput.value), fee_bps: Number(feeInput.value), params: read.params,
      constraints: constraintsInput.value.split(';').map((c) => c.trim()).filter((c) => c !== ''),
    };
    if (body.search === 'random') body.trials = Number(trialsInput.value);
    runButton.disabled = true;
    try {
      watch(await api.startOptimization(body, { signal }));
    } catch (error) {
      if (error.name === 'AbortError') return;
      runButton.disabled = false;
      formError.hidden = false;
      formError.replaceChildren(...(error instanceof ApiError ? error.errors : [{ field: '', message: String(error) }])
        .map((e) => h('div', { text: e.field ? `${e.field}: ${e.message}` : e.message })));
    }
  });

  cancelButton.addEventListener('click', async () => {
    if (!run) return;
    cancelButton.disabled = true;
    try {
      await api.cancelOptimization(run.id, { signal });
      await refresh();
    } catch (error) {
      if (error.name !== 'AbortError') toast(`Could not cancel: ${error.message}`, 'error');
    } finally {
      cancelButton.disabled = false;
    }
  });

  function loadEarlier() {
    if (!typeSelect.value) return;
    api.listOptimizations({ strategy_type: typeSelect.value, limit: 20 }, { signal }).then(({ optimizations }) => {
      if (destroyed) return;
      fillRows(earlierBody, optimizations.map((o) => [
        formatTime(o.created_at), o.data_file ?? '—', o.status, formatNumber(o.summary?.trials),
        o.summary?.best ? formatNumber(o.summary.best.metrics?.[o.parameters?.metric ?? 'sharpe']) : '—',
        h('button', { type: 'button', class: 'btn btn-small', text: 'Show', on: { click: () => showEarlier(o.id) } }),
      ]), 6, 'None yet.');
    }).catch(() => {});
  }

  async function showEarlier(id) {
    try {
      const found = await api.getOptimization(id, { signal });
      if (['queued', 'running'].includes(found.status)) watch(found);
      else finish(found);
    } catch (error) {
      if (error.name !== 'AbortError') toast(`Could not load it: ${error.message}`, 'error');
    }
  }

  function showParameters() {
    paramsBody.replaceChildren();
    heatmap?.destroy();
    heatmap = null;
    if (!typeSelect.value) return;
    api.optimizeDefaults(typeSelect.value, { signal }).then(({ parameters }) => {
      if (!destroyed) paramsBody.replaceChildren(...parameterRows(parameters));
    }).catch((error) => {
      if (error.name === 'AbortError') return;
      formError.hidden = false;
      formError.textContent = `Could not read the parameters: ${error.message}`;
    });
    loadEarlier();
  }
  typeSelect.addEventListener('change', showParameters);

  Promise.all([api.strategies({ signal }), api.dataFiles({ signal })]).then(([found, data]) => {
    if (destroyed) return;
    strategies = found.strategies.filter((s) => s.version);
    typeSelect.replaceChildren(...strategies.map((s) => h('option', { value: s.strategy_type, text: s.strategy_type })));
    const wanted = query.get('type');
    if (wanted && strategies.some((s) => s.strategy_type === wanted)) typeSelect.value = wanted;
    dataSelect.replaceChildren(...data.files.map((f) => h('option', { value: f.name, text: f.name })));
    showParameters();
  }).catch((error) => {
    if (error.name === 'AbortError') return;
    formError.hidden = false;
    formError.textContent = `Could not load the strategies or the data files: ${error.message}`;
  });

  return {
    destroy() {
      destroyed = true;
      controller.abort();
      stopWatching();
      heatmap?.destroy();
    },
  };
}
