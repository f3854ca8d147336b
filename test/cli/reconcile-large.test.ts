// `ams-cashier reconcile` on a generated 300 MB settlement file, in a process whose heap is far smaller than the file.
import { spawn } from 'node:child_process';
import { createWriteStream, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { generatedSettlementItems } from '../reports/samples';
import { useBuiltCli } from './helpers';

const cli = useBuiltCli();
const ROWS = 2_000_000;
/** The old reader kept every row (about 12 bytes of heap per byte of file); streaming needs a small, fixed heap. */
const HEAP_MB = 96;

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, cli.bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('reconcile streams', () => {
  it(`reconciles ${ROWS} rows (hundreds of MB) with a ${HEAP_MB} MB heap`, { timeout: 300_000 }, async () => {
    const dir = cli.tmp('ams-rec-large-');
    const items = join(dir, 'settlementItems_USD_B20240101_000.csv');
    await pipeline(generatedSettlementItems(ROWS), createWriteStream(items));
    expect(statSync(items).size).toBeGreaterThan(250e6);
    // Row i settles 950 + i % 500 minor units with a fee of -50: what the summary must say.
    let settled = 0n;
    for (let i = 0; i < ROWS; i++) settled += BigInt(950 + (i % 500));
    const rows = (type: string) => `B20240101,${type},${ROWS},${settled},USD,${-50 * ROWS},USD`;
    const header = 'settlementBatchId,summaryType,count,settlementAmountValue,settlementCurrency,feeAmountValue,feeCurrency';
    writeFileSync(join(dir, 'settlementSummary_USD_B20240101_000.csv'), `${header}\n${rows('PAYMENT')}\n${rows('TOTAL')}\n<END>\n`);
    const ok = await run(['reconcile', dir, '--json']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const report = JSON.parse(ok.stdout) as { ok: boolean; files: Array<{ rows: number }>; totals: unknown };
    expect(report.ok).toBe(true);
    expect(report.files.map((f) => f.rows)).toEqual([2, ROWS]);
    expect(report.totals).toEqual([{ currency: 'USD', value: settled.toString(), batches: ['B20240101'], source: 'settlementSummary' }]);
  });
});
