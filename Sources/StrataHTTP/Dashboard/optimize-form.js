// The parameter rows of the Optimize form: one per parameter the server can sweep (its defaults
// come from the strategy's CONFIG_SCHEMA), either a range (from, to, step) or a list of values.
import { h } from './dom.js';

/** Table rows for `parameters` ([{name, type, from, to, step} | {name, type, values}]). */
export function parameterRows(parameters) {
  return parameters.map((p, i) => {
    const ranged = typeof p.from === 'number';
    const numeric = p.type === 'integer' || p.type === 'number';
    const number = (key, value) => h('input', {
      type: 'number', step: p.type === 'integer' ? '1' : 'any', value: value ?? '', 'aria-label': `${p.name} ${key}`,
      dataset: { key }, disabled: !numeric,
    });
    return h('tr', { 'data-testid': 'optimize-param', dataset: { name: p.name, type: p.type } },
      h('td', {}, h('input', { type: 'checkbox', checked: i < 2, 'aria-label': `Sweep ${p.name}`, dataset: { key: 'sweep' } })),
      h('td', {}, h('code', { text: p.name })),
      h('td', {}, number('from', ranged ? p.from : null)),
      h('td', {}, number('to', ranged ? p.to : null)),
      h('td', {}, number('step', ranged ? p.step : null)),
      h('td', {}, h('input', {
        type: 'text', 'aria-label': `${p.name} values`, dataset: { key: 'values' },
        value: Array.isArray(p.values) ? p.values.join(', ') : '', placeholder: ranged ? 'or a, b, c' : '',
      })));
  });
}

function valueOf(text, type) {
  if (type === 'integer' || type === 'number') return Number(text);
  if (type === 'boolean') return text === 'true';
  return text;
}

/** The swept parameters of the form, as the API takes them, or `{ error }` naming the bad row. */
export function readParameters(tbody) {
  const params = [];
  for (const row of tbody.querySelectorAll('tr[data-name]')) {
    const input = (key) => row.querySelector(`[data-key="${key}"]`);
    if (!input('sweep').checked) continue;
    const { name, type } = row.dataset;
    const listed = input('values').value.split(',').map((v) => v.trim()).filter((v) => v !== '');
    if (listed.length > 0) {
      const values = listed.map((v) => valueOf(v, type));
      if (values.some((v) => typeof v === 'number' && !Number.isFinite(v))) return { error: `${name}: the values must be numbers.` };
      params.push({ name, values });
      continue;
    }
    const [from, to, step] = ['from', 'to', 'step'].map((key) => Number(input(key).value));
    if (![from, to, step].every(Number.isFinite) || input('from').value === '' || input('to').value === '') {
      return { error: `${name}: give from, to and step, or a list of values.` };
    }
    params.push({ name, from, to, step });
  }
  if (params.length === 0) return { error: 'Tick at least one parameter to sweep.' };
  return { params };
}
