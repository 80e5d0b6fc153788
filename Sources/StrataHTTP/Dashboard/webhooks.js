// Webhooks: where the server POSTs engine events (fills, risk refusals, instance errors, mode
// changes, halts, context.notify). A list with each webhook's delivery log, a form to add one,
// a button to remove one. The secret is write-only: the server never sends it back.
import { api, ApiError } from './api.js';
import { h, fillRows } from './dom.js';
import { formatTime } from './format.js';
import { confirmAction, toast } from './ui.js';

export const WEBHOOK_EVENTS = ['fill', 'risk_refusal', 'instance_error', 'mode_change', 'halt', 'resume', 'notify'];
const REFRESH_MS = 4000;

export function mountWebhooks(container) {
  let destroyed = false;
  let timer = null;
  const controller = new AbortController();
  let selected = null;

  const status = h('p', { class: 'muted', 'data-testid': 'webhooks-status', text: 'Loading…' });
  const tbody = h('tbody');
  const table = h('table', { class: 'data', 'data-testid': 'webhooks-table' },
    h('caption', { class: 'visually-hidden', text: 'Webhooks' }),
    h('thead', {}, h('tr', {}, ['ID', 'URL', 'Events', 'Signed', 'Enabled', 'Created', '']
      .map((c) => h('th', { scope: 'col', text: c })))),
    tbody);

  // The form: URL, events (checkboxes), secret.
  const urlInput = h('input', { id: 'wh-url', type: 'url', required: true, maxlength: '2048', autocomplete: 'off', spellcheck: 'false', placeholder: 'https://hooks.example.com/strata', 'data-testid': 'webhook-url' });
  const secretInput = h('input', { id: 'wh-secret', type: 'password', maxlength: '256', autocomplete: 'new-password', 'data-testid': 'webhook-secret' });
  const boxes = WEBHOOK_EVENTS.map((name) => h('input', { type: 'checkbox', value: name, id: `wh-ev-${name}`, 'data-testid': `webhook-event-${name}` }));
  const formError = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, 'data-testid': 'webhook-error' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'webhook-add', text: 'Add webhook' });
  const form = h('form', { class: 'card', novalidate: true, 'aria-label': 'New webhook', 'data-testid': 'webhook-form' },
    h('h2', { text: 'Add a webhook' }),
    h('div', { class: 'fields' },
      h('div', { class: 'field' }, h('label', { for: 'wh-url', class: 'field-label', text: 'URL' }), urlInput,
        h('p', { class: 'field-help', text: 'http:// or https://, no user name or password in it.' })),
      h('fieldset', { class: 'field' }, h('legend', { class: 'field-label', text: 'Events' }),
        h('div', { class: 'check-row' }, boxes.map((box) => h('label', { for: box.id }, box, ` ${box.value}`)))),
      h('div', { class: 'field' }, h('label', { for: 'wh-secret', class: 'field-label', text: 'Secret' }), secretInput,
        h('p', { class: 'field-help', text: 'Signs each POST (HMAC-SHA256, header Strata-Signature). Never shown again. Empty: unsigned.' }))),
    formError, h('div', { class: 'form-actions' }, submit));

  const logTitle = h('h2', { text: 'Delivery log' });
  const logBody = h('tbody');
  const logTable = h('table', { class: 'data', 'data-testid': 'deliveries-table' },
    h('thead', {}, h('tr', {}, ['At', 'Event', 'Attempt', 'Outcome', 'Status', 'Time', 'Error'].map((c) => h('th', { scope: 'col', text: c })))),
    logBody);
  const logCard = h('section', { class: 'card', hidden: true, 'data-testid': 'deliveries' }, logTitle, h('div', { class: 'table-wrap' }, logTable));

  container.append(h('div', { class: 'page' },
    h('div', { class: 'page-head' }, h('div', {}, h('h1', { text: 'Webhooks' }),
      h('p', { class: 'subtitle', text: 'Engine events POSTed to your URLs, signed and retried. See docs/api.md for the body and the signature.' }))),
    status, h('div', { class: 'table-wrap' }, table), logCard, form));
  document.title = 'Webhooks · Strata';

  function row(webhook) {
    const show = h('button', { type: 'button', class: 'btn btn-quiet', 'data-testid': 'webhook-show', text: 'Log', on: { click: () => { selected = webhook.id; loadLog(); } } });
    const remove = h('button', { type: 'button', class: 'btn btn-danger', 'data-testid': 'webhook-remove', text: 'Remove', on: { click: () => removeWebhook(webhook) } });
    return h('tr', { 'data-testid': 'webhook-row', dataset: { id: String(webhook.id) } },
      h('td', { class: 'mono', text: webhook.id }),
      h('td', { class: 'mono wrap', text: webhook.url }),
      h('td', { text: (webhook.events ?? []).join(', ') }),
      h('td', { text: webhook.has_secret ? 'yes' : 'no' }),
      h('td', { text: webhook.enabled ? 'yes' : 'no' }),
      h('td', { text: formatTime(webhook.created_at) }),
      h('td', {}, show, ' ', remove));
  }

  async function load() {
    clearTimeout(timer);
    try {
      const answer = await api.webhooks({ signal: controller.signal });
      if (destroyed) return;
      const list = Array.isArray(answer?.webhooks) ? answer.webhooks : [];
      status.hidden = list.length > 0;
      status.className = 'muted';
      status.textContent = 'No webhooks yet.';
      if (list.length === 0) fillRows(tbody, [], 7, 'No webhooks.');
      else tbody.replaceChildren(...list.map(row));
      table.dataset.loaded = 'true';
      if (selected !== null && !list.some((w) => w.id === selected)) { selected = null; logCard.hidden = true; }
      if (selected !== null) await loadLog();
    } catch (error) {
      if (destroyed || error.name === 'AbortError') return;
      status.hidden = false;
      status.className = 'alert alert-error';
      status.textContent = `Could not load the webhooks: ${error.message}`;
    }
    if (!destroyed) timer = setTimeout(load, REFRESH_MS);
  }

  async function loadLog() {
    if (selected === null) return;
    const id = selected;
    try {
      const answer = await api.deliveries(id, 50, { signal: controller.signal });
      if (destroyed || id !== selected) return;
      logTitle.textContent = `Delivery log of webhook ${id}`;
      logCard.hidden = false;
      const lines = Array.isArray(answer?.deliveries) ? answer.deliveries : [];
      fillRows(logBody, lines.map((d) => [
        formatTime(d.at), `${d.event_type} ${d.event_id}`, d.outcome === 'dropped' ? '—' : String(d.attempt),
        h('span', { class: `badge delivery-${d.outcome}`, text: d.outcome }), d.status_code === null ? '—' : String(d.status_code),
        `${Math.round(d.duration_ms)} ms`, h('span', { class: 'wrap', text: d.error ?? '' }),
      ]), 7, 'Nothing delivered yet.');
    } catch (error) {
      if (destroyed || error.name === 'AbortError') return;
      if (error instanceof ApiError && error.status === 404) { selected = null; logCard.hidden = true; }
    }
  }

  async function removeWebhook(webhook) {
    const ok = await confirmAction({ title: `Remove webhook ${webhook.id}?`, message: `${webhook.url} will receive nothing more; its delivery log goes too.`, confirmLabel: 'Remove' });
    if (!ok || destroyed) return;
    try {
      await api.removeWebhook(webhook.id, { signal: controller.signal });
      toast(`Removed webhook ${webhook.id}.`, 'ok');
    } catch (error) {
      if (error.name !== 'AbortError') toast(`Could not remove it: ${error.message}`, 'error');
    }
    load();
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    formError.hidden = true;
    const body = { url: urlInput.value.trim(), events: boxes.filter((b) => b.checked).map((b) => b.value) };
    if (secretInput.value !== '') body.secret = secretInput.value;
    submit.disabled = true;
    try {
      const created = await api.addWebhook(body, { signal: controller.signal });
      toast(`Added webhook ${created.id}.`, 'ok');
      form.reset();
      load();
    } catch (error) {
      if (error.name === 'AbortError') return;
      formError.textContent = error.message;
      formError.hidden = false;
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
