// The detail view's config form: fields from the instance's schema, checked in the browser,
// then PATCHed; the server's field errors show next to their fields.
import { api, ApiError } from './api.js';
import { h } from './dom.js';
import { configFields, changedValues } from './form.js';
import { formatTime } from './format.js';

/**
 * @param {object} options
 * @param {string} options.id            the instance id
 * @param {object} options.instance      the instance (InstanceDetail) the form starts from
 * @param {AbortSignal} options.signal   aborts the save when the view closes
 * @param {() => object} options.current the instance as the view knows it now
 * @param {(updated: object) => void} options.onSaved called with the instance after a save
 * @returns {{ element: HTMLElement, showConfig(config: object): void }}
 */
export function configPanel({ id, instance, signal, current, onSaved }) {
  const schema = Array.isArray(instance.schema) ? instance.schema : [];
  if (schema.length === 0) {
    return {
      element: h('div', {},
        h('p', { class: 'muted', 'data-testid': 'schema-missing',
          text: instance.schema_error ? `The config form is unavailable: ${instance.schema_error}` : 'This strategy type has no config fields.' }),
        h('pre', { class: 'code', text: JSON.stringify(instance.config, null, 2) })),
      showConfig() {},
    };
  }

  let dirty = false;
  const fields = configFields(schema, instance.config, 'cfg');
  const formError = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, 'data-testid': 'config-error' });
  const statusLine = h('p', { class: 'form-status', role: 'status', 'data-testid': 'config-status' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'config-save', text: 'Save config' });
  const reset = h('button', { type: 'button', class: 'btn', 'data-testid': 'config-reset', text: 'Revert' });
  const form = h('form', { class: 'config-form', novalidate: true, 'data-testid': 'config-form', 'aria-label': 'Configuration' },
    fields.element, formError, h('div', { class: 'form-actions' }, save, reset, statusLine));

  function status(text, state) {
    statusLine.textContent = text;
    if (state) statusLine.dataset.state = state; else delete statusLine.dataset.state;
  }

  form.addEventListener('input', () => { dirty = true; status(''); });
  reset.addEventListener('click', () => {
    fields.setValues(current().config);
    fields.clearErrors();
    formError.hidden = true;
    dirty = false;
    status('');
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    formError.hidden = true;
    status('');
    if (!fields.validate()) {
      status('Fix the highlighted fields.', 'invalid');
      return;
    }
    const patch = changedValues(schema, current().config, fields.read());
    if (Object.keys(patch).length === 0) {
      dirty = false;
      status('No changes to save.');
      return;
    }
    save.disabled = true;
    status('Saving…');
    try {
      const updated = await api.patchConfig(id, patch, { signal });
      dirty = false;
      fields.setValues(updated.config);
      onSaved(updated);
      status(`Saved at ${formatTime(updated.updated_at).slice(11)} UTC.`, 'saved');
    } catch (error) {
      if (error.name === 'AbortError') return;
      const rest = error instanceof ApiError ? fields.showErrors(error.errors) : [{ field: '', message: String(error) }];
      if (rest.length > 0) {
        formError.hidden = false;
        // A field-less error with a traceback is the script refusing the config on its trial run.
        formError.replaceChildren(...rest.map((e) => h('div', {},
          h('div', { text: e.field ? `${e.field}: ${e.message}` : e.message }),
          e.traceback ? h('pre', { class: 'traceback', 'data-testid': 'config-error-traceback', text: e.traceback }) : null)));
      }
      status('Not saved.', 'error');
    } finally {
      save.disabled = false;
    }
  });

  return {
    element: form,
    /** Shows a config changed elsewhere (CLI, another tab), unless the user is editing. */
    showConfig(config) {
      if (!dirty) fields.setValues(config);
    },
  };
}
