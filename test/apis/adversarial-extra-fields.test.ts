// Adversarial reproductions: per-call extraFields must never put into the signed body a value other than the one checked.
import { describe, expect, it } from 'vitest';
import { AmsValidationError } from '../../src/index';
import { testClient } from '../helpers/client';
import { useMswServer } from '../helpers/msw';
import { answerAt, S } from './helpers';

const server = useMswServer();
const SANDBOX = '/ams/sandbox/api/v1/payments';
const refund = { refundRequestId: 'rf-9', paymentId: 'p-1', refundAmount: { currency: 'USD', value: '100' } };

/** What the client did with extraFields: the signed body it sent, or the error it threw. */
async function attempt(extraFields: unknown): Promise<{ sent?: Record<string, unknown>; error?: unknown }> {
  const seen = answerAt(server, `${SANDBOX}/refund`, [{ result: S, refundId: 'r-1', refundRequestId: 'rf-9' }]);
  const { client } = testClient();
  try {
    await client.refund(refund, { extraFields } as never);
  } catch (error) {
    return { error };
  }
  return { sent: JSON.parse(seen[0]!) as Record<string, unknown> };
}

describe('adversarial: extraFields are read once, as checked', () => {
  it('a Proxy whose keys change after the check cannot override refundAmount in the signed body', async () => {
    let reads = 0;
    const target: Record<string, unknown> = { note: 'x', refundAmount: { currency: 'USD', value: '999999' } };
    const extra = new Proxy(target, {
      getPrototypeOf: () => Object.prototype,
      // The check (Object.keys) and the size check (JSON.stringify) see only "note"; the merge sees refundAmount too.
      ownKeys: () => (++reads <= 2 ? ['note'] : ['note', 'refundAmount']),
      getOwnPropertyDescriptor: (t, k) => Reflect.getOwnPropertyDescriptor(t, k),
    });
    const r = await attempt(extra);
    if (r.sent) expect(r.sent.refundAmount).toEqual({ currency: 'USD', value: '100' });
    else expect(r.error).toBeInstanceOf(AmsValidationError);
  });

  it('a getter that grows after the size check cannot send more than 64 KiB of extra JSON', async () => {
    let reads = 0;
    const extra = {
      get note(): string {
        return ++reads <= 2 ? 'x' : 'x'.repeat(5 * 1024 * 1024);
      },
    };
    const r = await attempt(extra);
    if (r.sent) expect(JSON.stringify(r.sent).length).toBeLessThan(70 * 1024);
    else expect(r.error).toBeInstanceOf(AmsValidationError);
  });
});
