// The cluster: which node this dashboard talks to, every node of the shared database (address,
// heartbeat, leases), refreshed every few seconds. On a single machine the view says so, and
// the instance views show no node at all.
import { api } from './api.js';
import { h, fillRows } from './dom.js';
import { formatCount, formatTime } from './format.js';

const REFRESH_MS = 3000;

/** The cluster as GET /api/nodes answers it: { node, clustered, nodes }. */
export async function loadCluster(opts) {
  const answer = await api.nodes(opts);
  return { node: answer?.node ?? null, clustered: answer?.clustered === true, nodes: Array.isArray(answer?.nodes) ? answer.nodes : [] };
}

/** A node's address as a link target: http(s) only (it comes from the shared database). */
export function safeAddress(address) {
  if (typeof address !== 'string') return null;
  try {
    const url = new URL(address);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

/** The URL of an instance's page on the dashboard of the node at `address` (null: no usable address). */
export function instanceURL(address, id) {
  const origin = safeAddress(address);
  return origin ? `${origin}/#/instances/${encodeURIComponent(id)}` : null;
}

/** Seconds between an ISO time and now, for display ("4 s ago"). */
function age(iso) {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '—';
  const seconds = Math.max(0, Math.round((Date.now() - at) / 1000));
  if (seconds < 120) return `${seconds} s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min ago`;
  return `${Math.round(seconds / 3600)} h ago`;
}

export function mountNodes(container) {
  let destroyed = false;
  let timer = null;
  let controller = null;
  const tbody = h('tbody');
  const table = h('table', { class: 'data', 'data-testid': 'nodes-table', hidden: true },
    h('caption', { class: 'visually-hidden', text: 'Cluster nodes' }),
    h('thead', {}, h('tr', {}, ['Node', 'Address', 'State', 'Heartbeat', 'Started', 'Leases']
      .map((c, i) => h('th', { scope: 'col', class: i === 5 ? 'num' : null, text: c })))),
    tbody);
  const status = h('p', { class: 'muted', 'data-testid': 'nodes-status', text: 'Loading…' });
  const subtitle = h('p', { class: 'subtitle', 'data-testid': 'nodes-self' });
  container.append(h('div', { class: 'page' },
    h('div', { class: 'page-head' }, h('div', {}, h('h1', { text: 'Nodes' }), subtitle)),
    status, h('div', { class: 'table-wrap' }, table)));
  document.title = 'Nodes · Strata';

  function row(node, self) {
    const origin = safeAddress(node.address);
    return h('tr', { 'data-testid': 'node-row', dataset: { node: node.name } },
      h('td', {}, h('strong', { class: 'mono', text: node.name }),
        node.name === self ? h('span', { class: 'badge node-self', 'data-testid': 'node-self', text: 'this node' }) : null),
      h('td', {}, origin
        ? h('a', { href: `${origin}/`, class: 'mono', 'data-testid': 'node-address', text: node.address })
        : h('span', { class: 'muted', text: node.address ?? 'not listening yet' })),
      h('td', {}, h('span', { class: `badge ${node.alive ? 'node-alive' : 'node-dead'}`, 'data-testid': 'node-state', text: node.alive ? 'alive' : 'dead' })),
      h('td', { title: formatTime(node.heartbeat_at), text: age(node.heartbeat_at) }),
      h('td', { text: formatTime(node.started_at) }),
      h('td', { class: 'num', 'data-testid': 'node-leases', text: formatCount(node.leases) }));
  }

  async function load() {
    controller?.abort();
    controller = new AbortController();
    try {
      const cluster = await loadCluster({ signal: controller.signal });
      if (destroyed) return;
      if (!cluster.clustered) {
        status.hidden = false;
        status.className = 'muted';
        status.textContent = 'This server is not part of a cluster: it runs every instance itself.';
        table.hidden = true;
        subtitle.textContent = '';
      } else {
        status.hidden = true;
        table.hidden = false;
        subtitle.textContent = `This dashboard is served by node ${cluster.node}.`;
        if (cluster.nodes.length === 0) fillRows(tbody, [], 6, 'No node is registered.');
        else tbody.replaceChildren(...cluster.nodes.map((n) => row(n, cluster.node)));
        table.dataset.loaded = 'true';
      }
    } catch (error) {
      if (destroyed || error.name === 'AbortError') return;
      status.hidden = false;
      status.className = 'alert alert-error';
      status.textContent = `Could not load the nodes: ${error.message}`;
    }
    if (!destroyed) timer = setTimeout(load, REFRESH_MS);
  }

  load();
  return {
    destroy() {
      destroyed = true;
      clearTimeout(timer);
      controller?.abort();
    },
  };
}
