// acceptDispute, supplyDefenseDocument, downloadDisputeEvidence and inquireExchangeRate against msw playing Alipay: paths, bodies, typed answers, retries, F, required fields, bad input.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type {
  AcceptDisputeResponse,
  DownloadDisputeEvidenceResponse,
  InquireExchangeRateResponse,
  SupplyDefenseDocumentRequest,
} from '../../src/index';
import { testClient } from '../helpers/client';
import { useMswServer } from '../helpers/msw';
import { answerAt, expectRefused, F, S, U } from './helpers';

const server = useMswServer();
const at = (api: string) => `/ams/sandbox/api/v1/payments/${api}`;
const DISPUTE_ID = '202211222501310115730104000001';
const pdf = Buffer.from('%PDF-1.4 defense letter').toString('base64');

describe('acceptDispute', () => {
  const answer = { result: S, disputeId: DISPUTE_ID, disputeResolutionTime: '2026-11-22T08:00:00+08:00' };

  it('posts { disputeId } to /v1/payments/acceptDispute and returns the typed answer', async () => {
    const seen = answerAt(server, at('acceptDispute'), [answer]);
    const res = await testClient().client.acceptDispute({ disputeId: DISPUTE_ID });
    expect(res).toEqual(answer);
    expect(JSON.parse(seen[0]!)).toEqual({ disputeId: DISPUTE_ID });
    expectTypeOf(res).toEqualTypeOf<AcceptDisputeResponse>();
    expectTypeOf(res.disputeResolutionTime).toEqualTypeOf<string | undefined>();
  });

  it('U then S: the same body again; F (TIME_EXCEEDS_LIMIT, REPEAT_REQUEST) is final and names the dispute', async () => {
    const seen = answerAt(server, at('acceptDispute'), [{ result: U }, answer]);
    const { client, rec } = testClient();
    await client.acceptDispute({ disputeId: DISPUTE_ID });
    expect(seen).toEqual([seen[0], seen[0]]);
    expect(rec.sleeps).toHaveLength(1);
    server.resetHandlers();
    for (const code of ['TIME_EXCEEDS_LIMIT', 'REPEAT_REQUEST']) {
      const once = answerAt(server, at('acceptDispute'), [{ result: F(code) }]);
      const err = await client.acceptDispute({ disputeId: DISPUTE_ID }).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'AmsApiError', resultCode: code, disputeId: DISPUTE_ID, api: 'acceptDispute' });
      expect((err as Error).message).toContain(`disputeId ${DISPUTE_ID}`);
      expect(once).toHaveLength(1);
      server.resetHandlers();
    }
  });

  it('U on every attempt: AmsUnknownResultError naming the dispute', async () => {
    answerAt(server, at('acceptDispute'), [{ result: U }]);
    const err = await testClient()
      .client.acceptDispute({ disputeId: DISPUTE_ID })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'AmsUnknownResultError', disputeId: DISPUTE_ID, attempts: 3 });
  });

  it('a signed answer about another dispute is refused', async () => {
    answerAt(server, at('acceptDispute'), [{ ...answer, disputeId: 'another-dispute' }]);
    await expect(testClient().client.acceptDispute({ disputeId: DISPUTE_ID })).rejects.toMatchObject({
      name: 'AmsSignatureError',
      check: 'body',
    });
  });

  it('the disputeId is required, 1–64 characters, a string; unknown fields are refused before sending', async () => {
    const seen = answerAt(server, at('acceptDispute'), [answer]);
    const { client } = testClient();
    await expectRefused(client.acceptDispute({} as never), ['disputeId']);
    await expectRefused(client.acceptDispute({ disputeId: '' }), ['disputeId'], /must not be empty/);
    await expectRefused(client.acceptDispute({ disputeId: 'd'.repeat(65) }), ['disputeId'], /at most 64/);
    await expectRefused(client.acceptDispute({ disputeId: 42 } as never), ['disputeId']);
    await expectRefused(client.acceptDispute({ disputeId: DISPUTE_ID, reason: 'x' } as never), ['']);
    expect(seen).toHaveLength(0);
  });
});

describe('supplyDefenseDocument', () => {
  const answer = { result: S, disputeId: DISPUTE_ID, disputeResolutionTime: '2026-11-22T08:00:00+08:00' };
  const request: SupplyDefenseDocumentRequest = { disputeId: DISPUTE_ID, disputeEvidence: pdf };

  it('posts the disputeId and the base64 document, byte for byte', async () => {
    const seen = answerAt(server, at('supplyDefenseDocument'), [answer]);
    const res = await testClient().client.supplyDefenseDocument(request);
    expect(res).toEqual(answer);
    expect(JSON.parse(seen[0]!)).toEqual(request);
  });

  it('a document of exactly 1 000 000 base64 characters is sent; one more, or 750 001 bytes, is refused before sending', async () => {
    const seen = answerAt(server, at('supplyDefenseDocument'), [answer]);
    const { client } = testClient();
    const largest = Buffer.alloc(750_000, 7).toString('base64');
    expect(largest).toHaveLength(1_000_000);
    await client.supplyDefenseDocument({ disputeId: DISPUTE_ID, disputeEvidence: largest });
    expect(seen).toHaveLength(1);
    expect((JSON.parse(seen[0]!) as { disputeEvidence: string }).disputeEvidence).toBe(largest);
    await expectRefused(
      client.supplyDefenseDocument({ disputeId: DISPUTE_ID, disputeEvidence: Buffer.alloc(750_001, 7).toString('base64') }),
      ['disputeEvidence'],
      /at most 1000000 characters/,
    );
    await expectRefused(client.supplyDefenseDocument({ disputeId: DISPUTE_ID, disputeEvidence: `${largest}AAAA` }), ['disputeEvidence']);
    expect(seen).toHaveLength(1);
  });

  it('refuses what is not padded one-line base64, a missing document or disputeId, and bytes instead of text', async () => {
    const seen = answerAt(server, at('supplyDefenseDocument'), [answer]);
    const { client } = testClient();
    for (const bad of ['not base64!', 'QUJD\nREVG', 'QUJDRA', 'QUJDRA=', '=QUJD', '']) {
      await expectRefused(client.supplyDefenseDocument({ disputeId: DISPUTE_ID, disputeEvidence: bad }), ['disputeEvidence']);
    }
    await expectRefused(client.supplyDefenseDocument({ disputeId: DISPUTE_ID } as never), ['disputeEvidence']);
    await expectRefused(client.supplyDefenseDocument({ disputeEvidence: pdf } as never), ['disputeId']);
    await expectRefused(client.supplyDefenseDocument({ disputeId: DISPUTE_ID, disputeEvidence: Buffer.from('%PDF') } as never), [
      'disputeEvidence',
    ]);
    expect(seen).toHaveLength(0);
  });

  it('F NOT_ALLOW_IN_CURRENT_STATUS is final', async () => {
    const seen = answerAt(server, at('supplyDefenseDocument'), [{ result: F('NOT_ALLOW_IN_CURRENT_STATUS') }]);
    await expect(testClient().client.supplyDefenseDocument(request)).rejects.toMatchObject({
      name: 'AmsApiError',
      resultCode: 'NOT_ALLOW_IN_CURRENT_STATUS',
      disputeId: DISPUTE_ID,
    });
    expect(seen).toHaveLength(1);
  });
});

describe('downloadDisputeEvidence', () => {
  const answer = { result: S, disputeEvidence: pdf, disputeEvidenceFormat: 'PDF' };

  it('asks for the template or the supplied file and returns the document typed', async () => {
    const seen = answerAt(server, at('downloadDisputeEvidence'), [answer]);
    const { client } = testClient();
    const res = await client.downloadDisputeEvidence({ disputeId: DISPUTE_ID, disputeEvidenceType: 'DISPUTE_EVIDENCE_TEMPLATE' });
    expect(res).toEqual(answer);
    await client.downloadDisputeEvidence({ disputeId: DISPUTE_ID, disputeEvidenceType: 'DISPUTE_EVIDENCE_FILE' });
    expect(seen.map((b) => JSON.parse(b) as unknown)).toEqual([
      { disputeId: DISPUTE_ID, disputeEvidenceType: 'DISPUTE_EVIDENCE_TEMPLATE' },
      { disputeId: DISPUTE_ID, disputeEvidenceType: 'DISPUTE_EVIDENCE_FILE' },
    ]);
    expectTypeOf(res).toEqualTypeOf<DownloadDisputeEvidenceResponse>();
    expectTypeOf(res.disputeEvidenceFormat).toEqualTypeOf<'PDF' | 'WORD' | 'ZIP' | 'JPG' | (string & {}) | undefined>();
  });

  it('a format this version does not know is kept and logged once, never refused', async () => {
    answerAt(server, at('downloadDisputeEvidence'), [{ ...answer, disputeEvidenceFormat: 'PNG' }]);
    const { client, rec } = testClient();
    const ask = () => client.downloadDisputeEvidence({ disputeId: DISPUTE_ID, disputeEvidenceType: 'DISPUTE_EVIDENCE_FILE' });
    expect((await ask()).disputeEvidenceFormat).toBe('PNG');
    await ask();
    expect(rec.logs.filter((l) => l.level === 'warn' && l.message.includes('disputeEvidenceFormat "PNG"'))).toHaveLength(1);
  });

  it('the evidence type is one of the two documented; both fields are required', async () => {
    const { client } = testClient();
    await expectRefused(client.downloadDisputeEvidence({ disputeId: DISPUTE_ID } as never), ['disputeEvidenceType']);
    await expectRefused(
      client.downloadDisputeEvidence({ disputeId: DISPUTE_ID, disputeEvidenceType: 'DISPUTE_EVIDENCE_AI' } as never),
      ['disputeEvidenceType'],
      /DISPUTE_EVIDENCE_TEMPLATE, DISPUTE_EVIDENCE_FILE/,
    );
    await expectRefused(client.downloadDisputeEvidence({ disputeEvidenceType: 'DISPUTE_EVIDENCE_FILE' } as never), ['disputeId']);
  });

  it('an evidence answer past maxResponseBytes is cut off like any other body: the connection drops, retried, then AmsConnectionError', async () => {
    const big = { result: S, disputeEvidence: 'A'.repeat(200_000), disputeEvidenceFormat: 'PDF' };
    const seen = answerAt(server, at('downloadDisputeEvidence'), [big]);
    const { client, rec } = testClient({ maxResponseBytes: 64 * 1024 });
    const err = await client
      .downloadDisputeEvidence({ disputeId: DISPUTE_ID, disputeEvidenceType: 'DISPUTE_EVIDENCE_FILE' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'AmsConnectionError', attempts: 3 });
    expect((err as Error).message).toContain('maxResponseBytes (65536 bytes)');
    expect(seen).toHaveLength(3);
    expect(rec.logs.some((l) => l.level === 'warn' && l.message.includes('over maxResponseBytes'))).toBe(true);
    // The default 1 MiB holds the largest document Antom gives (1 000 000 characters).
    server.resetHandlers();
    answerAt(server, at('downloadDisputeEvidence'), [{ ...big, disputeEvidence: 'A'.repeat(1_000_000) }]);
    const res = await testClient().client.downloadDisputeEvidence({ disputeId: DISPUTE_ID, disputeEvidenceType: 'DISPUTE_EVIDENCE_FILE' });
    expect(res.disputeEvidence).toHaveLength(1_000_000);
  });
});

describe('inquireExchangeRate', () => {
  const answer = {
    result: S,
    quotes: [
      {
        quoteId: 'Q-1',
        quoteCurrencyPair: 'USD/CNY',
        quotePrice: '7.14285714',
        quoteStartTime: '2026-11-22T08:00:00+08:00',
        quoteExpiryTime: '2026-11-22T09:00:00+08:00',
        guaranteed: true,
      },
    ],
    paymentQuotes: [{ sellCurrency: 'CNY', buyCurrency: 'USD', quoteId: 'Q-1', exchangeRate: '7.142857142857143' }],
  };

  it('posts to /v1/payments/inquireExchangeRate (not inquiryExchangeRate) and returns quotes typed', async () => {
    const seen = answerAt(server, at('inquireExchangeRate'), [answer]);
    const res = await testClient().client.inquireExchangeRate({ productCode: 'CASHIER_PAYMENT', sellCurrency: 'CNY', buyCurrency: 'USD' });
    expect(res).toEqual(answer);
    expect(JSON.parse(seen[0]!)).toEqual({ productCode: 'CASHIER_PAYMENT', sellCurrency: 'CNY', buyCurrency: 'USD' });
    expectTypeOf(res).toEqualTypeOf<InquireExchangeRateResponse>();
    expectTypeOf(res.quotes[0]!.quotePrice).toEqualTypeOf<string | number | undefined>();
  });

  it('an answer without quotes is an empty list; U is retried with the same body', async () => {
    const seen = answerAt(server, at('inquireExchangeRate'), [{ result: U }, { result: S }]);
    const res = await testClient().client.inquireExchangeRate({
      productCode: 'CASHIER_PAYMENT',
      currencyPairs: [{ sellCurrency: 'CNY', buyCurrency: 'EUR' }],
      rateType: 'REFERENCE',
    });
    expect(res.quotes).toEqual([]);
    expect(seen).toEqual([seen[0], seen[0]]);
  });

  it('productCode is required; currencies are ISO codes; at most 100 pairs, each with both sides; rateType from the list', async () => {
    const seen = answerAt(server, at('inquireExchangeRate'), [answer]);
    const { client } = testClient();
    await expectRefused(client.inquireExchangeRate({ sellCurrency: 'CNY', buyCurrency: 'USD' } as never), ['productCode']);
    await expectRefused(client.inquireExchangeRate({ productCode: 'CASHIER_PAYMENT', sellCurrency: 'cny' }), ['sellCurrency']);
    await expectRefused(client.inquireExchangeRate({ productCode: 'CASHIER_PAYMENT', buyCurrency: 'USDT' }), ['buyCurrency']);
    const pair = { sellCurrency: 'CNY', buyCurrency: 'USD' };
    await expectRefused(
      client.inquireExchangeRate({ productCode: 'CASHIER_PAYMENT', currencyPairs: Array.from({ length: 101 }, () => pair) }),
      ['currencyPairs'],
      /at most 100/,
    );
    await expectRefused(client.inquireExchangeRate({ productCode: 'CASHIER_PAYMENT', currencyPairs: [{ sellCurrency: 'CNY' }] } as never), [
      'currencyPairs[0].buyCurrency',
    ]);
    await expectRefused(client.inquireExchangeRate({ productCode: 'CASHIER_PAYMENT', rateType: 'SPOT' } as never), ['rateType']);
    await expectRefused(client.inquireExchangeRate({ productCode: 'CASHIER_PAYMENT', merchantAccountId: 'm'.repeat(33) }), [
      'merchantAccountId',
    ]);
    expect(seen).toHaveLength(0);
    await client.inquireExchangeRate({ productCode: 'CASHIER_PAYMENT', currencyPairs: Array.from({ length: 100 }, () => pair) });
    expect(seen).toHaveLength(1);
  });

  it('extraFields cannot send a field the request schema knows', async () => {
    const { client } = testClient();
    await expectRefused(
      client.inquireExchangeRate({ productCode: 'CASHIER_PAYMENT' }, { extraFields: { rateType: 'TRADE' } }),
      ['extraFields.rateType'],
      /inquireExchangeRate knows this field/,
    );
  });
});
