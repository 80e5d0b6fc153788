// The detail view's Risk card: the instance's own limits and its account's (shared by all the
// account's instances), each as a form (empty: no limit), and the halt it trades under. Saving
// replaces every limit of that form at once; the server's field errors show beside their inputs.
// Numbers only ever go in as input values.
import { api } from './api.js';
import { h, definitionList } from './dom.js';
import { badge, toast } from './ui.js';

const LIMITS = [
  ['max_position', 'Max position', 'Largest absolute position an order may leave (open orders counted).'],
  ['max_order_quantity', 'Max order quantity', 'Largest quantity of one order.'],
  ['max_order_notional', 'Max order notional', 'Largest quantity × price of one order.'],
  ['max_orders_per_minute', 'Max orders per minute', 'Most orders accepted in any 60 s of engine time.'],
  ['max_daily_loss', 'Max daily loss', 'Loss since 00:00 UTC past which only reducing orders pass until the next day.'],
];

/**
 * One form of limits. `scope` names its inputs (`risk-…` for the instance, `account-risk-…`);
 * `save(body)` sends it and resolves to the limits the server stored, which replace the inputs
 * unless they were edited while the save was on its way.
 */
function limitsForm(scope, title, save) {
  const prefix = scope === 'instance' ? 'risk' : 'account-risk';
  const inputs = {};
  const errors = {};
  const formError = h('p', { class: 'alert alert-error', role: 'alert', hidden: true, 'data-testid': `${prefix}-error` });
  const rows = LIMITS.map(([key, label, help]) => {
    const id = `${prefix}-${key}`;
    inputs[key] = h('input', {
      id, name: key, type: 'number', min: '0', step: 'any', placeholder: 'no limit', inputmode: 'decimal',
      'aria-describedby': `${id}-help ${id}-error`, 'data-testid': id,
    });
    errors[key] = h('span', { id: `${id}-error`, class: 'field-error', role: 'alert', 'data-testid': `${id}-error` });
    return h('div', { class: 'field' }, h('label', { for: id, text: label }), inputs[key], h('small', { id: `${id}-help`, class: 'muted', text: help }), errors[key]);
  });
  const button = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': `${prefix}-save`, text: `Save ${title.toLowerCase()}` });
  const form = h('form', { class: 'risk-form', novalidate: true, 'data-testid': `${prefix}-form`, on: { submit: onSubmit } },
    h('h3', { class: 'risk-form-title', text: title }), ...rows, h('div', { class: 'form-actions' }, button));

  function show(limits) {
    for (const [key] of LIMITS) {
      const value = limits?.[key];
      inputs[key].value = value === undefined || value === null ? '' : String(value);
    }
  }

  async function onSubmit(event) {
    event.preventDefault();
    formError.hidden = true;
    const body = {};
    for (const [key, label] of LIMITS) {
      errors[key].textContent = '';
      inputs[key].removeAttribute('aria-invalid');
      const text = inputs[key].value.trim();
      if (text === '') continue;
      const number = Number(text);
      if (!Number.isFinite(number)) {
        errors[key].textContent = `${label} must be a number.`;
        inputs[key].setAttribute('aria-invalid', 'true');
        return;
      }
      body[key] = number;
    }
    const sent = LIMITS.map(([key]) => inputs[key].value);
    button.disabled = true;
    try {
      const stored = await save(body);
      if (LIMITS.every(([key], index) => inputs[key].value === sent[index])) show(stored);
      toast(`${title} saved.`, 'ok');
    } catch (error) {
      if (error.name === 'AbortError') return;
      const placed = LIMITS.filter(([key]) => error.messageFor?.(key));
      for (const [key] of placed) {
        errors[key].textContent = error.messageFor(key);
        inputs[key].setAttribute('aria-invalid', 'true');
      }
      if (placed.length === 0) {
        formError.textContent = error.message;
        formError.hidden = false;
      }
    } finally {
      button.disabled = false;
    }
  }

  return { element: h('div', {}, formError, form), show };
}

export function riskPanel(id) {
  const controller = new AbortController();
  const { signal } = controller;
  const element = h('div', { class: 'risk-panel', 'data-testid': 'risk-panel' });
  const summary = h('div');
  const loadError = h('p', { class: 'alert alert-error', role: 'alert', hidden: true });
  let account = null;
  const own = limitsForm('instance', 'Instance limits', async (body) => {
    const risk = await api.setRisk(id, body, { signal });
    showSummary(risk);
    return risk.limits;
  });
  const shared = limitsForm('account', 'Account limits', async (body) => (await api.setAccountRisk(account, body, { signal })).limits);
  element.append(summary, loadError, own.element, shared.element);

  function showSummary(risk) {
    account = risk.account;
    summary.replaceChildren(definitionList([
      ['Trading', badge('halt', risk.halt), 'halt'],
      ['Account', risk.account, 'account'],
    ], { testid: 'risk-summary' }));
  }

  function show(risk) {
    showSummary(risk);
    own.show(risk.limits);
    shared.show(risk.account_limits);
  }

  async function load() {
    try {
      show(await api.getRisk(id, { signal }));
    } catch (error) {
      if (error.name === 'AbortError') return;
      loadError.textContent = `Could not load the limits: ${error.message}`;
      loadError.hidden = false;
    }
  }

  load();
  return { element, refresh: load, destroy() { controller.abort(); } };
}
