// CPU profiles for a missed target: capture (inspector, or `node --cpu-prof` in a child) and summarize self time.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './dist';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time by package (node_modules/<name>), `ams-cashier` (src or dist), `node:` internals, or GC/idle. */
  byOwner: Array<{ owner: string; ms: number; pct: number }>;
  /** The hottest functions by self time. */
  topFunctions: Array<{ fn: string; where: string; ms: number; pct: number }>;
}

function ownerOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  if (url.startsWith('node:')) return 'node internals';
  if (/\/(src|dist)\//.test(url)) return 'ams-cashier';
  if (/\/bench\//.test(url)) return 'bench';
  return url;
}

function shortUrl(url: string): string {
  return url
    .replace(/^file:\/\//, '')
    .replace(ROOT, '')
    .replace(/.*node_modules\//, '');
}

/** Self time per node from samples × time deltas; works for --cpu-prof files and inspector profiles alike. */
export function summarize(profile: CpuProfile, top = 25): ProfileSummary {
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + (deltas[i] ?? 0));
  const byOwner = new Map<string, number>();
  const byFn = new Map<string, { fn: string; where: string; us: number }>();
  let total = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    total += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const owner = ownerOf(url, functionName);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + us);
    // Code loaded through tsx reports line 0 for every function: show the file alone then.
    const where = url ? (lineNumber > 0 ? `${shortUrl(url)}:${lineNumber + 1}` : shortUrl(url)) : '(native)';
    const key = `${functionName}|${where}`;
    const entry = byFn.get(key) ?? { fn: functionName || '(anonymous)', where, us: 0 };
    entry.us += us;
    byFn.set(key, entry);
  }
  const pct = (us: number): number => Math.round((us / total) * 1000) / 10;
  return {
    totalMs: Math.round(total / 1000),
    byOwner: [...byOwner.entries()]
      .sort((x, y) => y[1] - x[1])
      .slice(0, top)
      .map(([owner, us]) => ({ owner, ms: Math.round(us / 100) / 10, pct: pct(us) })),
    topFunctions: [...byFn.values()]
      .sort((x, y) => y.us - x.us)
      .slice(0, top)
      .map((f) => ({ fn: f.fn, where: f.where, ms: Math.round(f.us / 100) / 10, pct: pct(f.us) })),
  };
}

/** Profiles `work` in this process with the inspector's sampling profiler (what --cpu-prof records). */
export async function profileInProcess(work: () => Promise<unknown>): Promise<ProfileSummary> {
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params?: object): Promise<T> =>
    new Promise((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res as T))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  await post('Profiler.start');
  let profile: CpuProfile;
  try {
    await work();
  } finally {
    profile = (await post<{ profile: CpuProfile }>('Profiler.stop')).profile;
    session.disconnect();
  }
  return summarize(profile);
}

/** Runs `node --cpu-prof` on a one-line ESM import in a fresh process and summarizes the profile. */
export function profileColdImport(specifier: string): ProfileSummary {
  const dir = mkdtempSync(join(tmpdir(), 'ams-bench-prof-'));
  execFileSync(
    process.execPath,
    [
      '--cpu-prof',
      '--cpu-prof-interval',
      '100',
      '--cpu-prof-dir',
      dir,
      '--input-type=module',
      '-e',
      `await import(${JSON.stringify(specifier)});`,
    ],
    {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: '' },
    },
  );
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('node --cpu-prof wrote no profile');
  return summarize(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile);
}

export function printSummary(title: string, s: ProfileSummary): void {
  console.log(`\n  profile: ${title} (${s.totalMs} ms sampled)`);
  console.log('    self time by owner:');
  for (const o of s.byOwner.slice(0, 8)) console.log(`      ${o.pct.toFixed(1).padStart(5)}%  ${o.owner}`);
  console.log('    hottest functions (self):');
  for (const f of s.topFunctions.slice(0, 10)) console.log(`      ${f.pct.toFixed(1).padStart(5)}%  ${f.fn}  ${f.where}`);
}
