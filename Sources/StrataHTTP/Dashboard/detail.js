// One instance: identity, observed status, mode controls, last error, runtime widgets (render()
// polled once a second while this view is open), the config form, and its history. Leaving
// the view stops every timer, aborts requests and closes the event stream. In a cluster, an
// instance that another node runs shows that node and a link to its dashboard instead of the
// widgets and the shadow (only that node can render them).
import { api, ApiError, MODES, openEvents } from './api.js';
import { instanceURL, loadCluster } from './nodes.js';
import { h, card, definitionList, setText } from './dom.js';
import { formatBytes, formatCount, formatMoney, formatNumber, formatTime, shortHash, signClass } from './format.js';
import { configPanel } from './config-panel.js';
import { activityPanel } from './activity.js';
import { shadowPanel } from './shadow-panel.js';
import { backtestPanel } from './backtest-panel.js';
import { riskPanel } from './risk-panel.js';
import { performancePanel } from './performance-panel.js';
import { WidgetBoard } from './widgets.js';
import { badge, confirmAction, toast, updateBadge } from './ui.js';

const UI_POLL_MS = 1000;
const INSTANCE_POLL_MS = 2000;
const ACTIVITY_FALLBACK_MS = 5000;
const CLUSTER_POLL_MS = 10000;
const SINGLE = { node: null, clustered: false, nodes: [] };

const MODE_HELP = {
  off: 'Not loaded: receives no ticks.',
  observe: 'Runs on live ticks; orders are denied and recorded as signals.',
  active: 'Runs and trades through the account’s broker.',
};

export function mountDetail(container, id) {
  let destroyed = false;
  let instance = null;
  const timers = new Set();
  const controller = new AbortController();
  const { signal } = controller;
  let events = null;
  let board = null;
  let activity = null;
  let shadow = null;
  let risk = null;
  let backtest = null;
  let performance = null;
  let cluster = SINGLE;

  function later(fn, ms) {
    const t = setTimeout(() => { timers.delete(t); if (!destroyed) fn(); }, ms);
    timers.add(t);
  }

  const page = h('div', { class: 'page detail', 'data-testid': 'detail', dataset: { id } },
    h('p', { class: 'crumbs' }, h('a', { href: '#/', 'data-testid': 'back-to-list', text: '← Instances' })),
    h('p', { class: 'muted', text: 'Loading…' }));
  container.append(page);
  document.title = `${id} · Strata`;

  Promise.all([api.getInstance(id, { signal }), loadCluster({ signal }).catch(() => SINGLE)]).then(([detail, found]) => {
    if (destroyed) return;
    instance = detail;
    cluster = found;
    build();
  }).catch((error) => {
    if (destroyed || error.name === 'AbortError') return;
    page.lastChild.replaceWith(h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'detail-error',
      text: error instanceof ApiError && error.status === 404 ? `No instance with the id “${id}”.` : `Could not load the instance: ${error.message}` }));
  });

  // --- the page, built once the instance is known --------------------------------------------

  const head = {};
  const statusValues = {};
  let modeButtons = {};
  let modeHelp = null;
  let errorCard = null;
  let errorParts = {};
  let renderMeta = null;
  let renderError = null;
  let notRunning = null;
  let elsewhere = null;
  let nodeValue = null;
  let form = null;

  /** The live node that runs this instance when it is not the one serving this page, else null. */
  function remoteOwner() {
    if (!cluster.clustered || !instance?.node || instance.node === cluster.node) return null;
    return cluster.nodes.find((n) => n.name === instance.node && n.alive) ?? null;
  }

  /** "Runs on node B", with a link to the instance on that node's dashboard. */
  function elsewhereNote(owner, what) {
    const url = instanceURL(owner.address, id);
    return [
      h('strong', { text: `Runs on node ${owner.name}. ` }),
      `Only that node ${what}. `,
      url ? h('a', { href: url, 'data-testid': 'elsewhere-link', text: `Open it on node ${owner.name}` }) : 'It has not published an address yet.',
    ];
  }

  function applyOwner() {
    if (!nodeValue) return;
    const dd = nodeValue.parentElement;
    dd.hidden = dd.previousElementSibling.hidden = !cluster.clustered;
    setText(nodeValue, instance.node ?? 'none (not running)');
  }

  async function refreshCluster() {
    try {
      cluster = await loadCluster({ signal });
      applyOwner();
    } catch (error) {
      if (error.name === 'AbortError') return false;
    }
    return true;
  }

  async function pollCluster() {
    if (await refreshCluster()) later(pollCluster, CLUSTER_POLL_MS);
  }

  function build() {
    page.lastChild.remove();

    // Header.
    head.state = badge('state', instance.status.state, 'detail-state');
    head.mode = badge('mode', instance.mode, 'detail-mode');
    head.subtitle = h('p', { class: 'subtitle' });
    page.append(h('div', { class: 'page-head' },
      h('div', {},
        h('h1', { class: 'mono', 'data-testid': 'detail-id', text: instance.identity.id }),
        head.subtitle),
      h('div', { class: 'head-badges' }, head.mode, head.state)));

    // Identity, status and mode.
    const identity = card('Identity', { id: 'identity', testid: 'identity' });
    identity.body.append(definitionList([
      ['ID', h('span', { class: 'mono', text: instance.identity.id })],
      ['Strategy type', h('a', { href: '#/strategies', text: instance.identity.strategy_type })],
      ['Account', instance.identity.account],
      ['Market', instance.identity.market],
      ['Created', formatTime(instance.created_at)],
      ['Node', (nodeValue = h('span', { class: 'mono', 'data-testid': 'detail-node' })), 'node'],
    ], { testid: 'identity-props' }));

    const status = card('Status', { id: 'status', testid: 'status' });
    const statusPairs = [
      ['State', 'state'], ['Script version', 'version'], ['Ticks', 'ticks'], ['Last tick', 'last_tick_at'],
      ['PnL', 'pnl'], ['Position', 'position'], ['Memory', 'memory_bytes'], ['CPU time', 'cpu_seconds'],
      ['Tick latency p50 / p99', 'latency'], ['Updated', 'updated_at'],
    ];
    for (const [, key] of statusPairs) statusValues[key] = h('span', { 'data-testid': `status-${key}` });
    status.body.append(definitionList(statusPairs.map(([term, key]) => [term, statusValues[key], key]), { testid: 'status-props' }));

    const mode = card('Mode', { id: 'mode', testid: 'mode-card' });
    const group = h('div', { class: 'segmented', role: 'group', 'aria-label': 'Mode' });
    modeButtons = {};
    for (const m of MODES) {
      const button = h('button', { type: 'button', class: `seg seg-${m}`, 'data-testid': `mode-${m}`, 'aria-pressed': 'false', text: m });
      button.addEventListener('click', () => changeMode(m));
      modeButtons[m] = button;
      group.append(button);
    }
    modeHelp = h('p', { class: 'muted small', 'data-testid': 'mode-help' });
    mode.body.append(group, modeHelp);

    page.append(h('div', { class: 'grid-3' }, identity.section, status.section, mode.section));

    // Last error.
    const err = card('Last error', { id: 'last-error', testid: 'last-error', extraClass: 'card-error' });
    errorParts = {
      kind: h('span', { class: 'badge state-error', 'data-testid': 'last-error-kind' }),
      message: h('p', { class: 'error-message', 'data-testid': 'last-error-message' }),
      traceback: h('pre', { class: 'traceback', 'data-testid': 'last-error-traceback' }),
    };
    err.actions.append(errorParts.kind);
    err.body.append(errorParts.message, errorParts.traceback);
    errorCard = err.section;
    page.append(errorCard);

    // Runtime widgets.
    const runtime = card('Runtime', { id: 'runtime', testid: 'runtime' });
    renderMeta = h('span', { class: 'muted small', 'data-testid': 'rendered-at' });
    runtime.actions.append(renderMeta);
    renderError = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, 'data-testid': 'render-error' });
    notRunning = h('p', { class: 'muted', hidden: true, 'data-testid': 'not-running' });
    elsewhere = h('div', { class: 'alert alert-info', hidden: true, 'data-testid': 'runs-elsewhere' });
    const grid = h('div', { class: 'widgets', 'data-testid': 'widgets', 'aria-live': 'off' });
    runtime.body.append(renderError, notRunning, elsewhere, grid);
    board = new WidgetBoard(grid);
    page.append(runtime.section);

    // Performance: the engine's record of the instance's equity, whatever the script renders.
    const performanceCard = card('Performance', { id: 'performance', testid: 'performance' });
    performance = performancePanel('instance', id);
    performanceCard.body.append(performance.element);
    page.append(performanceCard.section);

    // Config and activity.
    const config = card('Configuration', { id: 'config', testid: 'config' });
    form = configPanel({
      id,
      instance,
      signal,
      current: () => instance,
      onSaved: (updated) => { applyInstance(updated); toast('Config saved.', 'ok'); },
    });
    config.body.append(form.element);
    const history = card('Activity', { id: 'activity', testid: 'activity' });
    activity = activityPanel(id);
    history.body.append(activity.element);
    page.append(h('div', { class: 'grid-config' }, config.section, history.section));
    page.append(activity.why);

    // The shadow beside the instance.
    const shadowCard = card('Shadow', { id: 'shadow', testid: 'shadow' });
    const owner = remoteOwner();
    if (owner) {
      shadowCard.body.append(h('div', { class: 'alert alert-info', 'data-testid': 'shadow-elsewhere' }, elsewhereNote(owner, 'runs its shadow')));
    } else {
      shadow = shadowPanel(id, {
        onPromoted: () => {
          api.getInstance(id, { signal }).then((detail) => { if (!destroyed) applyInstance(detail); }).catch(() => {});
          activity.refreshAll();
        },
      });
      shadowCard.body.append(shadow.element);
    }
    page.append(shadowCard.section);

    // Risk limits: the gate in front of every order of the instance.
    const riskCard = card('Risk limits', { id: 'risk', testid: 'risk' });
    risk = riskPanel(id);
    riskCard.body.append(risk.element);
    page.append(riskCard.section);

    // Backtest: the instance's current version and config over a data file of the server.
    const backtestCard = card('Backtest', { id: 'backtest', testid: 'backtest' });
    backtestCard.actions.append(h('a', { class: 'btn btn-small', 'data-testid': 'optimize-link', text: 'Optimize its parameters',
      href: `#/optimize/${encodeURIComponent(instance.identity.strategy_type)}?${new URLSearchParams({ instance: id })}` }));
    backtest = backtestPanel(id);
    backtestCard.body.append(backtest.element);
    page.append(backtestCard.section);

    applyInstance(instance);
    activity.refreshAll();
    pollUI();
    later(pollInstance, INSTANCE_POLL_MS);
    later(pollActivity, ACTIVITY_FALLBACK_MS);
    later(pollCluster, CLUSTER_POLL_MS);
    listen();
  }

  // --- observed and desired state --------------------------------------------------------------

  function applyStatus(s) {
    instance.status = s;
    updateBadge(head.state, 'state', s.state);
    statusValues.state.replaceChildren(badge('state', s.state));
    setText(statusValues.version, shortHash(s.version));
    statusValues.version.title = s.version ?? '';
    statusValues.version.className = 'mono';
    setText(statusValues.ticks, formatCount(s.ticks));
    setText(statusValues.last_tick_at, formatTime(s.last_tick_at));
    setText(statusValues.pnl, formatMoney(s.pnl));
    statusValues.pnl.className = signClass(s.pnl);
    setText(statusValues.position, formatNumber(s.position ?? null));
    setText(statusValues.memory_bytes, formatBytes(s.memory_bytes));
    setText(statusValues.cpu_seconds, typeof s.cpu_seconds === 'number' ? `${s.cpu_seconds.toFixed(3)} s` : '—');
    const p50 = s.tick_latency_p50_us;
    const p99 = s.tick_latency_p99_us;
    setText(statusValues.latency, typeof p50 === 'number' ? `${formatNumber(Math.round(p50))} / ${formatNumber(Math.round(p99 ?? p50))} µs` : '—');
    setText(statusValues.updated_at, formatTime(s.updated_at));

    const e = s.last_error;
    errorCard.hidden = !e;
    if (e) {
      setText(errorParts.kind, e.kind);
      setText(errorParts.message, e.message);
      setText(errorParts.traceback, e.traceback ?? '');
      errorParts.traceback.hidden = !e.traceback;
    }
  }

  function applyInstance(detail) {
    const configChanged = JSON.stringify(detail.config) !== JSON.stringify(instance.config);
    const updatedChanged = detail.updated_at !== instance.updated_at;
    instance = detail;
    const { identity } = detail;
    setText(head.subtitle, `${identity.strategy_type} · ${identity.market} · ${identity.account}`);
    updateBadge(head.mode, 'mode', detail.mode);
    for (const [m, button] of Object.entries(modeButtons)) {
      button.setAttribute('aria-pressed', m === detail.mode ? 'true' : 'false');
    }
    setText(modeHelp, MODE_HELP[detail.mode] ?? '');
    applyStatus(detail.status);
    applyOwner();
    if (configChanged) form?.showConfig(detail.config);
    if (updatedChanged) activity?.refresh('audit');
  }

  async function pollInstance() {
    try {
      applyInstance(await api.getInstance(id, { signal }));
    } catch (error) {
      if (error.name === 'AbortError') return;
    }
    later(pollInstance, INSTANCE_POLL_MS);
  }

  // --- runtime UI ------------------------------------------------------------------------------

  /** Shows that another node runs the instance (null: hides it); `note` replaces the usual text. */
  function showElsewhere(owner, note) {
    elsewhere.hidden = !owner && !note;
    if (elsewhere.hidden) return;
    board.update([]);
    renderError.hidden = true;
    notRunning.hidden = true;
    setText(renderMeta, '');
    if (note) elsewhere.textContent = note;
    else elsewhere.replaceChildren(...elsewhereNote(owner, 'can render its widgets'));
  }

  async function pollUI() {
    if (document.hidden) { later(pollUI, UI_POLL_MS); return; }
    const owner = remoteOwner();
    showElsewhere(owner);
    if (owner) { later(pollUI, UI_POLL_MS); return; }
    try {
      const ui = await api.render(id, { signal });
      if (destroyed) return;
      notRunning.hidden = true;
      setText(renderMeta, `Rendered ${formatTime(ui.rendered_at)} UTC${ui.version ? ` · version ${shortHash(ui.version)}` : ''}`);
      renderMeta.dataset.renderedAt = ui.rendered_at ?? '';
      if (ui.error) {
        renderError.hidden = false;
        renderError.replaceChildren(
          h('strong', { text: `Render failed (${ui.error.kind}): ` }),
          h('span', { 'data-testid': 'render-error-message', text: ui.error.message }),
          ui.error.traceback ? h('pre', { class: 'traceback', text: ui.error.traceback }) : null);
      } else {
        renderError.hidden = true;
      }
      board.update(ui.widgets);
    } catch (error) {
      if (error.name === 'AbortError' || destroyed) return;
      if (error instanceof ApiError && error.status === 307) {
        // Another node took it since the last look: the next polls name it.
        showElsewhere(null, 'Another node of the cluster runs this instance now.');
        api.getInstance(id, { signal }).then((detail) => { if (!destroyed) applyInstance(detail); }).catch(() => {});
        refreshCluster();
      } else if (error instanceof ApiError && error.status === 409) {
        board.update([]);
        renderError.hidden = true;
        notRunning.hidden = false;
        setText(notRunning, instance.mode === 'off'
          ? 'This instance is off, so it has no runtime UI. Switch it to observe or active to run it.'
          : `Not running yet: ${error.message}`);
        setText(renderMeta, '');
      } else {
        renderError.hidden = false;
        renderError.textContent = `Could not render: ${error.message}`;
      }
    }
    later(pollUI, UI_POLL_MS);
  }

  // --- live events -----------------------------------------------------------------------------

  function listen() {
    if (typeof EventSource === 'undefined') return;
    events = openEvents({ instance: id, types: ['status', 'order', 'signal', 'log'] });
    const parse = (event) => { try { return JSON.parse(event.data); } catch { return null; } };
    events.addEventListener('status', (event) => {
      const e = parse(event);
      if (e && e.instance_id === id && e.data && typeof e.data === 'object' && e.data.state) applyStatus({ ...instance.status, ...e.data });
    });
    events.addEventListener('order', () => activity.soon('orders'));
    events.addEventListener('signal', () => activity.soon('signals'));
    events.addEventListener('log', () => activity.soon('logs'));
  }

  /** Refreshes the history tables while the event stream is down (it reconnects by itself). */
  function pollActivity() {
    if (!events || events.readyState !== EventSource.OPEN) {
      for (const key of ['orders', 'signals', 'logs']) activity.refresh(key);
    }
    later(pollActivity, ACTIVITY_FALLBACK_MS);
  }

  // --- mode ------------------------------------------------------------------------------------

  async function changeMode(target) {
    if (!instance || target === instance.mode) return;
    if (target === 'active') {
      const ok = await confirmAction({
        title: `Activate ${instance.identity.id}?`,
        message: `In active mode the strategy trades: its orders go to the broker of account “${instance.identity.account}”.`,
        confirmLabel: 'Activate',
      });
      if (!ok || destroyed) return;
    }
    for (const button of Object.values(modeButtons)) button.disabled = true;
    try {
      applyInstance(await api.setMode(id, target, { signal }));
      toast(`${instance.identity.id} is now ${target}.`, 'ok');
    } catch (error) {
      if (error.name !== 'AbortError') toast(`Could not set the mode: ${error.message}`, 'error');
    } finally {
      for (const button of Object.values(modeButtons)) button.disabled = false;
    }
  }

  return {
    destroy() {
      destroyed = true;
      controller.abort();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      events?.close();
      events = null;
      board?.destroy();
      activity?.destroy();
      shadow?.destroy();
      risk?.destroy();
      backtest?.destroy();
      performance?.destroy();
    },
  };
}
