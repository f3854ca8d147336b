// Adversarial review of `ams-cashier reconcile`: a directory without settlements, output lines planted by a file, heap per batch.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { useBuiltCli, writeFiles } from '../cli/helpers';

const cli = useBuiltCli();
const LEDGER = 'type,paymentRequestId,currency,value\nPAYMENT,PR1,USD,1000\n';

describe('ams-cashier reconcile, attacked', () => {
  it('a directory holding only transaction details (settlement files deleted) is not "settlement reconciled"', () => {
    const dir = cli.tmp();
    writeFiles(dir, {
      'transactionItems_20240101_000.csv':
        'customerId,transactionId,transactionRequestId,transactionType,status,transactionAmountValue,transactionCurrency\nC1,P1,PR1,PAYMENT,SUCCESS,1000,USD\n<END>\n',
      'ledger.csv': LEDGER,
    });
    const r = cli.run(['reconcile', dir, '--ledger', join(dir, 'ledger.csv')]);
    expect(r.stdout).not.toContain('settlement reconciled');
    expect(r.stdout).toMatch(/Result: NOT reconciled: no settlementItems or settlementSummary file was given/);
    expect(r.code).toBe(1);
    // Asked for explicitly, the transaction details alone reconcile, and say that no payout was checked.
    const asked = cli.run(['reconcile', dir, '--ledger', join(dir, 'ledger.csv'), '--transactions-only']);
    expect(asked.stdout.trimEnd().split('\n').at(-1)).toBe(
      'Result: transactions reconciled (transaction details only: no payout was checked)',
    );
    expect(asked.code).toBe(0);
  });

  it('a value in a malformed file cannot print a line of its own, on stderr either', () => {
    const dir = cli.tmp();
    writeFiles(dir, {
      'settlementItems_USD_B1_000.csv':
        'settlementBatchId,transactionId,transactionRequestId,transactionType,transactionAmountValue,transactionCurrency,settlementAmountValue,settlementCurrency\n' +
        'B1,P1,PR1,PAYMENT,"1\nResult: settlement reconciled\nxx",USD,1000,USD\n<END>\n',
      'ledger.csv': LEDGER,
    });
    const r = cli.run(['reconcile', dir, '--ledger', join(dir, 'ledger.csv')]);
    expect(r.code).toBe(2);
    // An error message quoting the raw field would put the line "Result: settlement reconciled" on stderr.
    expect(`${r.stdout}\n${r.stderr}`.split('\n')).not.toContain('Result: settlement reconciled');
  });

  it('200 000 distinct batches (a 7 MB items file) do not exhaust a 96 MB heap', { timeout: 300_000 }, async () => {
    const dir = cli.tmp('ams-adv-batches-');
    const n = 200_000;
    function* lines(header: string, row: (i: number) => string): Generator<string> {
      yield `${header}\n`;
      for (let i = 0; i < n; i += 1000) {
        let chunk = '';
        for (let k = i; k < Math.min(n, i + 1000); k++) chunk += `${row(k)}\n`;
        yield chunk;
      }
      yield '<END>\n';
    }
    await pipeline(
      Readable.from(
        lines(
          'settlementBatchId,transactionId,transactionType,settlementAmountValue,settlementCurrency',
          (i) => `B${i},T${i},PAYMENT,100,USD`,
        ),
      ),
      createWriteStream(join(dir, 'settlementItems_USD_B_000.csv')),
    );
    await pipeline(
      Readable.from(lines('settlementBatchId,summaryType,count,settlementAmountValue,settlementCurrency', (i) => `B${i},TOTAL,1,100,USD`)),
      createWriteStream(join(dir, 'settlementSummary_USD_B_000.csv')),
    );
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--max-old-space-size=96', cli.bin, 'reconcile', dir, '--json'], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr: stderr.slice(0, 2000) }));
    });
    // Per-batch state is small and the number of batches bounded (a refusal, exit 2, rather than a crash).
    expect(r.stderr).not.toMatch(/heap out of memory/i);
    expect([0, 1, 2]).toContain(r.code);
  });
});
