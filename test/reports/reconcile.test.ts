// Reconciliation: the docs' worked example reconciles; planted faults (missing refund, amount, duplicate) are found.
import { describe, expect, it } from 'vitest';
import { AmsValidationError } from '../../src/errors';
import { parseReport, reconcile, type LedgerEntry } from '../../src/reports';
import { thrown } from '../helpers/expect';
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
  sampleLedger,
} from './samples';

const SS_NAME = `settlementSummary_USD_${BATCH}_000.csv`;
const SD_NAME = `settlementItems_USD_${BATCH}_000.csv`;

async function sample(items = GEN_A_SD, summary = GEN_B_SS) {
  return {
    settlementItems: await parseReport(items, { fileName: SD_NAME }),
    settlementSummary: await parseReport(summary, { fileName: SS_NAME }),
  };
}

describe('reconcile on the worked example', () => {
  it('matches both rows, checks summary against items, totals the payout and the fees', async () => {
    const r = reconcile({
      ...(await sample()),
      transactionItems: await parseReport(GEN_A_TD, { fileName: 'transactionItems_20181225_000.csv' }),
      ledger: sampleLedger(),
    });
    expect(r.summaryMismatches).toEqual([]);
    expect(r.notInLedger).toEqual([]);
    expect(r.unsettled).toEqual([]);
    expect(r.amountMismatches).toEqual([]);
    expect(r.duplicates).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.matched.map((m) => [m.item.transactionId, m.item.transactionAmount, m.item.settlementAmount, m.ledger.type])).toEqual([
      [PAYMENT_ID, { currency: 'KRW', value: '18000' }, { currency: 'USD', value: '1450' }, 'PAYMENT'],
      [REFUND_ID, { currency: 'KRW', value: '-9000' }, { currency: 'USD', value: '-725' }, 'REFUND'],
    ]);
    expect(r.totals).toEqual([{ currency: 'USD', value: '725', batches: [BATCH], source: 'settlementSummary' }]);
    expect(r.fees).toEqual([{ kind: 'feeAmountValue', currency: 'USD', value: '-25' }]);
    expect(r.units).toEqual([
      {
        settlementBatchId: BATCH,
        unit: 'minor',
        reason: expect.stringMatching(/^minor units: nothing tells the readings apart; minor units assumed/),
      },
    ]);
    expect(r.warnings).toContain(`batch ${BATCH}: amounts read in ${r.units[0]!.reason}`);
    expect(r.counts).toMatchObject({ rowErrors: 0, batchErrors: 0, duplicates: 0, notInLedger: 0, unsettled: 0 });
    expect(r.files.map((f) => [f.kind, f.rows, f.complete])).toEqual([
      ['settlementSummary', 3, true],
      ['settlementItems', 2, true],
      ['transactionItems', 2, true],
    ]);
  });

  it('a planted missing refund: in the ledger, never settled, with its age', async () => {
    const ledger: LedgerEntry[] = [
      ...sampleLedger(),
      {
        refundRequestId: 'RF-LOST',
        paymentId: PAYMENT_ID,
        type: 'REFUND',
        amount: { currency: 'KRW', value: '3000' },
        createdAt: '2018-12-24T02:00:00+08:30',
      },
    ];
    const r = reconcile({ ...(await sample()), ledger });
    expect(r.ok).toBe(false);
    expect(r.unsettled).toEqual([{ ledger: ledger[2], ageMs: 2 * 86_400_000 + 8 * 3_600_000, inTransactionItems: false }]);
    expect(r.matched).toHaveLength(2);
  });

  it('the age is measured at asOf when given', async () => {
    const ledger: LedgerEntry[] = [
      ...sampleLedger(),
      { refundRequestId: 'RF-LOST', type: 'REFUND', amount: { currency: 'KRW', value: '3000' }, createdAt: '2018-12-31T00:00:00Z' },
    ];
    const r = reconcile({ ...(await sample()), ledger, asOf: '2019-01-01T00:00:00Z' });
    expect(r.unsettled.map((u) => u.ageMs)).toEqual([86_400_000]);
  });

  it('a planted amount mismatch: the ledger says 17000 KRW, the report 18000', async () => {
    const ledger = sampleLedger();
    ledger[0]!.amount = { currency: 'KRW', value: '17000' };
    const r = reconcile({ ...(await sample()), ledger });
    expect(r.ok).toBe(false);
    expect(r.amountMismatches).toHaveLength(1);
    expect(r.amountMismatches[0]).toMatchObject({
      differs: ['value'],
      ledger: { paymentRequestId: REQUEST_ID },
      item: { line: 2, file: SD_NAME, transactionAmount: { currency: 'KRW', value: '18000' } },
    });
    expect(r.matched.map((m) => m.item.transactionType)).toEqual(['REFUND']);
  });

  it('a currency mismatch is told apart from a value mismatch', async () => {
    const ledger = sampleLedger();
    ledger[1]!.amount = { currency: 'JPY', value: '9000' };
    const r = reconcile({ ...(await sample()), ledger });
    expect(r.amountMismatches.map((m) => m.differs)).toEqual([['currency']]);
  });

  it('a planted duplicate row: reported with both lines, and the summary count no longer adds up', async () => {
    const items = `${GEN_A_SD_HEADER}\n${SD_PAYMENT}\n${SD_REFUND}\n${SD_PAYMENT}\n<END>\n`;
    const r = reconcile({ ...(await sample(items)), ledger: sampleLedger() });
    expect(r.ok).toBe(false);
    expect(r.duplicates).toEqual([
      {
        report: 'settlementItems',
        key: `${PAYMENT_ID}|PAYMENT|${REQUEST_ID}`,
        transactionRequestId: REQUEST_ID,
        occurrences: [
          { file: SD_NAME, line: 2 },
          { file: SD_NAME, line: 4 },
        ],
      },
    ]);
    expect(r.summaryMismatches).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ summaryType: 'PAYMENT', column: 'count', summary: '1', computed: '2', against: 'items' }),
        expect.objectContaining({ summaryType: 'PAYMENT', column: 'settlementAmountValue', summary: '1450 USD', computed: '2900 USD' }),
        expect.objectContaining({
          summaryType: 'TOTAL',
          column: 'settlementAmountValue',
          summary: '725 USD',
          computed: '2175 USD',
          against: 'items',
        }),
      ]),
    );
  });

  it('a report row missing from the ledger', async () => {
    const r = reconcile({ ...(await sample()), ledger: sampleLedger().slice(0, 1) });
    expect(r.notInLedger).toEqual([expect.objectContaining({ report: 'settlementItems', transactionId: REFUND_ID, line: 3 })]);
    expect(r.ok).toBe(false);
  });

  it('a summary TOTAL that is not the sum of its rows', async () => {
    const r = reconcile({
      ...(await sample(
        GEN_A_SD,
        GEN_B_SS.replace('TOTAL,2018-12-26T10:00:00+08:30,2,725,USD,-25', 'TOTAL,2018-12-26T10:00:00+08:30,2,735,USD,-25'),
      )),
      ledger: sampleLedger(),
    });
    expect(r.summaryMismatches.map((m) => [m.summaryType, m.column, m.summary, m.computed, m.against, m.line])).toEqual([
      ['TOTAL', 'settlementAmountValue', '735 USD', '725 USD', 'summary rows', 2],
      ['TOTAL', 'settlementAmountValue', '735 USD', '725 USD', 'items', 2],
    ]);
  });

  it('a correction row is an adjustment, not an error, and counts towards TOTAL', async () => {
    const summary = GEN_B_SS.replace(
      'TOTAL,2018-12-26T10:00:00+08:30,2,725,USD,-25',
      'TOTAL,2018-12-26T10:00:00+08:30,3,720,USD,-30',
    ).replace('<END>', `${BATCH},1022188000000000001,Alipay_SG,DEFAULT,2018-12-26T10:00:00+08:30,1,-5,USD,-5,USD,,,,,,,,,,,,,,\n<END>`);
    const items = `${GEN_A_SD_HEADER}\n${SD_PAYMENT}\n${SD_REFUND}\n${BATCH},1022188000000000001,,,C1,,,,,,DEFAULT,,2018-12-26T10:00:00+08:30,,,,-5,USD,,,-5,USD,,\n<END>\n`;
    const r = reconcile({ ...(await sample(items, summary)), ledger: sampleLedger() });
    expect(r.summaryMismatches).toEqual([]);
    expect(r.adjustments).toEqual([
      {
        report: 'settlementSummary',
        settlementBatchId: BATCH,
        type: 'DEFAULT',
        settlementAmount: { currency: 'USD', value: '-5' },
        file: SS_NAME,
        line: 5,
      },
      {
        report: 'settlementItems',
        settlementBatchId: BATCH,
        type: 'DEFAULT',
        settlementAmount: { currency: 'USD', value: '-5' },
        file: SD_NAME,
        line: 4,
      },
    ]);
    expect(r.ok).toBe(true);
    expect(r.totals).toEqual([{ currency: 'USD', value: '720', batches: [BATCH], source: 'settlementSummary' }]);
  });

  it('an incomplete report is never reconciled', async () => {
    const r = reconcile({ ...(await sample(GEN_A_SD.replace('<END>\n', ''))), ledger: sampleLedger() });
    expect(r.incomplete).toEqual([SD_NAME]);
    expect(r.ok).toBe(false);
  });
});

describe('amount units decided per batch (auto)', () => {
  it('major units when the items are written 14.50 and the summary 7.25', async () => {
    const items = GEN_A_SD.replace(',1450,USD', ',14.50,USD')
      .replace(',-725,USD', ',-7.25,USD')
      .replace(',-50,USD', ',-0.50,USD')
      .replace(',25,USD', ',0.25,USD');
    const summary = GEN_B_SS.replace(',725,USD,-25,', ',7.25,USD,-0.25,')
      .replace(',1450,USD,-50,', ',14.50,USD,-0.50,')
      .replace(',-725,USD,25,', ',-7.25,USD,0.25,');
    const r = reconcile({ ...(await sample(items, summary)), ledger: sampleLedger() });
    expect(r.units).toEqual([{ settlementBatchId: BATCH, unit: 'major', reason: 'major units: the only reading every amount allows' }]);
    expect(r.ok).toBe(true);
    expect(r.totals[0]).toMatchObject({ currency: 'USD', value: '725' });
  });

  it('items in minor units against a summary in major units do not add up: a batch is read in one unit', async () => {
    const summary = GEN_B_SS.replace(',725,USD,-25,', ',7.25,USD,-0.25,')
      .replace(',1450,USD,-50,', ',14.50,USD,-0.50,')
      .replace(',-725,USD,25,', ',-7.25,USD,0.25,');
    const r = reconcile({ ...(await sample(GEN_A_SD, summary)), ledger: sampleLedger() });
    // The summary's fractions allow only major units; read so, the items are 100 times the summary.
    expect(r.units[0]).toEqual({ settlementBatchId: BATCH, unit: 'major', reason: 'major units: the only reading every amount allows' });
    expect(r.summaryMismatches).toContainEqual(
      expect.objectContaining({ summaryType: 'TOTAL', column: 'settlementAmountValue', summary: '725 USD', computed: '72500 USD' }),
    );
    expect(r.ok).toBe(false);
  });

  it('the ledger tells the readings apart when the amounts cannot', async () => {
    const items = GEN_A_SD.replace(',18000,KRW', ',15,USD').replace(',-9000,KRW', ',-7,USD');
    const ledger = sampleLedger();
    ledger[0]!.amount = { currency: 'USD', value: '1500' };
    ledger[1]!.amount = { currency: 'USD', value: '700' };
    const r = reconcile({ settlementItems: await parseReport(items, { fileName: SD_NAME }), ledger });
    expect(r.units[0]).toEqual({
      settlementBatchId: BATCH,
      unit: 'major',
      reason: 'major units: the reading that matches the ledger (2 amount(s))',
    });
    expect(r.matched).toHaveLength(2);
    expect(r.totals).toEqual([{ currency: 'USD', value: '72500', batches: [BATCH], source: 'settlementItems' }]);
    // Items without their summary: nothing shows that no item is missing.
    expect(r.batchErrors).toEqual([expect.objectContaining({ settlementBatchId: BATCH, problem: 'no_summary' })]);
    expect(r.ok).toBe(false);
  });

  it('amountUnit overrides the decision', async () => {
    const r = reconcile({ ...(await sample()), ledger: sampleLedger(), amountUnit: 'major' });
    expect(r.units[0]).toEqual({ settlementBatchId: BATCH, unit: 'major', reason: 'major units: given as amountUnit' });
    expect(r.totals[0]).toMatchObject({ value: '72500' });
  });
});

describe('bad input to reconcile', () => {
  it('a report of the wrong kind and a ledger entry without amount, each named', async () => {
    const summary = await parseReport(GEN_B_SS, { fileName: SS_NAME });
    const err = thrown(AmsValidationError, () =>
      reconcile({
        settlementItems: summary,
        ledger: [{ paymentRequestId: 'X', type: 'PAYMENT', amount: { currency: 'USD', value: '14.50' } }],
      }),
    );
    expect(err.fields).toEqual(['settlementItems[0]', 'ledger[0].amount.value']);
    expect(err.message).toMatch(
      /settlementItems\[0\]: settlementSummary_USD_2018122611021040123_000\.csv is a settlementSummary report, not settlementItems/,
    );
  });
});
