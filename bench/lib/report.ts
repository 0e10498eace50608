/** Figures, the printed table and reports/bench.md. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, totalmem } from 'node:os';

export type Verdict = 'pass' | 'FAIL' | 'finding' | 'info';

export interface Figure {
  section: string;
  figure: string;
  value: string;
  target: string;
  verdict: Verdict;
  /** What reproduces it. */
  command: string;
}

export interface Section {
  name: string;
  title: string;
  figures: Figure[];
  /** Markdown lines: how it was measured, diagnostics, profile. */
  details: string[];
  seconds: number;
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
export const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const mib = (kib: number | undefined): string => (kib === undefined ? 'n/a' : `${fmt(kib / 1024, 1)} MiB`);

export function verdict(ok: boolean, bad: Verdict = 'FAIL'): Verdict {
  return ok ? 'pass' : bad;
}

export interface Machine {
  nproc: number;
  cpu: string;
  memory: string;
  node: string;
  date: string;
  load: string;
  os: string;
}

export function machine(): Machine {
  let cpu = 'unknown';
  try {
    cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    /* not Linux */
  }
  let nproc = availableParallelism();
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim()) || nproc;
  } catch {
    /* keep Node's count */
  }
  let os = `${process.platform} ${process.arch}`;
  try {
    os = execFileSync('uname', ['-sr'], { encoding: 'utf8' }).trim() + ` ${process.arch}`;
  } catch {
    /* keep */
  }
  return {
    nproc, cpu, memory: `${fmt(totalmem() / 2 ** 30, 1)} GiB`, node: process.version, date: new Date().toISOString(),
    load: loadavg().map((l) => l.toFixed(2)).join(' '), os,
  };
}

const esc = (s: string): string => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

export function printTable(figs: readonly Figure[]): string {
  const cols = [['figure', 44], ['value', 24], ['target', 14], ['verdict', 8]] as const;
  const cut = (s: string, w: number) => (s.length > w ? s.slice(0, w - 1) + '…' : s.padEnd(w));
  const lines = [cols.map(([c, w]) => cut(c, w)).join(' │ '), cols.map(([, w]) => '─'.repeat(w)).join('─┼─')];
  for (const f of figs) {
    lines.push([f.figure, f.value, f.target, f.verdict].map((v, i) => cut(v, cols[i]![1])).join(' │ '));
    lines.push(`    ↳ ${f.command}`);
  }
  return lines.join('\n');
}

export interface ReportInput {
  machine: Machine;
  runner: string;
  invocation: string;
  quick: boolean;
  sections: Section[];
  totalSeconds: number;
}

export async function writeReport(path: string, r: ReportInput): Promise<void> {
  const m = r.machine;
  const out: string[] = [
    '# wolkvox-import benchmarks',
    '',
    `Written by \`${r.invocation}\` (bench/run.ts)${r.quick ? ' — **quick mode: 1/10 sizes**' : ''}, ${m.date}, in ${fmt(r.totalSeconds)} s.`,
    '',
    `Machine: ${m.nproc} cores (\`nproc\`), ${m.cpu}, ${m.memory} RAM, ${m.os}, Node ${m.node}, load average at start ${m.load}.`,
    `Importer: the real CLI as a child process, \`${r.runner}\`. Emulator: the project's (src/emulator) on 127.0.0.1 in a separate process. ` +
      'Times run from spawn to exit (start-up included). The machine has 2 cores and is shared: expect ±10 %.',
    '',
    '| figure | value | target | verdict | command |',
    '|---|---|---|---|---|',
  ];
  for (const s of r.sections) for (const f of s.figures) out.push(`| ${esc(f.figure)} | ${esc(f.value)} | ${esc(f.target)} | ${f.verdict} | \`${esc(f.command)}\` |`);
  out.push('', '`$TMP` is the temporary folder the run creates (and deletes); `$EMULATOR_URL` is the emulator the section starts (its equivalent command is given in each section).', '');
  for (const s of r.sections) {
    out.push(`## ${s.title} (\`--only ${s.name}\`, ${fmt(s.seconds)} s)`, '', ...s.details, '');
  }
  await writeFile(path, out.join('\n'));
}
