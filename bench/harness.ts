// Side-by-side measurement: alternate rounds of A and B, take each side's median, compare the medians.
import { performance } from 'node:perf_hooks';

/** One side of a comparison. `run(n)` performs n operations; it may be sync or async. */
export interface Side {
  name: string;
  run(ops: number): unknown;
}

/** How a round is bounded: a fixed number of operations, or a time slice (for sides 100× apart). */
export type RoundPlan = { kind: 'ops'; ops: number } | { kind: 'slice'; ms: number; batch?: number };

export interface AlternateOptions {
  rounds: number;
  warmupRounds?: number;
  plan: RoundPlan;
}

/** The per-round figures of one side: operations done, milliseconds taken, throughput. */
export interface SideSamples {
  name: string;
  /** Operations per second, one entry per measured round. */
  opsPerSec: number[];
  /** Milliseconds per operation, one entry per measured round. */
  msPerOp: number[];
  medianOpsPerSec: number;
  medianMsPerOp: number;
  totalOps: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function oneRound(side: Side, plan: RoundPlan): Promise<{ ops: number; ms: number }> {
  if (plan.kind === 'ops') {
    const t0 = performance.now();
    await side.run(plan.ops);
    return { ops: plan.ops, ms: performance.now() - t0 };
  }
  const batch = plan.batch ?? 1;
  let ops = 0;
  const t0 = performance.now();
  let ms = 0;
  do {
    await side.run(batch);
    ops += batch;
    ms = performance.now() - t0;
  } while (ms < plan.ms);
  return { ops, ms };
}

/**
 * Runs A B, B A, A B, B A … (after discarded warm-up rounds in the same order), so drift and neighbours' noise hit
 * both sides alike, and neither side always runs first, right after the other has left its garbage, timers and idle
 * sockets behind. Returns each side's per-round samples (in round order) and medians.
 */
export async function alternate(a: Side, b: Side, requested: AlternateOptions): Promise<[SideSamples, SideSamples]> {
  const options = smoke.enabled ? smokeOptions(requested) : requested;
  const samples = [a, b].map((s) => ({ name: s.name, opsPerSec: [] as number[], msPerOp: [] as number[], totalOps: 0 }));
  const warmup = options.warmupRounds ?? 1;
  for (let round = 0; round < warmup + options.rounds; round++) {
    const order = round % 2 === 0 ? [0, 1] : [1, 0];
    for (const i of order) {
      const { ops, ms } = await oneRound([a, b][i]!, options.plan);
      if (round < warmup) continue;
      const s = samples[i]!;
      s.opsPerSec.push((ops * 1000) / ms);
      s.msPerOp.push(ms / ops);
      s.totalOps += ops;
    }
  }
  const done = samples.map((s) => ({ ...s, medianOpsPerSec: median(s.opsPerSec), medianMsPerOp: median(s.msPerOp) }));
  return [done[0]!, done[1]!];
}

/**
 * `--smoke`: every case runs end to end with one tiny round per side, so a test can prove the bench still works
 * (a gateway that echoes another id than the request's makes every pay() fail). Its figures mean nothing.
 */
export const smoke = { enabled: false };

function smokeOptions(options: AlternateOptions): AlternateOptions {
  const plan: RoundPlan = options.plan.kind === 'ops' ? { kind: 'ops', ops: Math.min(options.plan.ops, 3) } : { ...options.plan, ms: 1 };
  return { rounds: 1, warmupRounds: 0, plan };
}

/** Runs `fn` `n` times with at most `concurrency` in flight. */
export async function pool(n: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      const i = next++;
      await fn(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
}

/** Interquartile spread relative to the median, to show how noisy a side was. */
export function spread(values: readonly number[]): number {
  if (values.length < 4) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))))]!;
  return (q(0.75) - q(0.25)) / median(values);
}
