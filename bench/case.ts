// What every bench case reports: its result, the verdict against its target, and each side's rounds in brief.
import { median, spread, type SideSamples } from './harness';

export interface Target {
  /** `min`: ratio must be ≥ value; `max`: ratio must be ≤ value. */
  kind: 'min' | 'max';
  value: number;
  unit: string;
}

export interface CaseResult {
  id: string;
  case: string;
  comparedWith: string;
  /** What the ratio is a ratio of (throughput, time, MB …). */
  measure: string;
  ratio: number | null;
  target: Target | null;
  status: 'pass' | 'FAIL' | 'reported' | 'pending';
  /** The two figures the ratio is made of, from this run, as the table prints them ("1.52 ms vs 1.37 ms"). */
  figures?: string;
  a?: SideSummary;
  b?: SideSummary;
  details?: Record<string, unknown>;
  note?: string;
}

export interface SideSummary {
  name: string;
  medianOpsPerSec: number;
  medianMsPerOp: number;
  /** Interquartile range over median of ops/s: how noisy the rounds were. */
  iqrOverMedian: number;
  rounds: number;
  totalOps: number;
  opsPerSecRounds: number[];
}

export function summarizeSide(s: SideSamples): SideSummary {
  return {
    name: s.name,
    medianOpsPerSec: round(s.medianOpsPerSec, 1),
    medianMsPerOp: round(s.medianMsPerOp, 4),
    iqrOverMedian: round(spread(s.opsPerSec), 3),
    rounds: s.opsPerSec.length,
    totalOps: s.totalOps,
    opsPerSecRounds: s.opsPerSec.map((v) => round(v, 1)),
  };
}

export function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export function judge(ratio: number | null, target: Target | null): CaseResult['status'] {
  if (target === null) return 'reported';
  if (ratio === null || Number.isNaN(ratio)) return 'FAIL';
  return (target.kind === 'min' ? ratio >= target.value : ratio <= target.value) ? 'pass' : 'FAIL';
}

/** "1.52 ms vs 1.37 ms", "41,200/s vs 43,100/s": a figure for the table, rounded to what the noise allows. */
export function fmtMs(ms: number): string {
  return `${ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3)} ms`;
}

export function fmtRate(opsPerSec: number): string {
  return `${Math.round(opsPerSec).toLocaleString('en')}/s`;
}

/** What a case compares: A's median over B's, and the median of each adjacent round pair's ratio as a cross-check. */
interface Compared {
  measure: string;
  ratio: number;
  figures: string;
  pairRatios: number[];
}

function comparedCase(
  id: string,
  title: string,
  comparedWith: string,
  target: Target | null,
  a: SideSamples,
  b: SideSamples,
  c: Compared,
  note?: string,
): CaseResult {
  return {
    id,
    case: title,
    comparedWith,
    measure: c.measure,
    ratio: round(c.ratio, 4),
    target,
    status: judge(c.ratio, target),
    figures: c.figures,
    a: summarizeSide(a),
    b: summarizeSide(b),
    // Robust to slow drift, where the ratio of medians is not.
    details: { medianOfPairRatios: round(median(c.pairRatios), 4) },
    ...(note ? { note } : {}),
  };
}

/** A case judged on throughput: A's median ops/s over B's. */
export function throughputCase(
  id: string,
  title: string,
  comparedWith: string,
  target: Target | null,
  a: SideSamples,
  b: SideSamples,
  note?: string,
): CaseResult {
  return comparedCase(
    id,
    title,
    comparedWith,
    target,
    a,
    b,
    {
      measure: 'throughput (ops/s A ÷ ops/s B)',
      ratio: a.medianOpsPerSec / b.medianOpsPerSec,
      figures: `${fmtRate(a.medianOpsPerSec)} vs ${fmtRate(b.medianOpsPerSec)}`,
      pairRatios: a.opsPerSec.map((v, i) => v / b.opsPerSec[i]!),
    },
    note,
  );
}

/** A case judged on time per operation: A's median ms over B's. */
export function timeCase(
  id: string,
  title: string,
  comparedWith: string,
  target: Target | null,
  a: SideSamples,
  b: SideSamples,
  note?: string,
): CaseResult {
  return comparedCase(
    id,
    title,
    comparedWith,
    target,
    a,
    b,
    {
      measure: 'time per call (ms A ÷ ms B)',
      ratio: a.medianMsPerOp / b.medianMsPerOp,
      figures: `${fmtMs(a.medianMsPerOp)} vs ${fmtMs(b.medianMsPerOp)}`,
      pairRatios: a.msPerOp.map((v, i) => v / b.msPerOp[i]!),
    },
    note,
  );
}

/** Written to by the cases, and exported, so the work whose result lands here is observable and cannot be dropped. */
export const sink: { value: unknown } = { value: undefined };
