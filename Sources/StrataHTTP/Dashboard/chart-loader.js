// Chart.js (Debian's libjs-chart.js, served at /vendor/chart.js/) is loaded once, on first use;
// the rest of the dashboard works without it.
let chartLib = null;

/** Chart.js's Chart class, with every chart type registered. */
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
