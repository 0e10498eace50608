import type { Lang } from './i18n/index.ts';

/**
 * The one place numbers, durations and dates are written for people. Written out rather than
 * through Intl: the first Intl formatter touches ~10 MB of ICU data, at the very moment a large
 * run's memory peaks (the report is written last).
 */

/** `7` → `07`. */
export function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** Whole seconds (rounded) split into hours, minutes and seconds. */
export function splitSeconds(seconds: number): { h: number; m: number; s: number } {
  const total = Math.round(seconds);
  return { h: Math.floor(total / 3600), m: Math.floor((total % 3600) / 60), s: total % 60 };
}

/** Seconds as `m:ss`, or `h:mm:ss` past an hour (chart axes, time left). */
export function clock(seconds: number): string {
  const { h, m, s } = splitSeconds(seconds);
  return h > 0 ? `${h}:${pad2(m)}:${pad2(s)}` : `${m}:${pad2(s)}`;
}

/**
 * `n` with digit grouping and at most `digits` decimals, as Intl formats es-419 and en-US (both
 * `1,234.5`).
 */
export function formatNumber(_lang: Lang, n: number, digits = 0): string {
  if (!Number.isFinite(n)) return String(n);
  const factor = 10 ** digits;
  const rounded = Math.round(Math.abs(n) * factor) / factor;
  const [int = '0', frac = ''] = rounded.toFixed(digits).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const decimals = frac.replace(/0+$/, '');
  return `${n < 0 && rounded !== 0 ? '-' : ''}${grouped}${decimals ? `.${decimals}` : ''}`;
}

/** A duration as "1 h 02 min 05 s", "3 min 20 s", "4.2 s" (seconds with the locale's decimal sign). */
export function formatDuration(lang: Lang, ms: number): string {
  if (ms < 60_000) return `${formatNumber(lang, ms / 1000, ms < 10_000 ? 1 : 0)} s`;
  const { h, m, s } = splitSeconds(ms / 1000);
  return h > 0 ? `${h} h ${pad2(m)} min ${pad2(s)} s` : `${m} min ${pad2(s)} s`;
}

const MONTHS: Readonly<Record<Lang, readonly string[]>> = {
  es: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

/**
 * A date and time in the machine's time zone, as Intl's long date style writes it:
 * "28 de noviembre de 2026 a las 3:32 p.m." / "November 28, 2026 at 3:32 PM" (`seconds`: 3:32:07).
 */
export function formatDate(lang: Lang, epochMs: number, opts: { seconds?: boolean } = {}): string {
  const d = new Date(epochMs);
  const h = d.getHours();
  const time = `${h % 12 === 0 ? 12 : h % 12}:${pad2(d.getMinutes())}${opts.seconds ? `:${pad2(d.getSeconds())}` : ''}`;
  const month = MONTHS[lang][d.getMonth()] ?? '';
  if (lang === 'es') return `${d.getDate()} de ${month} de ${d.getFullYear()} a las ${time} ${h < 12 ? 'a.m.' : 'p.m.'}`;
  return `${month} ${d.getDate()}, ${d.getFullYear()} at ${time} ${h < 12 ? 'AM' : 'PM'}`;
}
