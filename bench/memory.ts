// Bench rows for memory: the heap after 100,000 pay() through an in-process transport, and shorter checks over loopback.
import { round, judge, type CaseResult, type Target } from './case';
import { root } from './dist';
import { PRESIGNED_ID, payRequest } from './fixtures';
import { pool } from './harness';
import type { Loopback } from './loopback';
import { CONCURRENCY, loopbackClient, nextId, presignedTransport } from './pay';

export interface MemoryOptions {
  calls: number;
  gc: () => void;
}

function heapAfterGc(gc: () => void): number {
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed;
}

/**
 * 100k pay() through an injected in-process transport answering a response pre-signed once (fixed Response-Time):
 * the whole client pipeline (validation, serialize, sign, verify, parse, zod, AbortSignal per attempt) runs for
 * every call, but neither axios nor sockets nor a gateway signing 100k answers, which on 2 cores would take minutes.
 */
export async function payMemory(options: MemoryOptions): Promise<CaseResult> {
  const client = loopbackClient('http://127.0.0.1:9', presignedTransport());
  await pool(2000, CONCURRENCY, () => client.pay(payRequest(PRESIGNED_ID))); // warm up JIT and caches
  const baseline = heapAfterGc(options.gc);
  const checkpoints: Array<{ calls: number; heapMB: number }> = [];
  const step = Math.max(1, Math.floor(options.calls / 5));
  const t0 = performance.now();
  for (let done = 0; done < options.calls; done += step) {
    const n = Math.min(step, options.calls - done);
    await pool(n, CONCURRENCY, () => client.pay(payRequest(PRESIGNED_ID)));
    checkpoints.push({ calls: done + n, heapMB: round((heapAfterGc(options.gc) - baseline) / 2 ** 20, 2) });
  }
  const seconds = (performance.now() - t0) / 1000;
  const growthMB = checkpoints[checkpoints.length - 1]!.heapMB;
  const target: Target = { kind: 'max', value: 20, unit: 'MB' };
  return {
    id: 'pay-memory',
    case: `${options.calls.toLocaleString('en')} pay(), ${CONCURRENCY} in flight, in-process transport`,
    comparedWith: 'heap after GC before the run',
    measure: 'heap growth after GC (MB)',
    ratio: growthMB,
    target,
    status: judge(growthMB, target),
    figures: `${round(baseline / 2 ** 20 + growthMB, 1)} MB vs ${round(baseline / 2 ** 20, 1)} MB`,
    details: {
      baselineHeapMB: round(baseline / 2 ** 20, 2),
      checkpoints,
      seconds: round(seconds, 1),
      callsPerSec: round(options.calls / seconds, 0),
    },
    note: 'injected transport answering one pre-signed response; see bench/README.md for why not loopback',
  };
}

/** Diagnostic: a shorter heap check through a real transport and sockets (what the 100k run leaves out). */
export async function loopbackMemory(lb: Loopback, options: MemoryOptions, variant: 'default' | 'axios' = 'default'): Promise<CaseResult> {
  const client = loopbackClient(lb.origin, variant === 'axios' ? root.createAxiosTransport() : undefined);
  await pool(500, CONCURRENCY, () => client.pay(payRequest(nextId())));
  const baseline = heapAfterGc(options.gc);
  const t0 = performance.now();
  await pool(options.calls, CONCURRENCY, () => client.pay(payRequest(nextId())));
  const seconds = (performance.now() - t0) / 1000;
  const growthMB = (heapAfterGc(options.gc) - baseline) / 2 ** 20;
  return {
    id: variant === 'axios' ? 'diag-loopback-memory-axios' : 'diag-loopback-memory',
    case: `diagnostic: ${options.calls.toLocaleString('en')} pay() over loopback (${variant === 'axios' ? 'createAxiosTransport()' : 'default transport'}, sockets)`,
    comparedWith: 'heap after GC before the run',
    measure: 'heap growth after GC (MB)',
    ratio: round(growthMB, 2),
    target: null,
    status: 'reported',
    details: { bytesPerCall: Math.round((growthMB * 2 ** 20) / options.calls), seconds: round(seconds, 1) },
    note: 'covers what the in-process transport skips: the transport, keep-alive sockets, abort-signal listeners',
  };
}
