// Entry point: a hash router that mounts one view at a time. A view is a function
// (container, params) → { destroy() }; destroy() must stop its timers, abort its requests and
// close its event streams, so that nothing polls for a view nobody is looking at.
import { onConnectionChange } from './api.js';
import { h } from './dom.js';
import { mountList } from './list.js';
import { mountDetail } from './detail.js';
import { mountCreate } from './create.js';
import { mountStrategies } from './strategies.js';
import { mountOptimize } from './optimize.js';
import { loadCluster, mountNodes } from './nodes.js';
import { mountHaltControl } from './halt-control.js';
import { mountWebhooks } from './webhooks.js';
import { mountAccounts } from './accounts.js';
import { mountAccount } from './account.js';

const routes = [
  { pattern: /^\/?$/, nav: 'instances', mount: mountList },
  { pattern: /^\/instances\/?$/, nav: 'instances', mount: mountList },
  { pattern: /^\/instances\/([^/]+)$/, nav: 'instances', mount: (el, [id], query) => mountDetail(el, decodeURIComponent(id), query) },
  { pattern: /^\/new$/, nav: 'new', mount: mountCreate },
  { pattern: /^\/strategies$/, nav: 'strategies', mount: mountStrategies },
  { pattern: /^\/optimize(?:\/([^/]+))?\/?$/, nav: 'optimize', mount: mountOptimize },
  { pattern: /^\/nodes$/, nav: 'nodes', mount: mountNodes },
  { pattern: /^\/webhooks$/, nav: 'webhooks', mount: mountWebhooks },
  { pattern: /^\/accounts\/?$/, nav: 'accounts', mount: mountAccounts },
  { pattern: /^\/accounts\/([^/]+)$/, nav: 'accounts', mount: (el, [name]) => mountAccount(el, decodeURIComponent(name)) },
];

let current = null;

/** Splits "#/path?query" into its path and URLSearchParams. */
function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const at = raw.indexOf('?');
  return at < 0
    ? { path: raw, query: new URLSearchParams() }
    : { path: raw.slice(0, at), query: new URLSearchParams(raw.slice(at + 1)) };
}

function route() {
  const { path, query } = parseHash();
  if (current) {
    try { current.destroy(); } catch (error) { console.error(error); }
    current = null;
  }
  const view = document.getElementById('view');
  view.replaceChildren();
  let match = null;
  const found = routes.find((r) => (match = r.pattern.exec(path)));
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (found && link.dataset.nav === found.nav) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (!found) {
    view.append(h('div', { class: 'page' },
      h('h1', { text: 'Not found' }),
      h('p', {}, 'Nothing lives at this address. ', h('a', { href: '#/', text: 'Back to the instances' }))));
    return;
  }
  current = found.mount(view, match.slice(1), query) ?? null;
}

function watchConnection() {
  const el = document.getElementById('conn');
  onConnectionChange((ok, status) => {
    if (ok) {
      el.textContent = 'Connected';
      el.className = 'conn conn-ok';
    } else {
      el.textContent = status === 401 ? 'Not authorised' : status === 0 ? 'Server unreachable' : `Server error ${status}`;
      el.className = 'conn conn-bad';
    }
  });
}

/** The Nodes link shows only when this server is a node of a cluster. */
function showNodesLink() {
  loadCluster().then((cluster) => {
    document.querySelector('[data-nav="nodes"]').hidden = !cluster.clustered;
  }).catch(() => {});
}

watchConnection();
showNodesLink();
mountHaltControl(document.getElementById('halt-all'), document.getElementById('halt-banner'));
window.addEventListener('hashchange', route);
route();
