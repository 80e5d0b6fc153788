// The Accounts view (#/accounts): every account with its balances and PnL (refreshed every few
// seconds), and a form to create one (name, currency, starting cash) whose server field errors
// show beside their inputs. One account opens at #/accounts/NAME (account.js).
import { api, ApiError } from './api.js';
import { h, fillRows } from './dom.js';
import { formatCount, formatMoney, formatNumber, signClass } from './format.js';
import { toast } from './ui.js';

const REFRESH_MS = 4000;
const FIELDS = [
  { key: 'name', label: 'Name', help: 'Letters, digits, - and _; unique.', attrs: { type: 'text', maxlength: '64', autocomplete: 'off', spellcheck: 'false', required: true } },
  { key: 'base_currency', label: 'Currency', help: '3–10 letters A–Z (default USD).', attrs: { type: 'text', maxlength: '10', autocomplete: 'off', spellcheck: 'false', placeholder: 'USD' } },
  { key: 'starting_cash', label: 'Starting cash', help: 'Greater than 0 (default 100,000).', attrs: { type: 'number', step: 'any', inputmode: 'decimal', placeholder: '100000' } },
];

/** The link to one account's view. */
export function accountHref(name) {
  return `#/accounts/${encodeURIComponent(name)}`;
}

export function mountAccounts(container) {
  let destroyed = false;
  let timer = null;
  const controller = new AbortController();
  const { signal } = controller;

  const status = h('p', { class: 'muted', 'data-testid': 'accounts-status', hidden: true });
  const tbody = h('tbody');
  const columns = ['Name', 'Kind', 'Currency', 'Cash', 'Equity', 'Realised PnL', 'Unrealised PnL', 'Instances'];
  const table = h('table', { class: 'data accounts', 'data-testid': 'accounts-table' },
    h('caption', { class: 'visually-hidden', text: 'Accounts' }),
    h('thead', {}, h('tr', {}, columns.map((c, i) => h('th', { scope: 'col', class: i >= 3 ? 'num' : null, text: c })))),
    tbody);

  // The create form.
  const inputs = {};
  const errors = {};
  const rows = FIELDS.map(({ key, label, help, attrs }) => {
    const id = `acct-${key}`;
    inputs[key] = h('input', { id, name: key, ...attrs, 'aria-describedby': `${id}-help ${id}-error`, 'data-testid': `account-${key}` });
    errors[key] = h('p', { id: `${id}-error`, class: 'field-error', role: 'alert', 'data-testid': `account-${key}-error` });
    inputs[key].addEventListener('input', () => setError(key, ''));
    return h('div', { class: 'field', dataset: { field: key } },
      h('label', { for: id, class: 'field-label', text: label }), inputs[key],
      h('p', { id: `${id}-help`, class: 'field-help', text: help }), errors[key]);
  });
  const formError = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, 'data-testid': 'account-form-error' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'account-create', text: 'Create account' });
  const form = h('form', { class: 'card account-form', novalidate: true, 'aria-labelledby': 'acct-form-title', 'data-testid': 'account-form' },
    h('div', { class: 'card-head' }, h('h2', { id: 'acct-form-title', text: 'Create a paper account' })),
    h('div', { class: 'card-body' }, h('div', { class: 'account-fields' }, rows), formError, h('div', { class: 'form-actions' }, submit)));

  container.append(h('div', { class: 'page accounts-page' },
    h('div', { class: 'page-head' }, h('div', {}, h('h1', { text: 'Accounts' }),
      h('p', { class: 'subtitle', text: 'Paper accounts the instances trade on: cash, equity at the last price, and PnL.' }))),
    status, h('div', { class: 'table-wrap' }, table), form));
  document.title = 'Accounts · Strata';

  function setError(key, message) {
    errors[key].textContent = message;
    errors[key].parentElement.classList.toggle('has-error', Boolean(message));
    if (message) inputs[key].setAttribute('aria-invalid', 'true'); else inputs[key].removeAttribute('aria-invalid');
  }

  function row(account) {
    const instances = Array.isArray(account.instances) ? account.instances : [];
    return h('tr', { 'data-testid': 'account-row', dataset: { name: String(account.name) } },
      h('td', { class: 'mono' }, h('a', { href: accountHref(String(account.name)), 'data-testid': 'account-link', text: String(account.name) })),
      h('td', { text: String(account.kind ?? '—') }),
      h('td', { text: String(account.base_currency ?? '—') }),
      h('td', { class: 'num', 'data-testid': 'account-cash', text: formatNumber(account.cash ?? null) }),
      h('td', { class: 'num', 'data-testid': 'account-equity', text: formatNumber(account.equity ?? null) }),
      h('td', { class: signClass(account.realised_pnl), text: formatMoney(account.realised_pnl) }),
      h('td', { class: signClass(account.unrealised_pnl), text: formatMoney(account.unrealised_pnl) }),
      h('td', { class: 'num', 'data-testid': 'account-instances', text: formatCount(instances.length) }));
  }

  async function load() {
    clearTimeout(timer);
    try {
      const answer = await api.accounts({ signal });
      if (destroyed) return;
      const accounts = Array.isArray(answer?.accounts) ? answer.accounts : [];
      status.hidden = true;
      if (accounts.length === 0) fillRows(tbody, [], columns.length, 'No accounts yet.');
      else tbody.replaceChildren(...accounts.map(row));
      table.dataset.loaded = 'true';
    } catch (error) {
      if (destroyed || error.name === 'AbortError') return;
      status.hidden = false;
      status.className = 'alert alert-error';
      status.textContent = `Could not load the accounts: ${error.message}`;
    }
    if (!destroyed) timer = setTimeout(refresh, REFRESH_MS);
  }

  /** The periodic refresh: skipped while the tab is hidden. */
  function refresh() {
    if (document.hidden) timer = setTimeout(refresh, REFRESH_MS);
    else load();
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    formError.hidden = true;
    for (const { key } of FIELDS) setError(key, '');
    const body = { name: inputs.name.value.trim() };
    const currency = inputs.base_currency.value.trim();
    if (currency !== '') body.base_currency = currency;
    const cash = inputs.starting_cash.value.trim();
    if (cash !== '') body.starting_cash = Number(cash);
    else if (inputs.starting_cash.validity.badInput) {
      setError('starting_cash', 'Enter a number.');
      inputs.starting_cash.focus();
      return;
    }
    submit.disabled = true;
    try {
      const created = await api.createAccount(body, { signal });
      if (destroyed) return;
      toast(`Created account ${created.name}.`, 'ok');
      form.reset();
      load();
    } catch (error) {
      if (error.name === 'AbortError') return;
      let first = null;
      const errorsOf = error instanceof ApiError ? error.errors : [{ field: '', message: error.message }];
      const rest = [];
      for (const e of errorsOf) {
        if (e.field in inputs) { setError(e.field, [errors[e.field].textContent, e.message].filter(Boolean).join(' ')); first ??= inputs[e.field]; }
        else if (error.status === 409) { setError('name', e.message); first ??= inputs.name; }
        else rest.push(e.message);
      }
      if (rest.length) { formError.textContent = rest.join(' '); formError.hidden = false; }
      first?.focus();
    } finally {
      submit.disabled = false;
    }
  });

  load();
  return {
    destroy() {
      destroyed = true;
      clearTimeout(timer);
      controller.abort();
    },
  };
}
