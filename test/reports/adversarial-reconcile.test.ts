// Report files built to make reconcile say "reconciled" while money is doubled, missing or unchecked: each one fails.
import { describe, expect, it } from 'vitest';
import { reconcileReports, type LedgerEntry, type ReconciliationReport } from '../../src/reports';

const SD = 'settlementItems_USD_B1_000.csv';
const SS = 'settlementSummary_USD_B1_000.csv';
const TD = 'transactionItems_20240101_000.csv';
const ITEMS =
  'settlementBatchId,transactionId,transactionRequestId,transactionType,transactionAmountValue,transactionCurrency,settlementAmountValue,settlementCurrency';
const SUMMARY = 'settlementBatchId,summaryType,count,settlementAmountValue,settlementCurrency';
const DETAILS = 'customerId,transactionId,transactionRequestId,transactionType,status,transactionAmountValue,transactionCurrency';

const file = (header: string, rows: string[]): string => [header, ...rows, '<END>', ''].join('\n');
const payment = (value = '1000'): LedgerEntry => ({ paymentRequestId: 'PR1', type: 'PAYMENT', amount: { currency: 'USD', value } });

async function run(parts: {
  items?: string[];
  summary?: string[];
  details?: string[];
  ledger?: LedgerEntry[];
}): Promise<ReconciliationReport> {
  return reconcileReports({
    ...(parts.items ? { settlementItems: [{ fileName: SD, input: file(ITEMS, parts.items) }] } : {}),
    ...(parts.summary ? { settlementSummary: [{ fileName: SS, input: file(SUMMARY, parts.summary) }] } : {}),
    ...(parts.details ? { transactionItems: [{ fileName: TD, input: file(DETAILS, parts.details) }] } : {}),
    ledger: parts.ledger ?? [payment()],
  });
}

const ONE_PAYMENT = ['B1,P1,PR1,PAYMENT,1000,USD,1000,USD'];

describe('the summary cannot claim more (or less) than the items', () => {
  it('two TOTAL rows for one batch double the payout: not reconciled', async () => {
    const r = await run({ items: ONE_PAYMENT, summary: ['B1,PAYMENT,1,1000,USD', 'B1,TOTAL,1,1000,USD', 'B1,TOTAL,1,1000,USD'] });
    // The payout is the first TOTAL, and two TOTAL rows are an error of the batch.
    expect(r.totals.map((t) => t.value)).toEqual(['1000']);
    expect(r.ok).toBe(false);
  });

  it('a summary without TOTAL whose PAYMENT row appears twice pays out twice the items: not reconciled', async () => {
    const r = await run({ items: ONE_PAYMENT, summary: ['B1,PAYMENT,1,1000,USD', 'B1,PAYMENT,1,1000,USD'] });
    expect(r.ok).toBe(false);
  });

  it('a summary without TOTAL carrying a correction row that no item accounts for: not reconciled', async () => {
    const r = await run({ items: ONE_PAYMENT, summary: ['B1,PAYMENT,1,1000,USD', 'B1,DEFAULT,0,-1000,USD'] });
    // Correction rows are compared with the items of their type, and the summary's sum with the items' payout.
    expect(r.ok).toBe(false);
  });
});

describe('a money row cannot escape the checks by how its type is written', () => {
  it('a lower-case "refund" row with ids is a refund (or an error), not an adjustment outside the ledger', async () => {
    const r = await run({
      items: [...ONE_PAYMENT, 'B1,P1,RR9,refund,-1000,USD,-1000,USD'],
      summary: ['B1,PAYMENT,1,1000,USD', 'B1,refund,1,-1000,USD', 'B1,TOTAL,2,0,USD'],
    });
    // Types are read upper-case: the row is a REFUND, held to a refund's checks, and not in the ledger.
    expect(r.ok).toBe(false);
  });

  it('a row with ids and an empty transactionType is not an adjustment', async () => {
    const r = await run({
      items: [...ONE_PAYMENT, 'B1,P1,RR9,,-1000,USD,-1000,USD'],
      summary: ['B1,PAYMENT,1,1000,USD', 'B1,,1,-1000,USD', 'B1,TOTAL,2,0,USD'],
    });
    expect(r.ok).toBe(false);
  });
});

describe("an item's settlement amount is held to its transaction", () => {
  it('a payment of 10.00 USD that settles -10.00 USD is a wrong sign', async () => {
    const r = await run({ items: ['B1,P1,PR1,PAYMENT,1000,USD,-1000,USD'], summary: ['B1,PAYMENT,1,-1000,USD', 'B1,TOTAL,1,-1000,USD'] });
    expect(r.ok).toBe(false);
  });

  it('a payment row without a settlement amount is in no sum', async () => {
    const r = await run({ items: ['B1,P1,PR1,PAYMENT,1000,USD,,USD'], summary: ['B1,PAYMENT,1,0,USD', 'B1,TOTAL,1,0,USD'] });
    expect(r.ok).toBe(false);
  });

  it('a payment of 10.00 USD settled for 0.01 USD in the same currency, with no fee, does not add up', async () => {
    const r = await run({ items: ['B1,P1,PR1,PAYMENT,1000,USD,1,USD'], summary: ['B1,PAYMENT,1,1,USD', 'B1,TOTAL,1,1,USD'] });
    expect(r.ok).toBe(false);
  });
});

describe('transaction details', () => {
  it('transaction details alone (no settlement file at all) do not prove a settlement', async () => {
    const r = await run({ details: ['C1,P1,PR1,PAYMENT,SUCCESS,1000,USD'] });
    // The transactions agree with the ledger (a valid check of its own), but nothing about a payout was checked.
    expect(r.settlementChecked).toBe(false);
    expect(r.totals).toEqual([]);
  });

  it('a payment whose latest status is FAIL is not matched as if it moved money', async () => {
    const r = await run({ details: ['C1,P1,PR1,PAYMENT,SUCCESS,1000,USD', 'C1,P1,PR1,PAYMENT,FAIL,1000,USD'] });
    // The later row is what the payment became: it replaces the earlier one.
    expect(r.matched).toEqual([]);
    expect(r.counts.notMoved).toBe(1);
  });

  it('a reissued row with another amount is not silently ignored', async () => {
    const r = await run({ details: ['C1,P1,PR1,PAYMENT,SUCCESS,1000,USD', 'C1,P1,PR1,PAYMENT,SUCCESS,5,USD'] });
    // The second row (what the payment became) replaces the first, and its amount is compared.
    expect(r.counts.amountMismatches + r.counts.duplicates + r.counts.rowErrors).toBeGreaterThan(0);
  });

  it('a reissued row whose status was crafted to collide with an unseeded digest of the first is not taken for a copy', async () => {
    // 'FAILUMYLALFS' and 'SUCCESS' give the same 32-bit FNV-1a of "status|1000|USD" (found in seconds): with the row
    // digest seeded per run, the reissue is compared as what it became, a payment that did not move.
    const r = await run({ details: ['C1,P1,PR1,PAYMENT,SUCCESS,1000,USD', 'C1,P1,PR1,PAYMENT,FAILUMYLALFS,1000,USD'] });
    expect(r.ok).toBe(false);
  });
});

describe('duplicate detection by 64-bit fingerprint', () => {
  // Two request ids whose keys `P1|REFUND|<id>` share key-set.ts's fingerprint: found offline with a plain Pollard-rho
  // (Brent) search over 5 CJK characters, about 15 minutes on one core. The fingerprint is not keyed, so anyone can.
  const settledRefund = `R${String.fromCharCode(0x6dd4, 0x6121, 0x589d, 0x4ebf, 0x5534)}`;
  const unknownRefund = `R${String.fromCharCode(0x5c10, 0x5190, 0x5429, 0x599b, 0x5193)}`;

  it('a refund in the transaction details that is in no ledger is not hidden by a colliding key', async () => {
    const r = await run({
      items: [...ONE_PAYMENT, `B1,P1,${settledRefund},REFUND,-400,USD,-400,USD`],
      summary: ['B1,PAYMENT,1,1000,USD', 'B1,REFUND,1,-400,USD', 'B1,TOTAL,2,600,USD'],
      details: [`C1,P1,${settledRefund},REFUND,SUCCESS,-400,USD`, `C1,P1,${unknownRefund},REFUND,SUCCESS,-600,USD`],
      ledger: [payment(), { refundRequestId: settledRefund, type: 'REFUND', amount: { currency: 'USD', value: '400' } }],
    });
    // With the fingerprints seeded per run, the crafted pair collides no more than any other pair of ids.
    expect(r.notInLedger.map((n) => n.transactionRequestId)).toEqual([unknownRefund]);
    expect(r.ok).toBe(false);
  });
});

describe('bounded time and memory on hostile input', () => {
  it('a summary of 6000 TOTAL rows and 6000 other rows is checked in linear time', { timeout: 120_000 }, async () => {
    const n = 6000;
    const summary = [...Array.from({ length: n }, () => 'B1,PAYMENT,0,0,USD'), ...Array.from({ length: n }, () => 'B1,TOTAL,1,1000,USD')];
    const started = Date.now();
    const r = await run({ items: ONE_PAYMENT, summary });
    // Summary rows are summed as they are read: linear, whatever the number of TOTAL rows.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(r.ok).toBe(false);
  });
});

describe('matching holds to the transaction, not only to its request id', () => {
  it('a CANCEL that settles positive next to its payment is a wrong sign, not a match', async () => {
    const r = await run({
      items: [...ONE_PAYMENT, 'B1,P1,PR1,CANCEL,1000,USD,1000,USD'],
      summary: ['B1,PAYMENT,1,1000,USD', 'B1,CANCEL,1,1000,USD', 'B1,TOTAL,2,2000,USD'],
      ledger: [payment(), { paymentRequestId: 'PR1', type: 'CANCEL', amount: { currency: 'USD', value: '1000' } }],
    });
    expect(r.rowErrors).toContainEqual(expect.objectContaining({ problem: 'wrong_sign', transactionType: 'CANCEL' }));
    expect(r.amountMismatches).toContainEqual(expect.objectContaining({ differs: ['sign'] }));
    expect(r.ok).toBe(false);
  });

  it('a row naming another Antom id than the ledger entry its request id finds is a mismatch (id)', async () => {
    const r = await run({
      items: ['B1,P999,PR1,PAYMENT,1000,USD,1000,USD'],
      summary: ['B1,PAYMENT,1,1000,USD', 'B1,TOTAL,1,1000,USD'],
      ledger: [{ ...payment(), paymentId: 'P1' }],
    });
    expect(r.amountMismatches).toEqual([expect.objectContaining({ differs: ['id'] })]);
    expect(r.ok).toBe(false);
  });

  it('one request id settled twice under two Antom ids is a duplicate, with or without a ledger', async () => {
    const items = ['B1,P1,PR1,PAYMENT,1000,USD,1000,USD', 'B1,P1X,PR1,PAYMENT,1000,USD,1000,USD'];
    const summary = ['B1,PAYMENT,2,2000,USD', 'B1,TOTAL,2,2000,USD'];
    const withoutLedger = await reconcileReports({
      settlementItems: [{ fileName: SD, input: file(ITEMS, items) }],
      settlementSummary: [{ fileName: SS, input: file(SUMMARY, summary) }],
    });
    expect(withoutLedger.duplicates).toEqual([expect.objectContaining({ key: 'P1X|PAYMENT|PR1', transactionRequestId: 'PR1' })]);
    expect(withoutLedger.ok).toBe(false);
  });

  it('a settlement net of its fee reconciles; the same amounts with the fee dropped do not', async () => {
    const header = `${ITEMS},feeAmountValue,feeCurrency`;
    const good = await reconcileReports({
      settlementItems: [{ fileName: SD, input: file(header, ['B1,P1,PR1,PAYMENT,1000,USD,970,USD,-30,USD']) }],
      settlementSummary: [
        {
          fileName: SS,
          input: file(`${SUMMARY},feeAmountValue,feeCurrency`, ['B1,PAYMENT,1,970,USD,-30,USD', 'B1,TOTAL,1,970,USD,-30,USD']),
        },
      ],
      ledger: [payment()],
    });
    expect(good.rowErrors).toEqual([]);
    expect(good.ok).toBe(true);
    const dropped = await run({ items: ['B1,P1,PR1,PAYMENT,1000,USD,970,USD'], summary: ['B1,PAYMENT,1,970,USD', 'B1,TOTAL,1,970,USD'] });
    expect(dropped.rowErrors).toEqual([expect.objectContaining({ problem: 'settlement_mismatch' })]);
  });

  it('a fee given as its total and again by component is taken once: a settlement 30 short does not reconcile', async () => {
    const header = `${ITEMS},feeAmountValue,feeCurrency,processingFeeAmountValue,processingFeeCurrency`;
    const withBoth = (settled: string) =>
      reconcileReports({
        settlementItems: [{ fileName: SD, input: file(header, [`B1,P1,PR1,PAYMENT,1000,USD,${settled},USD,-30,USD,-30,USD`]) }],
        settlementSummary: [
          {
            fileName: SS,
            input: file(`${SUMMARY},feeAmountValue,feeCurrency,processingFeeAmountValue,processingFeeCurrency`, [
              `B1,PAYMENT,1,${settled},USD,-30,USD,-30,USD`,
              `B1,TOTAL,1,${settled},USD,-30,USD,-30,USD`,
            ]),
          },
        ],
        ledger: [payment()],
      });
    const short = await withBoth('940');
    expect(short.rowErrors).toEqual([expect.objectContaining({ problem: 'settlement_mismatch' })]);
    expect(short.ok).toBe(false);
    const right = await withBoth('970');
    expect(right.rowErrors).toEqual([]);
    expect(right.ok).toBe(true);
    // Without the total, the components are the fee.
    const componentsOnly = await reconcileReports({
      settlementItems: [
        {
          fileName: SD,
          input: file(`${ITEMS},processingFeeAmountValue,processingFeeCurrency,taxFeeAmountValue,taxFeeCurrency`, [
            'B1,P1,PR1,PAYMENT,1000,USD,960,USD,-30,USD,-10,USD',
          ]),
        },
      ],
      settlementSummary: [{ fileName: SS, input: file(SUMMARY, ['B1,PAYMENT,1,960,USD', 'B1,TOTAL,1,960,USD']) }],
      ledger: [payment()],
    });
    expect(componentsOnly.rowErrors).toEqual([]);
  });
});

describe('files', () => {
  it('a summary given under its plain name and as part _000 is not merged into a doubled summary', async () => {
    const summary = file(SUMMARY, ['B1,PAYMENT,1,1000,USD', 'B1,TOTAL,1,1000,USD']);
    const r = await reconcileReports({
      settlementItems: [{ fileName: SD, input: file(ITEMS, ONE_PAYMENT) }],
      settlementSummary: [
        { fileName: SS, input: summary },
        { fileName: 'settlementSummary_USD_B1.csv', input: summary },
      ],
      ledger: [payment()],
    });
    expect(r.incomplete).toEqual(['settlementSummary_USD_B1']);
    expect(r.ok).toBe(false);
  });
});
