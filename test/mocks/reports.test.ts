// The gateway's reconciliation reports: files for what it processed that parse and reconcile with the merchant's books.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAmsGateway, type AmsGateway } from '../../mocks/index';
import { AmsClient } from '../../src/index';
import { parseReports, reconcile, type LedgerEntry, type ParsedReport } from '../../src/reports';
import { alipay, merchant } from '../helpers/keys';
import { CLIENT_ID, payRequest } from './targets';

let gw: AmsGateway;
let dir: string;
const ledger: LedgerEntry[] = [];

beforeAll(async () => {
  // 10:00 in Beijing on 25 December 2018: the transaction day of every payment below.
  gw = await startAmsGateway({
    clientId: CLIENT_ID,
    merchantPublicKey: merchant.publicSpkiPem,
    alipayPrivateKey: alipay.privatePem,
    clock: { now: () => new Date('2018-12-25T02:00:00Z') },
  });
  const client = new AmsClient({
    clientId: CLIENT_ID,
    privateKey: merchant.privatePkcs8Pem,
    alipayPublicKey: gw.alipayPublicKey,
    baseUrl: gw.url,
  });
  for (const [id, value] of [
    ['rp-1', '1999'],
    ['rp-2', '5000'],
    ['rp-3', '700'],
  ] as const) {
    const res = await client.pay(
      payRequest(id, value, {
        order: {
          referenceOrderId: `order-${id}`,
          orderDescription: 'Shoes, "wide"',
          orderAmount: { currency: 'USD', value },
          extendInfo: { chinaExtraTransInfo: { businessType: '4', goodsInfo: 'Shoes^1', totalQuantity: '1' } },
        },
      }),
    );
    await gw.core.completePayment(res.paymentId);
    ledger.push({ paymentRequestId: id, paymentId: res.paymentId, type: 'PAYMENT', amount: { currency: 'USD', value } });
  }
  // Never paid: not in any report.
  await client.pay(payRequest('rp-unpaid', '1200'));
  const refund = await client.refund({
    refundRequestId: 'rf-1',
    paymentId: ledger[1]!.paymentId!,
    refundAmount: { currency: 'USD', value: '1500' },
  });
  ledger.push({
    refundRequestId: 'rf-1',
    refundId: refund.refundId!,
    paymentId: ledger[1]!.paymentId!,
    type: 'REFUND',
    amount: { currency: 'USD', value: '1500' },
  });
  dir = mkdtempSync(join(tmpdir(), 'ams-gw-reports-'));
});
afterAll(async () => {
  await gw?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function parsed(generation: 'B' | 'C'): Promise<Record<string, ParsedReport>> {
  const files = gw.reports({ date: '2018-12-25', generation, to: join(dir, generation) });
  const reports = await parseReports(files.map((f) => ({ fileName: f.name, input: readFileSync(f.path!) })));
  return Object.fromEntries(reports.map((r) => [r.kind, r]));
}

describe('gateway.reports', () => {
  it('writes the three reports of the day in the SFTP layout, in the current column set', async () => {
    const files = gw.reports({ date: '20181225', to: join(dir, 'layout') });
    expect(files.map((f) => f.remotePath)).toEqual([
      '/v1/settlements/1022188000000000001/20181225/transactionItems_20181225_000.csv',
      '/v1/settlements/1022188000000000001/20181225/settlementItems_USD_2018122500100000001_000.csv',
      '/v1/settlements/1022188000000000001/20181225/settlementSummary_USD_2018122500100000001_000.csv',
    ]);
    expect(readFileSync(files[2]!.path!, 'utf8')).toBe(files[2]!.content);
    const r = await parsed('C');
    expect(r['settlementSummary']!.generation).toBe('C');
    expect(
      r['settlementSummary']!.rows.map((x) => [
        x.summaryType,
        x.count,
        x.amounts['settlementAmountValue']!.value,
        x.amounts['feeAmountValue']!.value,
      ]),
    ).toEqual([
      // 1999 + 5000 + 700 − 1500 = 6199; fees −60 −150 −21 +45 = −186.
      ['TOTAL', 4, '6013', '-186'],
      ['PAYMENT', 3, '7468', '-231'],
      ['REFUND', 1, '-1455', '45'],
    ]);
    expect(r['transactionItems']!.rows[0]!.values['orderDescription']).toBe('Shoes, "wide"');
    expect(r['transactionItems']!.rows[0]!.times['transactionCompletionTime']).toBe('2018-12-25T10:00:00+08:00');
  });

  for (const generation of ['C', 'B'] as const) {
    it(`generation ${generation} files reconcile with the merchant's ledger`, async () => {
      const r = await parsed(generation);
      expect(r['settlementItems']!.generation).toBe(generation);
      const report = reconcile({
        settlementItems: r['settlementItems']!,
        settlementSummary: r['settlementSummary']!,
        transactionItems: r['transactionItems']!,
        ledger,
      });
      expect(report.summaryMismatches).toEqual([]);
      expect(report.matched).toHaveLength(4);
      expect(report.ok).toBe(true);
      expect(report.totals).toEqual([{ currency: 'USD', value: '6013', batches: ['2018122500100000001'], source: 'settlementSummary' }]);
    });
  }

  it('a day without transactions has reports with a header and <END> only', async () => {
    const files = gw.reports({ date: '20181226' });
    expect(files.map((f) => f.name)).toEqual(['transactionItems_20181226_000.csv']);
    expect(files[0]!.content.split('\n').slice(1)).toEqual(['<END>', '']);
  });
});
