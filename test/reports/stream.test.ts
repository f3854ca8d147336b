// Streaming: a generated million-row settlement-details file is read row by row with flat memory.
import { describe, expect, it } from 'vitest';
import { readReport } from '../../src/reports';
import { generatedSettlementItems } from './samples';

const ROWS = 1_000_000;

describe('readReport on a million-row file', () => {
  it('reads every row, typed, and its resident memory stays flat', { timeout: 300_000 }, async () => {
    const reader = readReport(generatedSettlementItems(ROWS), { fileName: 'settlementItems_USD_B20240101_000.csv' });
    let rows = 0;
    let cents = 0;
    let lastLine = 0;
    let baseline = 0;
    let peak = 0;
    for await (const row of reader) {
      rows++;
      // Line numbers run on from the header; amounts come typed with their currency.
      if (row.line !== lastLine + 1 && rows > 1) throw new Error(`line ${row.line} after ${lastLine}`);
      lastLine = row.line;
      if (row.amounts['settlementAmountValue']!.currency !== 'USD') throw new Error(`currency on line ${row.line}`);
      cents += Number(row.amounts['settlementAmountValue']!.value);
      if (rows % 25_000 === 0) {
        const rss = process.memoryUsage().rss;
        if (rows === 100_000) baseline = rss;
        else if (rows > 100_000) peak = Math.max(peak, rss);
      }
    }
    expect(rows).toBe(ROWS);
    expect(lastLine).toBe(ROWS + 1);
    expect(reader.complete).toBe(true);
    expect(reader.warnings).toEqual([]);
    // 950 + (i % 500) for i < 1e6: 2000 full cycles of 950…1449.
    expect(cents).toBe(2000 * (950 * 500 + (499 * 500) / 2));
    // The file is ~160 MB; keeping its rows would grow RSS by far more than this.
    expect((peak - baseline) / 1e6).toBeLessThan(48);
  });
});
