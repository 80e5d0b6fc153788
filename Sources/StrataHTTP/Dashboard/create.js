// The create-instance form: a strategy type (only types with a loaded version), identity,
// mode, and config fields generated from the chosen type's schema. The address may prefill it:
// `#/new?strategy_type=T&config=<JSON object>&market=M` (the Optimize view's "use these
// parameters"); `type=` is the older name of `strategy_type`.
import { api, ApiError, MODES } from './api.js';
import { h } from './dom.js';
import { configFields } from './form.js';
import { confirmAction, toast } from './ui.js';

const ID_PATTERN = '[A-Za-z0-9._\\-]{1,64}';

function field(id, label, input, help, testid) {
  const error = h('p', { class: 'field-error', id: `${id}-error`, role: 'alert', hidden: true, 'data-testid': `error-${testid}` });
  const helpEl = help ? h('p', { class: 'field-help', id: `${id}-desc`, text: help }) : null;
  input.setAttribute('aria-describedby', [helpEl ? `${id}-desc` : null, `${id}-error`].filter(Boolean).join(' '));
  const wrapper = h('div', { class: 'field' }, h('label', { for: id, class: 'field-label', text: label }), input, helpEl, error);
  return { wrapper, input, error };
}

/** The config the address gives (a JSON object), or null; `problem` says why one was ignored. */
function configFromQuery(query) {
  const text = query.get('config');
  if (text === null || text === '') return { config: null };
  try {
    const value = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return { config: value };
  } catch { /* reported below */ }
  return { config: null, problem: 'The config in the address is not a JSON object; the form shows the defaults.' };
}

export function mountCreate(container, _params, query) {
  let destroyed = false;
  const controller = new AbortController();
  let strategies = [];
  let configPart = null;
  const wanted = query.get('strategy_type') || query.get('type');
  const prefill = configFromQuery(query);

  const typeSelect = h('select', { id: 'new-type', name: 'strategy_type', required: true, 'data-testid': 'new-type' });
  const idInput = h('input', { id: 'new-id', name: 'id', type: 'text', pattern: ID_PATTERN, maxlength: '64', autocomplete: 'off', spellcheck: 'false', placeholder: 'generated when empty', 'data-testid': 'new-id' });
  const accountInput = h('input', { id: 'new-account', name: 'account', type: 'text', required: true, autocomplete: 'off', 'data-testid': 'new-account' });
  accountInput.value = 'paper';
  const marketInput = h('input', { id: 'new-market', name: 'market', type: 'text', required: true, autocomplete: 'off', placeholder: 'e.g. BTC/USD', 'data-testid': 'new-market' });
  marketInput.value = query.get('market') ?? '';
  const modeSelect = h('select', { id: 'new-mode', name: 'mode', 'data-testid': 'new-mode' }, MODES.map((m) => h('option', { value: m, text: m })));

  const identity = {
    strategy_type: field('new-type', 'Strategy type', typeSelect, 'Only types with a loaded version are listed.', 'strategy_type'),
    id: field('new-id', 'ID', idInput, 'Letters, digits and . _ - (up to 64). Optional: generated when empty. Cannot be changed later.', 'id'),
    account: field('new-account', 'Account', accountInput, 'The account names the broker (the paper broker by default).', 'account'),
    market: field('new-market', 'Market', marketInput, 'The market whose ticks the instance receives.', 'market'),
    mode: field('new-mode', 'Mode', modeSelect, 'off: not loaded · observe: runs, orders become signals · active: trades.', 'mode'),
  };

  const configBox = h('div', { class: 'config-box', 'data-testid': 'new-config' });
  const formError = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, 'data-testid': 'create-error' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'create-submit', text: 'Create instance' });
  const form = h('form', { class: 'create-form', novalidate: true, 'data-testid': 'create-form', 'aria-label': 'New instance' },
    h('div', { class: 'grid-2' },
      h('fieldset', { class: 'card' }, h('legend', { text: 'Identity and mode' }), h('div', { class: 'fields' }, Object.values(identity).map((f) => f.wrapper))),
      h('fieldset', { class: 'card' }, h('legend', { text: 'Configuration' }), configBox)),
    formError,
    h('div', { class: 'form-actions' }, submit, h('a', { class: 'btn btn-quiet', href: '#/', text: 'Cancel' })));

  const prefillNote = prefill.config || prefill.problem
    ? h('p', { class: prefill.problem ? 'alert alert-error' : 'alert alert-info', 'data-testid': 'create-prefilled',
      text: prefill.problem ?? `The config is prefilled for ${wanted ?? 'the chosen type'} (from the address); check it before creating.` })
    : null;
  container.append(h('div', { class: 'page' }, h('div', { class: 'page-head' }, h('h1', { text: 'New instance' })), prefillNote, form));
  document.title = 'New instance · Strata';

  function showConfig() {
    const strategy = strategies.find((s) => s.strategy_type === typeSelect.value);
    configBox.replaceChildren();
    configPart = null;
    if (!strategy) {
      configBox.append(h('p', { class: 'muted', text: 'Choose a strategy type.' }));
      return;
    }
    if (!Array.isArray(strategy.schema) || strategy.schema.length === 0) {
      configBox.append(h('p', { class: 'muted', text: 'This strategy type has no config fields.' }));
      return;
    }
    // The address's config belongs to the type it names; another type starts from its defaults.
    const config = prefill.config && strategy.strategy_type === wanted ? prefill.config : {};
    configPart = configFields(strategy.schema, config, 'new-cfg');
    configBox.append(configPart.element);
  }

  function setIdentityError(name, message) {
    const f = identity[name];
    if (!f) return false;
    f.error.textContent = message;
    f.error.hidden = !message;
    f.wrapper.classList.toggle('has-error', Boolean(message));
    if (message) f.input.setAttribute('aria-invalid', 'true'); else f.input.removeAttribute('aria-invalid');
    return true;
  }

  function validateIdentity() {
    let ok = true;
    for (const [name, f] of Object.entries(identity)) {
      const v = f.input.validity;
      let message = '';
      if (v.valueMissing) message = 'A value is required.';
      else if (v.patternMismatch) message = 'Use letters, digits and . _ - only (up to 64).';
      else if (!v.valid) message = f.input.validationMessage;
      setIdentityError(name, message);
      if (message && ok) { f.input.focus(); ok = false; }
    }
    return ok;
  }

  typeSelect.addEventListener('change', showConfig);
  for (const [name, f] of Object.entries(identity)) f.input.addEventListener('input', () => setIdentityError(name, ''));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    formError.hidden = true;
    const identityOk = validateIdentity();
    const configOk = configPart ? configPart.validate() : true;
    if (!identityOk || !configOk) return;
    const body = {
      strategy_type: typeSelect.value,
      account: accountInput.value.trim(),
      market: marketInput.value.trim(),
      mode: modeSelect.value,
      config: configPart ? configPart.read() : {},
    };
    if (idInput.value.trim() !== '') body.id = idInput.value.trim();
    if (body.mode === 'active') {
      const ok = await confirmAction({
        title: 'Create an active instance?',
        message: `It starts trading at once through the broker of account “${body.account}”.`,
        confirmLabel: 'Create and activate',
      });
      if (!ok || destroyed) return;
    }
    submit.disabled = true;
    try {
      const created = await api.createInstance(body, { signal: controller.signal });
      toast(`Created ${created.identity.id}.`, 'ok');
      location.hash = `#/instances/${encodeURIComponent(created.identity.id)}`;
    } catch (error) {
      if (error.name === 'AbortError') return;
      const errors = error instanceof ApiError ? error.errors : [{ field: '', message: String(error) }];
      const rest = [];
      for (const e of errors) {
        if (setIdentityError(e.field, e.message)) continue;
        const leftover = configPart ? configPart.showErrors([e]) : [e];
        rest.push(...leftover);
      }
      if (rest.length > 0) {
        formError.hidden = false;
        formError.replaceChildren(...rest.map((e) => h('div', { text: e.field ? `${e.field}: ${e.message}` : e.message })));
      }
    } finally {
      submit.disabled = false;
    }
  });

  api.strategies({ signal: controller.signal }).then((result) => {
    if (destroyed) return;
    strategies = result.strategies.filter((s) => s.version);
    typeSelect.replaceChildren(
      h('option', { value: '', text: strategies.length ? 'Choose…' : 'No loaded strategy types' }),
      ...strategies.map((s) => h('option', { value: s.strategy_type, text: s.strategy_type })));
    if (wanted && strategies.some((s) => s.strategy_type === wanted)) typeSelect.value = wanted;
    else if (strategies.length === 1) typeSelect.value = strategies[0].strategy_type;
    showConfig();
  }).catch((error) => {
    if (error.name === 'AbortError' || destroyed) return;
    formError.hidden = false;
    formError.textContent = `Could not load the strategy types: ${error.message}`;
  });
  showConfig();

  return {
    destroy() {
      destroyed = true;
      controller.abort();
    },
  };
}
