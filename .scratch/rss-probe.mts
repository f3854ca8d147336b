import { readReport } from '/work/wt-reports/src/reports';
import { generatedSettlementItems } from '/work/wt-reports/test/reports/samples';
const t0 = Date.now();
const reader = readReport(generatedSettlementItems(1_000_000), { fileName: 'settlementItems_USD_B_000.csv' });
let n = 0; let base = 0; let peak = 0; let sum = 0;
for await (const row of reader) {
  n++;
  sum += row.line;
  if (n % 50_000 === 0) { const rss = process.memoryUsage().rss; if (n === 100_000) base = rss; if (n > 100_000) peak = Math.max(peak, rss); }
}
console.log(n, reader.complete, (Date.now()-t0)/1000, 's', 'base', base/1e6, 'peak', peak/1e6);
