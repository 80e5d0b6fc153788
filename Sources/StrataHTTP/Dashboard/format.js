// Number, time and size formatting for display. Everything returns plain strings.

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const large = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const medium = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });
const small = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 6 });

/** A number for humans: separators; 2 decimals from 1,000, 4 from 1, else 6 significant digits. */
export function formatNumber(value) {
  if (typeof value !== 'number') return value === null || value === undefined ? '—' : String(value);
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (Number.isInteger(value) && magnitude < 1e15) return integer.format(value);
  if (magnitude >= 1e15 || (magnitude > 0 && magnitude < 1e-6)) return String(Number(value.toPrecision(6)));
  if (magnitude >= 1000) return large.format(value);
  if (magnitude >= 1) return medium.format(value);
  return small.format(value);
}

/** An integer count with separators. */
export function formatCount(value) {
  return typeof value === 'number' && Number.isFinite(value) ? integer.format(value) : '—';
}

/** A PnL-like amount with two decimals and an explicit sign. */
export function formatMoney(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  const text = money.format(value);
  return value > 0 ? `+${text}` : text;
}

/** A percentage: two decimals ("12.34 %"), a tiny one to 3 significant digits; null: "—". */
export function formatPercent(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  const magnitude = Math.abs(value);
  return magnitude > 0 && magnitude < 0.01 ? `${Number(value.toPrecision(3))} %` : `${money.format(value)} %`;
}

/** A CSS class for the sign of an amount. */
export function signClass(value) {
  if (typeof value !== 'number' || value === 0 || !Number.isFinite(value)) return 'num';
  return value > 0 ? 'num pos' : 'num neg';
}

/** An ISO 8601 time as "YYYY-MM-DD hh:mm:ss" UTC (the API speaks UTC); other input as is. */
export function formatTime(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return date.toISOString().replace('T', ' ').slice(0, 19);
}

/** Unix seconds as "hh:mm:ss" UTC (chart axes). */
export function formatUnixTime(seconds) {
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) return String(seconds);
  return date.toISOString().slice(11, 19);
}

/** Unix seconds as "MM-DD hh:mm" UTC (candle labels). */
export function formatUnixShort(seconds) {
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) return String(seconds);
  return date.toISOString().slice(5, 16).replace('T', ' ');
}

/** Bytes as KiB/MiB. */
export function formatBytes(bytes) {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes)) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** A short content hash for display. */
export function shortHash(hash) {
  return typeof hash === 'string' && hash.length > 12 ? hash.slice(0, 12) : (hash ?? '—');
}

/** Any JSON value as compact text (audit values, signal intents). */
export function formatJSON(value) {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
