// Smoke test of the built package through its exports map, as an ESM consumer sees it.
import { readFileSync } from 'node:fs';
import * as ams from 'ams-cashier';

const vectors = JSON.parse(readFileSync(new URL('../../test/vectors/signatures.json', import.meta.url), 'utf8')).vectors;
const key = readFileSync(new URL('../../test/vectors/keys/merchant_private_pkcs8.pem', import.meta.url), 'utf8');
const v = vectors[0];
const header = ams.signRequest({
  method: v.method,
  path: v.path,
  clientId: v.clientId,
  requestTime: v.requestTime,
  body: v.body,
  privateKey: key,
});
if (header !== v.signatureHeader) throw new Error('ESM build: signRequest differs from the golden vector');
for (const name of [
  'AmsClient',
  'AmsError',
  'loadPrivateKey',
  'loadPublicKey',
  'buildSignContent',
  'parseSignatureHeader',
  'verifySignature',
  'resolveEndpoint',
  'checkCurrencies',
  'toMinorUnits',
]) {
  if (typeof ams[name] !== 'function') throw new Error(`ESM build: missing export ${name}`);
}
if ('default' in ams) throw new Error('ESM build: unexpected default export');
const redis = await import('ams-cashier/redis');
try {
  redis.createRedisNotificationStore({});
  throw new Error('ESM build: createRedisNotificationStore accepted no redis');
} catch (e) {
  if (!(e instanceof ams.AmsConfigError)) throw new Error(`ESM build: the redis subpath throws a foreign error class (${e})`);
}
for (const f of ['redis.js', 'redis.cjs']) {
  const text = readFileSync(new URL(`../../dist/${f}`, import.meta.url), 'utf8');
  if (/from ["']ioredis["']|require\(["']ioredis["']\)/.test(text)) throw new Error(`dist/${f} imports ioredis at run time`);
}
const inbox = await import('ams-cashier/bullmq');
try {
  inbox.createNotificationInbox({ connection: 'redis://127.0.0.1:1', path: '/n', alipayPublicKey: 'x' });
  throw new Error('ESM build: createNotificationInbox accepted no clientId');
} catch (e) {
  if (!(e instanceof ams.AmsConfigError) || e.field !== 'clientId')
    throw new Error(`ESM build: the bullmq subpath did not refuse a missing clientId with AmsConfigError (${e})`);
}
for (const f of ['bullmq.js', 'bullmq.cjs']) {
  const text = readFileSync(new URL(`../../dist/${f}`, import.meta.url), 'utf8');
  if (/from ["'](bullmq|ioredis)["']|require\(["'](bullmq|ioredis)["']\)/.test(text))
    throw new Error(`dist/${f} imports bullmq or ioredis at load time`);
}
// The report parser from its built subpath: a published sample, and bad input as this package's error class.
const reports = await import('ams-cashier/reports');
const sample = 'settlementBatchId,summaryType,count,settlementAmountValue,settlementCurrency\nB1,TOTAL,0,0,USD\n<END>\n';
if (!(await reports.parseReport(sample)).complete) throw new Error('ESM build: parseReport missed <END>');
if (!((await reports.parseReport('a,b\n1,2\n').catch((e) => e)) instanceof ams.AmsValidationError))
  throw new Error('ESM build: the reports subpath throws a foreign error class');
// The embedded gateway from the built subpath, driven by the built client: one real payment over loopback.
const { startAmsGateway } = await import('ams-cashier/mocks');
const { generateKeyPairSync } = await import('node:crypto');
const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const gw = await startAmsGateway({ clientId: 'SANDBOX_SMOKE', merchantPublicKey: merchant.publicKey });
try {
  const client = new ams.AmsClient({
    clientId: 'SANDBOX_SMOKE',
    privateKey: merchant.privateKey,
    alipayPublicKey: gw.alipayPublicKey,
    baseUrl: gw.url,
  });
  const amount = { currency: 'USD', value: '1999' };
  const res = await client.pay({
    productCode: 'CASHIER_PAYMENT',
    paymentRequestId: 'smoke-1',
    order: {
      referenceOrderId: 'o1',
      orderDescription: 'smoke',
      orderAmount: amount,
      extendInfo: { chinaExtraTransInfo: { businessType: '5', otherBusinessType: 'smoke test' } },
    },
    paymentAmount: amount,
    paymentMethod: { paymentMethodType: 'ALIPAY_CN' },
    paymentRedirectUrl: 'https://shop.example/r',
    env: { terminalType: 'WEB' },
    settlementStrategy: { settlementCurrency: 'USD' },
  });
  if (res.result.resultCode !== 'PAYMENT_IN_PROCESS') throw new Error('ESM build: pay against the built gateway failed');
} finally {
  await gw.close();
}
// The primitives' subpaths share the root's classes: an error from any of them is the root's error.
const signing = await import('ams-cashier/signing');
try {
  signing.describeKey('not a key');
  throw new Error('ESM build: describeKey accepted garbage');
} catch (e) {
  if (!(e instanceof ams.AmsConfigError)) throw new Error(`ESM build: the signing subpath throws a foreign error class (${e})`);
}
for (const sub of ['rules', 'notifications', 'http', 'schemas']) {
  const m = await import(`ams-cashier/${sub}`);
  if (Object.keys(m).length === 0) throw new Error(`ESM build: ams-cashier/${sub} exports nothing`);
}
try {
  const send = (await import('ams-cashier/http')).createDefaultTransport();
  await send({ url: 'http://127.0.0.1:1/', method: 'POST', headers: {}, body: '{}', signal: AbortSignal.timeout(5000) });
  throw new Error('ESM build: a POST to a closed port succeeded');
} catch (e) {
  if (!(e instanceof ams.TransportFailure)) throw new Error(`ESM build: the http subpath fails with a foreign class (${e})`);
}
console.log('esm smoke ok');
