// One account (#/accounts/NAME): its balances, the positions of its instances (netted per
// market, with each instance's share), its instances, open orders, Fund and Reset, the
// Performance panel over the account's equity (with PnL by instance and by market), and its
// audit. The account is polled every few seconds while the view is open.
import { api, ApiError } from './api.js';
import { h, card, definitionList, fillRows, setText } from './dom.js';
import { formatCount, formatJSON, formatMoney, formatNumber, formatTime, signClass } from './format.js';
import { performancePanel } from './performance-panel.js';
import { badge, confirmAction, toast } from './ui.js';

const POLL_MS = 3000;

function list(value) {
  return Array.isArray(value) ? value : [];
}

function instanceLink(id) {
  return h('a', { href: `#/instances/${encodeURIComponent(String(id))}`, class: 'mono', text: String(id) });
}

function numCell(value, format = formatNumber) {
  return h('td', { class: 'num', text: format(value ?? null) });
}

function moneyCell(value) {
  return h('td', { class: signClass(value), text: formatMoney(value) });
}

export function mountAccount(container, name) {
  let destroyed = false;
  let timer = null;
  let account = null;
  let performance = null;
  const controller = new AbortController();
  const { signal } = controller;

  const page = h('div', { class: 'page account-detail', 'data-testid': 'account-detail', dataset: { name } },
    h('p', { class: 'crumbs' }, h('a', { href: '#/accounts', 'data-testid': 'back-to-accounts', text: '← Accounts' })),
    h('p', { class: 'muted', text: 'Loading…' }));
  container.append(page);
  document.title = `${name} · Accounts · Strata`;

  const parts = {};

  function build() {
    page.lastChild.remove();
    parts.subtitle = h('p', { class: 'subtitle', 'data-testid': 'account-subtitle' });
    parts.kind = badge('kind', account.kind, 'account-kind');
    page.append(h('div', { class: 'page-head' },
      h('div', {}, h('h1', { class: 'mono', 'data-testid': 'account-name', text: account.name }), parts.subtitle),
      h('div', { class: 'head-badges' }, parts.kind)));

    const balances = card('Balances', { id: 'balances', testid: 'account-balances' });
    parts.balances = balances.body;
    const actions = card('Fund or reset', { id: 'account-actions', testid: 'account-actions' });
    actions.body.append(fundForm(), resetBox());
    const instances = card('Instances', { id: 'account-instances', testid: 'account-instances-card' });
    parts.instances = h('tbody');
    instances.body.append(h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', 'data-testid': 'account-instance-table' },
      h('thead', {}, h('tr', {}, ['Instance', 'Market', 'Mode', 'Position', 'PnL'].map((c, i) => h('th', { scope: 'col', class: i >= 3 ? 'num' : null, text: c })))),
      parts.instances)));
    page.append(h('div', { class: 'grid-2 account-grid' }, balances.section, actions.section));

    const positions = card('Positions', { id: 'positions', testid: 'account-positions' });
    parts.positions = h('tbody');
    positions.body.append(h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', 'data-testid': 'account-position-table' },
      h('thead', {}, h('tr', {}, ['Market', 'Quantity', 'Average price', 'Last price', 'Unrealised', 'Instances']
        .map((c, i) => h('th', { scope: 'col', class: i >= 1 && i <= 4 ? 'num' : null, text: c })))),
      parts.positions)));
    const orders = card('Open orders', { id: 'open-orders', testid: 'account-orders' });
    parts.orders = h('tbody');
    orders.body.append(h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', 'data-testid': 'account-order-table' },
      h('thead', {}, h('tr', {}, ['Created', 'Instance', 'Market', 'Side', 'Type', 'Quantity', 'Price', 'Filled', 'Status']
        .map((c, i) => h('th', { scope: 'col', class: i >= 5 && i <= 7 ? 'num' : null, text: c })))),
      parts.orders)));
    page.append(h('div', { class: 'grid-2 account-grid' }, instances.section, positions.section), orders.section);

    const perf = card('Performance', { id: 'account-performance', testid: 'account-performance' });
    performance = performancePanel('account', name, { window: 'all' });
    perf.body.append(performance.element);
    page.append(perf.section);

    const audit = card('Audit', { id: 'account-audit', testid: 'account-audit' });
    parts.audit = h('tbody');
    audit.body.append(h('div', { class: 'table-wrap tall' }, h('table', { class: 'data compact', 'data-testid': 'account-audit-table' },
      h('thead', {}, h('tr', {}, ['At', 'Actor', 'Change', 'Before', 'After'].map((c) => h('th', { scope: 'col', text: c })))),
      parts.audit)));
    page.append(audit.section);
  }

  // --- Fund and Reset ----------------------------------------------------------------------------

  function fundForm() {
    const amount = h('input', { id: 'fund-amount', name: 'amount', type: 'number', step: 'any', inputmode: 'decimal', required: true,
      'aria-describedby': 'fund-amount-error', 'data-testid': 'fund-amount' });
    const error = h('p', { id: 'fund-amount-error', class: 'field-error', role: 'alert', 'data-testid': 'fund-amount-error' });
    const button = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'fund-submit', text: 'Fund' });
    amount.addEventListener('input', () => { error.textContent = ''; amount.removeAttribute('aria-invalid'); });
    const form = h('form', { class: 'fund-form', novalidate: true, 'data-testid': 'fund-form' },
      h('div', { class: 'field' }, h('label', { for: 'fund-amount', class: 'field-label', text: 'Add cash' }),
        h('div', { class: 'inline-input' }, amount, button), error));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      error.textContent = '';
      const text = amount.value.trim();
      if (text === '') {
        error.textContent = amount.validity.badInput ? 'Enter a number.' : 'Enter an amount.';
        amount.setAttribute('aria-invalid', 'true');
        amount.focus();
        return;
      }
      button.disabled = true;
      try {
        const updated = await api.fundAccount(name, Number(text), { signal });
        if (destroyed) return;
        apply(updated);
        amount.value = '';
        toast(`Added ${formatNumber(Number(text))} to ${name}.`, 'ok');
        loadAudit();
        performance?.refresh();
      } catch (failure) {
        if (failure.name === 'AbortError') return;
        error.textContent = failure instanceof ApiError ? (failure.messageFor('amount') || failure.message) : String(failure.message);
        amount.setAttribute('aria-invalid', 'true');
        amount.focus();
      } finally {
        button.disabled = false;
      }
    });
    return form;
  }

  function resetBox() {
    const message = h('p', { class: 'alert alert-error', role: 'alert', hidden: true, 'data-testid': 'account-reset-error' });
    const button = h('button', { type: 'button', class: 'btn btn-danger', 'data-testid': 'account-reset', text: 'Reset account' });
    button.addEventListener('click', async () => {
      message.hidden = true;
      const ok = await confirmAction({
        title: `Reset ${name}?`,
        message: `Cash goes back to the starting cash, every position of its instances is closed flat and their open orders are cancelled. Fills before the reset no longer count.`,
        confirmLabel: 'Reset',
      });
      if (!ok || destroyed) return;
      button.disabled = true;
      try {
        apply(await api.resetAccount(name, { signal }));
        toast(`${name} was reset.`, 'ok');
        loadAudit();
        performance?.refresh();
      } catch (error) {
        if (error.name === 'AbortError') return;
        // The server's words (a 409 names the active instances), without the field's name.
        message.textContent = error instanceof ApiError ? error.errors.map((e) => e.message).join(' ') : error.message;
        message.hidden = false;
      } finally {
        button.disabled = false;
      }
    });
    return h('div', { class: 'reset-box' },
      h('p', { class: 'muted small', text: 'Paper accounts only; refused while an instance of the account is active.' }),
      button, message);
  }

  // --- showing the account -----------------------------------------------------------------------

  function apply(a) {
    account = a;
    setText(parts.subtitle, `${a.kind ?? '—'} · ${a.base_currency ?? '—'} · created ${formatTime(a.created_at)}`);
    parts.kind.className = `badge kind-${a.kind}`;
    setText(parts.kind, a.kind ?? '—');
    parts.balances.replaceChildren(definitionList([
      ['Cash', formatNumber(a.cash ?? null), 'cash'],
      ['Equity', formatNumber(a.equity ?? null), 'equity'],
      ['Starting cash', formatNumber(a.starting_cash ?? null), 'starting-cash'],
      ['Funded', formatNumber(a.funded ?? null), 'funded'],
      ['Realised PnL', h('span', { class: signClass(a.realised_pnl), text: formatMoney(a.realised_pnl) }), 'realised'],
      ['Unrealised PnL', h('span', { class: signClass(a.unrealised_pnl), text: formatMoney(a.unrealised_pnl) }), 'unrealised'],
      ['Fees', formatNumber(a.fees ?? null), 'fees'],
      ['Resets', `${formatCount(a.resets)}${a.reset_at ? ` · last ${formatTime(a.reset_at)}` : ''}`, 'resets'],
      ['Prices', a.price_source === 'live' ? 'live' : 'last fill (no live price)', 'price-source'],
    ], { testid: 'account-balance-list' }));

    fillRows(parts.instances, list(a.instances).map((i) => [
      instanceLink(i.id), String(i.market ?? ''), badge('mode', i.mode), numCell(i.position), moneyCell(i.pnl),
    ]), 5, 'No instances trade on this account.');
    fillRows(parts.positions, list(a.positions).map((p) => [
      String(p.market ?? ''), numCell(p.quantity), numCell(p.average_price), numCell(p.last_price), moneyCell(p.unrealised_pnl),
      h('td', {}, list(p.instances).map((i, index) => [index ? ', ' : null, instanceLink(i.id), ` (${formatNumber(i.quantity ?? null)})`])),
    ]), 6, 'No open positions.');
    fillRows(parts.orders, list(a.open_orders).map((o) => [
      formatTime(o.created_at), instanceLink(o.instance_id), String(o.market ?? ''),
      h('span', { class: `side-${o.side}`, text: String(o.side ?? '') }), String(o.type ?? ''),
      numCell(o.quantity), numCell(o.price), numCell(o.filled_quantity), badge('order', o.status),
    ]), 9, 'No open orders.');
  }

  async function loadAudit() {
    try {
      const { audit } = await api.accountAudit(name, { signal });
      if (destroyed) return;
      fillRows(parts.audit, list(audit).map((e) => [
        formatTime(e.at), String(e.actor ?? ''), String(e.field ?? ''),
        h('td', { class: 'mono wrap', text: e.old === null || e.old === undefined ? '—' : formatJSON(e.old) }),
        h('td', { class: 'mono wrap', text: formatJSON(e.new) }),
      ]), 5, 'No changes yet.');
    } catch (error) {
      if (destroyed || error.name === 'AbortError') return;
      fillRows(parts.audit, [], 5, `Could not load the audit: ${error.message}`);
    }
  }

  async function poll() {
    if (!document.hidden) {
      try {
        const a = await api.getAccount(name, { signal });
        if (destroyed) return;
        apply(a);
      } catch (error) {
        if (destroyed || error.name === 'AbortError') return;
      }
    }
    if (!destroyed) timer = setTimeout(poll, POLL_MS);
  }

  api.getAccount(name, { signal }).then((a) => {
    if (destroyed) return;
    account = a;
    build();
    apply(a);
    loadAudit();
    timer = setTimeout(poll, POLL_MS);
  }).catch((error) => {
    if (destroyed || error.name === 'AbortError') return;
    page.lastChild.replaceWith(h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'account-error',
      text: error instanceof ApiError && error.status === 404 ? `No account named “${name}”.` : `Could not load the account: ${error.message}` }));
  });

  return {
    destroy() {
      destroyed = true;
      clearTimeout(timer);
      controller.abort();
      performance?.destroy();
    },
  };
}
