// The HTTP API client (schemas/openapi.yaml). Same origin, cookie auth: the browser sends the
// strata_token cookie that `/?token=…` set. Every failure is an ApiError holding the server's
// field errors ({"errors":[{"field","message"}]}).

export class ApiError extends Error {
  /** @param {number} status HTTP status (0: no answer) @param {{field:string,message:string,traceback?:string}[]} errors */
  constructor(status, errors) {
    super(errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ') || `HTTP ${status}`);
    this.status = status;
    this.errors = errors;
  }

  /** The errors that name `field`, joined. */
  messageFor(field) {
    return this.errors.filter((e) => e.field === field).map((e) => e.message).join(' ');
  }
}

const listeners = new Set();

/** Calls fn(ok, status) after every request: the header's connection indicator listens. */
export function onConnectionChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function report(ok, status) {
  for (const fn of listeners) fn(ok, status);
}

async function request(method, path, { body, signal } = {}) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      // A 307 sends the request to the cluster node that runs the instance: another origin, which
      // this page may not call. The views ask that node's own dashboard instead.
      redirect: 'manual',
      signal,
    });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    report(false, 0);
    throw new ApiError(0, [{ field: '', message: 'The server did not answer.' }]);
  }
  if (response.type === 'opaqueredirect') {
    throw new ApiError(307, [{ field: 'id', message: 'The instance runs on another node of the cluster.' }]);
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  report(response.status < 500 && response.status !== 401, response.status);
  if (!response.ok) {
    const errors = Array.isArray(data?.errors) && data.errors.length > 0
      ? data.errors.map((e) => ({
        field: String(e?.field ?? ''), message: String(e?.message ?? ''),
        ...(typeof e?.traceback === 'string' ? { traceback: e.traceback } : {}),
      }))
      : [{ field: '', message: response.status === 401 ? 'Not authorised: open the dashboard through /?token=…' : `HTTP ${response.status}` }];
    throw new ApiError(response.status, errors);
  }
  return data;
}

const enc = encodeURIComponent;

function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const api = {
  listInstances: (params, opts) => request('GET', `/api/instances${query(params)}`, opts),
  getInstance: (id, opts) => request('GET', `/api/instances/${enc(id)}`, opts),
  createInstance: (body, opts) => request('POST', '/api/instances', { ...opts, body }),
  patchConfig: (id, patch, opts) => request('PATCH', `/api/instances/${enc(id)}/config`, { ...opts, body: patch }),
  setMode: (id, mode, opts) => request('PUT', `/api/instances/${enc(id)}/mode`, { ...opts, body: { mode } }),
  render: (id, opts) => request('GET', `/api/instances/${enc(id)}/ui`, opts),
  orders: (id, limit = 50, opts) => request('GET', `/api/instances/${enc(id)}/orders${query({ limit })}`, opts),
  signals: (id, limit = 50, opts) => request('GET', `/api/instances/${enc(id)}/signals${query({ limit })}`, opts),
  logs: (id, limit = 100, opts) => request('GET', `/api/instances/${enc(id)}/logs${query({ limit })}`, opts),
  audit: (id, opts) => request('GET', `/api/instances/${enc(id)}/audit`, opts),
  why: (id, seq, opts) => request('GET', `/api/instances/${enc(id)}/why${query({ seq })}`, opts),
  strategies: (opts) => request('GET', '/api/strategies', opts),
  nodes: (opts) => request('GET', '/api/nodes', opts),
  getShadow: (id, opts) => request('GET', `/api/instances/${enc(id)}/shadow`, opts),
  setShadow: (id, body, opts) => request('PUT', `/api/instances/${enc(id)}/shadow`, { ...opts, body }),
  removeShadow: (id, opts) => request('DELETE', `/api/instances/${enc(id)}/shadow`, opts),
  promoteShadow: (id, opts) => request('POST', `/api/instances/${enc(id)}/shadow/promote`, opts),
  dataFiles: (opts) => request('GET', '/api/data-files', opts),
  startBacktest: (body, opts) => request('POST', '/api/backtests', { ...opts, body }),
  backtests: (instanceID, limit = 20, opts) => request('GET', `/api/backtests${query({ instance_id: instanceID, limit })}`, opts),
  getBacktest: (runID, opts) => request('GET', `/api/backtests/${enc(runID)}`, opts),
  cancelBacktest: (runID, opts) => request('POST', `/api/backtests/${enc(runID)}/cancel`, opts),
  parameters: (type, opts) => request('GET', `/api/strategies/${enc(type)}/parameters`, opts),
  startOptimization: (body, opts) => request('POST', '/api/optimizations', { ...opts, body }),
  optimizations: ({ strategyType, instanceID, limit = 20 } = {}, opts) =>
    request('GET', `/api/optimizations${query({ strategy_type: strategyType, instance_id: instanceID, limit })}`, opts),
  getOptimization: (runID, opts) => request('GET', `/api/optimizations/${enc(runID)}`, opts),
  cancelOptimization: (runID, opts) => request('POST', `/api/optimizations/${enc(runID)}/cancel`, opts),
  getRisk: (id, opts) => request('GET', `/api/instances/${enc(id)}/risk`, opts),
  setRisk: (id, limits, opts) => request('PUT', `/api/instances/${enc(id)}/risk`, { ...opts, body: limits }),
  setAccountRisk: (name, limits, opts) => request('PUT', `/api/accounts/${enc(name)}/risk`, { ...opts, body: limits }),
  halts: (opts) => request('GET', '/api/halts', opts),
  halt: (body, opts) => request('POST', '/api/halt', { ...opts, body }),
  resume: (body, opts) => request('POST', '/api/resume', { ...opts, body }),
  webhooks: (opts) => request('GET', '/api/webhooks', opts),
  addWebhook: (body, opts) => request('POST', '/api/webhooks', { ...opts, body }),
  removeWebhook: (id, opts) => request('DELETE', `/api/webhooks/${enc(id)}`, opts),
  deliveries: (id, limit = 50, opts) => request('GET', `/api/webhooks/${enc(id)}/deliveries${query({ limit })}`, opts),
  accounts: (opts) => request('GET', '/api/accounts', opts),
  getAccount: (name, opts) => request('GET', `/api/accounts/${enc(name)}`, opts),
  createAccount: (body, opts) => request('POST', '/api/accounts', { ...opts, body }),
  fundAccount: (name, amount, opts) => request('POST', `/api/accounts/${enc(name)}/fund`, { ...opts, body: { amount } }),
  resetAccount: (name, opts) => request('POST', `/api/accounts/${enc(name)}/reset`, opts),
  accountAudit: (name, opts) => request('GET', `/api/accounts/${enc(name)}/audit`, opts),
  // from/to: Unix seconds (absent: the whole history); max_points 2…10000.
  accountEquity: (name, { from, to, maxPoints } = {}, opts) =>
    request('GET', `/api/accounts/${enc(name)}/equity${query({ from, to, max_points: maxPoints })}`, opts),
  accountPerformance: (name, { from, to } = {}, opts) => request('GET', `/api/accounts/${enc(name)}/performance${query({ from, to })}`, opts),
  instanceEquity: (id, { from, to, maxPoints } = {}, opts) =>
    request('GET', `/api/instances/${enc(id)}/equity${query({ from, to, max_points: maxPoints })}`, opts),
  instancePerformance: (id, { from, to } = {}, opts) => request('GET', `/api/instances/${enc(id)}/performance${query({ from, to })}`, opts),
};

/** The URL of a backtest's HTML report. */
export function backtestReportURL(runID) {
  return `/api/backtests/${enc(runID)}/report`;
}

/** The URL of an optimization's HTML report. */
export function optimizationReportURL(runID) {
  return `/api/optimizations/${enc(runID)}/report`;
}

/** The live event stream of one instance (or all), as an EventSource. */
export function openEvents({ instance, types } = {}) {
  return new EventSource(`/api/events${query({ instance, types: types?.join(',') })}`);
}

export const MODES = ['off', 'observe', 'active'];
export const STATES = ['loading', 'running', 'stopped', 'error'];
// Shown, never stored: the engine has not completed a round for a while.
export const STALLED = 'stalled';
