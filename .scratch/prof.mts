import { Readable } from 'node:stream';
import { generatedSettlementItems } from '../test/reports/samples';
import { readReport } from '../src/reports';
const chunks: Buffer[] = [];
for await (const c of generatedSettlementItems(40000)) chunks.push(Buffer.from(c));
const all = Buffer.concat(chunks);
const parts: Buffer[] = [];
for (let i = 0; i < all.length; i += 65536) parts.push(all.subarray(i, i + 65536));
for await (const r of readReport(Readable.from(parts))) {}
