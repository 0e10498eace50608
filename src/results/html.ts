/**
 * The report's HTML is built with the `html` tagged template only: every interpolated value is
 * escaped unless it is markup `html` itself produced, so data (`<script>` in an error cell, a
 * column name, a file name) shows as text and never runs, and nothing is escaped twice.
 */

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Markup that is safe to insert as is: only `html`, `raw` and `prose` make it. */
export class SafeHtml {
  constructor(private readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

/** Text → HTML text or attribute value. */
function escapeText(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** A value's markup: SafeHtml as is, arrays joined, null/undefined as nothing, anything else escaped. */
function piece(value: unknown): string {
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return value.map(piece).join('');
  if (value === undefined || value === null) return '';
  return escapeText(String(value));
}

/** `html\`<td>${value}</td>\``: the template's own text as written, every value escaped (see `piece`). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += piece(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** Markup written in this module's code (the stylesheet, the CSP): never data. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** Our own sentences: escaped, then `--flags` set in code type so they stand out. */
export function prose(text: string): SafeHtml {
  return new SafeHtml(escapeText(text).replace(/(^|[\s(])(--[a-z][a-z-]*)/g, '$1<code class="flag">$2</code>'));
}
