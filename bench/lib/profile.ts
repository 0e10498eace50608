/** Self time of a V8 .cpuprofile (node --cpu-prof), aggregated by function and by file or package. */
import { readFile } from 'node:fs/promises';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

interface Share {
  name: string;
  ms: number;
  pct: number;
}
export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  /** Non-idle time: the basis of every percentage. */
  busyMs: number;
  functions: Share[];
  areas: Share[];
}

/** `file:///…/node_modules/csv-parse/dist/esm/index.js` → `csv-parse/dist/esm/index.js`; project files relative. */
function shortUrl(url: string, root: string): string {
  if (url === '') return '';
  let u = url.replace(/^file:\/\//, '');
  const nm = u.lastIndexOf('/node_modules/');
  if (nm >= 0) return u.slice(nm + '/node_modules/'.length);
  if (u.startsWith(root)) u = u.slice(root.length + 1);
  return u;
}

/** node:internal/… → "node internals"; a package → its name; a project file → its folder; (gc) etc. as is. */
function areaOf(frame: CallFrame, url: string): string {
  if (frame.url === '') return frame.functionName.startsWith('(') ? frame.functionName : '(native / V8 builtins)';
  if (frame.url.startsWith('wasm://')) return 'wasm (undici\'s llhttp parser is the only wasm here)';
  if (frame.url.startsWith('node:')) return `node:${frame.url.slice(5).split('/').slice(0, 2).join('/')}`;
  if (frame.url.includes('/node_modules/')) {
    const parts = url.split('/');
    return `pkg ${parts[0]!.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]}`;
  }
  return url.split('/').slice(0, -1).join('/') || url;
}

function top(map: Map<string, number>, busy: number, n: number): Share[] {
  return [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, us]) => ({ name, ms: us / 1000, pct: (100 * us) / busy }));
}

export async function summariseProfile(path: string, root: string, n = 15): Promise<ProfileSummary> {
  const p = JSON.parse(await readFile(path, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, ProfileNode>();
  for (const node of p.nodes) for (const c of node.children ?? []) parent.set(c, node);
  const selfUs = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    // timeDeltas[i + 1] is the time spent in samples[i] (until the next sample was taken)
    const dt = p.timeDeltas[i + 1] ?? 0;
    selfUs.set(p.samples[i]!, (selfUs.get(p.samples[i]!) ?? 0) + Math.max(0, dt));
  }
  const fns = new Map<string, number>();
  const areas = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const f = byId.get(id)!.callFrame;
    // a native function (no url, e.g. writev) is named with the JavaScript function that called it
    const caller = f.url === '' && !f.functionName.startsWith('(') ? parent.get(id)?.callFrame : undefined;
    total += us;
    if (f.functionName === '(idle)') {
      idle += us;
      continue;
    }
    const url = shortUrl(f.url, root);
    let key = url ? `${f.functionName || '(anonymous)'} ${url}:${f.lineNumber + 1}` : f.functionName || '(anonymous)';
    if (caller) key += ` ← ${caller.functionName || '(anonymous)'} ${shortUrl(caller.url, root)}:${caller.lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    const area = areaOf(f, url);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const busy = total - idle;
  return { totalMs: total / 1000, idleMs: idle / 1000, busyMs: busy / 1000, functions: top(fns, busy, n), areas: top(areas, busy, n) };
}
