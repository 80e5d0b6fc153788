// Runtime widgets: what a strategy's render() returned (schemas/widgets.schema.json), drawn with
// plain DOM (text only, never HTML) and Chart.js for the charts. A board keeps each widget's view
// across renders (keyed by the widget's id, else its position and type) and updates it in place,
// so that polling does not flicker or reset a chart.
import { h, setText } from './dom.js';
import { formatNumber, formatUnixShort, formatUnixTime } from './format.js';

const MAX_TABLE_ROWS = 500;
const MAX_LOG_LINES = 1000;
const PALETTE = ['#2563eb', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6', '#0891b2', '#db2777', '#65a30d'];
const UP = '#16a34a';
const DOWN = '#dc2626';

// Chart.js is loaded once, on first use; the rest of the dashboard works without it.
let chartLib = null;
export function loadChartJs() {
  chartLib ??= import('/vendor/chart.js/chart.mjs').then(({ Chart, registerables }) => {
    Chart.register(...registerables);
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.font.size = 11;
    Chart.defaults.color = '#5b6473';
    return Chart;
  });
  return chartLib;
}

/** An array from a value that may be an empty Lua table encoded as {}. */
function list(value) {
  return Array.isArray(value) ? value : [];
}

function widgetTitle(widget, fallback) {
  return h('h3', { class: 'widget-title', text: typeof widget.title === 'string' && widget.title !== '' ? widget.title : fallback });
}

function cellText(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}

// --- views: each is { el, update(widget), destroy() } -------------------------------------

function metricView() {
  const label = h('div', { class: 'metric-label' });
  const value = h('span', { class: 'metric-value', 'data-testid': 'metric-value' });
  const unit = h('span', { class: 'metric-unit' });
  const el = h('div', {}, label, h('div', { class: 'metric-line' }, value, unit));
  return {
    el,
    update(widget) {
      setText(label, widget.label);
      setText(value, typeof widget.value === 'number' ? formatNumber(widget.value) : widget.value);
      setText(unit, widget.unit ?? '');
      value.classList.toggle('neg', typeof widget.value === 'number' && widget.value < 0);
      value.classList.toggle('metric-long', String(widget.value ?? '').length > 14);
    },
    destroy() {},
  };
}

function textView() {
  const title = h('h3', { class: 'widget-title' });
  const body = h('p', { class: 'text-body', 'data-testid': 'widget-text' });
  return {
    el: h('div', {}, title, body),
    update(widget) {
      title.hidden = !widget.title;
      setText(title, widget.title ?? '');
      setText(body, widget.text);
    },
    destroy() {},
  };
}

function logView() {
  const title = h('h3', { class: 'widget-title' });
  const body = h('div', { class: 'log-lines', tabindex: '0', role: 'log', 'data-testid': 'widget-log' });
  let lastLines = null;
  return {
    el: h('div', {}, title, body),
    update(widget) {
      setText(title, widget.title || 'Log');
      const lines = list(widget.lines).slice(-MAX_LOG_LINES);
      const key = lines.join('\n');
      if (key === lastLines) return;
      lastLines = key;
      const atBottom = body.scrollHeight - body.scrollTop - body.clientHeight < 8;
      body.replaceChildren(...lines.map((line) => h('div', { class: 'log-line', text: String(line) })));
      if (lines.length === 0) body.append(h('div', { class: 'muted', text: 'No lines yet.' }));
      if (atBottom) body.scrollTop = body.scrollHeight;
    },
    destroy() {},
  };
}

function tableView() {
  const title = h('h3', { class: 'widget-title' });
  const thead = h('thead');
  const tbody = h('tbody');
  const note = h('p', { class: 'muted small', hidden: true });
  let lastKey = null;
  return {
    el: h('div', {}, title, h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', 'data-testid': 'widget-table' }, thead, tbody)), note),
    update(widget) {
      title.hidden = !widget.title;
      setText(title, widget.title ?? '');
      const columns = list(widget.columns);
      const rows = list(widget.rows);
      const key = JSON.stringify([columns, rows.slice(0, MAX_TABLE_ROWS)]);
      if (key === lastKey) return;
      lastKey = key;
      thead.replaceChildren(h('tr', {}, columns.map((c) => h('th', { scope: 'col', text: String(c) }))));
      tbody.replaceChildren(...rows.slice(0, MAX_TABLE_ROWS).map((row) =>
        h('tr', {}, list(row).map((cell) => h('td', { class: typeof cell === 'number' ? 'num' : null, text: cellText(cell) })))));
      if (rows.length === 0) tbody.append(h('tr', { class: 'empty' }, h('td', { colspan: Math.max(1, columns.length), text: 'No rows yet.' })));
      note.hidden = rows.length <= MAX_TABLE_ROWS;
      note.textContent = note.hidden ? '' : `Showing the first ${MAX_TABLE_ROWS} of ${rows.length} rows.`;
    },
    destroy() {},
  };
}

/** Shared shell of the two chart views: a title, a canvas, a lazily created Chart. */
function chartView(fallbackTitle, build, refresh) {
  const title = h('h3', { class: 'widget-title' });
  const canvas = h('canvas', { role: 'img' });
  const box = h('div', { class: 'chart-box' }, canvas);
  const failure = h('p', { class: 'muted', hidden: true });
  let chart = null;
  let pending = null;
  let destroyed = false;
  return {
    el: h('div', {}, title, box, failure),
    update(widget) {
      setText(title, widget.title || fallbackTitle);
      canvas.setAttribute('aria-label', `Chart: ${widget.title || fallbackTitle}`);
      pending = widget;
      if (chart) { refresh(chart, widget); return; }
      loadChartJs().then((Chart) => {
        if (destroyed || chart) { if (chart && pending) refresh(chart, pending); return; }
        chart = new Chart(canvas, build(pending));
      }).catch((error) => {
        console.warn('Chart.js did not load', error);
        failure.textContent = 'Charts are unavailable: Chart.js did not load.';
        failure.hidden = false;
        box.hidden = true;
      });
    },
    destroy() {
      destroyed = true;
      chart?.destroy();
    },
  };
}

function seriesPoints(data) {
  const values = list(data);
  if (values.length > 0 && typeof values[0] === 'number') return { timed: false, points: values.map((v, i) => ({ x: i, y: v })) };
  return { timed: values.length > 0, points: values.filter((p) => p && typeof p === 'object').map((p) => ({ x: p.t, y: p.v })) };
}

function lineDatasets(widget) {
  let timed = false;
  let min = Infinity;
  let max = -Infinity;
  const datasets = list(widget.series).map((series, i) => {
    const { timed: isTimed, points } = seriesPoints(series?.data);
    timed ||= isTimed;
    for (const p of points) { if (p.x < min) min = p.x; if (p.x > max) max = p.x; }
    const color = PALETTE[i % PALETTE.length];
    return {
      label: String(series?.name ?? `series ${i + 1}`), data: points, borderColor: color, backgroundColor: color,
      borderWidth: i === 0 ? 1.8 : 1.4, pointRadius: 0, pointHitRadius: 6, tension: 0, spanGaps: true,
    };
  });
  return { datasets, timed, min: Number.isFinite(min) ? min : undefined, max: Number.isFinite(max) ? max : undefined };
}

function lineChartView() {
  return chartView('Chart', (widget) => {
    const { datasets, timed, min, max } = lineDatasets(widget);
    return {
      type: 'line',
      data: { datasets },
      options: {
        animation: false, parsing: false, normalized: true, responsive: true, maintainAspectRatio: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        plugins: {
          legend: { display: datasets.length > 1, position: 'top', align: 'end', labels: { boxWidth: 12, boxHeight: 2 } },
          tooltip: { callbacks: { title: (items) => (items.length && timed ? `${formatUnixTime(items[0].parsed.x)} UTC` : items.length ? `#${items[0].parsed.x}` : '') } },
        },
        scales: {
          x: { type: 'linear', min, max, grid: { display: false }, ticks: { maxTicksLimit: 7, maxRotation: 0, callback: (v) => (timed ? formatUnixTime(v) : v) } },
          y: { grid: { color: '#eef0f3' }, title: { display: Boolean(widget.y_label), text: String(widget.y_label ?? '') }, ticks: { callback: (v) => formatNumber(v) } },
        },
      },
    };
  }, (chart, widget) => {
    const { datasets, timed, min, max } = lineDatasets(widget);
    const same = chart.data.datasets.length === datasets.length && chart.data.datasets.every((d, i) => d.label === datasets[i].label);
    if (same) chart.data.datasets.forEach((d, i) => { d.data = datasets[i].data; });
    else chart.data.datasets = datasets;
    chart.options.plugins.legend.display = datasets.length > 1;
    chart.options.scales.x.min = min;
    chart.options.scales.x.max = max;
    chart.options.scales.x.ticks.callback = (v) => (timed ? formatUnixTime(v) : v);
    chart.options.scales.y.title.display = Boolean(widget.y_label);
    chart.options.scales.y.title.text = String(widget.y_label ?? '');
    chart.update('none');
  });
}

function candleData(widget) {
  const candles = list(widget.data).filter((c) => c && typeof c === 'object');
  const colors = candles.map((c) => (c.c >= c.o ? UP : DOWN));
  // Bars closer than a minute apart need seconds on the axis; longer bars need the date.
  const fine = candles.some((c, i) => i > 0 && Math.abs(c.t - candles[i - 1].t) < 60);
  return {
    candles,
    labels: candles.map((c) => (fine ? formatUnixTime(c.t) : formatUnixShort(c.t))),
    wicks: candles.map((c) => [c.l, c.h]),
    bodies: candles.map((c) => [Math.min(c.o, c.c), Math.max(c.o, c.c)]),
    colors,
  };
}

function candlesView() {
  let current = [];
  return chartView('Candles', (widget) => {
    const d = candleData(widget);
    current = d.candles;
    return {
      type: 'bar',
      data: {
        labels: d.labels,
        datasets: [
          { label: 'range', data: d.wicks, backgroundColor: d.colors, barThickness: 1.5, grouped: false, order: 2 },
          { label: 'open/close', data: d.bodies, backgroundColor: d.colors, barPercentage: 0.75, categoryPercentage: 1, minBarLength: 1, grouped: false, order: 1 },
        ],
      },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        plugins: {
          legend: { display: false },
          tooltip: {
            filter: (item) => item.datasetIndex === 1,
            callbacks: {
              label: (item) => {
                const c = current[item.dataIndex];
                return c ? `O ${formatNumber(c.o)}  H ${formatNumber(c.h)}  L ${formatNumber(c.l)}  C ${formatNumber(c.c)}` : '';
              },
            },
          },
        },
        scales: {
          x: { grid: { display: false }, ticks: { maxTicksLimit: 8, maxRotation: 0, autoSkip: true } },
          y: { beginAtZero: false, grid: { color: '#eef0f3' }, ticks: { callback: (v) => formatNumber(v) } },
        },
      },
    };
  }, (chart, widget) => {
    const d = candleData(widget);
    current = d.candles;
    chart.data.labels = d.labels;
    chart.data.datasets[0].data = d.wicks;
    chart.data.datasets[0].backgroundColor = d.colors;
    chart.data.datasets[1].data = d.bodies;
    chart.data.datasets[1].backgroundColor = d.colors;
    chart.update('none');
  });
}

function unknownView() {
  const body = h('p', { class: 'muted' });
  return {
    el: h('div', {}, body),
    update(widget) { setText(body, `Unsupported widget type: ${String(widget?.type)}`); },
    destroy() {},
  };
}

const VIEWS = { metric: metricView, text: textView, log: logView, table: tableView, line_chart: lineChartView, candles: candlesView };
const WIDE = new Set(['line_chart', 'candles', 'table', 'log', 'text']);

/** A grid of widgets that updates in place. */
export class WidgetBoard {
  constructor(container) {
    this.container = container;
    this.views = new Map(); // key → { type, view, el }
  }

  /** Shows these widgets (the `widgets` array of GET /api/instances/{id}/ui). */
  update(widgets) {
    const keep = new Set();
    const order = [];
    list(widgets).forEach((widget, index) => {
      const type = typeof widget?.type === 'string' ? widget.type : 'unknown';
      const key = typeof widget?.id === 'string' && widget.id !== '' ? `id:${widget.id}` : `${index}:${type}`;
      keep.add(key);
      let entry = this.views.get(key);
      if (!entry || entry.type !== type) {
        entry?.view.destroy();
        entry?.el.remove();
        const view = (VIEWS[type] ?? unknownView)();
        const el = h('article', { class: `widget widget-${VIEWS[type] ? type : 'unknown'}${WIDE.has(type) ? ' wide' : ''}`, 'data-testid': 'widget', dataset: { widgetType: type } }, view.el);
        entry = { type, view, el };
        this.views.set(key, entry);
      }
      try {
        entry.view.update(widget);
      } catch (error) {
        console.error('widget update failed', error);
      }
      order.push(entry.el);
    });
    for (const [key, entry] of this.views) {
      if (!keep.has(key)) { entry.view.destroy(); entry.el.remove(); this.views.delete(key); }
    }
    order.forEach((el, i) => { if (this.container.children[i] !== el) this.container.insertBefore(el, this.container.children[i] ?? null); });
  }

  destroy() {
    for (const entry of this.views.values()) entry.view.destroy();
    this.views.clear();
    this.container.replaceChildren();
  }
}
