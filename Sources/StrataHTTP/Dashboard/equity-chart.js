// Time-series charts of equity history (EquitySeries points [t, equity, position, realised, fees]):
// one Chart.js line per canvas on a linear x axis of Unix seconds whose ticks are formatted
// here (the Debian Chart.js has no date adapter, so there is no `time` scale). The drawdown is
// computed in the browser from the equity points.
import { h } from './dom.js';
import { formatNumber, formatUnixShort, formatUnixTime } from './format.js';
import { loadChartJs } from './widgets.js';

const DAY = 86400;

/** Formats an axis tick for a series spanning `span` seconds: a date, a day and time, or a time. */
export function timeTick(span) {
  if (span > 3 * DAY) return (t) => new Date(t * 1000).toISOString().slice(0, 10);
  if (span > DAY / 2) return formatUnixShort;
  return formatUnixTime;
}

/** Equity points as {x, y}, dropping any that are not two finite numbers. */
export function equityXY(points) {
  const out = [];
  for (const p of Array.isArray(points) ? points : []) {
    if (Array.isArray(p) && Number.isFinite(p[0]) && Number.isFinite(p[1])) out.push({ x: p[0], y: p[1] });
  }
  return out;
}

/** The drawdown in percent below the running peak at each point (0 at a new high, else < 0). */
export function drawdownXY(xy) {
  let peak = -Infinity;
  return xy.map(({ x, y }) => {
    if (y > peak) peak = y;
    return { x, y: peak > 0 ? (y / peak - 1) * 100 : 0 };
  });
}

/**
 * A line chart of {x: Unix seconds, y} points that is created on first data and updated in place.
 * @returns {{ element, update(xy), destroy() }}
 */
export function timeLineChart({ label, color, testid, fill = false, unit = '' }) {
  const canvas = h('canvas', { role: 'img', 'aria-label': `Chart: ${label}` });
  const box = h('div', { class: 'chart-box perf-chart', 'data-testid': testid }, canvas);
  let chart = null;
  let pending = null;
  let destroyed = false;
  let loading = false;

  function axis(xy) {
    const min = xy.length ? xy[0].x : 0;
    const max = xy.length ? xy[xy.length - 1].x : 1;
    return { min, max, tick: timeTick(max - min) };
  }

  function config(xy) {
    const { min, max, tick } = axis(xy);
    return {
      type: 'line',
      data: { datasets: [{ label, data: xy, borderColor: color, backgroundColor: `${color}22`, fill: fill ? 'origin' : false,
        borderWidth: 1.6, pointRadius: 0, pointHitRadius: 6, tension: 0 }] },
      options: {
        animation: false, parsing: false, normalized: true, responsive: true, maintainAspectRatio: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: {
            title: (items) => (items.length ? `${formatUnixShort(items[0].parsed.x)} UTC` : ''),
            label: (item) => `${label}: ${formatNumber(item.parsed.y)}${unit}`,
          } },
        },
        scales: {
          x: { type: 'linear', min, max, grid: { display: false }, ticks: { maxTicksLimit: 7, maxRotation: 0, callback: tick } },
          y: { grid: { color: '#eef0f3' }, ticks: { callback: (v) => `${formatNumber(v)}${unit}` } },
        },
      },
    };
  }

  function draw(xy) {
    if (chart) {
      const { min, max, tick } = axis(xy);
      chart.data.datasets[0].data = xy;
      Object.assign(chart.options.scales.x, { min, max });
      chart.options.scales.x.ticks.callback = tick;
      chart.update('none');
      box.dataset.points = String(xy.length);
      return;
    }
    pending = xy;
    if (loading) return;
    loading = true;
    loadChartJs().then((Chart) => {
      if (destroyed) return;
      chart = new Chart(canvas, config(pending));
      box.dataset.points = String(pending.length);
    }).catch(() => {
      box.replaceChildren(h('p', { class: 'muted', text: 'Charts are unavailable: Chart.js did not load.' }));
    });
  }

  return {
    element: box,
    update: draw,
    destroy() {
      destroyed = true;
      chart?.destroy();
    },
  };
}
