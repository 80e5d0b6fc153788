// The kill switch in the header: "Halt all" (after a confirmation) stops every account from
// trading; while any halt holds, a banner under the header says which and offers Resume. The
// state is read from /api/halts every few seconds and after each click.
import { api } from './api.js';
import { h } from './dom.js';
import { confirmAction, toast } from './ui.js';

const POLL_MS = 3000;

function describe(halt) {
  const who = halt.account === null ? 'Every account' : `Account ${halt.account}`;
  return `${who}: ${halt.state === 'reduce_only' ? 'reduce-only' : 'halted'} (by ${halt.actor})`;
}

export function mountHaltControl(button, banner) {
  let halts = [];

  function show() {
    const all = halts.some((halt) => halt.account === null && halt.state === 'halted');
    button.disabled = all;
    button.textContent = all ? 'Halted' : 'Halt all';
    banner.hidden = halts.length === 0;
    if (halts.length === 0) return;
    banner.replaceChildren(
      h('strong', { text: 'Trading halted. ' }),
      h('span', { 'data-testid': 'halt-list', text: halts.map(describe).join('; ') }),
      ' Instances keep running; their orders are recorded as signals. ',
      h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'resume', text: 'Resume trading', on: { click: onResume } }));
  }

  async function refresh() {
    try {
      halts = (await api.halts()).halts ?? [];
      show();
    } catch {
      // The connection indicator already says the server is unreachable.
    }
  }

  async function onHalt() {
    const ok = await confirmAction({
      title: 'Halt all trading?',
      message: 'Every account stops trading now: open orders are cancelled and new orders are refused (recorded as signals). Instances keep running. This holds across restarts until you resume.',
      confirmLabel: 'Halt all trading',
    });
    if (!ok) return;
    try {
      halts = (await api.halt({})).halts ?? [];
      show();
      toast('Trading halted.', 'ok');
    } catch (error) {
      toast(`Could not halt: ${error.message}`, 'error');
    }
  }

  async function onResume() {
    const ok = await confirmAction({ title: 'Resume trading?', message: 'Every halt is lifted: instances in active mode trade again.', confirmLabel: 'Resume', danger: false });
    if (!ok) return;
    try {
      halts = (await api.resume({})).halts ?? [];
      show();
      toast('Trading resumed.', 'ok');
    } catch (error) {
      toast(`Could not resume: ${error.message}`, 'error');
    }
  }

  button.addEventListener('click', onHalt);
  refresh();
  setInterval(refresh, POLL_MS);
}
