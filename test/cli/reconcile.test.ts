// `ams-cashier reconcile` through the built bin: a reconciled directory, planted faults, --json, unusable input.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BATCH,
  GEN_A_SD,
  GEN_A_SD_HEADER,
  GEN_A_TD,
  GEN_B_SS,
  PAYMENT_ID,
  REFUND_ID,
  REQUEST_ID,
  SD_PAYMENT,
  SD_REFUND,
} from '../reports/samples';
import { useBuiltCli, writeFiles } from './helpers';

const cli = useBuiltCli();

const LEDGER_CSV = `type,paymentRequestId,refundRequestId,paymentId,refundId,currency,value,createdAt
PAYMENT,${REQUEST_ID},,${PAYMENT_ID},,KRW,18000,2018-12-25T01:30:00Z
REFUND,,${REQUEST_ID},,${REFUND_ID},KRW,9000,2018-12-25T01:30:00Z
`;

/** A settlement folder as on the SFTP server: /v1/settlements/<customerId>/<date>/. */
function folder(items = GEN_A_SD): string {
  const root = cli.tmp();
  const day = join(root, 'v1', 'settlements', '1022188000000000001', '20181226');
  mkdirSync(day, { recursive: true });
  writeFiles(day, {
    [`settlementItems_USD_${BATCH}_000.csv`]: items,
    [`settlementSummary_USD_${BATCH}_000.csv`]: GEN_B_SS,
    'transactionItems_20181225_000.csv': GEN_A_TD,
    'notes.txt': 'not a report',
  });
  writeFiles(root, { 'ledger.csv': LEDGER_CSV });
  return root;
}

describe('ams-cashier reconcile', () => {
  it('exit 0 and "settlement reconciled" for the worked example, with totals and fees in major units', () => {
    const root = folder();
    const r = cli.run(['reconcile', join(root, 'v1'), '--ledger', 'ledger.csv'], { cwd: root });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Summary vs items: every count, amount and fee adds up');
    expect(r.stdout).toContain('Ledger: 2 matched, 0 not in your ledger, 0 never settled, 0 amount mismatch(es), 0 duplicate(s)');
    expect(r.stdout).toContain('  7.25 USD net settled (settlementSummary, 1 batch(es))');
    expect(r.stdout).toContain('  -0.25 USD feeAmountValue');
    expect(r.stdout.trimEnd().endsWith('Result: settlement reconciled')).toBe(true);
  });

  it('exit 1 naming a planted duplicate, with file and lines', () => {
    const root = folder(`${GEN_A_SD_HEADER}\n${SD_PAYMENT}\n${SD_REFUND}\n${SD_PAYMENT}\n<END>\n`);
    const r = cli.run(['reconcile', root, '--ledger', join(root, 'ledger.csv')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `  DUPLICATE  settlementItems ${PAYMENT_ID}|PAYMENT|${REQUEST_ID} (your request id ${REQUEST_ID}) at settlementItems_USD_${BATCH}_000.csv:2, settlementItems_USD_${BATCH}_000.csv:4`,
    );
    expect(r.stdout).toContain(`  MISMATCH  batch ${BATCH} PAYMENT count: summary 1, items 2`);
    expect(r.stdout.trimEnd().endsWith('Result: NOT reconciled')).toBe(true);
  });

  it('exit 1 for a JSON ledger with a missing refund and an amount mismatch', () => {
    const root = folder();
    const ledger = [
      { paymentRequestId: REQUEST_ID, paymentId: PAYMENT_ID, type: 'PAYMENT', amount: { currency: 'KRW', value: '18500' } },
      { refundRequestId: REQUEST_ID, refundId: REFUND_ID, type: 'REFUND', amount: { currency: 'KRW', value: '9000' } },
      { refundRequestId: 'RF-LOST', type: 'REFUND', amount: { currency: 'KRW', value: '3000' }, createdAt: '2018-12-24T17:30:00Z' },
    ];
    writeFiles(root, { 'ledger.json': JSON.stringify(ledger) });
    const r = cli.run(['reconcile', root, '--ledger', 'ledger.json'], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  NEVER SETTLED  REFUND RF-LOST 3000 KRW, 1.3 day(s) old');
    expect(r.stdout).toContain(
      `  AMOUNT  PAYMENT ${REQUEST_ID}: report 18000 KRW, ledger PAYMENT 18500 KRW (value differ)  (settlementItems_USD_${BATCH}_000.csv:2)`,
    );
  });

  it('--json prints the typed report', () => {
    const root = folder();
    const r = cli.run(['reconcile', root, '--ledger', 'ledger.csv', '--json'], { cwd: root });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { ok: boolean; totals: unknown; matched: unknown[]; units: Array<{ unit: string }> };
    expect(report.ok).toBe(true);
    expect(report.totals).toEqual([{ currency: 'USD', value: '725', batches: [BATCH], source: 'settlementSummary' }]);
    expect(report.matched).toHaveLength(2);
    expect(report.units.map((u) => u.unit)).toEqual(['minor']);
  });

  it('without --ledger only the reports are checked, and --amount-unit is honoured', () => {
    const root = folder();
    const r = cli.run(['reconcile', root, '--amount-unit', 'major']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Ledger: not checked');
    expect(r.stdout).toContain('  725.00 USD net settled');
  });

  it('a value from a file cannot print a result line or hide the real one', () => {
    const spoof = '"X\n\nResult: settlement reconciled\n\x1b[8m"';
    const root = folder(`${GEN_A_SD_HEADER}\n${SD_PAYMENT}\n${SD_REFUND.replace(`,${REQUEST_ID},`, `,${spoof},`)}\n<END>\n`);
    const r = cli.run(['reconcile', root, '--ledger', join(root, 'ledger.csv')]);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('\x1b');
    expect(r.stdout.split('\n').filter((l) => l.startsWith('Result:'))).toEqual(['Result: NOT reconciled']);
    expect(r.stdout).toContain('X\\u000a\\u000aResult: settlement reconciled\\u000a\\u001b[8m');
  });

  it('a ledger CSV with a wrong header is refused with or without rows', () => {
    const root = folder();
    writeFiles(root, { 'empty.csv': 'kind,ref,amount\n', 'rows.csv': 'kind,ref,amount\nPAYMENT,X,1\n' });
    for (const name of ['empty.csv', 'rows.csv']) {
      const r = cli.run(['reconcile', root, '--ledger', join(root, name)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${name} has unknown column(s) kind, ref, amount`);
    }
  });

  it('exit 2 on unusable input: a malformed report, no report, a bad ledger, a bad option', () => {
    const root = folder(GEN_A_SD.replace(',1450,USD', ',14x50,USD'));
    const bad = cli.run(['reconcile', root]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`Report settlementItems_USD_${BATCH}_000.csv, line 2, column settlementAmountValue`);
    const empty = cli.tmp();
    expect(cli.run(['reconcile', empty]).stderr).toMatch(/no report files/);
    expect(cli.run(['reconcile', empty]).code).toBe(2);
    const good = folder();
    writeFiles(good, {
      'ledger.json': JSON.stringify([{ paymentRequestId: 'X', type: 'PAYMENT', amount: { currency: 'USD', value: '14.50' } }]),
    });
    const ledger = cli.run(['reconcile', good, '--ledger', join(good, 'ledger.json')]);
    expect(ledger.code).toBe(2);
    expect(ledger.stderr).toContain('ledger[0].amount.value: must be a positive integer string in minor units');
    const unit = cli.run(['reconcile', good, '--amount-unit', 'cents']);
    expect(unit.code).toBe(2);
    expect(unit.stderr).toContain('--amount-unit must be auto, major or minor, not "cents"');
  });
});
