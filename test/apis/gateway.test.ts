// The new APIs end to end through the loopback gateway (real HTTP, no msw): request(), sessions, capture, customs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmsApiError, AmsUnknownResultError } from '../../src/index';
import { startAmsGateway, type AmsGateway } from '../../mocks/index';
import { payRequest, testClient } from '../helpers/client';
import { alipay, merchant } from '../helpers/keys';

const CLIENT = 'SANDBOX_5Y055A2Y2F6K05235';
const VAULT = '/v1/vaults/vaultPaymentMethod';
const vaultBody = { vaultingRequestId: 'v-1', paymentMethodType: 'CARD', vaultingNotificationUrl: 'https://merchant.example/n' };

let gw: AmsGateway;
beforeAll(async () => {
  gw = await startAmsGateway({ clientId: CLIENT, merchantPublicKey: merchant.publicSpkiPem, alipayPrivateKey: alipay.privatePem });
});
afterAll(() => gw.close());

/** A client of the loopback gateway with the real clock (the gateway checks expiry times against its own). */
const gatewayClient = () => testClient({ region: undefined, baseUrl: gw.url, alipayPublicKey: gw.alipayPublicKey, clock: { now: () => new Date(), sleep: async () => {} } });

describe('client.request through the loopback gateway', () => {
  it('a pay sent by path is the same signed call as pay(): the gateway answers PAYMENT_IN_PROCESS, an unknown API F', async () => {
    {
      const { client } = gatewayClient();
      const err = (await client.request('/v1/payments/pay', payRequest()).catch((e: unknown) => e)) as AmsUnknownResultError;
      // request() accepts only S: PAYMENT_IN_PROCESS is pay()'s normal answer, not the generic call's.
      expect(err).toBeInstanceOf(AmsUnknownResultError);
      expect(err.resultCode).toBe('PAYMENT_IN_PROCESS');
      expect(gw.payments).toHaveLength(1);
      const inquiry = await client.request('/v1/payments/inquiryPayment', { paymentRequestId: 'pr-0001' });
      expect(inquiry).toMatchObject({ result: { resultStatus: 'S' }, paymentStatus: 'PROCESSING', paymentId: gw.payments[0]!.paymentId });
      await expect(client.request(VAULT, vaultBody)).rejects.toBeInstanceOf(AmsApiError);
    }
  });
});
