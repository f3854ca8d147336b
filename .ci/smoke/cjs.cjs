// Smoke test of the built package through its exports map, as a CommonJS consumer sees it.
const { readFileSync } = require('node:fs');
const path = require('node:path');
const ams = require('ams-cashier');

const root = path.join(__dirname, '..', '..');
const v = JSON.parse(readFileSync(path.join(root, 'test/vectors/signatures.json'), 'utf8')).vectors[1];
const key = readFileSync(path.join(root, 'test/vectors/keys/merchant_private_pkcs1.pem'), 'utf8');
const header = ams.signRequest({
  method: v.method,
  path: v.path,
  clientId: v.clientId,
  requestTime: v.requestTime,
  body: v.body,
  privateKey: key,
});
if (header !== v.signatureHeader) throw new Error('CJS build: signRequest differs from the golden vector');
if (typeof ams.AmsClient !== 'function' || !(new ams.AmsConfigError('x') instanceof ams.AmsError))
  throw new Error('CJS build: error classes broken');
const redis = require('ams-cashier/redis');
try {
  redis.createRedisNotificationStore({});
  throw new Error('CJS build: createRedisNotificationStore accepted no redis');
} catch (e) {
  if (!(e instanceof ams.AmsConfigError)) throw new Error(`CJS build: the redis subpath throws a foreign error class (${e})`);
}
// The primitives' subpaths share the root's classes: an error from any of them is the root's error.
try {
  require('ams-cashier/signing').describeKey('not a key');
  throw new Error('CJS build: describeKey accepted garbage');
} catch (e) {
  if (!(e instanceof ams.AmsConfigError)) throw new Error(`CJS build: the signing subpath throws a foreign error class (${e})`);
}
for (const sub of ['rules', 'notifications', 'http', 'schemas']) {
  if (Object.keys(require(`ams-cashier/${sub}`)).length === 0) throw new Error(`CJS build: ams-cashier/${sub} exports nothing`);
}
const reports = require('ams-cashier/reports');
reports.parseReport('a,b\n1,2\n').then(
  () => {
    throw new Error('CJS build: parseReport accepted a file that is no report');
  },
  (e) => {
    if (!(e instanceof ams.AmsValidationError)) throw new Error(`CJS build: the reports subpath throws a foreign error class (${e})`);
    console.log('cjs smoke ok');
  },
);
require('ams-cashier/http')
  .createDefaultTransport()({ url: 'http://127.0.0.1:1/', method: 'POST', headers: {}, body: '{}', signal: AbortSignal.timeout(5000) })
  .then(
    () => {
      throw new Error('CJS build: a POST to a closed port succeeded');
    },
    (e) => {
      if (!(e instanceof ams.TransportFailure)) throw new Error(`CJS build: the http subpath fails with a foreign class (${e})`);
    },
  );
