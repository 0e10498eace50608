/** The report's only stylesheet, inlined: system fonts, no external resource, printable. */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 28px 32px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 19px; margin: 36px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
p { margin: 6px 0; }
code { font: 13px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; background: var(--soft); border: 1px solid var(--line); border-radius: 4px; padding: 0 4px; overflow-wrap: anywhere; }
code.flag { white-space: nowrap; overflow-wrap: normal; }
.muted { color: var(--muted); }
.small { font-size: 13px; }
.banner { margin: 18px 0 8px; padding: 14px 18px; border-radius: 8px; border-left: 6px solid var(--c); background: var(--soft); background: color-mix(in srgb, var(--c) 9%, white); }
.banner strong { font-size: 17px; }
.banner .reason { margin-top: 4px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--line); border-top: 5px solid var(--c); border-radius: 8px; padding: 10px 14px 12px; }
.card.zero { opacity: .55; }
.card .n { display: block; font-size: 38px; font-weight: 700; line-height: 1.15; color: var(--c); font-variant-numeric: tabular-nums; }
.card .label { display: block; font-weight: 600; }
.card .note { display: block; font-size: 13px; color: var(--muted); }
.card .pct { float: right; font-size: 13px; color: var(--muted); }
.bar { display: flex; height: 14px; border-radius: 7px; overflow: hidden; margin: 14px 0 4px; background: var(--soft); }
.bar span { display: block; height: 100%; background: var(--c); }
.next { margin: 0; padding-left: 22px; }
.next li { margin: 6px 0; }
.charts figure { margin: 10px 0 18px; }
.charts figcaption { font-weight: 600; margin-bottom: 2px; }
svg { display: block; max-width: 100%; height: auto; }
svg text { font-size: 12px; fill: var(--muted); }
svg .grid { stroke: #e6eaef; stroke-width: 1; }
svg .axis { stroke: #8c959f; stroke-width: 1; }
table { width: 100%; border-collapse: collapse; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: 7px 10px; border-bottom: 1px solid var(--line); }
th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.err { overflow-wrap: anywhere; min-width: 220px; }
td.id { white-space: nowrap; }
table.codes th:nth-child(1) { width: 15%; }
table.codes th:nth-child(2) { width: 9%; }
table.codes th:nth-child(3) { width: 40%; }
.badge { display: inline-block; font: 600 12px/1.6 ui-monospace, Menlo, Consolas, "Liberation Mono", monospace; padding: 0 7px; border-radius: 10px; color: #fff; background: var(--c); white-space: nowrap; }
ul.examples, ul.hints { margin: 0; padding-left: 18px; }
ul.examples li { overflow-wrap: break-word; word-break: break-word; }
dl.details { display: grid; grid-template-columns: minmax(180px, 280px) 1fr; gap: 6px 18px; margin: 0; }
dl.details dt { color: var(--muted); }
dl.details dd { margin: 0; overflow-wrap: anywhere; }
footer { margin-top: 40px; font-size: 13px; color: var(--muted); }
@media print { main { padding: 0; } h2 { break-after: avoid; } tr, .card, figure { break-inside: avoid; } }
`;

/** Status colours (the cards, the proportion bar, the legend and the code badges share them). */
export const STATUS_COLORS: Readonly<Record<string, string>> = {
  ok: '#1a7f37',
  invalid: '#bc4c00',
  skipped: '#6e7781',
  duplicate: '#6639ba',
  failed: '#cf222e',
  uncertain: '#9a6700',
  pending: '#0969da',
};
