// Dispute notifications (notifyDispute, no notifyType): recognised by their fields, typed, an outcome that is earned, one key per dispute and step, routed to onDispute.
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  AmsValidationError,
  createFetchNotificationHandler,
  matchNotification,
  notificationKey,
  verifyNotification,
  type AmsNotification,
  type DisputeNotification,
  type DisputeOutcome,
} from '../../src/index';
import { disputeOutcome } from '../../src/notifications/outcome';
import { testClient } from '../helpers/client';
import { alipay } from '../helpers/keys';
import { ACK, alipayHeaders, CLIENT_ID, disputeBody, handlerSetup, PATH } from './helpers';

const verify = (body: string): AmsNotification =>
  verifyNotification({
    path: PATH,
    headers: alipayHeaders({ body }),
    rawBody: body,
    alipayPublicKey: alipay.publicBase64,
    clientId: CLIENT_ID,
  });
const edit = (patch: Record<string, unknown>, body = disputeBody): string => JSON.stringify({ ...JSON.parse(body), ...patch });
const step = (disputeNotificationType: string, extra: Record<string, unknown> = {}) =>
  edit({ disputeNotificationType, defenseDueTime: undefined, ...extra });
const post = (body: string) => new Request(`https://shop.example${PATH}`, { method: 'POST', headers: alipayHeaders({ body }), body });

describe('recognised by its fields', () => {
  it('disputeId + disputeNotificationType, no notifyType: kind dispute, every field typed and kept', () => {
    const n = verify(disputeBody);
    expect(n).toEqual({ ...JSON.parse(disputeBody), kind: 'dispute', outcome: 'respond', respondBy: '2026-12-03T08:00:00+08:00' });
    if (n.kind !== 'dispute') throw new Error('not a dispute');
    expectTypeOf(n.disputeId).toEqualTypeOf<string>();
    expectTypeOf(n.disputeAmount).toEqualTypeOf<{ currency: string; value: string; [k: string]: unknown } | undefined>();
    expectTypeOf(n.outcome).toEqualTypeOf<DisputeOutcome>();
    if (n.outcome === 'respond') expectTypeOf(n.respondBy).toEqualTypeOf<string | undefined>();
    expectTypeOf<DisputeOutcome>().toEqualTypeOf<'respond' | 'defended' | 'won' | 'lost' | 'pending'>();
  });

  it('the fields of the SDKs’ AlipayDisputeNotify are kept; defendable reads true/"true", any other text as sent', () => {
    const full = edit({
      disputeJudgedTime: '2026-12-20T08:00:00+08:00',
      disputeJudgedAmount: { currency: 'USD', value: '1999' },
      disputeAcceptReason: 'MANUAL_PROCESSING_ACCEPTED',
      arn: '74089200000000000000001',
      captureId: 'cap-1',
      autoDefendReason: 'evidence on file',
      acquirerInfo: { acquirerName: 'Shinhan', acquirerReasonCode: '2006' },
      someFieldAntomAddsLater: { a: 1 },
      defendable: 'true',
    });
    expect(verify(full)).toMatchObject({ ...JSON.parse(full), defendable: true });
    expect(verify(edit({ defendable: 'false' }))).toMatchObject({ defendable: false });
    expect(verify(edit({ defendable: 'UNKNOWN' }))).toMatchObject({ defendable: 'UNKNOWN' });
  });

  it('one of the two fields alone is not a dispute; a notifyRiskService body (disputeId + notificationType) is not one; notifyType decides first', () => {
    const { disputeNotificationType: _t, ...noType } = JSON.parse(disputeBody) as Record<string, unknown>;
    expect(verify(JSON.stringify(noType)).kind).toBe('other');
    const risk = '{"disputeId":"dsp-1","notificationType":"EVIDENCE_READY"}';
    expect(verify(risk).kind).toBe('other');
    const { disputeId: _i, ...noId } = JSON.parse(disputeBody) as Record<string, unknown>;
    expect(verify(JSON.stringify(noId)).kind).toBe('other');
    const payment = edit({
      notifyType: 'PAYMENT_RESULT',
      result: { resultCode: 'SUCCESS', resultStatus: 'S' },
      paymentAmount: { currency: 'USD', value: '1999' },
    });
    expect(verify(payment)).toMatchObject({ kind: 'payment', outcome: 'paid' });
  });

  it('a dispute missing what the reference requires, or with a malformed field, is refused naming the field (400), never turned into other', async () => {
    for (const [patch, field] of [
      [{ paymentId: undefined }, 'paymentId'],
      [{ paymentRequestId: undefined }, 'paymentRequestId'],
      [{ disputeId: 42 }, 'disputeId'],
      [{ disputeId: '' }, 'disputeId'],
      [{ disputeNotificationType: null }, 'disputeNotificationType'],
      [{ disputeAmount: { currency: 'USD', value: '19.99' } }, 'disputeAmount.value'],
    ] as const) {
      const body = edit(patch);
      const err = (() => {
        try {
          verify(body);
        } catch (e) {
          return e;
        }
      })();
      expect(err, field).toBeInstanceOf(AmsValidationError);
      expect((err as AmsValidationError).fields).toEqual([field]);
      const res = await createFetchNotificationHandler(handlerSetup({ onDispute: () => {}, onOther: () => {} }).options)(post(body));
      expect(res.status, field).toBe(400);
    }
  });
});

describe('outcome: whether you must act, and by when', () => {
  it.each([
    ['DISPUTE_CREATED', {}, 'respond'],
    ['DEFENSE_DUE_ALERT', {}, 'respond'],
    ['DEFENSE_SUPPLIED', {}, 'defended'],
    ['DISPUTE_JUDGED', { disputeJudgedResult: 'ACCEPT_BY_CUSTOMER' }, 'won'],
    ['DISPUTE_JUDGED', { disputeJudgedResult: 'ACCEPT_BY_MERCHANT' }, 'lost'],
    ['DISPUTE_JUDGED', { disputeJudgedResult: 'VALIDATE_SUCCESS' }, 'pending'],
    ['DISPUTE_JUDGED', { disputeJudgedResult: 'VALIDATE_FAIL' }, 'pending'],
    ['DISPUTE_JUDGED', {}, 'pending'],
    ['DISPUTE_JUDGED', { disputeJudgedResult: 'accept_by_customer' }, 'pending'],
    ['DISPUTE_CANCELLED', {}, 'won'],
    ['DISPUTE_ACCEPTED', { disputeAcceptReason: 'MERCHANT_ACCEPTED' }, 'lost'],
    ['DISPUTE_ACCEPTED', { disputeAcceptReason: 'TIMEOUT' }, 'lost'],
    ['RDR_RESOLVED', {}, 'lost'],
    ['DISPUTE_REOPENED', {}, 'pending'],
    ['toString', {}, 'pending'],
    ['__proto__', {}, 'pending'],
  ] as const)('%s %j → %s', (type, extra, outcome) => {
    expect(disputeOutcome({ disputeNotificationType: type, ...extra })).toBe(outcome);
    expect(verify(step(type, extra))).toMatchObject({ kind: 'dispute', outcome });
  });

  it('respondBy is the defenseDueTime sent; a respond without one says so (undefined: act now); only respond carries it', () => {
    const alert = verify(step('DEFENSE_DUE_ALERT', { defenseDueTime: '2026-12-02T08:00:00+08:00' }));
    expect(alert).toMatchObject({ outcome: 'respond', respondBy: '2026-12-02T08:00:00+08:00' });
    const bare = verify(step('DISPUTE_CREATED'));
    expect(bare).toMatchObject({ outcome: 'respond' });
    expect('respondBy' in bare && bare.respondBy).toBe(undefined);
    expect(verify(step('DEFENSE_SUPPLIED', { defenseDueTime: '2026-12-02T08:00:00+08:00' }))).not.toHaveProperty('respondBy');
  });

  it('a dispute never matches a payment, whatever it carries', () => {
    const n = verify(edit({ paymentAmount: { currency: 'USD', value: '1999' }, outcome: 'paid' }));
    const m = matchNotification(n, { paymentRequestId: 'pr-1', paymentAmount: { currency: 'USD', value: '1999' } }, { outcomes: ['paid'] });
    expect(m).toMatchObject({ ok: false, mismatches: [{ field: 'kind', expected: 'payment', actual: 'dispute' }] });
  });
});

describe('dedupe key: one per dispute and step', () => {
  it('DISPUTE:<type>:<disputeId>; the same step delivered twice is one key, two steps or two disputes are two', () => {
    const created = notificationKey(verify(disputeBody), disputeBody);
    expect(created).toBe('DISPUTE:DISPUTE_CREATED:dsp-1');
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(disputeBody) as object).reverse()));
    expect(notificationKey(verify(reordered), reordered)).toBe(created);
    expect(notificationKey(verify(step('DISPUTE_JUDGED')))).toBe('DISPUTE:DISPUTE_JUDGED:dsp-1');
    expect(notificationKey(verify(edit({ disputeId: 'dsp-2' })))).toBe('DISPUTE:DISPUTE_CREATED:dsp-2');
  });
});

describe('routing', () => {
  it('onDispute runs once per step (a redelivery is acknowledged without a second run), with its key', async () => {
    const seen: string[] = [];
    const { options } = handlerSetup({
      onDispute: (n: DisputeNotification, { key }: { key: string }) => void seen.push(`${n.disputeNotificationType} ${n.outcome} ${key}`),
      onOther: () => void seen.push('other'),
    });
    const handler = createFetchNotificationHandler(options);
    for (const body of [disputeBody, disputeBody, step('DEFENSE_DUE_ALERT', { defenseDueTime: '2026-12-03T08:00:00+08:00' })]) {
      const res = await handler(post(body));
      expect(await res.text()).toBe(ACK);
    }
    expect(seen).toEqual([
      'DISPUTE_CREATED respond DISPUTE:DISPUTE_CREATED:dsp-1',
      'DEFENSE_DUE_ALERT respond DISPUTE:DEFENSE_DUE_ALERT:dsp-1',
    ]);
  });

  it('without onDispute, onOther gets it as kind dispute; a throwing callback is not acknowledged (Alipay resends)', async () => {
    const got: AmsNotification[] = [];
    const fallback = createFetchNotificationHandler(handlerSetup({ onOther: (n: AmsNotification) => void got.push(n) }).options);
    expect((await fallback(post(disputeBody))).status).toBe(200);
    expect(got.map((n) => n.kind)).toEqual(['dispute']);
    const failing = createFetchNotificationHandler(
      handlerSetup({
        onDispute: () => {
          throw new Error('database down');
        },
      }).options,
    );
    const res = await failing(post(disputeBody));
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('SUCCESS');
  });

  it('without onDispute or onOther: acknowledged (never 501), logged at warn level with its key, nothing else runs', async () => {
    const { options, logs, payments } = handlerSetup();
    const handler = createFetchNotificationHandler(options);
    const res = await handler(post(disputeBody));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(ACK);
    const warned = logs.filter((l) => l.level === 'warn');
    expect(warned).toHaveLength(1);
    expect(warned[0]!.message).toBe(
      'ams: notification DISPUTE_CREATED acknowledged without a callback: give onDispute (or onOther) to act on it; Alipay will not send it again',
    );
    expect(warned[0]!.meta).toMatchObject({ key: 'DISPUTE:DISPUTE_CREATED:dsp-1', kind: 'dispute', path: PATH });
    expect(logs.some((l) => l.level === 'info' && l.message === 'ams: notification acknowledged' && l.meta?.unhandled === true)).toBe(true);
    expect(payments).toEqual([]);
  });

  it('the acknowledgement without a callback is earned: a forged signature or another merchant’s dispute is still refused', async () => {
    const handler = createFetchNotificationHandler(handlerSetup().options);
    const forged = new Request(`https://shop.example${PATH}`, {
      method: 'POST',
      headers: alipayHeaders({ body: disputeBody }),
      body: disputeBody.replace('1999', '9999'),
    });
    expect((await handler(forged)).status).toBe(401);
    const elsewhere = new Request(`https://shop.example${PATH}`, {
      method: 'POST',
      headers: alipayHeaders({ body: disputeBody, clientId: 'SANDBOX_SOMEONE_ELSE' }),
      body: disputeBody,
    });
    expect((await handler(elsewhere)).status).toBe(401);
  });

  it('onDispute must be a function', () => {
    expect(() => createFetchNotificationHandler(handlerSetup({ onDispute: 'yes' }).options)).toThrow(/onDispute: must be a function/);
  });

  it('an unknown disputeNotificationType is pending, kept, and logged once by the handler and by client.verifyNotification', async () => {
    const body = step('DISPUTE_ESCALATED');
    const { options, logs } = handlerSetup({ onDispute: () => {} });
    const handler = createFetchNotificationHandler(options);
    await handler(post(body));
    await handler(post(step('DISPUTE_ESCALATED', { disputeId: 'dsp-9' })));
    expect(logs.filter((l) => l.level === 'warn' && l.message.includes('disputeNotificationType "DISPUTE_ESCALATED"'))).toHaveLength(1);
    const { client, rec } = testClient();
    const n = client.verifyNotification({ path: PATH, headers: alipayHeaders({ body }), rawBody: body });
    expect(n).toMatchObject({ kind: 'dispute', outcome: 'pending', disputeNotificationType: 'DISPUTE_ESCALATED' });
    expect(rec.logs.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      'ams: DISPUTE_ESCALATED carries disputeNotificationType "DISPUTE_ESCALATED", a value this version does not know; kept as sent, never treated as final',
    ]);
  });
});
