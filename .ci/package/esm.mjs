// The installed tarball as an ESM consumer sees it: the client signs, the loopback gateway runs without msw.
import { generateKeyPairSync } from 'node:crypto';
import { AmsClient, AmsConfigError, VERSION, signRequest, verifySignature } from 'ams-cashier';
import * as mocks from 'ams-cashier/mocks';
import { createAmsHandlers } from 'ams-cashier/mocks/msw';

const { startAmsGateway } = mocks;
if ('createAmsHandlers' in mocks) throw new Error('esm: ams-cashier/mocks exports the msw handlers; they live in ams-cashier/mocks/msw');

const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const req = { method: 'POST', path: '/ams/api/v1/payments/pay', clientId: 'C', requestTime: '2026-01-01T00:00:00Z', body: '{}' };
const header = signRequest({ ...req, privateKey: merchant.privateKey });
const { requestTime, ...rest } = req;
if (!verifySignature({ ...rest, time: requestTime, signature: header, publicKey: merchant.publicKey }))
  throw new Error('esm: signRequest / verifySignature disagree');
if (VERSION !== process.env.EXPECTED_VERSION) throw new Error(`esm: VERSION ${VERSION}, expected ${process.env.EXPECTED_VERSION}`);

try {
  createAmsHandlers();
  throw new Error('esm: createAmsHandlers worked without msw installed');
} catch (e) {
  if (!(e instanceof AmsConfigError) || !e.message.includes('npm install -D msw@^2')) throw new Error(`esm: wrong error without msw: ${e}`);
}

const gw = await startAmsGateway({ clientId: 'SANDBOX_PKG', merchantPublicKey: merchant.publicKey });
try {
  const client = new AmsClient({
    clientId: 'SANDBOX_PKG',
    privateKey: merchant.privateKey,
    alipayPublicKey: gw.alipayPublicKey,
    baseUrl: gw.url,
  });
  const amount = { currency: 'USD', value: '1999' };
  const res = await client.pay({
    productCode: 'CASHIER_PAYMENT',
    paymentRequestId: 'pkg-1',
    order: {
      referenceOrderId: 'o1',
      orderDescription: 'package check',
      orderAmount: amount,
      extendInfo: { chinaExtraTransInfo: { businessType: '5', otherBusinessType: 'package check' } },
    },
    paymentAmount: amount,
    paymentMethod: { paymentMethodType: 'ALIPAY_CN' },
    paymentRedirectUrl: 'https://shop.example/r',
    env: { terminalType: 'WEB' },
    settlementStrategy: { settlementCurrency: 'USD' },
  });
  if (res.result.resultCode !== 'PAYMENT_IN_PROCESS') throw new Error('esm: pay against the packaged gateway failed');
} finally {
  await gw.close();
}
console.log('package esm ok');
