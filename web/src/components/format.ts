// Display only: amounts arrive as exact decimal strings and are never computed with here.
import i18n from '../i18n';

// Building an Intl formatter costs far more than using one (tables format hundreds of cells per
// render): one per language and options, kept.
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function numberFormat(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${i18n.language}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) numberFormats.set(key, (format = new Intl.NumberFormat(i18n.language, options)));
  return format;
}

function dateFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${i18n.language}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) dateFormats.set(key, (format = new Intl.DateTimeFormat(i18n.language, options)));
  return format;
}

export function money(value: string | number | null | undefined, currency = 'USD'): string {
  if (value === null || value === undefined || value === '') return '—';
  const number = Number(value);
  if (!Number.isFinite(number)) return String(value);
  return numberFormat({ style: 'currency', currency }).format(number);
}

/** Whole dollars ($101,200): a chart's axis, where cents would only crowd it. */
export function wholeMoney(value: number, currency = 'USD'): string {
  return numberFormat({ style: 'currency', currency, maximumFractionDigits: 0, minimumFractionDigits: 0 }).format(value);
}

export function quantity(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const number = Number(value);
  return numberFormat({ maximumFractionDigits: 6 }).format(number);
}

export function price(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  return numberFormat({ minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(
    Number(value),
  );
}

/** 1.5 MB, 64 KB, 512 bytes: a file's size as a person reads it (1 KB is 1,024 bytes, as the
 * server's limits count). */
export function fileSize(bytes: number): string {
  const one = numberFormat({ maximumFractionDigits: 1 });
  if (bytes >= 1024 * 1024) return `${one.format(bytes / (1024 * 1024))} MB`;
  if (bytes >= 1024) return `${one.format(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/** A change (+4.8%, −4.3%); `signed = false` for a share of a whole (33.3% of trades won). */
export function percent(value: number | null | undefined, digits = 1, signed = true): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return numberFormat({
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    signDisplay: signed ? 'exceptZero' : 'auto',
  }).format(value);
}

/** A market time in the scenario's own calendar (UTC, as the replay stores it). */
export function marketTime(value: string | null | undefined, withTime = true): string {
  if (!value) return '—';
  const date = new Date(value);
  return dateFormat({
    dateStyle: 'medium',
    ...(withTime ? { timeStyle: 'short' } : {}),
    timeZone: 'UTC',
  }).format(date);
}

export function signClass(value: string | number | null | undefined): string {
  const number = Number(value ?? 0);
  if (number > 0) return 'text-emerald-700 dark:text-emerald-400';
  if (number < 0) return 'text-rose-700 dark:text-rose-400';
  return '';
}
