// Strategy types: the current version, every stored version, the config fields, load errors.
import { api } from './api.js';
import { h } from './dom.js';
import { formatTime, shortHash } from './format.js';

function versionsCell(strategy) {
  const versions = Array.isArray(strategy.versions) ? strategy.versions : [];
  if (versions.length === 0) return h('span', { class: 'muted', text: 'none' });
  return h('details', {},
    h('summary', { text: `${versions.length} version${versions.length === 1 ? '' : 's'}` }),
    h('ul', { class: 'plain' }, versions.map((v) => h('li', {},
      h('code', { title: v.hash, text: shortHash(v.hash) }), ' ',
      h('span', { class: 'muted', text: `first seen ${formatTime(v.first_seen)}` }),
      v.hash === strategy.version ? h('span', { class: 'badge state-running', text: 'current' }) : null))));
}

function schemaCell(strategy) {
  const schema = Array.isArray(strategy.schema) ? strategy.schema : [];
  if (schema.length === 0) return h('span', { class: 'muted', text: '—' });
  return h('ul', { class: 'plain fields-list' }, schema.map((f) => h('li', {},
    h('code', { text: f.name }), ' ', h('span', { class: 'muted', text: `${f.type}` }),
    f.label && f.label !== f.name ? h('span', { text: ` — ${f.label}` }) : null)));
}

function errorCell(strategy) {
  const e = strategy.error;
  if (!e) return h('span', { class: 'muted', text: '—' });
  return h('div', { class: 'load-error' },
    h('span', { class: 'badge state-error', text: e.kind }), ' ',
    h('span', { 'data-testid': 'strategy-error', text: e.message }),
    e.traceback ? h('details', {}, h('summary', { text: 'Traceback' }), h('pre', { class: 'traceback', text: e.traceback })) : null);
}

export function mountStrategies(container) {
  const controller = new AbortController();
  const tbody = h('tbody');
  const table = h('table', { class: 'data', 'data-testid': 'strategies-table' },
    h('caption', { class: 'visually-hidden', text: 'Strategy types' }),
    h('thead', {}, h('tr', {}, ['Type', 'Current version', 'Versions', 'Config fields', 'Load error', ''].map((c) => h('th', { scope: 'col', text: c })))),
    tbody);
  const status = h('p', { class: 'muted', text: 'Loading…' });
  container.append(h('div', { class: 'page' },
    h('div', { class: 'page-head' }, h('h1', { text: 'Strategies' }),
      h('p', { class: 'subtitle', text: 'Lua scripts in the strategies folder. A saved file is checked and hot-reloaded; a broken save keeps the previous version running.' })),
    status, h('div', { class: 'table-wrap' }, table)));
  document.title = 'Strategies · Strata';

  api.strategies({ signal: controller.signal }).then(({ strategies }) => {
    status.remove();
    const sorted = [...strategies].sort((a, b) => a.strategy_type.localeCompare(b.strategy_type));
    tbody.replaceChildren(...sorted.map((s) => h('tr', { 'data-testid': 'strategy-row', dataset: { type: s.strategy_type } },
      h('td', {}, h('strong', { class: 'mono', text: s.strategy_type })),
      h('td', {}, s.version ? h('code', { title: s.version, text: shortHash(s.version) }) : h('span', { class: 'badge state-error', text: 'not loaded' })),
      h('td', {}, versionsCell(s)),
      h('td', {}, schemaCell(s)),
      h('td', {}, errorCell(s)),
      h('td', { class: 'nowrap row-actions' }, s.version
        ? [h('a', { class: 'btn btn-small', href: `#/new?type=${encodeURIComponent(s.strategy_type)}`, text: 'New instance' }),
          h('a', { class: 'btn btn-small', href: `#/optimize/${encodeURIComponent(s.strategy_type)}`, 'data-testid': 'strategy-optimize', text: 'Optimize' })]
        : null))));
    if (sorted.length === 0) tbody.append(h('tr', { class: 'empty' }, h('td', { colspan: 6, text: 'No strategy files found.' })));
  }).catch((error) => {
    if (error.name === 'AbortError') return;
    status.className = 'alert alert-error';
    status.textContent = `Could not load the strategies: ${error.message}`;
  });

  return { destroy() { controller.abort(); } };
}
