// The report bench rows: readReport against csv-parse alone, and reconcileReports against readReport, on one generated file.
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { generatedSettlementItems } from '../test/reports/samples';
import { fmtRate, round, summarizeSide, judge, type CaseResult, type Target } from './case';
import { loadReports } from './dist';
import { alternate, median, smoke } from './harness';

/** Reads the file with csv-parse alone, as a hand-written reader would: records as arrays, nothing typed. */
async function csvParseAlone(file: string): Promise<number> {
  let n = 0;
  for await (const record of createReadStream(file).pipe(parse({ relax_column_count: true }))) if ((record as string[]).length > 0) n++;
  return n;
}

async function packageReader(file: string, onRow?: () => void): Promise<number> {
  const { readReport } = await loadReports();
  let n = 0;
  const reader = readReport(createReadStream(file), { fileName: 'settlementItems_USD_B20240101_000.csv' });
  for await (const row of reader) {
    if (row.line > 0) n++;
    if (onRow && n % 10_000 === 0) onRow();
  }
  if (!reader.complete) throw new Error('generated file read as incomplete');
  return n;
}

/** rows/s of readReport ÷ rows/s of csv-parse alone (≥ 0.5), with the peak RSS growth while reading. */
export async function reportsRead(rows: number): Promise<CaseResult> {
  const count = smoke.enabled ? 2000 : rows;
  const dir = mkdtempSync(join(tmpdir(), 'ams-bench-reports-'));
  const file = join(dir, 'settlementItems_USD_B20240101_000.csv');
  try {
    await pipeline(generatedSettlementItems(count), createWriteStream(file));
    const target: Target = { kind: 'min', value: 0.5, unit: '× csv-parse alone' };
    const [a, b] = await alternate(
      {
        name: 'readReport',
        run: async (passes: number) => {
          for (let i = 0; i < passes; i++) await packageReader(file);
        },
      },
      {
        name: 'csv-parse alone',
        run: async (passes: number) => {
          for (let i = 0; i < passes; i++) await csvParseAlone(file);
        },
      },
      { rounds: 3, warmupRounds: 1, plan: { kind: 'ops', ops: 1 } },
    );
    // Peak RSS during one more pass, against the RSS before it: flat means the rows are not kept.
    const before = process.memoryUsage().rss;
    let peak = before;
    await packageReader(file, () => void (peak = Math.max(peak, process.memoryUsage().rss)));
    const ratio = a.medianOpsPerSec / b.medianOpsPerSec;
    return {
      id: 'reports-read',
      case: `readReport, ${count.toLocaleString('en')}-row file`,
      comparedWith: 'csv-parse alone',
      measure: 'throughput (rows/s A ÷ rows/s B)',
      ratio: round(ratio, 4),
      target,
      status: judge(ratio, target),
      figures: `${fmtRate(a.medianOpsPerSec * count)} vs ${fmtRate(b.medianOpsPerSec * count)} rows`,
      a: summarizeSide(a),
      b: summarizeSide(b),
      details: {
        medianOfPairRatios: round(median(a.opsPerSec.map((v, i) => v / b.opsPerSec[i]!)), 4),
        rows: count,
        fileMB: round(statSync(file).size / 1e6, 1),
        rowsPerSecReadReport: Math.round(a.medianOpsPerSec * count),
        rowsPerSecCsvParse: Math.round(b.medianOpsPerSec * count),
        peakRssGrowthMB: round((peak - before) / 1e6, 1),
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A summary that agrees with `generatedSettlementItems(rows)`: row i settles 950 + i % 500 with a fee of -50. */
function generatedSummary(rows: number): string {
  let settled = 0n;
  for (let i = 0; i < rows; i++) settled += BigInt(950 + (i % 500));
  const row = (type: string): string => `B20240101,${type},${rows},${settled},USD,${-50 * rows},USD`;
  return `settlementBatchId,summaryType,count,settlementAmountValue,settlementCurrency,feeAmountValue,feeCurrency\n${row('PAYMENT')}\n${row('TOTAL')}\n<END>\n`;
}

async function packageReconcile(file: string, rows: number, onProgress?: () => void): Promise<void> {
  const { reconcileReports } = await loadReports();
  const report = await reconcileReports({
    settlementItems: [{ fileName: 'settlementItems_USD_B20240101_000.csv', input: createReadStream(file) }],
    settlementSummary: [{ fileName: 'settlementSummary_USD_B20240101_000.csv', input: generatedSummary(rows) }],
    ...(onProgress ? { onProgress } : {}),
  });
  if (!report.ok) throw new Error('the generated settlement did not reconcile');
}

/**
 * rows/s of reconcileReports (items + summary, every check) ÷ rows/s of readReport alone (≥ 0.7), with the peak RSS
 * growth while reconciling: the rows are not kept, only their fingerprints for duplicate detection.
 */
export async function reconcileStream(rows: number): Promise<CaseResult> {
  const count = smoke.enabled ? 2000 : rows;
  const dir = mkdtempSync(join(tmpdir(), 'ams-bench-reconcile-'));
  const file = join(dir, 'settlementItems_USD_B20240101_000.csv');
  try {
    await pipeline(generatedSettlementItems(count), createWriteStream(file));
    const target: Target = { kind: 'min', value: 0.7, unit: '× readReport alone' };
    const [a, b] = await alternate(
      {
        name: 'reconcileReports',
        run: async (passes: number) => {
          for (let i = 0; i < passes; i++) await packageReconcile(file, count);
        },
      },
      {
        name: 'readReport alone',
        run: async (passes: number) => {
          for (let i = 0; i < passes; i++) await packageReader(file);
        },
      },
      { rounds: 3, warmupRounds: 1, plan: { kind: 'ops', ops: 1 } },
    );
    const before = process.memoryUsage().rss;
    let peak = before;
    await packageReconcile(file, count, () => void (peak = Math.max(peak, process.memoryUsage().rss)));
    const ratio = a.medianOpsPerSec / b.medianOpsPerSec;
    return {
      id: 'reconcile-stream',
      case: `reconcileReports, ${count.toLocaleString('en')}-row file and its summary`,
      comparedWith: 'readReport alone',
      measure: 'throughput (rows/s A ÷ rows/s B)',
      ratio: round(ratio, 4),
      target,
      status: judge(ratio, target),
      figures: `${fmtRate(a.medianOpsPerSec * count)} vs ${fmtRate(b.medianOpsPerSec * count)} rows`,
      a: summarizeSide(a),
      b: summarizeSide(b),
      details: {
        medianOfPairRatios: round(median(a.opsPerSec.map((v, i) => v / b.opsPerSec[i]!)), 4),
        rows: count,
        fileMB: round(statSync(file).size / 1e6, 1),
        rowsPerSecReconcile: Math.round(a.medianOpsPerSec * count),
        peakRssGrowthMB: round((peak - before) / 1e6, 1),
        peakRssGrowthBytesPerRow: round((peak - before) / count, 1),
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
