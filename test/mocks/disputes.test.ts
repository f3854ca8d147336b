// The gateway's disputes and exchange rates through both adapters: the gateway's own checks of each request, the same answers via msw and HTTP, the schedule stopped by close().
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ACK_BODY, DISPUTE_SCHEDULE_MS, GATEWAY_APIS, GATEWAY_NOTIFY_TYPES, createGatewayCore } from '../../mocks/index';
import { loopbackFriendlyMsw, outcome, payRequest, startTarget, type Target, type TargetKind } from './targets';

const server = loopbackFriendlyMsw();
afterAll(() => server.close());

let servers: Server[] = [];
afterEach(() => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  servers = [];
});

/** A notify endpoint on loopback that acknowledges everything and keeps the bodies. */
async function endpoint(): Promise<{ url: string; bodies: Array<Record<string, unknown>> }> {
  const bodies: Array<Record<string, unknown>> = [];
  const s = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
      res.writeHead(200, { 'content-type': 'application/json' }).end(ACK_BODY);
    });
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  servers.push(s);
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/notify`, bodies };
}

const jpg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]).toString('base64');

/** One dispute's life with refusals along the way; every outcome stripped of ids and times. */
async function scenario(kind: TargetKind): Promise<unknown[]> {
  const target: Target = await startTarget(kind, server, { faults: { acceptDispute: ['U'], inquireExchangeRate: ['503'] } });
  try {
    const notify = await endpoint();
    const { client } = target.client();
    const paid = await client.pay(payRequest(`dsp-${kind}`, '1999', { paymentNotifyUrl: notify.url }));
    await target.gateway.completePayment(paid.paymentId);
    const d = await target.gateway.dispute(paid.paymentId);
    const raw = (body: Record<string, unknown>, api: string) => outcome(client.request(`/v1/payments/${api}`, body));
    const out: unknown[] = [];
    // The gateway's own checks, for what a client of another SDK might send.
    out.push(await raw({}, 'acceptDispute'));
    out.push(await raw({ disputeId: d.disputeId, disputeEvidence: 'not base64!' }, 'supplyDefenseDocument'));
    out.push(await raw({ disputeId: d.disputeId, disputeEvidenceType: 'DISPUTE_EVIDENCE_AI' }, 'downloadDisputeEvidence'));
    out.push(await raw({ sellCurrency: 'CNY', buyCurrency: 'USD' }, 'inquireExchangeRate'));
    out.push(await raw({ disputeId: d.disputeId, colour: 'blue' }, 'acceptDispute'));
    out.push(await outcome(client.supplyDefenseDocument({ disputeId: d.disputeId, disputeEvidence: jpg })));
    const file = await client.downloadDisputeEvidence({ disputeId: d.disputeId, disputeEvidenceType: 'DISPUTE_EVIDENCE_FILE' });
    out.push(file.disputeEvidenceFormat);
    out.push(await outcome(client.acceptDispute({ disputeId: d.disputeId })));
    out.push(await outcome(client.inquireExchangeRate({ productCode: 'CASHIER_PAYMENT', sellCurrency: 'CNY', buyCurrency: 'EUR' })));
    await target.gateway.judgeDispute(d.disputeId, 'ACCEPT_BY_MERCHANT');
    await target.gateway.waitForNotification({ disputeId: d.disputeId, notifyType: 'DISPUTE_JUDGED' });
    out.push(
      notify.bodies
        .filter((b) => 'disputeId' in b)
        .map((b) => [b.disputeNotificationType, b.disputeJudgedResult ?? null, 'notifyType' in b]),
    );
    out.push(target.gateway.events.filter((e) => e.type === 'fault').map((e) => `${e.api}:${e.fault}`));
    return out;
  } finally {
    await target.close();
  }
}

describe('disputes at the gateway', () => {
  it('msw and HTTP answer a dispute’s life identically; the gateway refuses what the client refuses, naming the field', async () => {
    const viaMsw = await scenario('msw');
    const viaHttp = await scenario('http');
    expect(viaHttp).toEqual(viaMsw);
    expect(viaMsw).toEqual([
      { ok: false, error: 'AmsApiError', resultCode: 'PARAM_ILLEGAL', httpStatus: 200 },
      { ok: false, error: 'AmsApiError', resultCode: 'PARAM_ILLEGAL', httpStatus: 200 },
      { ok: false, error: 'AmsApiError', resultCode: 'PARAM_ILLEGAL', httpStatus: 200 },
      { ok: false, error: 'AmsApiError', resultCode: 'PARAM_ILLEGAL', httpStatus: 200 },
      { ok: false, error: 'AmsApiError', resultCode: 'PARAM_ILLEGAL', httpStatus: 200 },
      { ok: true, result: 'S/SUCCESS' },
      'JPG',
      { ok: false, error: 'AmsApiError', resultCode: 'REPEAT_REQUEST', httpStatus: 200 },
      { ok: true, result: 'S/SUCCESS' },
      [
        ['DISPUTE_CREATED', null, false],
        ['DEFENSE_SUPPLIED', null, false],
        ['DISPUTE_JUDGED', 'ACCEPT_BY_MERCHANT', false],
      ],
      ['acceptDispute:U', 'inquireExchangeRate:503'],
    ]);
  });

  it('the refusals say which field and why', async () => {
    const target = await startTarget('http', server);
    try {
      const { client } = target.client();
      const messages: string[] = [];
      for (const [api, body] of [
        ['acceptDispute', {}],
        ['supplyDefenseDocument', { disputeId: 'd-1', disputeEvidence: 'QUJD\nREVG' }],
        ['inquireExchangeRate', { productCode: 'CASHIER_PAYMENT', currencyPairs: [{ sellCurrency: 'CNY' }] }],
      ] as const) {
        messages.push(((await client.request(`/v1/payments/${api}`, body).catch((e: unknown) => e)) as Error).message);
      }
      expect(messages[0]).toMatch(/PARAM_ILLEGAL.*disputeId/);
      expect(messages[1]).toMatch(/disputeEvidence must be the document in standard base64/);
      expect(messages[2]).toMatch(/currencyPairs\[0\]\.buyCurrency/);
    } finally {
      await target.close();
    }
  });

  it('faults can be scripted for the four APIs, notifications rewritten by disputeNotificationType; the schedule constants are Antom’s', () => {
    for (const api of ['acceptDispute', 'supplyDefenseDocument', 'downloadDisputeEvidence', 'inquireExchangeRate'] as const)
      expect(GATEWAY_APIS).toContain(api);
    expect(GATEWAY_NOTIFY_TYPES).toEqual(
      expect.arrayContaining([
        'DISPUTE_CREATED',
        'DEFENSE_DUE_ALERT',
        'DEFENSE_SUPPLIED',
        'DISPUTE_ACCEPTED',
        'DISPUTE_JUDGED',
        'DISPUTE_CANCELLED',
      ]),
    );
    const core = createGatewayCore();
    expect(() => core.script('acceptDispute', [{ fault: 'rewrite', set: { disputeId: 'other' } }])).not.toThrow();
    expect(() => core.rewriteNotifications('DISPUTE_JUDGED', { disputeJudgedResult: 'X' })).not.toThrow();
    expect(() => createGatewayCore({ disputeTimeCompression: 0.5 })).toThrow(/disputeTimeCompression must be a number ≥ 1/);
    expect(DISPUTE_SCHEDULE_MS).toEqual({ defendWithin: 11 * 86_400_000, alertBefore: 86_400_000, judgedAfter: 30 * 86_400_000 });
    core.close();
  });

  it('close() stops the schedule: no alert, no timeout acceptance after it; a closed gateway takes no dispute', async () => {
    const target = await startTarget('http', server, { disputeTimeCompression: 1_000_000 });
    const notify = await endpoint();
    const { client } = target.client();
    const paid = await client.pay(payRequest('dsp-close', '1999', { paymentNotifyUrl: notify.url }));
    await target.gateway.completePayment(paid.paymentId);
    await target.gateway.dispute(paid.paymentId, { defendWithinMs: 90_000_000 });
    const sent = target.gateway.deliveries.length;
    await target.close();
    await new Promise((r) => setTimeout(r, 200));
    expect(target.gateway.deliveries).toHaveLength(sent);
    expect(target.gateway.disputes[0]!.status).toBe('OPEN');
    await expect(target.gateway.dispute(paid.paymentId)).rejects.toThrow(/closed/);
  });
});
