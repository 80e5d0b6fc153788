// The Optimize view's run panel: one optimization followed as it runs (its `research` events
// carry the progress and each finished trial), with a progress bar, the trials ranked by the
// metric as they arrive, a heatmap, Cancel; once it ends, the summary (best, counts, the
// walk-forward windows in-sample beside out-of-sample) and a link to the HTML report. A trial's
// "Use" offers its parameters to a new instance (the create form, prefilled) or, for a run
// based on an instance, to a shadow of it. Text from the strategy or the server goes in through
// textContent only.
import { api, openEvents, optimizationReportURL } from './api.js';
import { h, definitionList, fillRows, setText } from './dom.js';
import { formatCount, formatJSON, formatNumber, formatTime, shortHash } from './format.js';
import { parseSpec } from './optimize-form.js';
import { optimizeHeatmap } from './optimize-heatmap.js';
import { badge, toast, updateBadge } from './ui.js';

const FINISHED = new Set(['done', 'failed', 'cancelled']);
const SHOWN_ROWS = 100;
const RENDER_MS = 250;
const WATCH_MS = 3000;
const OTHER_METRICS = ['return_pct', 'sharpe', 'max_drawdown_pct', 'trades'];
const STATE_OF = { done: 'running', failed: 'error', cancelled: 'stopped', queued: 'loading', running: 'loading' };

function score(trial, metric) {
  const v = trial.metrics?.[metric];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Trials best first by the metric; valueless and failed ones last; ties by index. */
export function ranked(trials, metric, direction) {
  return [...trials].sort((a, b) => {
    const x = score(a, metric);
    const y = score(b, metric);
    if (x !== null && y !== null && x !== y) return direction === 'minimize' ? x - y : y - x;
    if (x !== null && y === null) return -1;
    if (x === null && y !== null) return 1;
    return a.index - b.index;
  });
}

/** "fast=5, slow=30" in the run's parameter order. */
function paramsText(params, names) {
  const keys = names.length ? names.filter((n) => n in (params ?? {})) : Object.keys(params ?? {});
  return keys.map((k) => `${k}=${formatJSON(params[k])}`).join(', ');
}

function valueText(value) {
  if (value === null || value === undefined) return '—';
  return typeof value === 'number' ? formatNumber(value) : formatJSON(value);
}

/**
 * @param {object} options type: the strategy type; instance: the instance runs are based on (or
 *   null); onFinished(run): a run ended (the view refreshes its list of runs).
 * @returns {{ element, start(body), show(runID), destroy() }}
 */
export function optimizeRun({ type, instance, onFinished }) {
  let destroyed = false;
  const controller = new AbortController();
  const { signal } = controller;
  let events = null;
  let runID = null;
  let run = null;
  let awaiting = false;
  let pending = [];
  let trials = new Map();
  let names = [];
  let renderTimer = null;
  let watchTimer = null;
  let chosen = null;
  let partial = false; // opened while running: the trials before that arrive with the end
  let cancelling = false;

  // --- the parts ---------------------------------------------------------------------------------

  const state = badge('state', 'loading', 'optimize-status');
  const bar = h('progress', { max: '1', value: '0', 'data-testid': 'optimize-progress' });
  const cancel = h('button', { type: 'button', class: 'btn', 'data-testid': 'optimize-cancel', text: 'Cancel', hidden: true });
  const report = h('a', { class: 'btn', target: '_blank', rel: 'noopener', 'data-testid': 'optimize-report', text: 'Full report', hidden: true });
  const caption = h('p', { class: 'muted small', 'data-testid': 'optimize-caption' });
  const failure = h('pre', { class: 'alert alert-error mono', role: 'alert', 'data-testid': 'optimize-failure', hidden: true });
  const summary = h('div', { 'data-testid': 'optimize-summary' });
  const windowsBody = h('tbody');
  const windowsHead = h('thead');
  const windows = h('div', { hidden: true, 'data-testid': 'optimize-windows-box' },
    h('h3', { class: 'subhead', text: 'Walk-forward windows' }),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', 'data-testid': 'optimize-windows' }, windowsHead, windowsBody)),
    h('p', { class: 'muted small', 'data-testid': 'optimize-windows-note' }));
  const useText = h('p', { class: 'mono', 'data-testid': 'optimize-use-params' });
  const useError = h('p', { class: 'field-error', role: 'alert', 'data-testid': 'optimize-use-error' });
  const createLink = h('a', { class: 'btn btn-primary', 'data-testid': 'optimize-create', text: 'New instance with these parameters' });
  const shadowButton = h('button', { type: 'button', class: 'btn', 'data-testid': 'optimize-shadow', hidden: true });
  const use = h('div', { class: 'use-box', hidden: true, 'data-testid': 'optimize-use' },
    h('h3', { class: 'subhead', text: 'Use these parameters' }), useText,
    h('div', { class: 'form-actions' }, createLink, shadowButton), useError);
  const heatmap = optimizeHeatmap();
  const trialsHead = h('thead');
  const trialsBody = h('tbody');
  const trialsNote = h('p', { class: 'muted small', 'data-testid': 'optimize-trials-note' });
  const trialsTable = h('table', { class: 'data compact', 'data-testid': 'optimize-trials' }, trialsHead, trialsBody);
  const results = h('div', { class: 'optimize-results', hidden: true },
    h('div', { class: 'grid-2 optimize-columns' },
      h('div', {}, h('h3', { class: 'subhead', text: 'Heatmap' }), heatmap.element),
      h('div', {}, summary, use)),
    windows,
    h('h3', { class: 'subhead', text: 'Trials, best first' }), trialsNote,
    h('div', { class: 'table-wrap tall' }, trialsTable));
  const empty = h('p', { class: 'muted', 'data-testid': 'optimize-idle', text: 'No run yet: start one with the form, or pick an earlier run below.' });
  const head = h('div', { class: 'backtest-head', hidden: true }, state, bar, cancel, report);
  const element = h('div', { class: 'optimize-run', 'data-testid': 'optimize-run' }, empty, head, caption, failure, results);

  cancel.addEventListener('click', cancelRun);
  trialsBody.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-index]');
    if (button) choose(trials.get(Number(button.dataset.index)));
  });
  shadowButton.addEventListener('click', startShadow);

  // --- the run's settings ------------------------------------------------------------------------

  const metric = () => run?.summary?.metric ?? run?.parameters?.metric ?? 'sharpe';
  const direction = () => run?.summary?.direction ?? run?.parameters?.direction ?? 'maximize';

  /** The swept parameters, in the run's order. */
  function sweptNames() {
    if (Array.isArray(run?.summary?.parameters) && run.summary.parameters.length > 0) return run.summary.parameters.map(String);
    const specs = Array.isArray(run?.parameters?.params) ? run.parameters.params.filter((s) => typeof s === 'string') : [];
    if (specs.length > 0) return specs.map((s) => parseSpec(s).name);
    const first = trials.values().next().value;
    return first ? Object.keys(first.params ?? {}) : names;
  }

  // --- following a run ---------------------------------------------------------------------------

  /** Opens the event stream; resolves once it is open (or has failed, or after 2 s). */
  function listen() {
    if (events || typeof EventSource === 'undefined') return Promise.resolve();
    events = openEvents({ types: ['research'] });
    events.addEventListener('research', (message) => {
      let event = null;
      try { event = JSON.parse(message.data); } catch { return; }
      const data = event?.data;
      if (!data || typeof data !== 'object' || data.kind !== 'optimization') return;
      // The first events of a run can arrive before the answer that names it.
      if (!runID) { if (awaiting) pending.push(data); return; }
      if (data.id === runID) apply(data);
    });
    return new Promise((resolve) => {
      events.addEventListener('open', resolve, { once: true });
      events.addEventListener('error', resolve, { once: true });
      setTimeout(resolve, 2000);
    });
  }

  function stopListening() {
    events?.close();
    events = null;
  }

  /** A `research` event of the run: its progress, its new trials, its end. */
  function apply(data) {
    if (!run || FINISHED.has(run.status)) return;
    run = { ...run, status: data.status, progress: data.progress };
    if (data.summary) run.summary = data.summary;
    if ('error' in data) run.error = data.error;
    for (const item of Array.isArray(data.extra) ? data.extra : []) {
      const trial = item?.trial;
      if (trial && typeof trial.index === 'number') trials.set(trial.index, trial);
    }
    showHead();
    soon();
    if (FINISHED.has(run.status)) finish();
  }

  /** Reads the whole run (every trial, the summary) once it has ended. */
  async function finish() {
    stopListening();
    clearTimeout(watchTimer);
    try {
      showRun(await api.getOptimization(runID, { signal }));
    } catch (error) {
      if (!destroyed && error.name !== 'AbortError') setText(caption, `Could not load the run: ${error.message}`);
    }
  }

  /** Polls the run now and then: progress while the stream is down, and an end it missed. */
  function watch() {
    clearTimeout(watchTimer);
    watchTimer = setTimeout(async () => {
      if (destroyed || !runID) return;
      const id = runID;
      try {
        const fresh = await api.getOptimization(id, { signal });
        if (destroyed || id !== runID) return;
        if (FINISHED.has(fresh.status)) { stopListening(); showRun(fresh); return; }
        run = { ...run, status: fresh.status, progress: fresh.progress };
        showHead();
      } catch (error) {
        if (destroyed || error.name === 'AbortError') return;
      }
      watch();
    }, WATCH_MS);
  }

  function reset() {
    stopListening();
    clearTimeout(watchTimer);
    clearTimeout(renderTimer);
    renderTimer = null;
    runID = null;
    run = null;
    trials = new Map();
    pending = [];
    chosen = null;
    partial = false;
    cancelling = false;
    use.hidden = true;
    summary.replaceChildren();
    windows.hidden = true;
    failure.hidden = true;
    report.hidden = true;
  }

  /** Starts a run with `body` (POST /api/optimizations); rejects with the server's ApiError. */
  async function start(body) {
    reset();
    awaiting = true;
    await listen();
    let created;
    try {
      created = await api.startOptimization(body, { signal });
    } finally {
      awaiting = false;
    }
    if (destroyed) return created;
    runID = created.id;
    run = created;
    names = (body.params ?? []).map((p) => p.name);
    const early = pending.filter((d) => d.id === runID);
    pending = [];
    showHead();
    render();
    for (const data of early) apply(data);
    if (!FINISHED.has(run.status)) watch();
    return created;
  }

  /** Shows a stored run (and follows it when it is still going). */
  async function show(id) {
    reset();
    runID = id;
    const found = await api.getOptimization(id, { signal });
    if (destroyed || id !== runID) return found;
    if (FINISHED.has(found.status)) {
      showRun(found);
    } else {
      run = found;
      names = sweptNames();
      showHead();
      partial = true;
      render();
      await listen();
      watch();
    }
    return found;
  }

  async function cancelRun() {
    if (!runID || cancelling) return;
    cancelling = true;
    cancel.disabled = true;
    try {
      const now = await api.cancelOptimization(runID, { signal });
      if (!destroyed && FINISHED.has(now.status)) { stopListening(); showRun(await api.getOptimization(runID, { signal })); }
    } catch (error) {
      if (destroyed || error.name === 'AbortError') return;
      // 409: it ended meanwhile; the run shows how.
      cancelling = false;
      if (error.status === 409) finish();
      else toast(`Could not cancel: ${error.message}`, 'error');
      showHead();
    }
  }

  // --- showing it --------------------------------------------------------------------------------

  function showHead() {
    if (!run) return;
    empty.hidden = true;
    head.hidden = false;
    results.hidden = false;
    updateBadge(state, 'state', STATE_OF[run.status] ?? 'loading');
    setText(state, run.status);
    const finished = FINISHED.has(run.status);
    bar.hidden = finished;
    bar.value = run.progress ?? 0;
    cancel.hidden = finished;
    cancel.disabled = cancelling;
    setText(cancel, cancelling ? 'Cancelling…' : 'Cancel');
    const planned = run.summary?.planned;
    const done = run.summary?.completed ?? trials.size;
    const counts = typeof planned === 'number' ? `${formatCount(done)} of ${formatCount(planned)} trials` : `${formatCount(trials.size)} trials so far`;
    setText(caption, [run.id, run.data, `version ${shortHash(run.version)}`, `${metric()} (${direction()})`,
      finished ? counts : `${counts} · ${Math.round((run.progress ?? 0) * 100)} %`,
      finished ? formatTime(run.finished_at ?? run.created_at) : null].filter(Boolean).join(' · '));
    caption.dataset.status = run.status;
  }

  /** The run as the server has it: the trials of its detail replace those streamed. */
  function showRun(full) {
    run = full;
    runID = full.id;
    if (Array.isArray(full.detail?.trials)) {
      trials = new Map(full.detail.trials.filter((t) => t && typeof t.index === 'number').map((t) => [t.index, t]));
    }
    names = sweptNames();
    showHead();
    const failed = full.status === 'failed' || (full.status === 'cancelled' && full.error && full.error !== 'cancelled');
    failure.hidden = !failed;
    failure.textContent = failed ? (full.error ?? '') : '';
    report.hidden = !(full.status === 'done' && full.has_report);
    if (!report.hidden) report.href = optimizationReportURL(full.id);
    showSummary();
    render();
    if (FINISHED.has(full.status)) {
      clearTimeout(watchTimer);
      onFinished?.(full);
    }
  }

  function showSummary() {
    const s = run?.summary ?? {};
    if (!FINISHED.has(run?.status) || !s || typeof s !== 'object' || Object.keys(s).length === 0) {
      summary.replaceChildren();
      windows.hidden = true;
      return;
    }
    const best = s.best && typeof s.best === 'object' ? s.best : null;
    const useBest = best ? h('button', { type: 'button', class: 'btn btn-primary btn-small', 'data-testid': 'optimize-use-best', text: 'Use these parameters' }) : null;
    useBest?.addEventListener('click', () => choose(trials.get(best.index) ?? best));
    const wf = s.walk_forward && typeof s.walk_forward === 'object' ? s.walk_forward : null;
    summary.replaceChildren(
      h('h3', { class: 'subhead', text: 'Result' }),
      definitionList([
        ['Best', best ? h('span', { class: 'mono', 'data-testid': 'optimize-best-params', text: `#${best.index}: ${paramsText(best.params, names)}` }) : 'no trial has a value', 'best'],
        [`${s.metric ?? metric()}${wf ? ' (in-sample, last window)' : ''}`, best ? valueText(score(best, metric())) : '—', 'score'],
        ['Trials', `${formatCount(s.completed)} of ${formatCount(s.planned)}${s.failed ? ` (${formatCount(s.failed)} failed)` : ''}${s.cancelled ? ', cancelled' : ''}`, 'trials'],
        ['Elapsed', typeof s.elapsed_seconds === 'number' ? `${formatNumber(Math.round(s.elapsed_seconds * 10) / 10)} s` : '—', 'elapsed'],
        ...(wf ? [
          [`Mean out-of-sample ${s.metric ?? metric()}`, valueText(wf.mean_out_of_sample), 'mean-oos'],
          ['Compounded out-of-sample return', typeof wf.compounded_out_of_sample_return_pct === 'number' ? `${formatNumber(wf.compounded_out_of_sample_return_pct)} %` : '—', 'compounded-oos'],
        ] : []),
      ], { testid: 'optimize-summary-props' }),
      useBest);
    showWindows(wf);
  }

  function showWindows(wf) {
    const list = Array.isArray(wf?.windows) ? wf.windows : [];
    windows.hidden = list.length === 0;
    if (windows.hidden) return;
    const m = metric();
    windowsHead.replaceChildren(h('tr', {}, ['Window', 'In-sample bars', 'Best in sample', `In-sample ${m}`, `Out-of-sample ${m}`, 'Out-of-sample return']
      .map((c) => h('th', { scope: 'col', text: c }))));
    fillRows(windowsBody, list.map((w) => {
      const period = w.in_sample ? `${formatTime(w.in_sample.from_time)} – ${formatTime(w.in_sample.to_time)} (${formatCount(w.in_sample.bars_from)}–${formatCount(w.in_sample.bars_to)})` : '—';
      return [String(w.window), period, h('td', { class: 'mono', text: w.best ? paramsText(w.best.params, names) : 'every trial failed' }),
        h('td', { class: 'num', text: valueText(w.in_sample_score) }), h('td', { class: 'num', text: valueText(w.out_of_sample_score) }),
        h('td', { class: 'num', text: w.out_of_sample ? `${valueText(score(w.out_of_sample, 'return_pct'))} %` : '—' })];
    }), 6, 'No windows.');
    windowsBody.querySelectorAll('tr').forEach((tr) => tr.setAttribute('data-testid', 'optimize-window'));
    const note = windows.querySelector('[data-testid=optimize-windows-note]');
    setText(note, 'Each window picks its best on its own bars (in sample) and is scored on the next window’s bars (out of sample): the out-of-sample column is the honest one.');
  }

  function trialsNoteText() {
    const total = trials.size;
    const early = partial && !FINISHED.has(run?.status) ? 'Trials that finished before this page opened show when the run ends. ' : '';
    return early + (total > SHOWN_ROWS ? `The best ${SHOWN_ROWS} of ${formatCount(total)} trials; the full report lists up to 2,000.` : '');
  }

  /** Redraws the trials table and the heatmap soon (trials arrive in bursts). */
  function soon() {
    if (renderTimer) return;
    renderTimer = setTimeout(() => { renderTimer = null; if (!destroyed) render(); }, RENDER_MS);
  }

  function render() {
    const m = metric();
    const dir = direction();
    const others = OTHER_METRICS.filter((x) => x !== m);
    const windowed = [...trials.values()].some((t) => typeof t.window === 'number');
    trialsHead.replaceChildren(h('tr', {},
      h('th', { scope: 'col', text: '#' }),
      names.map((n) => h('th', { scope: 'col', class: 'mono', text: n })),
      h('th', { scope: 'col', class: 'num metric-col', text: m }),
      others.map((x) => h('th', { scope: 'col', class: 'num', text: x })),
      windowed ? h('th', { scope: 'col', text: 'Window' }) : null,
      h('th', { scope: 'col', text: 'Error' }),
      h('th', { scope: 'col', text: '' })));
    const list = ranked([...trials.values()], m, dir);
    const rows = list.slice(0, SHOWN_ROWS).map((t) => h('tr', { 'data-testid': 'optimize-trial', dataset: { index: String(t.index) } },
      h('td', { class: 'num', text: String(t.index) }),
      names.map((n) => h('td', { class: 'mono', text: valueText(t.params?.[n]) })),
      h('td', { class: 'num metric-col', 'data-testid': 'optimize-trial-score', text: valueText(score(t, m)) }),
      others.map((x) => h('td', { class: 'num', text: valueText(score(t, x)) })),
      windowed ? h('td', { text: typeof t.window === 'number' ? `${t.window} ${t.sample === 'out' ? 'out' : 'in'}` : '—' }) : null,
      h('td', { class: 'wrap trial-error', 'data-testid': 'optimize-trial-error', text: t.error ?? '' }),
      h('td', {}, t.error ? null : h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'optimize-use-row', dataset: { index: String(t.index) }, text: 'Use' }))));
    if (rows.length === 0) {
      trialsBody.replaceChildren(h('tr', { class: 'empty' }, h('td', { colspan: 4 + names.length + others.length + (windowed ? 1 : 0),
        text: FINISHED.has(run?.status) ? 'No trial finished.' : 'Trials show here as they finish.' })));
    } else {
      trialsBody.replaceChildren(...rows);
    }
    setText(trialsNote, trialsNoteText());
    heatmap.update({ trials: [...trials.values()], names, metric: m, direction: dir });
    showHead();
  }

  // --- using a trial's parameters ----------------------------------------------------------------

  function choose(trial) {
    if (!trial || !run) return;
    chosen = trial;
    const params = trial.params ?? {};
    const base = { ...(instance?.config ?? {}), ...(run.parameters?.config ?? {}) };
    const config = { ...base, ...params };
    const query = new URLSearchParams({ strategy_type: run.strategy_type ?? type, config: JSON.stringify(config) });
    const market = instance?.identity?.market ?? run.parameters?.market;
    if (typeof market === 'string' && market !== '') query.set('market', market);
    createLink.href = `#/new?${query}`;
    setText(useText, `#${trial.index}: ${paramsText(params, names)}`);
    shadowButton.hidden = !instance;
    if (instance) setText(shadowButton, `Shadow ${instance.identity.id} with them`);
    setText(useError, '');
    use.hidden = false;
    use.scrollIntoView({ block: 'nearest' });
  }

  async function startShadow() {
    if (!chosen || !instance) return;
    shadowButton.disabled = true;
    setText(useError, '');
    try {
      await api.setShadow(instance.identity.id, { config: chosen.params ?? {} }, { signal });
      toast(`Shadow of ${instance.identity.id} started.`, 'ok');
      location.hash = `#/instances/${encodeURIComponent(instance.identity.id)}`;
    } catch (error) {
      if (!destroyed && error.name !== 'AbortError') setText(useError, `Could not start the shadow: ${error.message}`);
    } finally {
      shadowButton.disabled = false;
    }
  }

  return {
    element,
    start,
    show,
    destroy() {
      destroyed = true;
      controller.abort();
      stopListening();
      clearTimeout(renderTimer);
      clearTimeout(watchTimer);
      heatmap.destroy();
    },
  };
}
