// The Optimize view. `#/optimize` picks a strategy type (and lists recent runs);
// `#/optimize/{type}` sweeps its parameters: the form (optimize-form.js), the run as it goes
// (optimize-run.js) and the type's earlier runs. `?instance=ID` bases the runs on an instance
// (its version, config and market; "use" then offers a shadow of it); `?run=ID` shows a
// stored run, its settings put back in the form.
import { api, ApiError } from './api.js';
import { h, card, fillRows } from './dom.js';
import { formatCount, formatNumber, formatTime, shortHash } from './format.js';
import { optimizeForm } from './optimize-form.js';
import { optimizeRun } from './optimize-run.js';
import { badge, toast } from './ui.js';

const RECENT = 20;

/** The view's address for a type, keeping the instance, optionally naming a run. */
function address(type, { instance, run } = {}) {
  const query = new URLSearchParams();
  if (instance) query.set('instance', instance);
  if (run) query.set('run', run);
  const text = query.toString();
  return `#/optimize/${encodeURIComponent(type)}${text ? `?${text}` : ''}`;
}

const STATE_OF = { done: 'running', failed: 'error', cancelled: 'stopped', queued: 'loading', running: 'loading' };

/** The rows of a list of runs: clicking one opens it. */
function runsTable(testid, withType) {
  const tbody = h('tbody');
  const columns = [...(withType ? ['Type'] : []), 'Started', 'Data', 'Status', 'Metric', 'Best', 'Trials'];
  const table = h('table', { class: 'data compact clickable', 'data-testid': testid },
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', text: c })))), tbody);
  return {
    table,
    fill(runs, emptyText) {
      fillRows(tbody, runs.map((r) => {
        const s = r.summary ?? {};
        const metric = s.metric ?? r.parameters?.metric ?? '';
        const best = s.best && typeof s.best === 'object' ? s.best.metrics?.[metric] : undefined;
        return [...(withType ? [h('td', { class: 'mono', text: r.strategy_type })] : []),
          formatTime(r.created_at), r.data, h('td', {}, badge('state', STATE_OF[r.status] ?? 'loading', null)),
          metric, h('td', { class: 'num', text: typeof best === 'number' ? formatNumber(best) : '—' }),
          h('td', { class: 'num', text: typeof s.planned === 'number' ? `${formatCount(s.completed)} / ${formatCount(s.planned)}` : '—' })];
      }), columns.length, emptyText);
      [...tbody.rows].forEach((row, index) => {
        const r = runs[index];
        if (!r) return;
        row.querySelector('.badge').textContent = r.status;
        row.tabIndex = 0;
        row.dataset.run = r.id;
        row.setAttribute('data-testid', 'optimize-history-row');
        const open = () => { location.hash = address(r.strategy_type, { instance: r.instance_id ?? undefined, run: r.id }); };
        row.addEventListener('click', open);
        row.addEventListener('keydown', (event) => { if (event.key === 'Enter') open(); });
      });
    },
  };
}

/** `#/optimize`: the strategy types with a loaded version, and recent runs of any type. */
function mountPicker(container, controller) {
  const tbody = h('tbody');
  const status = h('p', { class: 'muted', text: 'Loading…' });
  const recent = runsTable('optimize-recent', true);
  container.append(h('div', { class: 'page' },
    h('div', { class: 'page-head' }, h('div', {}, h('h1', { text: 'Optimize' }),
      h('p', { class: 'subtitle', text: 'Sweep a strategy’s parameters over a data file of the server: each point a backtest, ranked by a metric.' }))),
    status,
    h('div', { class: 'table-wrap' }, h('table', { class: 'data', 'data-testid': 'optimize-types' },
      h('thead', {}, h('tr', {}, ['Type', 'Current version', 'Config fields', ''].map((c) => h('th', { scope: 'col', text: c })))), tbody)),
    h('h2', { class: 'section-title', text: 'Recent runs' }),
    h('div', { class: 'table-wrap' }, recent.table)));
  document.title = 'Optimize · Strata';
  const { signal } = controller;
  api.strategies({ signal }).then(({ strategies }) => {
    status.remove();
    const loaded = strategies.filter((s) => s.version).sort((a, b) => a.strategy_type.localeCompare(b.strategy_type));
    fillRows(tbody, loaded.map((s) => [
      h('td', {}, h('strong', { class: 'mono', text: s.strategy_type })),
      h('td', {}, h('code', { title: s.version, text: shortHash(s.version) })),
      formatCount(Array.isArray(s.schema) ? s.schema.length : 0),
      h('td', { class: 'nowrap' }, h('a', { class: 'btn btn-small', href: address(s.strategy_type), 'data-testid': 'optimize-pick', text: 'Optimize' }))]),
    4, 'No strategy type has a loaded version.');
    [...tbody.rows].forEach((row, i) => { if (loaded[i]) row.dataset.type = loaded[i].strategy_type; });
  }).catch((error) => {
    if (error.name === 'AbortError') return;
    status.className = 'alert alert-error';
    status.textContent = `Could not load the strategy types: ${error.message}`;
  });
  api.optimizations({ limit: RECENT }, { signal }).then(({ optimizations }) => {
    recent.fill(optimizations, 'No optimizations yet.');
  }).catch((error) => {
    if (error.name !== 'AbortError') recent.fill([], `Could not list the optimizations: ${error.message}`);
  });
}

export function mountOptimize(container, [rawType], query) {
  const controller = new AbortController();
  if (!rawType) {
    mountPicker(container, controller);
    return { destroy() { controller.abort(); } };
  }
  const { signal } = controller;
  const type = decodeURIComponent(rawType);
  const instanceID = query.get('instance') || null;
  const runID = query.get('run') || null;
  let destroyed = false;
  let panel = null;

  const crumbs = h('p', { class: 'crumbs' }, h('a', { href: '#/optimize', 'data-testid': 'optimize-back', text: '← Optimize' }));
  const subtitle = h('p', { class: 'subtitle', 'data-testid': 'optimize-subtitle' });
  const loading = h('p', { class: 'muted', text: 'Loading…' });
  const page = h('div', { class: 'page optimize', 'data-testid': 'optimize', dataset: { type } },
    crumbs,
    h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, 'Optimize ', h('span', { class: 'mono', 'data-testid': 'optimize-type', text: type })), subtitle)),
    loading);
  container.append(page);
  document.title = `Optimize ${type} · Strata`;

  const earlier = runsTable('optimize-history', false);
  async function loadHistory() {
    try {
      const { optimizations } = await api.optimizations({ strategyType: type, limit: RECENT }, { signal });
      if (!destroyed) earlier.fill(optimizations, 'No optimizations of this type yet.');
    } catch (error) {
      if (!destroyed && error.name !== 'AbortError') earlier.fill([], `Could not list the optimizations: ${error.message}`);
    }
  }

  const optional = (promise) => promise.catch((error) => { if (error.name === 'AbortError') throw error; return null; });
  Promise.all([
    api.parameters(type, { signal }),
    optional(api.strategies({ signal })),
    api.dataFiles({ signal }),
    instanceID ? api.getInstance(instanceID, { signal }) : null,
    runID ? optional(api.getOptimization(runID, { signal })) : null,
  ]).then(async ([sweep, strategies, { files }, instance, run]) => {
    if (destroyed) return;
    // A stored run based on an instance offers a shadow of it too.
    if (!instance && run?.instance_id) instance = await optional(api.getInstance(run.instance_id, { signal }));
    if (destroyed) return;
    const schema = strategies?.strategies?.find((s) => s.strategy_type === type)?.schema ?? [];
    build({ sweep, schema, files, instance, run });
  }).catch((error) => {
    if (destroyed || error.name === 'AbortError') return;
    const text = error instanceof ApiError && error.status === 404 && instanceID && error.errors.some((e) => e.field === 'id')
      ? `No instance with the id “${instanceID}”.`
      : `Could not load ${type}: ${error.message}`;
    loading.replaceWith(h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'optimize-load-error', text }));
  });

  function build({ sweep, schema, files, instance, run }) {
    if (instance) {
      crumbs.append(' · ', h('a', { href: `#/instances/${encodeURIComponent(instance.identity.id)}`, 'data-testid': 'optimize-instance-link', text: instance.identity.id }));
      subtitle.textContent = `Based on instance ${instance.identity.id} (${instance.identity.market}).`;
    } else {
      subtitle.textContent = 'The type’s current version over a data file of the server, with the paper broker.';
    }
    panel = optimizeRun({ type, instance, onFinished: () => loadHistory() });
    const form = optimizeForm({
      type, sweep, schema, files, instance,
      onSubmit: async (body) => {
        form.setBusy(true);
        try {
          const created = await panel.start(body);
          if (destroyed) return;
          // The address names the run (a reload shows it) without mounting the view again.
          history.replaceState(null, '', address(type, { instance: instance?.identity.id, run: created.id }));
          loadHistory();
        } catch (error) {
          if (destroyed || error.name === 'AbortError') return;
          form.showErrors(error instanceof ApiError ? error.errors : [{ field: '', message: String(error) }]);
        } finally {
          form.setBusy(false);
        }
      },
    });
    if (files.length === 0) form.showErrors([{ field: 'data', message: 'The server has no data files (strata serve --data-dir).' }]);
    const settings = card('Settings', { id: 'optimize-settings', testid: 'optimize-settings' });
    settings.body.append(form.element);
    const running = card('Run', { id: 'optimize-run', testid: 'optimize-run-card' });
    running.body.append(panel.element);
    const runs = card('Earlier runs', { id: 'optimize-earlier', testid: 'optimize-earlier' });
    runs.body.append(h('div', { class: 'table-wrap' }, earlier.table));
    loading.replaceWith(settings.section, running.section, runs.section);
    if (run) {
      form.prefill(run);
      panel.show(run.id).catch((error) => {
        if (!destroyed && error.name !== 'AbortError') toast(`Could not load the run: ${error.message}`, 'error');
      });
    } else if (runID) {
      running.body.prepend(h('p', { class: 'alert alert-error', role: 'alert', text: `No optimization with the id “${runID}”.` }));
    }
    loadHistory();
  }

  return {
    destroy() {
      destroyed = true;
      controller.abort();
      panel?.destroy();
    },
  };
}
