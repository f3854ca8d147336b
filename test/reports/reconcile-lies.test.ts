// Trying to make reconcile say "reconciled" while money is missing or wrongly matched: each way that once worked fails now.
import { describe, expect, it } from 'vitest';
import { AmsValidationError } from '../../src/errors';
import { parseReport, reconcile, type LedgerEntry } from '../../src/reports';
import { rejectsWith } from '../helpers/expect';
import { GEN_C_SD_HEADER, GEN_C_TD_HEADER } from './samples';

const SD = 'settlementItems_USD_B1_000.csv';
const SS = 'settlementSummary_USD_B1_000.csv';
const ITEMS_HEADER =
  'settlementBatchId,transactionId,transactionRequestId,transactionType,transactionAmountValue,transactionCurrency,settlementAmountValue,settlementCurrency';
const SUMMARY_HEADER = 'settlementBatchId,summaryType,count,settlementAmountValue,settlementCurrency';

function file(header: string, rows: string[]): string {
  return [header, ...rows, '<END>', ''].join('\n');
}

/** A batch whose summary says exactly what its items add up to, so only the trick under test can fail it. */
async function batch(items: string[], summary: string[], itemsHeader = ITEMS_HEADER) {
  return {
    settlementItems: await parseReport(file(itemsHeader, items), { fileName: SD }),
    settlementSummary: await parseReport(file(SUMMARY_HEADER, summary), { fileName: SS }),
  };
}

const payment = (amount = '1500'): LedgerEntry => ({
  paymentRequestId: 'PR1',
  paymentId: 'P1',
  type: 'PAYMENT',
  amount: { currency: 'USD', value: amount },
});

describe('every unit of money is accounted for', () => {
  it('an amount no reading can take is an error of its row, never a zero in the sums (JPY with a fraction)', async () => {
    const r = reconcile(
      await batch(
        ['B1,P1,PR1,PAYMENT,1500,USD,1500,USD', 'B1,P2,PR2,PAYMENT,1500.5,JPY,1500.5,JPY'],
        ['B1,PAYMENT,2,1500,USD', 'B1,TOTAL,2,1500,USD'],
      ),
    );
    expect(r.ok).toBe(false);
    expect(r.rowErrors).toContainEqual(
      expect.objectContaining({ problem: 'unreadable_amount', column: 'settlementAmountValue', line: 3, report: 'settlementItems' }),
    );
    expect(r.counts.rowErrors).toBe(2); // both amounts of that row
  });

  it('a currency whose decimals are unknown, written with a fraction, is unreadable under either reading', async () => {
    const r = reconcile(await batch(['B1,P1,PR1,PAYMENT,15.5,XTS,15.5,XTS'], ['B1,PAYMENT,1,15.5,XTS', 'B1,TOTAL,1,15.5,XTS']));
    expect(r.ok).toBe(false);
    expect(r.rowErrors.map((e) => e.problem)).toContain('unreadable_amount');
    expect(r.units[0]!.reason).toMatch(/^minor units: no reading fits every amount/);
  });

  it('a REFUND row without ids is an error and not in the ledger, not an "adjustment" that hides a refund', async () => {
    const items = ['B1,P1,PR1,PAYMENT,1500,USD,1500,USD', ',,,REFUND,-1500,USD,-1500,USD'];
    const r = reconcile({
      ...(await batch(items, ['B1,PAYMENT,1,1500,USD', 'B1,REFUND,1,-1500,USD', 'B1,TOTAL,2,0,USD'])),
      ledger: [payment()],
    });
    expect(r.ok).toBe(false);
    expect(r.adjustments).toEqual([]);
    expect(r.rowErrors).toEqual([expect.objectContaining({ problem: 'missing_id', transactionType: 'REFUND', line: 3 })]);
    expect(r.notInLedger).toEqual([expect.objectContaining({ transactionType: 'REFUND', line: 3 })]);
  });

  it('one ledger refund is matched by one row; a second row with its request id is a duplicate named by that id', async () => {
    const items = ['B1,P1,PR1,PAYMENT,1500,USD,1500,USD', 'B1,R1,RR1,REFUND,-500,USD,-500,USD', 'B1,R2,RR1,REFUND,-500,USD,-500,USD'];
    const ledger: LedgerEntry[] = [payment(), { refundRequestId: 'RR1', type: 'REFUND', amount: { currency: 'USD', value: '500' } }];
    const r = reconcile({ ...(await batch(items, ['B1,PAYMENT,1,1500,USD', 'B1,REFUND,2,-1000,USD', 'B1,TOTAL,3,500,USD'])), ledger });
    expect(r.ok).toBe(false);
    expect(r.matched.map((m) => m.item.line)).toEqual([2, 3]);
    expect(r.duplicates).toEqual([
      {
        report: 'settlementItems',
        key: 'R2|REFUND|RR1',
        transactionRequestId: 'RR1',
        occurrences: [
          { file: SD, line: 3 },
          { file: SD, line: 4 },
        ],
      },
    ]);
  });

  it('a PAYMENT of -1500 does not match a ledger payment of 1500: the sign is part of the amount', async () => {
    const r = reconcile({
      ...(await batch(['B1,P1,PR1,PAYMENT,-1500,USD,-1500,USD'], ['B1,PAYMENT,1,-1500,USD', 'B1,TOTAL,1,-1500,USD'])),
      ledger: [payment()],
    });
    expect(r.ok).toBe(false);
    expect(r.amountMismatches).toEqual([expect.objectContaining({ differs: ['sign'] })]);
    expect(r.rowErrors).toEqual([expect.objectContaining({ problem: 'wrong_sign', column: 'transactionAmountValue' })]);
    expect(r.matched).toEqual([]);
  });

  it('a refund written positive is a wrong sign too', async () => {
    const items = ['B1,P1,PR1,PAYMENT,1500,USD,1500,USD', 'B1,R1,RR1,REFUND,500,USD,500,USD'];
    const r = reconcile(await batch(items, ['B1,PAYMENT,1,1500,USD', 'B1,REFUND,1,500,USD', 'B1,TOTAL,2,2000,USD']));
    expect(r.ok).toBe(false);
    expect(r.rowErrors).toEqual([expect.objectContaining({ problem: 'wrong_sign', line: 3 })]);
  });

  it('items 1500 and a summary of 15 do not add up: the unit is decided for the batch, not per file', async () => {
    const r = reconcile(await batch(['B1,P1,PR1,PAYMENT,1500,USD,1500,USD'], ['B1,PAYMENT,1,15,USD', 'B1,TOTAL,1,15,USD']));
    expect(r.ok).toBe(false);
    expect(r.summaryMismatches.length).toBeGreaterThan(0);
    expect(r.units).toEqual([{ settlementBatchId: 'B1', unit: 'minor', reason: expect.stringMatching(/^minor units: /) }]);
  });

  it('an unreadable amount in the summary is an error of the summary row', async () => {
    const r = reconcile(await batch(['B1,P1,PR1,PAYMENT,1500,JPY,1500,JPY'], ['B1,PAYMENT,1,1500,JPY', 'B1,TOTAL,1,1500.5,JPY']));
    expect(r.ok).toBe(false);
    expect(r.rowErrors).toContainEqual(expect.objectContaining({ report: 'settlementSummary', problem: 'unreadable_amount', line: 3 }));
  });
});

describe('the newest reports (Gen C)', () => {
  const row = (id: string, request: string, type: string, amount: string): string =>
    `B1,C1,Alipay,,,,${id},${request},,${type},PR1,ALIPAY_CN,,2025-01-02T10:00:00+08:00,2025-01-03,${amount},USD,${amount},USD,,`;

  it('two partial refunds of one payment share transactionId and type: both matched by request id, no duplicate', async () => {
    const items = [row('P1', 'PR1', 'PAYMENT', '1500'), row('P1', 'RR1', 'REFUND', '-500'), row('P1', 'RR2', 'REFUND', '-300')];
    const ledger: LedgerEntry[] = [
      payment(),
      { refundRequestId: 'RR1', paymentId: 'P1', type: 'REFUND', amount: { currency: 'USD', value: '500' } },
      { refundRequestId: 'RR2', paymentId: 'P1', type: 'REFUND', amount: { currency: 'USD', value: '300' } },
    ];
    const r = reconcile({
      ...(await batch(items, ['B1,PAYMENT,1,1500,USD', 'B1,REFUND,2,-800,USD', 'B1,TOTAL,3,700,USD'], GEN_C_SD_HEADER)),
      ledger,
    });
    expect(r.duplicates).toEqual([]);
    expect(r.unsettled).toEqual([]);
    expect(r.matched.map((m) => m.item.transactionRequestId)).toEqual(['PR1', 'RR1', 'RR2']);
    expect(r.ok).toBe(true);
  });

  it('a refund row whose request id is not in the ledger never borrows another refund of the same payment', async () => {
    const items = [row('P1', 'PR1', 'PAYMENT', '1500'), row('P1', 'RR9', 'REFUND', '-500')];
    const ledger: LedgerEntry[] = [
      payment(),
      { refundRequestId: 'RR1', paymentId: 'P1', type: 'REFUND', amount: { currency: 'USD', value: '500' } },
    ];
    const r = reconcile({
      ...(await batch(items, ['B1,PAYMENT,1,1500,USD', 'B1,REFUND,1,-500,USD', 'B1,TOTAL,2,1000,USD'], GEN_C_SD_HEADER)),
      ledger,
    });
    expect(r.ok).toBe(false);
    expect(r.notInLedger.map((n) => n.transactionRequestId)).toEqual(['RR9']);
    expect(r.unsettled.map((u) => u.ledger.refundRequestId)).toEqual(['RR1']);
  });

  const td = (request: string, type: string, status: string, amount: string): string =>
    `C1,Alipay,,,,P1,${request},,,${type},,ALIPAY_CN,,${status},2025-01-02T10:00:00+08:00,,,,${amount},USD,,`;

  it('transaction details whose status is FAIL or PROCESSING moved no money: listed apart, never matched nor missing', async () => {
    const details = await parseReport(
      file(GEN_C_TD_HEADER, [
        td('PR1', 'PAYMENT', 'SUCCESS', '1500'),
        td('RR1', 'REFUND', 'FAIL', '-500'),
        td('RR2', 'REFUND', 'PROCESSING', '-200'),
      ]),
      { fileName: 'transactionItems_20250102_000.csv' },
    );
    const r = reconcile({ transactionItems: details, ledger: [payment()] });
    expect(r.notMoved.map((n) => [n.transactionRequestId, n.status])).toEqual([
      ['RR1', 'FAIL'],
      ['RR2', 'PROCESSING'],
    ]);
    expect(r.notInLedger).toEqual([]);
    expect(r.matched.map((m) => m.item.transactionRequestId)).toEqual(['PR1']);
    // Transaction details alone are a valid input: matched against the ledger, they reconcile.
    expect(r.ok).toBe(true);
  });

  it('a reissued row (PROCESSING on T+1, SUCCESS on T+2) counts once, as what it became', async () => {
    const details = await parseReport(
      file(GEN_C_TD_HEADER, [td('PR1', 'PAYMENT', 'PROCESSING', '1500'), td('PR1', 'PAYMENT', 'SUCCESS', '1500')]),
      {
        fileName: 'transactionItems_20250102_000.csv',
      },
    );
    const r = reconcile({ transactionItems: details, ledger: [payment()] });
    expect(r.notMoved).toEqual([]);
    expect(r.counts.notMoved).toBe(0);
    expect(r.matched).toHaveLength(1);
    expect(r.duplicates).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('a ledger payment that failed in the transaction details is not accounted for', async () => {
    const details = await parseReport(file(GEN_C_TD_HEADER, [td('PR1', 'PAYMENT', 'FAIL', '1500')]), {
      fileName: 'transactionItems_20250102_000.csv',
    });
    const r = reconcile({ transactionItems: details, ledger: [payment()] });
    expect(r.ok).toBe(false);
    expect(r.unsettled).toEqual([expect.objectContaining({ inTransactionItems: true })]);
  });
});

describe('batches that cannot be checked are not OK', () => {
  it('settlement items without any summary', async () => {
    const r = reconcile({
      settlementItems: await parseReport(file(ITEMS_HEADER, ['B1,P1,PR1,PAYMENT,1500,USD,1500,USD']), { fileName: SD }),
    });
    expect(r.ok).toBe(false);
    expect(r.batchErrors).toEqual([expect.objectContaining({ settlementBatchId: 'B1', problem: 'no_summary' })]);
  });

  it('a summary that pays out with no items of its batch; a zero summary without items is fine', async () => {
    const { settlementItems } = await batch(['B1,P1,PR1,PAYMENT,1500,USD,1500,USD'], []);
    const summary = await parseReport(
      file(SUMMARY_HEADER, ['B1,PAYMENT,1,1500,USD', 'B1,TOTAL,1,1500,USD', 'B2,TOTAL,1,900,USD', 'B3,TOTAL,0,0,USD']),
      {
        fileName: SS,
      },
    );
    const r = reconcile({ settlementItems, settlementSummary: summary });
    expect(r.batchErrors).toEqual([expect.objectContaining({ settlementBatchId: 'B2', problem: 'no_items' })]);
    expect(r.ok).toBe(false);
  });

  it('no report to reconcile at all is bad input, not an empty success', () => {
    expect(() => reconcile({ ledger: [payment()] })).toThrow(AmsValidationError);
  });

  it('an amount past 30 digits is refused by the parser, not rounded', async () => {
    const long = `1${'0'.repeat(30)}`;
    const e = await rejectsWith(AmsValidationError, parseReport(file(SUMMARY_HEADER, [`B1,TOTAL,1,${long},USD`]), { fileName: SS }));
    expect(e.message).toMatch(/line 2, column settlementAmountValue: .*at most 30 digits/);
    const count = await rejectsWith(
      AmsValidationError,
      parseReport(file(SUMMARY_HEADER, [`B1,TOTAL,${'9'.repeat(400)},1,USD`]), { fileName: SS }),
    );
    expect(count.message).toMatch(/column count: .*at most 15 digits/);
  });
});

describe('bounded findings', () => {
  it('maxFindings keeps the lists short and the counts exact, and the result stays not OK', async () => {
    const items = Array.from({ length: 50 }, (_, i) => `B1,P${i},PR${i},PAYMENT,100,USD,100,USD`);
    const r = reconcile({
      ...(await batch(items, ['B1,PAYMENT,50,5000,USD', 'B1,TOTAL,50,5000,USD'])),
      ledger: [payment('100')],
      maxFindings: 5,
    });
    expect(r.notInLedger).toHaveLength(5);
    // Every row but the one the ledger holds.
    expect(r.counts.notInLedger).toBe(49);
    expect(r.matched).toHaveLength(1);
    expect(r.truncated).toBe(true);
    expect(r.ok).toBe(false);
  });
});

describe('disputes the merchant recorded', () => {
  const dispute = (entry: Partial<LedgerEntry> = {}): LedgerEntry => ({
    type: 'DISPUTE',
    disputeId: 'D1',
    paymentId: 'P1',
    amount: { currency: 'USD', value: '1500' },
    ...entry,
  });
  const summary = ['B1,PAYMENT,1,1500,USD', 'B1,DISPUTE,1,-1500,USD', 'B1,TOTAL,2,0,USD'];

  it('older reports: a DISPUTE row whose transactionId is the disputeId matches the recorded dispute', async () => {
    const r = reconcile({
      ...(await batch(['B1,P1,PR1,PAYMENT,1500,USD,1500,USD', 'B1,D1,,DISPUTE,-1500,USD,-1500,USD'], summary)),
      ledger: [payment(), dispute()],
    });
    expect(r.matched.map((m) => m.ledger.type)).toEqual(['PAYMENT', 'DISPUTE']);
    expect(r.adjustments).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('newest reports: a DISPUTE row carries the paymentId and no request id, and still finds the dispute', async () => {
    const r = reconcile({
      ...(await batch(['B1,P1,PR1,PAYMENT,1500,USD,1500,USD', 'B1,P1,,DISPUTE,-1500,USD,-1500,USD'], summary)),
      ledger: [payment(), dispute()],
    });
    expect(r.matched.map((m) => m.ledger.disputeId)).toEqual([undefined, 'D1']);
    expect(r.ok).toBe(true);
  });

  it('a dispute nobody recorded stays a batch-level row, never "not in the ledger"; a positive DISPUTE is a wrong sign', async () => {
    const unrecorded = reconcile({
      ...(await batch(['B1,P1,PR1,PAYMENT,1500,USD,1500,USD', 'B1,D1,,DISPUTE,-1500,USD,-1500,USD'], summary)),
      ledger: [payment()],
    });
    expect(unrecorded.notInLedger).toEqual([]);
    expect(unrecorded.adjustments.map((a) => a.type)).toEqual(['DISPUTE']);
    const positive = reconcile({
      ...(await batch(
        ['B1,P1,PR1,PAYMENT,1500,USD,1500,USD', 'B1,D1,,DISPUTE,1500,USD,1500,USD'],
        ['B1,PAYMENT,1,1500,USD', 'B1,DISPUTE,1,1500,USD', 'B1,TOTAL,2,3000,USD'],
      )),
      ledger: [payment(), dispute()],
    });
    expect(positive.amountMismatches).toEqual([expect.objectContaining({ differs: ['sign'] })]);
    expect(positive.ok).toBe(false);
  });
});
