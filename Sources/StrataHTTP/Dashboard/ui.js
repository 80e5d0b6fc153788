// Shared bits of UI: toasts, the confirmation dialog, badges, the connection indicator.
import { h } from './dom.js';

/** Shows a short message in the corner; kind: 'ok' | 'error' | 'info'. */
export function toast(message, kind = 'info') {
  const region = document.getElementById('toasts');
  const el = h('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status', text: message });
  region.append(el);
  setTimeout(() => el.classList.add('toast-leaving'), 3500);
  setTimeout(() => el.remove(), 4000);
}

/**
 * Asks for confirmation in the page's own modal dialog.
 * @returns {Promise<boolean>} true when confirmed
 */
export function confirmAction({ title, message, confirmLabel = 'Confirm', danger = true }) {
  const dialog = document.getElementById('confirm-dialog');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-message').textContent = message;
  const ok = document.getElementById('confirm-ok');
  ok.textContent = confirmLabel;
  ok.classList.toggle('btn-danger', danger);
  ok.classList.toggle('btn-primary', !danger);
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.showModal();
    document.getElementById('confirm-cancel').focus();
  });
}

/** A badge for a mode or a state. */
export function badge(kind, value, testid) {
  return h('span', { class: `badge ${kind}-${value}`, 'data-testid': testid, text: value ?? '—' });
}

/** Updates an existing badge in place. */
export function updateBadge(el, kind, value) {
  el.className = `badge ${kind}-${value}`;
  if (el.textContent !== String(value)) el.textContent = value ?? '—';
}
