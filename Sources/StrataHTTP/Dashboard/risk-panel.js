// The detail view's Risk card: the instance's own limits as a form (empty: no limit), its
// account's limits and the halt it trades under. Saving replaces every limit at once; the
// server's field errors show beside their inputs. Numbers only ever go in as input values.
import { api } from './api.js';
import { h, definitionList } from './dom.js';
import { formatNumber } from './format.js';
import { badge, toast } from './ui.js';

const LIMITS = [
  ['max_position', 'Max position', 'Largest absolute position an order may leave (open orders counted).'],
  ['max_order_quantity', 'Max order quantity', 'Largest quantity of one order.'],
  ['max_order_notional', 'Max order notional', 'Largest quantity × price of one order.'],
  ['max_orders_per_minute', 'Max orders per minute', 'Most orders accepted in any 60 s of engine time.'],
  ['max_daily_loss', 'Max daily loss', 'Loss since 00:00 UTC past which only reducing orders pass until the next day.'],
];

function limitsText(limits) {
  const set = LIMITS.filter(([key]) => limits?.[key] !== undefined && limits?.[key] !== null);
  return set.length === 0 ? 'none' : set.map(([key, label]) => `${label.toLowerCase()} ${formatNumber(limits[key])}`).join(', ');
}

export function riskPanel(id) {
  const controller = new AbortController();
  const element = h('div', { class: 'risk-panel', 'data-testid': 'risk-panel' });
  const inputs = {};
  const errors = {};
  const summary = h('div');
  const formError = h('p', { class: 'alert alert-error', role: 'alert', hidden: true, 'data-testid': 'risk-error' });
  const rows = LIMITS.map(([key, label, help]) => {
    inputs[key] = h('input', {
      id: `risk-${key}`, name: key, type: 'number', min: '0', step: 'any', placeholder: 'no limit',
      inputmode: 'decimal', 'aria-describedby': `risk-${key}-help risk-${key}-error`, 'data-testid': `risk-${key}`,
    });
    errors[key] = h('span', { id: `risk-${key}-error`, class: 'field-error', role: 'alert', 'data-testid': `risk-${key}-error` });
    return h('div', { class: 'field' },
      h('label', { for: `risk-${key}`, text: label }), inputs[key],
      h('small', { id: `risk-${key}-help`, class: 'muted', text: help }), errors[key]);
  });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'risk-save', text: 'Save limits' });
  const form = h('form', { class: 'risk-form', novalidate: true, 'data-testid': 'risk-form', on: { submit: onSubmit } }, ...rows,
    h('div', { class: 'form-actions' }, save));
  element.append(summary, formError, form);

  function show(risk) {
    summary.replaceChildren(definitionList([
      ['Trading', badge('halt', risk.halt), 'halt'],
      [`Account ${risk.account}`, limitsText(risk.account_limits), 'account-limits'],
    ], { testid: 'risk-summary' }));
    for (const [key] of LIMITS) {
      const value = risk.limits?.[key];
      inputs[key].value = value === undefined || value === null ? '' : String(value);
    }
  }

  async function load() {
    try {
      show(await api.getRisk(id, { signal: controller.signal }));
    } catch (error) {
      if (error.name === 'AbortError') return;
      formError.textContent = `Could not load the limits: ${error.message}`;
      formError.hidden = false;
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
    save.disabled = true;
    try {
      show(await api.setRisk(id, body, { signal: controller.signal }));
      toast('Risk limits saved.', 'ok');
    } catch (error) {
      if (error.name === 'AbortError') return;
      let placed = false;
      for (const [key] of LIMITS) {
        const message = error.messageFor?.(key);
        if (message) {
          errors[key].textContent = message;
          inputs[key].setAttribute('aria-invalid', 'true');
          placed = true;
        }
      }
      if (!placed) {
        formError.textContent = error.message;
        formError.hidden = false;
      }
    } finally {
      save.disabled = false;
    }
  }

  load();
  return { element, refresh: load, destroy() { controller.abort(); } };
}
