// verifyJob without Redis: a dispute job stored under the key an earlier receiver gave it (the hash of its body) still runs; no other key does.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inboxJobData, inboxJobId } from '../../src/bullmq/job';
import { InboxJobRefused, verifyJob } from '../../src/bullmq/reverify';
import { resolveVerifier } from '../../src/notifications/verify';
import { alipay } from '../helpers/keys';
import { alipayHeaders, CLIENT_ID, disputeBody, PATH } from '../notifications/helpers';
import { signedPayment } from './helpers';

const verification = { verifier: resolveVerifier({ alipayPublicKey: alipay.publicBase64, clientId: CLIENT_ID }), path: PATH };
/** The key versions before dispute notifications were modelled gave a body without notifyType. */
const formerKey = (body: string) => `NOTIFICATION:sha256:${createHash('sha256').update(body).digest('hex').slice(0, 32)}`;

function job(key: string, body: string) {
  const data = inboxJobData({
    key,
    path: PATH,
    notification: JSON.parse(body) as never,
    rawBody: body,
    headers: alipayHeaders({ body }),
    receivedAt: 1,
  });
  return { id: inboxJobId(key), data };
}

describe('verifyJob and the keys of earlier versions', () => {
  it('a dispute job under its key, or under the hash key an earlier receiver gave it, runs as the verified dispute', async () => {
    for (const key of ['DISPUTE:DISPUTE_CREATED:dsp-1', formerKey(disputeBody)]) {
      const { notification } = await verifyJob(job(key, disputeBody), verification);
      expect(notification).toMatchObject({ kind: 'dispute', disputeId: 'dsp-1', outcome: 'respond' });
    }
  });

  it("the hash key of another body, a payment under a hash key, or an id that is not the key's: refused", async () => {
    const other = disputeBody.replace('dsp-1', 'dsp-2');
    await expect(verifyJob(job(formerKey(other), disputeBody), verification)).rejects.toThrow(InboxJobRefused);
    const payment = signedPayment('pay-hash');
    await expect(verifyJob(job(formerKey(payment.body), payment.body), verification)).rejects.toThrow(
      /is not the verified notification's key/,
    );
    const renamed = { ...job(formerKey(disputeBody), disputeBody), id: inboxJobId('DISPUTE:DISPUTE_CREATED:dsp-1') };
    await expect(verifyJob(renamed, verification)).rejects.toThrow(/its id is not the one the inbox gives/);
  });
});
