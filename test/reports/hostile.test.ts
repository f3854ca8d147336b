// Report files from a server are input like any other: a line, a header or a summary built to exhaust memory or
// time is refused (or handled) quickly, with a typed error naming the file and line.
import { describe, expect, it } from 'vitest';
import { AmsValidationError } from '../../src/errors';
import { parseReport, reconcile } from '../../src/reports';
import { rejectsWith } from '../helpers/expect';

const FILE = { fileName: 'transactionItems_20181226_000.csv' };
const TD_HEADER = 'customerId,transactionId,transactionType,paymentTime,transactionAmountValue,transactionCurrency';

describe('hostile report files', () => {
  it('a line of nothing but commas is refused at 1 MiB, not read into memory', async () => {
    const started = Date.now();
    const err = await rejectsWith(AmsValidationError, parseReport(`${TD_HEADER}\n${','.repeat(3 * 1024 * 1024)}\n<END>\n`, FILE));
    expect(err.message).toMatch(/transactionItems_20181226_000\.csv, line 2: .*a line longer than 1048576 bytes/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a header with more than 1000 columns, or a column name longer than 200 characters, is not a report header', async () => {
    const wide = Array.from({ length: 1001 }, (_, i) => `c${i}`).join(',');
    expect((await rejectsWith(AmsValidationError, parseReport(`${wide}\n<END>\n`, FILE))).message).toMatch(
      /line 1: .*the header has 1001 columns/,
    );
    const longName = await rejectsWith(AmsValidationError, parseReport(`${TD_HEADER},${'x'.repeat(100_000)}\n<END>\n`, FILE));
    expect(longName.message).toMatch(/a column name of 100000 characters/);
    expect(longName.message.length).toBeLessThan(500);
  });

  it('thousands of summary rows against thousands of items reconcile in linear time', async () => {
    const n = 5000;
    const items = [
      'settlementBatchId,transactionId,transactionType,settlementAmountValue,settlementCurrency',
      ...Array.from({ length: n }, (_, i) => `B1,T${i},PAYMENT,100,USD`),
      '<END>',
    ].join('\n');
    const summary = [
      'settlementBatchId,summaryType,count,settlementAmountValue,settlementCurrency',
      ...Array.from({ length: n }, () => 'B1,PAYMENT,1,100,USD'),
      `B1,TOTAL,${n},${n * 100},USD`,
      '<END>',
    ].join('\n');
    const settlementItems = await parseReport(items, { fileName: 'settlementItems_USD_B1_000.csv', amountUnit: 'minor' });
    const settlementSummary = await parseReport(summary, { fileName: 'settlementSummary_USD_B1_000.csv', amountUnit: 'minor' });
    const started = Date.now();
    const result = reconcile({ settlementItems, settlementSummary });
    // Re-adding every item for each summary row took about 45 s for 5000 of each; summed while read, well under 1 s.
    expect(Date.now() - started).toBeLessThan(5_000);
    // Rows of one summaryType are summed: 5000 rows of 1 × 100 are the 5000 items of 100.
    expect(result.summaryMismatches).toEqual([]);
    expect(result.ok).toBe(true);
  });
});
