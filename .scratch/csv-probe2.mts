import { parse } from 'csv-parse';
import { Readable } from 'node:stream';
import { generatedSettlementItems } from '../test/reports/samples';
const N = 100_000;
const chunks: Buffer[] = [];
for await (const c of generatedSettlementItems(N)) chunks.push(Buffer.from(c));
const all = Buffer.concat(chunks);
for (const size of [1024, 16384, 65536, 262144]) {
  const parts: Buffer[] = [];
  for (let i = 0; i < all.length; i += size) parts.push(all.subarray(i, i + size));
  const t0 = Date.now(); let n = 0;
  await new Promise((res) => { const p = Readable.from(parts).pipe(parse({ relax_column_count: true })); p.on('data', () => n++); p.on('end', res); });
  console.log(size, (Date.now()-t0)/1000, n);
}
