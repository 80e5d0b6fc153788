// The optimization heatmap: one cell per pair of values of two swept parameters, coloured by the
// metric (the best over any other parameters), drawn with Chart.js as a scatter of squares.
import { h } from './dom.js';
import { formatNumber } from './format.js';
import { loadChartJs } from './chart-loader.js';

const LOW = [220, 38, 38];
const MID = [250, 204, 21];
const HIGH = [22, 163, 74];

function mix(a, b, t) {
  return a.map((v, i) => Math.round(v + (b[i] - v) * t));
}

/** The colour of `value` on a red → yellow → green scale between `min` and `max` (flipped when lower is better). */
function colour(value, min, max, higherIsBetter) {
  let t = max > min ? (value - min) / (max - min) : 0.5;
  if (!higherIsBetter) t = 1 - t;
  const rgb = t < 0.5 ? mix(LOW, MID, t * 2) : mix(MID, HIGH, (t - 0.5) * 2);
  return `rgb(${rgb.join(',')})`;
}

function sortedValues(trials, name) {
  const seen = new Map();
  for (const trial of trials) {
    const value = trial.params?.[name];
    if (value !== undefined) seen.set(JSON.stringify(value), value);
  }
  return [...seen.values()].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b))));
}

/** Cells of the grid of `xName` × `yName`: the best metric of the finished trials at each pair. */
export function heatmapCells(trials, xName, yName, metric, higherIsBetter) {
  const done = trials.filter((t) => !t.error && typeof t.metrics?.[metric] === 'number' && Number.isFinite(t.metrics[metric]));
  const xs = sortedValues(done, xName);
  const ys = sortedValues(done, yName);
  const xIndex = new Map(xs.map((v, i) => [JSON.stringify(v), i]));
  const yIndex = new Map(ys.map((v, i) => [JSON.stringify(v), i]));
  const best = new Map();
  for (const trial of done) {
    const key = `${xIndex.get(JSON.stringify(trial.params[xName]))},${yIndex.get(JSON.stringify(trial.params[yName]))}`;
    const value = trial.metrics[metric];
    const held = best.get(key);
    if (held === undefined || (higherIsBetter ? value > held : value < held)) best.set(key, value);
  }
  const cells = [...best.entries()].map(([key, value]) => {
    const [x, y] = key.split(',').map(Number);
    return { x, y, value };
  });
  return { xs, ys, cells };
}

/** A heatmap view: `update(trials)` redraws it; `destroy()` frees the chart. */
export function heatmapView({ xName, yName, metric, higherIsBetter }) {
  const canvas = h('canvas', { role: 'img', 'aria-label': `Heatmap of ${metric} over ${xName} and ${yName}` });
  const box = h('div', { class: 'chart-box heatmap-box', 'data-testid': 'optimize-heatmap' }, canvas);
  const failure = h('p', { class: 'muted', hidden: true });
  let chart = null;
  let destroyed = false;
  let latest = [];

  function config(grid) {
    const values = grid.cells.map((c) => c.value);
    const min = Math.min(...values);
    const max = Math.max(...values);
    const side = Math.max(4, Math.min(320 / Math.max(grid.xs.length, 1), 240 / Math.max(grid.ys.length, 1)) / 2 - 1);
    return {
      type: 'scatter',
      data: {
        datasets: [{
          data: grid.cells,
          pointStyle: 'rect',
          pointRadius: side,
          pointHoverRadius: side,
          backgroundColor: grid.cells.map((c) => colour(c.value, min, max, higherIsBetter)),
          borderWidth: 0,
        }],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: (item) => `${xName} ${grid.xs[item.raw.x]}, ${yName} ${grid.ys[item.raw.y]}: ${metric} ${formatNumber(item.raw.value)}`,
            },
          },
        },
        scales: {
          x: {
            type: 'linear', min: -0.5, max: grid.xs.length - 0.5, title: { display: true, text: xName },
            ticks: { stepSize: 1, callback: (v) => (Number.isInteger(v) ? String(grid.xs[v] ?? '') : '') },
            grid: { display: false },
          },
          y: {
            type: 'linear', min: -0.5, max: grid.ys.length - 0.5, title: { display: true, text: yName },
            ticks: { stepSize: 1, callback: (v) => (Number.isInteger(v) ? String(grid.ys[v] ?? '') : '') },
            grid: { display: false },
          },
        },
      },
    };
  }

  function draw() {
    const grid = heatmapCells(latest, xName, yName, metric, higherIsBetter);
    if (grid.cells.length === 0) return;
    loadChartJs().then((Chart) => {
      if (destroyed) return;
      chart?.destroy();
      chart = new Chart(canvas, config(grid));
    }).catch((error) => {
      console.warn('Chart.js did not load', error);
      failure.textContent = 'The heatmap is unavailable: Chart.js did not load.';
      failure.hidden = false;
      box.hidden = true;
    });
  }

  return {
    el: h('div', {}, box, failure),
    update(trials) {
      latest = trials;
      draw();
    },
    destroy() {
      destroyed = true;
      chart?.destroy();
    },
  };
}
