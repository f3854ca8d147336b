// Smoke test of the built package through its exports map, as a CommonJS consumer sees it.
const { readFileSync } = require('node:fs');
const path = require('node:path');
const ams = require('ams-cashier');

const root = path.join(__dirname, '..', '..');
const v = JSON.parse(readFileSync(path.join(root, 'test/vectors/signatures.json'), 'utf8')).vectors[1];
const key = readFileSync(path.join(root, 'test/vectors/keys/merchant_private_pkcs1.pem'), 'utf8');
const header = ams.signRequest({ method: v.method, path: v.path, clientId: v.clientId, requestTime: v.requestTime, body: v.body, privateKey: key });
if (header !== v.signatureHeader) throw new Error('CJS build: signRequest differs from the golden vector');
if (typeof ams.AmsClient !== 'function' || !(new ams.AmsConfigError('x') instanceof ams.AmsError)) throw new Error('CJS build: error classes broken');
const redis = require('ams-cashier/redis');
try {
  redis.createRedisNotificationStore({});
  throw new Error('CJS build: createRedisNotificationStore accepted no redis');
} catch (e) {
  if (!(e instanceof ams.AmsConfigError)) throw new Error(`CJS build: the redis subpath throws a foreign error class (${e})`);
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
