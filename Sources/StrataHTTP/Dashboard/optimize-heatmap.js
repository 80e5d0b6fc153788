// The Optimize view's heatmap: the metric over two swept parameters (chosen in two selects),
// drawn with Chart.js as a scatter on two category axes whose points are hidden and whose cells
// a small plugin fills (Chart.js has no matrix chart). With more parameters a cell is the best trial over the others; with
// walk-forward the cells are the last window's in-sample trials (the ones its best came from),
// as in the HTML report, whose colours these are (red worse, green better).
import { h, setText } from './dom.js';
import { formatNumber } from './format.js';
import { loadChartJs } from './widgets.js';

const EMPTY = '#e5e7eb';

/** The report's colour ramp: 0 (worse) red, 0.5 yellow, 1 (better) green. */
export function heatColour(share) {
  const t = Number.isFinite(share) ? Math.min(Math.max(share, 0), 1) : 0.5;
  const [r, g, b] = t < 0.5
    ? [215 + 40 * t * 2, 48 + 192 * t * 2, 39 + 131 * t * 2]
    : [255 - 229 * (t - 0.5) * 2, 240 - 88 * (t - 0.5) * 2, 170 - 90 * (t - 0.5) * 2];
  return `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})`;
}

/** A parameter value as an axis label. */
function label(value) {
  return typeof value === 'number' ? String(value) : value === null || value === undefined ? '—' : String(value);
}

/** Distinct values, numerically sorted when all are numbers, else in the order met. */
function ordered(values) {
  const seen = [];
  for (const v of values) if (!seen.some((s) => s === v)) seen.push(v);
  return seen.every((v) => typeof v === 'number') ? seen.sort((a, b) => a - b) : seen;
}

/** Fills a cell around each point: one band of each category axis (`offset` centres the labels). */
const cellPlugin = {
  id: 'heatCells',
  beforeDatasetsDraw(chart) {
    const area = chart.chartArea;
    const dataset = chart.data.datasets[0];
    const meta = chart.getDatasetMeta(0);
    if (!area || !dataset || !meta) return;
    const width = area.width / Math.max(1, chart.scales.x.getLabels().length);
    const height = area.height / Math.max(1, chart.scales.y.getLabels().length);
    const active = new Set(chart.getActiveElements().map((e) => e.index));
    const { ctx } = chart;
    ctx.save();
    meta.data.forEach((point, index) => {
      ctx.fillStyle = dataset.cellColours[index] ?? EMPTY;
      ctx.fillRect(point.x - width / 2 + 1, point.y - height / 2 + 1, width - 2, height - 2);
      if (active.has(index)) {
        ctx.strokeStyle = '#111827';
        ctx.lineWidth = 2;
        ctx.strokeRect(point.x - width / 2 + 2, point.y - height / 2 + 2, width - 4, height - 4);
      }
    });
    ctx.restore();
  },
};

function better(a, b, direction) {
  return direction === 'minimize' ? a < b : a > b;
}

/** @returns {{ element, update({trials, names, metric, direction}), destroy() }} */
export function optimizeHeatmap() {
  let chart = null;
  let destroyed = false;
  let loading = null;
  let last = null;
  const xSelect = h('select', { 'data-testid': 'optimize-heat-x', 'aria-label': 'Heatmap X parameter' });
  const ySelect = h('select', { 'data-testid': 'optimize-heat-y', 'aria-label': 'Heatmap Y parameter' });
  const canvas = h('canvas', { role: 'img', 'aria-label': 'Heatmap of the metric' });
  const box = h('div', { class: 'chart-box heatmap-box', 'data-testid': 'optimize-heatmap' }, canvas);
  const low = h('span', { class: 'num' });
  const high = h('span', { class: 'num' });
  const note = h('span', { class: 'muted' });
  const legend = h('p', { class: 'heat-legend small', 'data-testid': 'optimize-heat-legend' },
    h('span', { class: 'muted', text: 'worse ' }), low, h('span', { class: 'heat-scale', 'aria-hidden': 'true' }), high,
    h('span', { class: 'muted', text: ' better' }), ' ', note);
  const message = h('p', { class: 'muted', hidden: true, 'data-testid': 'optimize-heat-message' });
  const controls = h('div', { class: 'heat-controls' },
    h('label', { class: 'field' }, h('span', { class: 'field-label', text: 'X' }), xSelect),
    h('label', { class: 'field' }, h('span', { class: 'field-label', text: 'Y' }), ySelect));
  const element = h('div', { class: 'heatmap', 'data-testid': 'optimize-heatmap-card' }, controls, message, box, legend);
  xSelect.addEventListener('change', () => last && draw(last));
  ySelect.addEventListener('change', () => last && draw(last));

  function setOptions(select, names, wanted) {
    const current = [...select.options].map((o) => o.value);
    if (current.length !== names.length || current.some((n, i) => n !== names[i])) {
      select.replaceChildren(...names.map((n) => h('option', { value: n, text: n })));
      select.value = wanted;
    }
  }

  /** The cells: [{x, y, value}] over the distinct values of the two axes. */
  function cells(trials, xName, yName, metric, direction) {
    const byKey = new Map();
    for (const t of trials) {
      const x = t.params?.[xName];
      const y = yName ? t.params?.[yName] : '';
      if (x === undefined || y === undefined) continue;
      const key = JSON.stringify([x, y]);
      const score = t.metrics?.[metric];
      const value = typeof score === 'number' && Number.isFinite(score) ? score : null;
      const cell = byKey.get(key);
      if (!cell) byKey.set(key, { x, y, value });
      else if (value !== null && (cell.value === null || better(value, cell.value, direction))) cell.value = value;
    }
    return [...byKey.values()];
  }

  function draw({ trials, names, metric, direction }) {
    if (names.length === 0 || trials.length === 0) {
      message.hidden = false;
      message.textContent = names.length === 0 ? 'No swept parameters to draw.' : 'No trial has finished yet.';
      box.hidden = true;
      legend.hidden = true;
      controls.hidden = names.length < 2;
      return;
    }
    setOptions(xSelect, names, names[0]);
    setOptions(ySelect, names, names[1] ?? names[0]);
    controls.hidden = names.length < 2;
    const xName = xSelect.value || names[0];
    const yName = names.length >= 2 ? (ySelect.value || names[1]) : null;
    // With walk-forward: the last window's in-sample trials.
    const windows = trials.filter((t) => t.sample !== 'out' && typeof t.window === 'number').map((t) => t.window);
    const lastWindow = windows.length > 0 ? Math.max(...windows) : null;
    const used = trials.filter((t) => t.sample !== 'out' && (lastWindow === null || t.window === lastWindow));
    const list = cells(used, xName, yName === xName ? null : yName, metric, direction);
    const xs = ordered(list.map((c) => c.x)).map(label);
    const ys = yName && yName !== xName ? ordered(list.map((c) => c.y)).map(label) : [''];
    const values = list.map((c) => c.value).filter((v) => v !== null);
    const lo = values.length ? Math.min(...values) : 0;
    const hi = values.length ? Math.max(...values) : 0;
    const colour = (v) => {
      if (v === null) return EMPTY;
      const share = hi > lo ? (v - lo) / (hi - lo) : 0.5;
      return heatColour(direction === 'minimize' ? 1 - share : share);
    };
    message.hidden = true;
    box.hidden = false;
    legend.hidden = false;
    setText(low, formatNumber(direction === 'minimize' ? hi : lo));
    setText(high, formatNumber(direction === 'minimize' ? lo : hi));
    setText(note, [`${metric} (${direction});`, names.length > 2 ? 'each cell is the best over the other parameters;' : null,
      lastWindow !== null ? `the in-sample trials of window ${lastWindow};` : null, 'grey: no value.'].filter(Boolean).join(' '));
    canvas.setAttribute('aria-label', `${metric} by ${xName}${yName && yName !== xName ? ` and ${yName}` : ''}`);

    const points = list.map((c) => ({ x: label(c.x), y: yName && yName !== xName ? label(c.y) : '', v: c.value }));
    const data = { datasets: [{ data: points, cellColours: points.map((p) => colour(p.v)), pointRadius: 0, pointHoverRadius: 0 }] };
    const scales = {
      x: { type: 'category', labels: xs, offset: true, grid: { display: false }, title: { display: true, text: xName } },
      y: { type: 'category', labels: ys, offset: true, reverse: true, grid: { display: false },
        title: { display: Boolean(yName && yName !== xName), text: yName ?? '' } },
    };
    const tooltip = { displayColors: false, callbacks: { label: (ctx) => {
      const p = ctx.raw;
      const where = yName && yName !== xName ? `${xName}=${p.x} ${yName}=${p.y}` : `${xName}=${p.x}`;
      return `${where}: ${metric} ${p.v === null ? 'no value' : formatNumber(p.v)}`;
    } } };
    if (chart) {
      chart.data = data;
      chart.options.scales = scales;
      chart.options.plugins.tooltip = tooltip;
      chart.update('none');
      return;
    }
    loading ??= loadChartJs().then((Chart) => {
      if (destroyed) return;
      chart = new Chart(canvas, { type: 'scatter', data, plugins: [cellPlugin], options: { animation: false, responsive: true, maintainAspectRatio: false,
        interaction: { mode: 'nearest', intersect: false }, plugins: { legend: { display: false }, tooltip }, scales } });
      if (last) draw(last);
    }).catch(() => {
      message.hidden = false;
      message.textContent = 'The heatmap is unavailable: Chart.js did not load.';
      box.hidden = true;
    });
  }

  return {
    element,
    /** Redraws from the trials so far; names are the swept parameters in the run's order. */
    update(state) {
      last = state;
      draw(state);
    },
    destroy() {
      destroyed = true;
      chart?.destroy();
      chart = null;
    },
  };
}
