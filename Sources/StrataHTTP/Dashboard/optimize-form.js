// The Optimize view's form: the data file, the parameters to sweep (prefilled from the type's
// default sweep, GET /api/strategies/{type}/parameters, plus the schema's other fields, left
// out), the search, the metric, walk-forward windows, constraints and the paper broker's cash
// and fee. It shows how many trials the plan has when that can be counted, reads the form into
// a POST /api/optimizations body, and shows the server's field errors next to their fields.
// Strategy-supplied text (labels, enum values) only ever goes in as text.
import { h } from './dom.js';
import { formatCount, formatNumber } from './format.js';

/** The server runs at most this many trials in one optimization. */
export const MAX_TRIALS = 10000;
const NUMERIC = new Set(['integer', 'float', 'number']);
const DEFAULT_STEPS = 5; // values a range without a step gives (the server's default)

/**
 * A `--param` spec as a run's `parameters.params` keeps it ("fast=5:15:5", "side=both,long",
 * "qty") as a request's params item.
 */
export function parseSpec(spec) {
  const at = spec.indexOf('=');
  if (at < 0) return { name: spec };
  const name = spec.slice(0, at);
  const rest = spec.slice(at + 1);
  const bounds = rest.split(':');
  if ((bounds.length === 2 || bounds.length === 3) && bounds.every((b) => b.trim() !== '' && Number.isFinite(Number(b)))) {
    const [from, to, step] = bounds.map(Number);
    return bounds.length === 3 ? { name, from, to, step } : { name, from, to };
  }
  return { name, values: rest.split(',').map((v) => v.trim()) };
}

/** How many values a range has (null when it cannot be counted). */
function rangeCount(from, to, step) {
  if (!Number.isFinite(from) || !Number.isFinite(to) || to < from) return null;
  if (step === null) return from === to ? 1 : DEFAULT_STEPS;
  if (!Number.isFinite(step) || step <= 0) return null;
  return Math.floor((to - from) / step + 1e-9) + 1;
}

function numberOrNull(input) {
  return input.value.trim() === '' ? null : Number(input.value);
}

/** Comma-separated text as typed values for a field of `type`. */
function typedValues(text, type) {
  return text.split(',').map((v) => v.trim()).filter((v) => v !== '').map((v) => {
    if (NUMERIC.has(type) && v !== '' && Number.isFinite(Number(v))) return Number(v);
    if (type === 'boolean' && (v === 'true' || v === 'false')) return v === 'true';
    return v;
  });
}

function valuesText(values) {
  return (Array.isArray(values) ? values : []).map((v) => String(v)).join(', ');
}

/** A labelled control with its error line; `errors` maps the body field to the error element. */
function field(key, label, input, errors, { help, testid } = {}) {
  // Spans, not paragraphs: a label holds phrasing content only.
  const error = h('span', { class: 'field-error', role: 'alert', hidden: true, 'data-testid': `optimize-error-${testid ?? key}` });
  errors.set(key, error);
  return h('label', { class: 'field', dataset: { field: key } },
    h('span', { class: 'field-label', text: label }), input,
    help ? h('span', { class: 'field-help', text: help }) : null, error);
}

/**
 * Builds the form.
 * @param {object} options
 *   type: the strategy type; sweep: the parameters answer; schema: the type's ConfigField array;
 *   files: the data files; instance: the instance the run is based on (or null);
 *   onSubmit(body): starts the run.
 * @returns {{ element, prefill(run), showErrors(errors), setBusy(busy) }}
 */
export function optimizeForm({ type, sweep, schema, files, instance, onSubmit }) {
  const errors = new Map();
  const labels = new Map((Array.isArray(schema) ? schema : []).map((f) => [f.name, f]));

  // --- parameters ------------------------------------------------------------------------------

  const rows = [];
  const swept = Array.isArray(sweep?.parameters) ? sweep.parameters : [];
  for (const p of swept) rows.push(paramRow(p.name, p.type, p, true));
  // The schema's other fields (strings, numbers without bounds): offered, left out.
  for (const f of labels.values()) {
    if (!swept.some((p) => p.name === f.name)) rows.push(paramRow(f.name, f.type, { values: [f.default] }, false));
  }

  function paramRow(name, kind, prefill, included) {
    const numeric = NUMERIC.has(kind);
    const include = h('input', { type: 'checkbox', 'data-testid': 'optimize-include', 'aria-label': `Sweep ${name}` });
    include.checked = included;
    const mode = h('select', { 'data-testid': 'optimize-mode', 'aria-label': `How ${name} is swept` },
      h('option', { value: 'range', text: 'range' }), h('option', { value: 'values', text: 'values' }));
    const from = h('input', { type: 'number', step: 'any', 'data-testid': 'optimize-from', 'aria-label': `${name} from` });
    const to = h('input', { type: 'number', step: 'any', 'data-testid': 'optimize-to', 'aria-label': `${name} to` });
    const step = h('input', { type: 'number', step: 'any', min: '0', 'data-testid': 'optimize-step', 'aria-label': `${name} step`, placeholder: `${DEFAULT_STEPS} values` });
    const values = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', 'data-testid': 'optimize-values', 'aria-label': `${name} values`, placeholder: 'a, b, c' });
    const count = h('td', { class: 'num', 'data-testid': 'optimize-count' });
    const error = h('p', { class: 'field-error', role: 'alert', hidden: true, 'data-testid': 'optimize-param-error' });
    const range = h('span', { class: 'sweep-range' }, from, h('span', { class: 'muted', text: 'to' }), to, h('span', { class: 'muted', text: 'step' }), step);
    const spec = labels.get(name);
    const row = {
      name, kind, numeric, include, mode, from, to, step, values, count, error, range,
      tr: h('tr', { 'data-testid': 'optimize-param', dataset: { name } },
        h('td', {}, include),
        h('td', {}, h('code', { text: name }),
          spec?.label && spec.label !== name ? h('div', { class: 'muted small', 'data-testid': 'optimize-param-label', text: spec.label }) : null),
        h('td', { class: 'muted small', text: kind }),
        h('td', {}, h('div', { class: 'sweep' }, numeric ? mode : null, range, values, error)),
        count),
    };
    set(row, prefill);
    for (const input of [include, mode, from, to, step, values]) {
      input.addEventListener('input', () => { showRowError(row, ''); update(); });
      input.addEventListener('change', update);
    }
    return row;
  }

  /** Puts a params item (or the default sweep's entry, which has both a range and its values) into a row. */
  function set(row, item) {
    const ranged = row.numeric && (typeof item.from === 'number' || item.values === undefined);
    row.mode.value = ranged ? 'range' : 'values';
    row.from.value = typeof item.from === 'number' ? String(item.from) : '';
    row.to.value = typeof item.to === 'number' ? String(item.to) : '';
    row.step.value = typeof item.step === 'number' ? String(item.step) : '';
    row.values.value = item.values !== undefined ? valuesText(item.values) : '';
  }

  function showRowError(row, message) {
    row.error.textContent = message;
    row.error.hidden = !message;
    row.tr.classList.toggle('has-error', Boolean(message));
  }

  /** The values a row gives, or null when they cannot be counted. */
  function rowCount(row) {
    if (!row.include.checked) return 1;
    if (row.numeric && row.mode.value === 'range') return rangeCount(numberOrNull(row.from), numberOrNull(row.to), numberOrNull(row.step));
    const list = typedValues(row.values.value, row.kind);
    return list.length > 0 ? list.length : null;
  }

  // --- the other fields ------------------------------------------------------------------------

  const data = h('select', { 'data-testid': 'optimize-data' },
    files.map((f) => h('option', { value: f.name, text: f.folder ? `${f.name}/ (folder)` : f.name })));
  const search = h('select', { 'data-testid': 'optimize-search' },
    h('option', { value: 'grid', text: 'grid (every point)' }), h('option', { value: 'random', text: 'random (N points)' }));
  const trials = h('input', { type: 'number', min: '1', max: String(MAX_TRIALS), step: '1', value: '100', 'data-testid': 'optimize-random-trials' });
  const seed = h('input', { type: 'number', min: '0', step: '1', value: '1', 'data-testid': 'optimize-seed' });
  const metrics = Array.isArray(sweep?.metrics) && sweep.metrics.length > 0 ? sweep.metrics : ['sharpe'];
  const metric = h('select', { 'data-testid': 'optimize-metric' }, metrics.map((m) => h('option', { value: m, text: m })));
  metric.value = metrics.includes(sweep?.default_metric) ? sweep.default_metric : metrics[0];
  const direction = h('select', { 'data-testid': 'optimize-direction' },
    h('option', { value: '', text: 'the metric’s own' }), h('option', { value: 'maximize', text: 'maximize' }), h('option', { value: 'minimize', text: 'minimize' }));
  const walkForward = h('input', { type: 'number', min: '0', max: '100', step: '1', value: '0', 'data-testid': 'optimize-walk-forward' });
  const constraints = h('textarea', { class: 'mono', rows: 2, 'data-testid': 'optimize-constraints', placeholder: 'fast < slow' });
  const cash = h('input', { type: 'number', min: '0', step: 'any', value: '100000', 'data-testid': 'optimize-cash' });
  const fee = h('input', { type: 'number', min: '0', max: '9999', step: 'any', value: '0', 'data-testid': 'optimize-fee' });
  // A strategy whose windows must be ordered says so in its init(); offer the usual constraint.
  if (labels.has('fast') && labels.has('slow')) constraints.value = 'fast < slow';

  const randomOnly = [
    field('trials', 'Trials', trials, errors),
    field('seed', 'Seed', seed, errors),
  ];
  const planned = h('p', { class: 'planned', 'data-testid': 'optimize-planned', 'aria-live': 'polite' });
  const paramsError = h('p', { class: 'field-error', role: 'alert', hidden: true, 'data-testid': 'optimize-error-params' });
  errors.set('params', paramsError);
  const topError = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, 'data-testid': 'optimize-form-error' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'optimize-start', text: 'Start optimization' });
  const paramsTable = h('table', { class: 'data compact params-table', 'data-testid': 'optimize-params' },
    h('caption', { class: 'visually-hidden', text: 'Parameters to sweep' }),
    h('thead', {}, h('tr', {}, ['Sweep', 'Parameter', 'Type', 'Values', 'Count'].map((c) => h('th', { scope: 'col', text: c })))),
    h('tbody', {}, rows.map((r) => r.tr)));
  if (rows.length === 0) paramsTable.tBodies[0].append(h('tr', { class: 'empty' }, h('td', { colspan: 5, text: 'This strategy type has no config fields to sweep.' })));

  const element = h('form', { class: 'optimize-form', novalidate: true, 'data-testid': 'optimize-form', 'aria-label': `Optimize ${type}` },
    instance ? h('p', { class: 'alert alert-info', 'data-testid': 'optimize-instance-note' },
      'Based on instance ', h('strong', { class: 'mono', text: instance.identity.id }),
      `: its current version, its config for the fields not swept, and its market (${instance.identity.market}).`) : null,
    h('h3', { class: 'subhead', text: 'Parameters' }),
    h('div', { class: 'table-wrap' }, paramsTable), paramsError,
    h('div', { class: 'optimize-fields' },
      field('data', 'Data file', data, errors),
      field('search', 'Search', search, errors),
      ...randomOnly,
      field('metric', 'Metric', metric, errors),
      field('direction', 'Direction', direction, errors),
      field('walk_forward', 'Walk-forward windows', walkForward, errors, { help: '0: none. K: the bars cut in K+1 parts; each window optimises on one, scores on the next.' }),
      field('cash', 'Cash', cash, errors),
      field('fee_bps', 'Fee (bps)', fee, errors)),
    field('constraints', 'Constraints (one per line)', constraints, errors, { help: 'Points that break one are skipped, like fast < slow.' }),
    topError,
    h('div', { class: 'form-actions' }, submit, planned));

  for (const input of [search, trials, walkForward]) {
    input.addEventListener('input', update);
    input.addEventListener('change', update);
  }
  for (const [key, error] of errors) {
    if (key === 'params') continue;
    error.parentElement.querySelector('input, select, textarea')?.addEventListener('input', () => showError(key, ''));
  }

  function showError(key, message) {
    const error = errors.get(key);
    if (!error) return false;
    error.textContent = message;
    error.hidden = !message;
    error.parentElement.classList.toggle('has-error', Boolean(message));
    return true;
  }

  /** The plan's trial count, or null when some row cannot be counted. */
  function trialCount() {
    let grid = 1;
    for (const row of rows) {
      const n = rowCount(row);
      if (n === null) return null;
      grid *= n;
    }
    const windows = Math.max(0, Math.floor(Number(walkForward.value) || 0));
    const points = search.value === 'random' ? Math.min(grid, Math.max(1, Math.floor(Number(trials.value) || 100))) : grid;
    return points * Math.max(1, windows) + windows;
  }

  function update() {
    for (const row of rows) {
      const ranged = row.numeric && row.mode.value === 'range';
      row.range.hidden = !ranged;
      row.values.hidden = ranged;
      row.mode.disabled = row.from.disabled = row.to.disabled = row.step.disabled = row.values.disabled = !row.include.checked;
      row.tr.classList.toggle('excluded', !row.include.checked);
      const n = rowCount(row);
      row.count.textContent = !row.include.checked ? '—' : n === null ? '?' : formatCount(n);
    }
    for (const part of randomOnly) part.hidden = search.value !== 'random';
    const count = trialCount();
    const some = rows.some((r) => r.include.checked);
    planned.dataset.trials = count === null || !some ? '' : String(count);
    if (!some) planned.textContent = 'Choose at least one parameter to sweep.';
    else if (count === null) planned.textContent = 'The trial count shows once every swept parameter has values.';
    else {
      const skipped = constraints.value.trim() !== '' ? ' (fewer if constraints skip points)' : '';
      planned.textContent = `${formatCount(count)} trial${count === 1 ? '' : 's'} planned${skipped}.`;
      if (count > MAX_TRIALS) planned.textContent += ` The server runs at most ${formatNumber(MAX_TRIALS)}: take larger steps or a random search.`;
    }
    planned.classList.toggle('too-many', count !== null && count > MAX_TRIALS);
  }
  constraints.addEventListener('input', update);

  // --- reading and errors ----------------------------------------------------------------------

  /** The params items of the rows swept, with the rows they came from (same order). */
  function readParams() {
    const included = rows.filter((r) => r.include.checked);
    return {
      rows: included,
      params: included.map((row) => {
        if (row.numeric && row.mode.value === 'range') {
          const item = { name: row.name, from: numberOrNull(row.from), to: numberOrNull(row.to) };
          const step = numberOrNull(row.step);
          if (step !== null) item.step = step;
          return item;
        }
        return { name: row.name, values: typedValues(row.values.value, row.kind) };
      }),
    };
  }

  /** Checks what the browser can; shows the problems; returns true when the form can be sent. */
  function validate() {
    let ok = true;
    const { rows: included, params } = readParams();
    if (included.length === 0) { showError('params', 'Choose at least one parameter to sweep.'); ok = false; }
    params.forEach((item, index) => {
      const row = included[index];
      let message = '';
      if ('values' in item && item.values.length === 0) message = 'Give at least one value (comma-separated).';
      if ('from' in item && (item.from === null || item.to === null || !Number.isFinite(item.from) || !Number.isFinite(item.to))) message = 'Give a number in both from and to.';
      if ('step' in item && !(item.step > 0)) message = 'The step must be more than 0.';
      showRowError(row, message);
      if (message) ok = false;
    });
    return ok;
  }

  function read() {
    const { params } = readParams();
    const body = { strategy_type: type, data: data.value, params, metric: metric.value };
    if (instance) body.instance_id = instance.identity.id;
    if (direction.value) body.direction = direction.value;
    if (search.value === 'random') {
      body.search = 'random';
      if (trials.value !== '') body.trials = Number(trials.value);
      if (seed.value !== '') body.seed = Number(seed.value);
    }
    if (walkForward.value !== '') body.walk_forward = Number(walkForward.value);
    const lines = constraints.value.split('\n').map((l) => l.trim()).filter(Boolean);
    if (lines.length > 0) body.constraints = lines;
    if (cash.value !== '') body.cash = Number(cash.value);
    if (fee.value !== '') body.fee_bps = Number(fee.value);
    return body;
  }

  let sentRows = [];
  element.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors();
    if (!validate()) return;
    sentRows = readParams().rows;
    onSubmit(read());
  });

  function clearErrors() {
    for (const key of errors.keys()) showError(key, '');
    for (const row of rows) showRowError(row, '');
    topError.hidden = true;
    topError.replaceChildren();
  }

  update();

  return {
    element,
    /** Shows the server's field errors next to their fields; the others at the top. */
    showErrors(list) {
      clearErrors();
      const rest = [];
      for (const e of list) {
        const item = /^params\[(\d+)\]/.exec(e.field);
        const row = item ? sentRows[Number(item[1])] : null;
        if (row) showRowError(row, e.message);
        else if (!showError(e.field, e.message)) rest.push(e);
      }
      topError.hidden = rest.length === 0;
      topError.replaceChildren(...rest.map((e) => h('div', { text: e.field ? `${e.field}: ${e.message}` : e.message })));
    },
    setBusy(busy) {
      submit.disabled = busy;
    },
    /** Fills the form with a stored run's settings (to run it again, changed). */
    prefill(run) {
      const p = run.parameters ?? {};
      if (files.some((f) => f.name === run.data)) data.value = run.data;
      if (typeof p.metric === 'string' && metrics.includes(p.metric)) metric.value = p.metric;
      if (p.direction === 'maximize' || p.direction === 'minimize') direction.value = p.direction;
      search.value = p.search === 'random' ? 'random' : 'grid';
      if (typeof p.trials === 'number') trials.value = String(p.trials);
      if (typeof p.seed === 'number') seed.value = String(p.seed);
      if (typeof p.walk_forward === 'number') walkForward.value = String(p.walk_forward);
      constraints.value = Array.isArray(p.constraints) ? p.constraints.join('\n') : '';
      if (typeof p.cash === 'number') cash.value = String(p.cash);
      if (typeof p.fee_bps === 'number') fee.value = String(p.fee_bps);
      const specs = Array.isArray(p.params) ? p.params.filter((s) => typeof s === 'string').map(parseSpec) : [];
      if (specs.length > 0) {
        for (const row of rows) {
          const item = specs.find((s) => s.name === row.name);
          row.include.checked = Boolean(item);
          if (item && (item.values !== undefined || item.from !== undefined)) set(row, item);
        }
      }
      update();
    },
  };
}
