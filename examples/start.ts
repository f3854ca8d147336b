// `npm start` (interim): one cashier payment against an in-process msw stand-in for Alipay, printed step by step.
import { generateKeyPairSync, sign } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { AmsClient, toMinorUnits } from '../src/index';

const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const alipay = generateKeyPairSync('rsa', { modulusLength: 2048 });
const clientId = 'SANDBOX_DEMO_MERCHANT';
const path = '/ams/sandbox/api/v1/payments/pay';

const server = setupServer(
  http.post(`https://open-na.alipay.com${path}`, async ({ request }) => {
    const body = JSON.stringify({
      result: { resultCode: 'PAYMENT_IN_PROCESS', resultStatus: 'U', resultMessage: 'payment in process' },
      paymentId: 'demo-payment-1',
      paymentRequestId: (JSON.parse(await request.text()) as { paymentRequestId: string }).paymentRequestId,
      redirectActionForm: { method: 'GET', redirectUrl: 'https://cashier.example/pay?paymentId=demo-payment-1' },
      normalUrl: 'https://cashier.example/pay?paymentId=demo-payment-1',
    });
    const responseTime = new Date().toISOString();
    const signature = sign('sha256', Buffer.from(`POST ${path}\n${clientId}.${responseTime}.${body}`), alipay.privateKey).toString('base64');
    return new HttpResponse(body, {
      headers: { 'content-type': 'application/json', 'client-id': clientId, 'response-time': responseTime, signature: `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(signature)}` },
    });
  }),
);
server.listen({ onUnhandledRequest: 'error' });

const client = new AmsClient({ clientId, privateKey: merchant.privateKey, alipayPublicKey: alipay.publicKey, region: 'NA' });
const amount = { currency: 'USD', value: toMinorUnits('19.99', 'USD') };
const res = await client.pay({
  productCode: 'CASHIER_PAYMENT',
  paymentRequestId: `demo-${Date.now()}`,
  order: { referenceOrderId: 'order-1', orderDescription: 'T-shirt', orderAmount: amount },
  paymentAmount: amount,
  paymentMethod: { paymentMethodType: 'ALIPAY_CN' },
  paymentRedirectUrl: 'https://merchant.example/return',
  env: { terminalType: 'WEB' },
  settlementStrategy: { settlementCurrency: 'USD' },
});
console.log(`pay → ${res.result.resultStatus}/${res.result.resultCode}; send the buyer to ${res.normalUrl}`);
server.close();
