/** HTML building blocks of the report: every value from data goes through `esc`. */

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text → HTML text or attribute value: `<script>` shows as text, never runs. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Our own sentences: escaped, then `--flags` set in code type so they stand out. */
export function prose(text: string): string {
  return esc(text).replace(/(^|[\s(])(--[a-z][a-z-]*)/g, '$1<code class="flag">$2</code>');
}

/** Status colours (the cards, the proportion bar and the legend share them). */
export const STATUS_COLORS: Readonly<Record<string, string>> = {
  ok: '#1a7f37',
  invalid: '#bc4c00',
  skipped: '#6e7781',
  duplicate: '#6639ba',
  failed: '#cf222e',
  uncertain: '#9a6700',
  pending: '#0969da',
};

/** A number rounded for an axis: 1, 2, 2.5 or 5 times a power of ten, at least `v`. */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** Seconds since the start as `m:ss` (or `h:mm:ss` past an hour). */
export function clock(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (x: number) => String(x).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}
