// Config forms generated from a strategy type's schema (the `schema` array of the API: name,
// type, default, min, max, label, description, values). The constraints live on the inputs
// (min, max, step, required), the browser's constraint validation checks them, and the messages
// show next to each field, in the same place as the server's field errors.
import { h } from './dom.js';
import { formatNumber } from './format.js';

/** The value a config has for a field: its own, or the field's default. */
export function valueOf(config, field) {
  return config && Object.prototype.hasOwnProperty.call(config, field.name) ? config[field.name] : field.default;
}

function rangeHint(field) {
  const hasMin = typeof field.min === 'number';
  const hasMax = typeof field.max === 'number';
  if (hasMin && hasMax) return `${formatNumber(field.min)} – ${formatNumber(field.max)}`;
  if (hasMin) return `≥ ${formatNumber(field.min)}`;
  if (hasMax) return `≤ ${formatNumber(field.max)}`;
  return '';
}

function defaultHint(field) {
  if (field.type === 'boolean') return `default ${field.default ? 'on' : 'off'}`;
  if (field.type === 'string') return field.default === '' ? 'default empty' : `default “${field.default}”`;
  return `default ${typeof field.default === 'number' ? formatNumber(field.default) : String(field.default)}`;
}

function makeInput(field, id, value) {
  switch (field.type) {
    case 'boolean': {
      const input = h('input', { type: 'checkbox', id, name: field.name });
      input.checked = value === true;
      return input;
    }
    case 'enum': {
      const values = Array.isArray(field.values) ? field.values : [];
      const select = h('select', { id, name: field.name, required: true }, values.map((v) => h('option', { value: v, text: v })));
      select.value = String(value);
      return select;
    }
    case 'integer':
    case 'float':
    case 'number': {
      const input = h('input', {
        type: 'number', id, name: field.name, required: true,
        step: field.type === 'integer' ? '1' : 'any',
        inputmode: field.type === 'integer' ? 'numeric' : 'decimal',
        min: typeof field.min === 'number' ? field.min : null,
        max: typeof field.max === 'number' ? field.max : null,
      });
      input.value = typeof value === 'number' ? String(value) : '';
      return input;
    }
    default: {
      const input = h('input', { type: 'text', id, name: field.name, autocomplete: 'off', spellcheck: 'false' });
      input.value = value === null || value === undefined ? '' : String(value);
      return input;
    }
  }
}

/** The message for an input that fails its constraints, or '' when it is valid. */
function validationMessage(input, field) {
  const v = input.validity;
  if (v.valid) return '';
  if (v.badInput) return field.type === 'integer' ? 'Enter a whole number.' : 'Enter a number.';
  if (v.valueMissing) return 'A value is required.';
  if (v.rangeUnderflow) return `Must be at least ${formatNumber(Number(input.min))}.`;
  if (v.rangeOverflow) return `Must be at most ${formatNumber(Number(input.max))}.`;
  if (v.stepMismatch) return 'Must be a whole number.';
  return input.validationMessage || 'Invalid value.';
}

/**
 * Builds the fields of a config form.
 * @param {object[]} schema  the ConfigField array
 * @param {object} config    current values (missing fields show their default)
 * @param {string} prefix    id prefix, so that two forms never share ids
 * @returns {{ element, read, validate, showErrors, clearErrors, setValues, fields }}
 */
export function configFields(schema, config, prefix) {
  const rows = new Map(); // name → { field, input, error, wrapper }
  const element = h('div', { class: 'fields' });
  for (const field of schema) {
    const id = `${prefix}-${field.name}`;
    const input = makeInput(field, id, valueOf(config, field));
    const errorId = `${id}-error`;
    const descId = `${id}-desc`;
    const label = h('label', { for: id, class: 'field-label', text: field.label || field.name });
    const hints = [field.type === 'float' || field.type === 'number' ? 'number' : field.type, rangeHint(field), defaultHint(field)].filter(Boolean).join(' · ');
    const description = h('p', { class: 'field-help', id: descId, 'data-testid': `desc-${field.name}` },
      field.description ? h('span', { class: 'field-description', text: field.description }) : null,
      h('span', { class: 'field-hint', text: hints }));
    const error = h('p', { class: 'field-error', id: errorId, role: 'alert', hidden: true, 'data-testid': `error-${field.name}` });
    input.setAttribute('aria-describedby', `${descId} ${errorId}`);
    input.dataset.testid = `input-${field.name}`;
    const wrapper = field.type === 'boolean'
      ? h('div', { class: 'field field-check', 'data-testid': `field-${field.name}`, dataset: { field: field.name } },
        h('div', { class: 'check-row' }, input, label), description, error)
      : h('div', { class: 'field', 'data-testid': `field-${field.name}`, dataset: { field: field.name } },
        label, input, description, error);
    input.addEventListener('input', () => setError(field.name, ''));
    rows.set(field.name, { field, input, error, wrapper });
    element.append(wrapper);
  }

  function setError(name, message) {
    const row = rows.get(name);
    if (!row) return false;
    row.error.textContent = message;
    row.error.hidden = !message;
    row.wrapper.classList.toggle('has-error', Boolean(message));
    if (message) row.input.setAttribute('aria-invalid', 'true'); else row.input.removeAttribute('aria-invalid');
    return true;
  }

  return {
    element,
    fields: rows,
    /** The form's values as typed JSON ({name: value}). */
    read() {
      const values = {};
      for (const [name, { field, input }] of rows) {
        if (field.type === 'boolean') values[name] = input.checked;
        else if (field.type === 'integer' || field.type === 'float' || field.type === 'number') values[name] = input.value === '' ? null : Number(input.value);
        else values[name] = input.value;
      }
      return values;
    },
    /** Checks every field against its input's constraints; shows the messages; returns true when all pass. */
    validate() {
      let firstBad = null;
      for (const [name, { field, input }] of rows) {
        const message = validationMessage(input, field);
        setError(name, message);
        if (message && !firstBad) firstBad = input;
      }
      firstBad?.focus();
      return firstBad === null;
    },
    /** Shows server errors next to their fields; returns the errors that name no field here. */
    showErrors(errors) {
      const rest = [];
      let firstBad = null;
      for (const error of errors) {
        const name = error.field.replace(/^config\./, '');
        if (setError(name, error.message)) firstBad ??= rows.get(name).input;
        else rest.push(error);
      }
      firstBad?.focus();
      return rest;
    },
    clearErrors() {
      for (const name of rows.keys()) setError(name, '');
    },
    /** Puts values into the inputs (after a save, or a change made elsewhere). */
    setValues(config) {
      for (const [, { field, input }] of rows) {
        const value = valueOf(config, field);
        if (field.type === 'boolean') input.checked = value === true;
        else input.value = value === null || value === undefined ? '' : String(value);
      }
    },
  };
}

/** The fields whose value differs from the config's (or default) value. */
export function changedValues(schema, config, values) {
  const patch = {};
  for (const field of schema) {
    if (!Object.prototype.hasOwnProperty.call(values, field.name)) continue;
    if (values[field.name] !== valueOf(config, field)) patch[field.name] = values[field.name];
  }
  return patch;
}
