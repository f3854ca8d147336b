// Whole-process timing: fresh node processes in rotating rounds, each side's median wall time, and the rows they make.
import { execFileSync } from 'node:child_process';
import { judge, round, fmtMs, type CaseResult, type Target } from './case';
import { ROOT } from './dist';
import { median, smoke } from './harness';

/** Milliseconds of wall time for one whole `node` process (start, script, exit), as a user's shell sees it. */
export function processMs(args: readonly string[], env: Record<string, string> = {}): number {
  const t0 = performance.now();
  execFileSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '', ...env } });
  return performance.now() - t0;
}

/**
 * Runs every side once per round, as a fresh process each, the order rotating from round to round (A B C, B C A,
 * C A B …) so that no side always follows the same neighbour; one discarded round first (disk cache, CPU frequency).
 * Returns each side's wall times in round order.
 */
export function rotateProcesses<K extends string>(sides: Record<K, () => number>, samples: number): Record<K, number[]> {
  const names = Object.keys(sides) as K[];
  const out = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  const rounds = smoke.enabled ? 1 : samples;
  for (let r = -1; r < rounds; r++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + Math.max(r, 0)) % names.length]!;
      const ms = sides[name]();
      if (r >= 0) out[name].push(ms);
    }
  }
  return out;
}

/** A whole-process row: A's median wall time over B's. */
export function processCase(
  id: string,
  title: string,
  comparedWith: string,
  target: Target | null,
  t: { a: number[]; b: number[] },
  note: string,
): CaseResult {
  const ratio = median(t.a) / median(t.b);
  return {
    id,
    case: title,
    comparedWith,
    measure: 'wall time of a whole fresh node process (ms A ÷ ms B)',
    ratio: round(ratio, 4),
    target,
    status: judge(ratio, target),
    figures: `${fmtMs(median(t.a))} vs ${fmtMs(median(t.b))}`,
    details: {
      medianOfPairRatios: round(median(t.a.map((v, i) => v / t.b[i]!)), 4),
      medianAms: round(median(t.a), 1),
      medianBaselineMs: round(median(t.b), 1),
      aMs: t.a.map((v) => round(v, 1)),
      bMs: t.b.map((v) => round(v, 1)),
    },
    note,
  };
}
