// The instance list: filter, sort and paging all happen on the server (GET /api/instances), so
// the page stays light with any number of instances. The visible page refreshes every 2 s.
// In a cluster a Node column names the node that runs each instance.
import { api, ApiError, MODES, STATES } from './api.js';
import { loadCluster } from './nodes.js';
import { h, setText } from './dom.js';
import { formatCount, formatMoney, formatPercent, signClass } from './format.js';
import { badge, updateBadge } from './ui.js';

const REFRESH_MS = 2000;
const SEARCH_DEBOUNCE_MS = 250;
const PAGE_SIZES = [25, 50, 100, 200];
const COLUMNS = [
  { key: 'id', label: 'ID' },
  { key: 'strategy_type', label: 'Strategy type' },
  { key: 'market', label: 'Market' },
  { key: 'account', label: 'Account' },
  { key: 'mode', label: 'Mode' },
  { key: 'status', label: 'Status' },
  { key: 'ticks', label: 'Ticks', numeric: true },
  { key: 'pnl', label: 'PnL', numeric: true },
  { key: 'return_pct', label: 'Return', numeric: true },
  { key: 'max_drawdown_pct', label: 'Max drawdown', numeric: true },
];
const DEFAULTS = { q: '', mode: '', status: '', strategy_type: '', sort: 'id', order: 'asc', offset: 0, limit: 100 };

/** Reads the list's state from the hash query (so a reload or a shared link keeps it). */
function stateFromQuery(query) {
  const state = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS)) {
    const value = query.get(key);
    if (value === null) continue;
    state[key] = typeof DEFAULTS[key] === 'number' ? Math.max(0, parseInt(value, 10) || 0) : value;
  }
  if (!PAGE_SIZES.includes(state.limit)) state.limit = DEFAULTS.limit;
  if (!COLUMNS.some((c) => c.key === state.sort)) state.sort = DEFAULTS.sort;
  if (state.order !== 'desc') state.order = 'asc';
  return state;
}

function writeQuery(state) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(state)) {
    if (value !== DEFAULTS[key]) search.set(key, String(value));
  }
  const text = search.toString();
  history.replaceState(null, '', `#/${text ? `?${text}` : ''}`);
}

function select(id, label, options, value, testid) {
  const el = h('select', { id, name: id, 'data-testid': testid },
    h('option', { value: '', text: `All` }),
    options.map((o) => h('option', { value: o, text: o })));
  el.value = value;
  return h('div', { class: 'filter' }, h('label', { for: id, text: label }), el);
}

export function mountList(container, _params, query) {
  const state = stateFromQuery(query);
  let timer = null;
  let searchTimer = null;
  let controller = null;
  let destroyed = false;
  const rowsById = new Map();

  // Toolbar.
  const search = h('input', { id: 'f-q', type: 'search', name: 'q', placeholder: 'ID, type, market or account', autocomplete: 'off', 'data-testid': 'filter-q' });
  search.value = state.q;
  const modeFilter = select('f-mode', 'Mode', MODES, state.mode, 'filter-mode');
  const statusFilter = select('f-status', 'Status', STATES, state.status, 'filter-status');
  const typeFilter = select('f-type', 'Strategy type', state.strategy_type ? [state.strategy_type] : [], state.strategy_type, 'filter-type');
  const clearButton = h('button', { type: 'button', class: 'btn btn-quiet', 'data-testid': 'filter-clear', text: 'Clear filters' });
  const toolbar = h('form', { class: 'toolbar', role: 'search', 'aria-label': 'Filter instances', 'data-testid': 'filters' },
    h('div', { class: 'filter filter-grow' }, h('label', { for: 'f-q', text: 'Search' }), search),
    modeFilter, statusFilter, typeFilter,
    h('div', { class: 'filter filter-end' }, clearButton));
  toolbar.addEventListener('submit', (event) => event.preventDefault());

  // Table.
  const headerCells = COLUMNS.map((column) => {
    const button = h('button', { type: 'button', class: 'sort', 'data-testid': `sort-${column.key}`, dataset: { sort: column.key } },
      column.label, h('span', { class: 'sort-mark', 'aria-hidden': 'true' }));
    return h('th', { scope: 'col', class: column.numeric ? 'num' : null }, button);
  });
  // Not sortable (the server sorts by the stored columns); added once the server says it is a
  // node of a cluster.
  const nodeHeader = h('th', { scope: 'col', 'data-testid': 'node-column', text: 'Node' });
  const headerRow = h('tr', {}, headerCells);
  let clustered = false;
  const tbody = h('tbody');
  const table = h('table', { class: 'data instances', 'data-testid': 'instances-table' },
    h('caption', { class: 'visually-hidden', text: 'Strategy instances' }),
    h('thead', {}, headerRow),
    tbody);
  const loadError = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, 'data-testid': 'list-error' });

  // Pager.
  const range = h('span', { class: 'range', 'data-testid': 'list-range', 'aria-live': 'polite' });
  const first = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'page-first', text: '« First' });
  const prev = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'page-prev', text: '‹ Previous' });
  const next = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'page-next', text: 'Next ›' });
  const last = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'page-last', text: 'Last »' });
  const pageSize = h('select', { id: 'page-size', 'data-testid': 'page-size' }, PAGE_SIZES.map((n) => h('option', { value: n, text: n })));
  pageSize.value = String(state.limit);
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages' },
    range,
    h('span', { class: 'pager-buttons' }, first, prev, next, last),
    h('span', { class: 'page-size' }, h('label', { for: 'page-size', text: 'Per page' }), pageSize));

  let total = 0;
  container.append(h('div', { class: 'page' },
    h('div', { class: 'page-head' },
      h('h1', { text: 'Instances' }),
      h('a', { class: 'btn btn-primary', href: '#/new', 'data-testid': 'list-new', text: 'New instance' })),
    toolbar, loadError,
    h('div', { class: 'table-wrap list-wrap' }, table),
    pager));

  function renderHeader() {
    COLUMNS.forEach((column, i) => {
      const th = headerCells[i];
      const active = column.key === state.sort;
      if (active) th.setAttribute('aria-sort', state.order === 'asc' ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
      th.querySelector('.sort-mark').textContent = active ? (state.order === 'asc' ? '▲' : '▼') : '';
    });
  }

  function makeRow(instance) {
    const link = h('a', { href: `#/instances/${encodeURIComponent(instance.id)}`, 'data-testid': 'instance-link' });
    const cells = {
      id: h('td', { class: 'mono' }, link),
      strategy_type: h('td'),
      market: h('td'),
      account: h('td'),
      mode: h('td', {}, badge('mode', instance.mode)),
      status: h('td', {}, badge('state', instance.status)),
      ticks: h('td', { class: 'num' }),
      pnl: h('td', { class: 'num' }),
      return_pct: h('td', { class: 'num', 'data-testid': 'instance-return' }),
      max_drawdown_pct: h('td', { class: 'num', 'data-testid': 'instance-drawdown' }),
    };
    const tr = h('tr', { 'data-testid': 'instance-row', dataset: { id: instance.id } }, Object.values(cells));
    cells.node = h('td', { class: 'mono', 'data-testid': 'instance-node' });
    if (clustered) tr.append(cells.node);
    tr.addEventListener('click', (event) => {
      if (event.target.closest('a')) return;
      location.hash = `#/instances/${encodeURIComponent(instance.id)}`;
    });
    return { tr, link, cells };
  }

  function updateRow(row, instance) {
    setText(row.link, instance.id);
    setText(row.cells.strategy_type, instance.strategy_type);
    setText(row.cells.market, instance.market);
    setText(row.cells.account, instance.account);
    updateBadge(row.cells.mode.firstChild, 'mode', instance.mode);
    const status = row.cells.status.firstChild;
    updateBadge(status, 'state', instance.status);
    if (instance.error) status.title = instance.error; else status.removeAttribute('title');
    setText(row.cells.ticks, formatCount(instance.ticks));
    setText(row.cells.pnl, formatMoney(instance.pnl));
    row.cells.pnl.className = signClass(instance.pnl);
    // null (no equity history yet) shows as "—".
    setText(row.cells.return_pct, formatPercent(instance.return_pct));
    row.cells.return_pct.className = signClass(instance.return_pct);
    setText(row.cells.max_drawdown_pct, formatPercent(instance.max_drawdown_pct));
    setText(row.cells.node, instance.node ?? '—');
  }

  function renderRows(instances) {
    const seen = new Set();
    const ordered = instances.map((instance) => {
      seen.add(instance.id);
      let row = rowsById.get(instance.id);
      if (!row) {
        row = makeRow(instance);
        rowsById.set(instance.id, row);
      }
      updateRow(row, instance);
      return row.tr;
    });
    for (const [id, row] of rowsById) if (!seen.has(id)) { row.tr.remove(); rowsById.delete(id); }
    if (ordered.length === 0) {
      tbody.replaceChildren(h('tr', { class: 'empty' }, h('td', { colspan: COLUMNS.length + (clustered ? 1 : 0), 'data-testid': 'list-empty', text: 'No instances match these filters.' })));
      return;
    }
    // Move rows only where the order changed, so focus and hover survive a refresh.
    ordered.forEach((tr, i) => { if (tbody.children[i] !== tr) tbody.insertBefore(tr, tbody.children[i] ?? null); });
    while (tbody.children.length > ordered.length) tbody.lastElementChild.remove();
  }

  function renderPager() {
    const from = total === 0 ? 0 : state.offset + 1;
    const to = Math.min(state.offset + state.limit, total);
    range.textContent = `${formatCount(from)}–${formatCount(to)} of ${formatCount(total)}`;
    range.dataset.total = String(total);
    first.disabled = prev.disabled = state.offset === 0;
    next.disabled = last.disabled = state.offset + state.limit >= total;
  }

  async function load() {
    clearTimeout(timer);
    controller?.abort();
    controller = new AbortController();
    const { signal } = controller;
    try {
      const page = await api.listInstances({
        q: state.q, mode: state.mode, status: state.status, strategy_type: state.strategy_type,
        sort: state.sort, order: state.order, offset: state.offset, limit: state.limit,
      }, { signal });
      if (destroyed || signal.aborted) return;
      total = page.total;
      // The filter may have shrunk the result below the current page: go back to the last page.
      if (state.offset > 0 && state.offset >= total) {
        state.offset = Math.max(0, Math.floor((total - 1) / state.limit) * state.limit);
        writeQuery(state);
        load();
        return;
      }
      loadError.hidden = true;
      renderRows(page.instances);
      renderPager();
      table.dataset.loaded = 'true';
    } catch (error) {
      if (error.name === 'AbortError' || destroyed) return;
      loadError.hidden = false;
      loadError.textContent = error instanceof ApiError ? `Could not load the instances: ${error.message}` : String(error);
    }
    if (!destroyed && !signal.aborted) timer = setTimeout(refresh, REFRESH_MS);
  }

  /** The periodic refresh: skipped while the tab is hidden. */
  function refresh() {
    if (document.hidden) timer = setTimeout(refresh, REFRESH_MS);
    else load();
  }

  function changed({ resetOffset = true } = {}) {
    if (resetOffset) state.offset = 0;
    writeQuery(state);
    renderHeader();
    load();
  }

  search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => { state.q = search.value.trim(); changed(); }, SEARCH_DEBOUNCE_MS);
  });
  for (const [wrapper, key] of [[modeFilter, 'mode'], [statusFilter, 'status'], [typeFilter, 'strategy_type']]) {
    wrapper.querySelector('select').addEventListener('change', (event) => { state[key] = event.target.value; changed(); });
  }
  clearButton.addEventListener('click', () => {
    Object.assign(state, { q: '', mode: '', status: '', strategy_type: '' });
    search.value = '';
    for (const wrapper of [modeFilter, statusFilter, typeFilter]) wrapper.querySelector('select').value = '';
    changed();
  });
  for (const th of headerCells) {
    th.querySelector('button').addEventListener('click', (event) => {
      const key = event.currentTarget.dataset.sort;
      if (state.sort === key) state.order = state.order === 'asc' ? 'desc' : 'asc';
      else { state.sort = key; state.order = 'asc'; }
      changed();
    });
  }
  first.addEventListener('click', () => { state.offset = 0; changed({ resetOffset: false }); });
  prev.addEventListener('click', () => { state.offset = Math.max(0, state.offset - state.limit); changed({ resetOffset: false }); });
  next.addEventListener('click', () => { state.offset += state.limit; changed({ resetOffset: false }); });
  last.addEventListener('click', () => {
    state.offset = Math.max(0, Math.floor((total - 1) / state.limit) * state.limit);
    changed({ resetOffset: false });
  });
  pageSize.addEventListener('change', () => { state.limit = parseInt(pageSize.value, 10); changed(); });

  // The type filter lists every strategy type the server knows.
  const strategiesController = new AbortController();
  api.strategies({ signal: strategiesController.signal }).then(({ strategies }) => {
    if (destroyed) return;
    const selectEl = typeFilter.querySelector('select');
    const names = strategies.map((s) => s.strategy_type).sort();
    if (state.strategy_type && !names.includes(state.strategy_type)) names.push(state.strategy_type);
    selectEl.replaceChildren(h('option', { value: '', text: 'All' }), ...names.map((n) => h('option', { value: n, text: n })));
    selectEl.value = state.strategy_type;
  }).catch(() => {});

  loadCluster({ signal: strategiesController.signal }).then((cluster) => {
    if (destroyed || !cluster.clustered) return;
    clustered = true;
    headerRow.append(nodeHeader);
    for (const row of rowsById.values()) row.tr.append(row.cells.node);
  }).catch(() => {});

  renderHeader();
  load();
  document.title = 'Instances · Strata';

  return {
    destroy() {
      destroyed = true;
      clearTimeout(timer);
      clearTimeout(searchTimer);
      controller?.abort();
      strategiesController.abort();
    },
  };
}
