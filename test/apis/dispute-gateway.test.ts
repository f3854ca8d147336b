// Disputes and exchange rates end to end on the loopback gateway: pay → dispute notification → defense → outcome notification through a real handler, every answer verified.
import { afterEach, describe, expect, it } from 'vitest';
import { AmsClient, createNotificationHandler, type DisputeNotification, type PaymentNotification } from '../../src/index';
import { CNY_RATES, startAmsGateway, type AmsGateway, type GatewayOptions } from '../../mocks/index';
import { alipay, merchant, other, publicOf } from '../helpers/keys';
import { listen, recordingLogger, until, type Running } from '../notifications/helpers';
import { CLIENT_ID, payRequest } from '../mocks/targets';

const OTHER_CLIENT = 'SANDBOX_OTHER_MERCHANT';
let open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const o of open.reverse()) await o.close();
  open = [];
});

/** The gateway, a client of it, and a shop on loopback whose notify endpoint is the package's own handler. */
async function shop(gatewayOptions: GatewayOptions = {}) {
  const gw: AmsGateway = await startAmsGateway({
    merchants: {
      [CLIENT_ID]: merchant.publicSpkiPem,
      [OTHER_CLIENT]: publicOf(other.privatePem),
    },
    alipayPrivateKey: alipay.privatePem,
    ...gatewayOptions,
  });
  open.push(gw);
  const client = new AmsClient({
    clientId: CLIENT_ID,
    privateKey: merchant.privatePkcs8Pem,
    alipayPublicKey: gw.alipayPublicKey,
    baseUrl: gw.url,
  });
  const rec = recordingLogger();
  const disputes: DisputeNotification[] = [];
  const payments: PaymentNotification[] = [];
  const keys: string[] = [];
  const handler = createNotificationHandler({
    client,
    path: '/alipay/notify',
    logger: rec.logger,
    onPayment: (n) => void payments.push(n),
    onDispute: (n, { key }) => {
      disputes.push(n);
      keys.push(key);
    },
  });
  const server: Running = await listen(handler);
  open.push(server);
  const notifyUrl = `${server.url}/alipay/notify`;
  /** A payment of this shop, paid at the cashier. */
  const paid = async (id: string, value = '1999') => {
    const res = await client.pay(payRequest(id, value, { paymentNotifyUrl: notifyUrl }));
    await gw.core.completePayment(res.paymentId);
    return res.paymentId;
  };
  return { gw, client, disputes, payments, keys, logs: rec.logs, paid, notifyUrl };
}

const evidence = Buffer.from('%PDF-1.4\n% the delivery receipt and the chat with the buyer\n').toString('base64');

describe('a dispute, end to end', () => {
  it('pay → DISPUTE_CREATED (respond by defenseDueTime) → template → defense → DEFENSE_SUPPLIED → DISPUTE_JUDGED won', async () => {
    const { gw, client, disputes, payments, keys, paid } = await shop();
    const paymentId = await paid('e2e-1');
    expect(payments.map((n) => n.outcome)).toEqual(['paid']);

    const dispute = await gw.dispute(paymentId);
    await gw.waitForNotification({ disputeId: dispute.disputeId, notifyType: 'DISPUTE_CREATED' });
    const created = disputes[0]!;
    expect(created).toMatchObject({
      kind: 'dispute',
      outcome: 'respond',
      disputeNotificationType: 'DISPUTE_CREATED',
      disputeId: dispute.disputeId,
      paymentId,
      paymentRequestId: 'e2e-1',
      disputeAmount: { currency: 'USD', value: '1999' },
      disputeReasonCode: '4853',
      disputeSource: 'Mastercard',
      disputeType: 'CHARGEBACK',
      defendable: true,
    });
    expect(created.notifyType).toBeUndefined();
    if (created.outcome !== 'respond') throw new Error('not respond');
    expect(created.respondBy).toBe(created.defenseDueTime);
    // Antom's sample: 11 days to answer.
    expect(Date.parse(created.respondBy!) - Date.parse(created.disputeTime!)).toBe(11 * 24 * 3_600_000);

    const template = await client.downloadDisputeEvidence({
      disputeId: created.disputeId,
      disputeEvidenceType: 'DISPUTE_EVIDENCE_TEMPLATE',
    });
    expect(template.disputeEvidenceFormat).toBe('PDF');
    const pdf = Buffer.from(template.disputeEvidence!, 'base64').toString('latin1');
    expect(pdf.startsWith('%PDF-1.4')).toBe(true);
    expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(pdf).toContain(`Dispute ID: ${created.disputeId}`);
    // The cross-reference table points at each object.
    const xref = Number(/startxref\n(\d+)/.exec(pdf)![1]);
    expect(pdf.slice(xref, xref + 4)).toBe('xref');

    const taken = await client.supplyDefenseDocument({ disputeId: created.disputeId, disputeEvidence: evidence });
    expect(taken).toMatchObject({ result: { resultStatus: 'S' }, disputeId: created.disputeId });
    expect(taken.disputeResolutionTime).toMatch(/^\d{4}-\d\d-\d\dT/);
    await gw.waitForNotification({ disputeId: dispute.disputeId, notifyType: 'DEFENSE_SUPPLIED' });
    expect(disputes[1]).toMatchObject({ disputeNotificationType: 'DEFENSE_SUPPLIED', outcome: 'defended' });
    const file = await client.downloadDisputeEvidence({ disputeId: created.disputeId, disputeEvidenceType: 'DISPUTE_EVIDENCE_FILE' });
    expect(file).toMatchObject({ disputeEvidence: evidence, disputeEvidenceFormat: 'PDF' });

    await gw.judgeDispute(dispute.disputeId);
    await gw.waitForNotification({ disputeId: dispute.disputeId, notifyType: 'DISPUTE_JUDGED' });
    expect(disputes[2]).toMatchObject({
      disputeNotificationType: 'DISPUTE_JUDGED',
      disputeJudgedResult: 'ACCEPT_BY_CUSTOMER',
      outcome: 'won',
    });
    expect(disputes[2]!.disputeJudgedAmount).toBeUndefined();
    expect(keys).toEqual([
      `DISPUTE:DISPUTE_CREATED:${dispute.disputeId}`,
      `DISPUTE:DEFENSE_SUPPLIED:${dispute.disputeId}`,
      `DISPUTE:DISPUTE_JUDGED:${dispute.disputeId}`,
    ]);
    // Every notification was acknowledged at its first attempt.
    expect(gw.deliveries.filter((d) => d.kind === 'dispute').map((d) => [d.notifyType, d.state, d.attempts.length])).toEqual([
      ['DISPUTE_CREATED', 'acknowledged', 1],
      ['DEFENSE_SUPPLIED', 'acknowledged', 1],
      ['DISPUTE_JUDGED', 'acknowledged', 1],
    ]);
    expect(gw.disputes[0]).toMatchObject({ status: 'JUDGED', evidence });
  });

  it('accepted: DISPUTE_ACCEPTED (MERCHANT_ACCEPTED) is lost; answering again is REPEAT_REQUEST', async () => {
    const { gw, client, disputes, paid } = await shop();
    const d = await gw.dispute(await paid('accept-1'), { amount: { currency: 'USD', value: '1000' } });
    const res = await client.acceptDispute({ disputeId: d.disputeId });
    expect(res).toMatchObject({ result: { resultCode: 'SUCCESS' }, disputeId: d.disputeId });
    await gw.waitForNotification({ disputeId: d.disputeId, notifyType: 'DISPUTE_ACCEPTED' });
    expect(disputes.map((n) => [n.disputeNotificationType, n.outcome])).toEqual([
      ['DISPUTE_CREATED', 'respond'],
      ['DISPUTE_ACCEPTED', 'lost'],
    ]);
    expect(disputes[0]!.disputeAmount).toEqual({ currency: 'USD', value: '1000' });
    expect(disputes[1]).toMatchObject({ disputeAcceptReason: 'MERCHANT_ACCEPTED', disputeAcceptTime: res.disputeResolutionTime });
    await expect(client.acceptDispute({ disputeId: d.disputeId })).rejects.toMatchObject({ resultCode: 'REPEAT_REQUEST' });
    await expect(client.supplyDefenseDocument({ disputeId: d.disputeId, disputeEvidence: evidence })).rejects.toMatchObject({
      resultCode: 'REPEAT_REQUEST',
    });
    await expect(gw.judgeDispute(d.disputeId)).rejects.toThrow(/ACCEPTED: it cannot be judged/);
  });

  it("on Antom's schedule: DEFENSE_DUE_ALERT 24 h before the deadline, then DISPUTE_ACCEPTED by TIMEOUT; late answers are TIME_EXCEEDS_LIMIT", async () => {
    // 11 days in 950 ms: the alert after 864 ms, the deadline at 950 ms.
    const { gw, client, disputes, paid } = await shop({ disputeTimeCompression: 1_000_000 });
    const d = await gw.dispute(await paid('late-1'));
    await gw.waitForNotification({ disputeId: d.disputeId, notifyType: 'DISPUTE_ACCEPTED', timeoutMs: 5000 });
    await until(() => disputes.length === 3);
    expect(disputes.map((n) => [n.disputeNotificationType, n.outcome])).toEqual([
      ['DISPUTE_CREATED', 'respond'],
      ['DEFENSE_DUE_ALERT', 'respond'],
      ['DISPUTE_ACCEPTED', 'lost'],
    ]);
    const alert = disputes[1]!;
    expect(alert.outcome === 'respond' && alert.respondBy).toBe(disputes[0]!.defenseDueTime);
    expect(disputes[2]!.disputeAcceptReason).toBe('TIMEOUT');
    await expect(client.acceptDispute({ disputeId: d.disputeId })).rejects.toMatchObject({ resultCode: 'TIME_EXCEEDS_LIMIT' });
    await expect(client.supplyDefenseDocument({ disputeId: d.disputeId, disputeEvidence: evidence })).rejects.toMatchObject({
      resultCode: 'TIME_EXCEEDS_LIMIT',
    });
  });

  it('a defense judged for the buyer by the schedule: DISPUTE_JUDGED ACCEPT_BY_MERCHANT is lost, with the amount charged back', async () => {
    const { gw, client, disputes, paid } = await shop({ disputeTimeCompression: 1_000_000 });
    const d = await gw.dispute(await paid('judged-1'), { judgedResult: 'ACCEPT_BY_MERCHANT', judgedAfterMs: 100_000_000 });
    await client.supplyDefenseDocument({ disputeId: d.disputeId, disputeEvidence: evidence });
    await gw.waitForNotification({ disputeId: d.disputeId, notifyType: 'DISPUTE_JUDGED', timeoutMs: 5000 });
    await until(() => disputes.length === 3);
    expect(disputes.map((n) => n.outcome)).toEqual(['respond', 'defended', 'lost']);
    expect(disputes[2]).toMatchObject({
      disputeJudgedResult: 'ACCEPT_BY_MERCHANT',
      disputeJudgedAmount: { currency: 'USD', value: '1999' },
    });
    // The deadline passing after a defense changes nothing.
    expect(disputes.some((n) => n.disputeNotificationType === 'DISPUTE_ACCEPTED')).toBe(false);
  });

  it('withdrawn by the buyer: DISPUTE_CANCELLED is won', async () => {
    const { gw, disputes, paid } = await shop();
    const d = await gw.dispute(await paid('cancel-1'));
    await gw.cancelDispute(d.disputeId);
    await until(() => disputes.length === 2);
    expect(disputes.map((n) => [n.disputeNotificationType, n.outcome])).toEqual([
      ['DISPUTE_CREATED', 'respond'],
      ['DISPUTE_CANCELLED', 'won'],
    ]);
  });

  it('not defendable: supplyDefenseDocument is refused (NOT_ALLOW_IN_CURRENT_STATUS), acceptDispute is taken', async () => {
    const { gw, client, disputes, paid } = await shop();
    const d = await gw.dispute(await paid('nodefense-1'), { defendable: false, type: 'RETRIEVAL_REQUEST' });
    await until(() => disputes.length === 1);
    expect(disputes[0]).toMatchObject({ defendable: false, disputeType: 'RETRIEVAL_REQUEST', outcome: 'respond' });
    await expect(client.supplyDefenseDocument({ disputeId: d.disputeId, disputeEvidence: evidence })).rejects.toMatchObject({
      resultCode: 'NOT_ALLOW_IN_CURRENT_STATUS',
    });
    await expect(client.acceptDispute({ disputeId: d.disputeId })).resolves.toMatchObject({ result: { resultStatus: 'S' } });
  });

  it("another merchant's dispute, an unknown one, or the supplied file before any defense: PARAM_ILLEGAL", async () => {
    const { gw, client, paid } = await shop();
    const d = await gw.dispute(await paid('scope-1'));
    const stranger = new AmsClient({
      clientId: OTHER_CLIENT,
      privateKey: other.privatePem,
      alipayPublicKey: gw.alipayPublicKey,
      baseUrl: gw.url,
    });
    await expect(stranger.acceptDispute({ disputeId: d.disputeId })).rejects.toMatchObject({
      resultCode: 'PARAM_ILLEGAL',
      message: expect.stringContaining('not a dispute of yours'),
    });
    await expect(
      stranger.downloadDisputeEvidence({ disputeId: d.disputeId, disputeEvidenceType: 'DISPUTE_EVIDENCE_TEMPLATE' }),
    ).rejects.toMatchObject({ resultCode: 'PARAM_ILLEGAL' });
    await expect(client.acceptDispute({ disputeId: 'no-such-dispute' })).rejects.toMatchObject({ resultCode: 'PARAM_ILLEGAL' });
    await expect(
      client.downloadDisputeEvidence({ disputeId: d.disputeId, disputeEvidenceType: 'DISPUTE_EVIDENCE_FILE' }),
    ).rejects.toMatchObject({
      resultCode: 'PARAM_ILLEGAL',
      message: expect.stringContaining('no defense document was supplied'),
    });
    expect(gw.disputes[0]!.status).toBe('OPEN');
  });

  it('only a paid payment can be disputed, for at most its amount, and only with somewhere to notify', async () => {
    const { gw, client, paid } = await shop();
    const unpaid = await client.pay(payRequest('unpaid-1', '1999', { paymentNotifyUrl: 'http://127.0.0.1:9/notify' }));
    await expect(gw.dispute(unpaid.paymentId)).rejects.toThrow(/PROCESSING: only a paid \(SUCCESS\) payment can be disputed/);
    const paymentId = await paid('over-1');
    await expect(gw.dispute(paymentId, { amount: { currency: 'USD', value: '2000' } })).rejects.toThrow(/not within the payment/);
    await expect(gw.dispute(paymentId, { amount: { currency: 'EUR', value: '100' } })).rejects.toThrow(/not within the payment/);
    await expect(gw.dispute(paymentId, { amount: { currency: 'USD', value: '0' } })).rejects.toThrow(/not within the payment/);
    const silent = await client.pay(payRequest('silent-1'));
    await gw.core.completePayment(silent.paymentId);
    await expect(gw.dispute(silent.paymentId)).rejects.toThrow(/no paymentNotifyUrl: give notifyUrl/);
    await expect(gw.dispute('nope')).rejects.toThrow(/no payment nope/);
  });

  it('the largest document Antom takes (1 000 000 base64 characters) goes up and comes back byte for byte under the default limits', async () => {
    const { gw, client, paid } = await shop();
    const d = await gw.dispute(await paid('large-1'));
    const bytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(750_000 - 9, 0x41)]);
    const largest = bytes.toString('base64');
    expect(largest).toHaveLength(1_000_000);
    await client.supplyDefenseDocument({ disputeId: d.disputeId, disputeEvidence: largest });
    const back = await client.downloadDisputeEvidence({ disputeId: d.disputeId, disputeEvidenceType: 'DISPUTE_EVIDENCE_FILE' });
    expect(back.disputeEvidenceFormat).toBe('PDF');
    expect(Buffer.from(back.disputeEvidence!, 'base64').equals(bytes)).toBe(true);
  });

  it('a lost answer: the defense was taken, the retry meets REPEAT_REQUEST, and DEFENSE_SUPPLIED says it went through', async () => {
    const { gw, client, disputes, paid } = await shop();
    const d = await gw.dispute(await paid('lost-answer-1'));
    gw.script('supplyDefenseDocument', ['truncated']);
    await expect(client.supplyDefenseDocument({ disputeId: d.disputeId, disputeEvidence: evidence })).rejects.toMatchObject({
      name: 'AmsHttpError',
    });
    await expect(client.supplyDefenseDocument({ disputeId: d.disputeId, disputeEvidence: evidence })).rejects.toMatchObject({
      name: 'AmsApiError',
      resultCode: 'REPEAT_REQUEST',
    });
    await until(() => disputes.length === 2);
    expect(disputes[1]).toMatchObject({ disputeNotificationType: 'DEFENSE_SUPPLIED', outcome: 'defended' });
  });

  it('faults as for every API: U and 503 are retried with the same body, a rewrite verifies and an unknown value is kept', async () => {
    const { gw, client, paid } = await shop();
    const d = await gw.dispute(await paid('faults-1'));
    gw.script('acceptDispute', ['U', '503']);
    await expect(client.acceptDispute({ disputeId: d.disputeId })).resolves.toMatchObject({ disputeId: d.disputeId });
    expect(gw.core.events.filter((e) => e.type === 'fault' && e.api === 'acceptDispute').map((e) => e.fault)).toEqual(['U', '503']);
    gw.script('downloadDisputeEvidence', [{ fault: 'rewrite', set: { disputeEvidenceFormat: 'HEIC' } }]);
    const file = await client.downloadDisputeEvidence({ disputeId: d.disputeId, disputeEvidenceType: 'DISPUTE_EVIDENCE_TEMPLATE' });
    expect(file.disputeEvidenceFormat).toBe('HEIC');
    gw.script('inquireExchangeRate', ['badSignature']);
    await expect(
      client.inquireExchangeRate({ productCode: 'CASHIER_PAYMENT', sellCurrency: 'CNY', buyCurrency: 'USD' }),
    ).rejects.toMatchObject({
      name: 'AmsSignatureError',
    });
  });

  it('a judged result this version does not know is pending, kept and logged once; never won', async () => {
    const { gw, disputes, paid, logs } = await shop({
      notificationRewrite: { DISPUTE_JUDGED: { disputeJudgedResult: 'SPLIT_LIABILITY' } },
    });
    const d = await gw.dispute(await paid('unknown-1'));
    await gw.judgeDispute(d.disputeId);
    await until(() => disputes.length === 2);
    expect(disputes[1]).toMatchObject({ disputeJudgedResult: 'SPLIT_LIABILITY', outcome: 'pending' });
    expect(logs.filter((l) => l.level === 'warn' && l.message.includes('disputeJudgedResult "SPLIT_LIABILITY"'))).toHaveLength(1);
  });
});

describe('inquireExchangeRate on the gateway', () => {
  it('answers from the fixed table: USD/CNY at 1 ÷ 0.14, cross rates through CNY, a pair it does not hold left out', async () => {
    const { client } = await shop();
    const res = await client.inquireExchangeRate({
      productCode: 'CASHIER_PAYMENT',
      sellCurrency: 'CNY',
      buyCurrency: 'USD',
      currencyPairs: [
        { sellCurrency: 'EUR', buyCurrency: 'USD' },
        { sellCurrency: 'BRL', buyCurrency: 'USD' },
        { sellCurrency: 'USD', buyCurrency: 'USD' },
      ],
    });
    expect(CNY_RATES.USD).toBe('0.14');
    expect(res.quotes.map((q) => [q.quoteCurrencyPair, q.quotePrice, q.guaranteed])).toEqual([
      ['USD/CNY', '7.14285714', true],
      ['USD/EUR', '0.92857143', true],
      ['USD/USD', '1', true],
    ]);
    expect(res.paymentQuotes?.map((q) => [q.sellCurrency, q.buyCurrency, q.exchangeRate])).toEqual([
      ['CNY', 'USD', '7.142857142857143'],
      ['EUR', 'USD', '0.928571428571429'],
      ['USD', 'USD', '1.000000000000000'],
    ]);
    const q = res.quotes[0]!;
    expect(Date.parse(q.quoteExpiryTime!) - Date.parse(q.quoteStartTime!)).toBe(3_600_000);
    expect(res.paymentQuotes![0]!.quoteId).toBe(q.quoteId);
  });

  it('a reference rate is not guaranteed; nothing asked, nothing quoted (an empty list); the gateway refuses what the client refuses', async () => {
    const { gw, client } = await shop();
    const ref = await client.inquireExchangeRate({
      productCode: 'CASHIER_PAYMENT',
      sellCurrency: 'JPY',
      buyCurrency: 'CNY',
      rateType: 'REFERENCE',
    });
    expect(ref.quotes.map((x) => [x.quotePrice, x.guaranteed])).toEqual([['21', false]]);
    expect((await client.inquireExchangeRate({ productCode: 'CASHIER_PAYMENT' })).quotes).toEqual([]);
    const raw = await client
      .request('/v1/payments/inquireExchangeRate', { productCode: 'CASHIER_PAYMENT', sellCurrency: 'cny' })
      .catch((e: unknown) => e);
    expect(raw).toMatchObject({ name: 'AmsApiError', resultCode: 'PARAM_ILLEGAL' });
    expect(gw.core.events.some((e) => e.type === 'request.rejected' && e.api === 'inquireExchangeRate')).toBe(true);
  });
});
