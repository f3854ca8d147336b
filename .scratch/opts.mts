import { parse } from 'csv-parse';
import { Readable } from 'node:stream';
import { generatedSettlementItems } from '../test/reports/samples';
import { readReport } from '../src/reports';
const N = 30_000;
const chunks: Buffer[] = [];
for await (const c of generatedSettlementItems(N)) chunks.push(Buffer.from(c));
const all = Buffer.concat(chunks);
const parts: Buffer[] = [];
for (let i = 0; i < all.length; i += 65536) parts.push(all.subarray(i, i + 65536));
async function time(name: string, opts: object) {
  const t0 = performance.now(); let n = 0;
  for await (const r of Readable.from(parts).pipe(parse(opts))) n++;
  console.log(name, Math.round(performance.now() - t0));
}
for (let k = 0; k < 2; k++) {
await time('plain', { relax_column_count: true });
await time('info', { relax_column_count: true, info: true });
await time('all', { bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true });
let t0 = performance.now();
for await (const r of readReport(Readable.from(parts))) {}
console.log('readReport', Math.round(performance.now() - t0));
}
