// The installed tarball as a CommonJS consumer sees it, msw not installed.
const ams = require('ams-cashier');
const mocks = require('ams-cashier/mocks');
const msw = require('ams-cashier/mocks/msw');

if (typeof ams.AmsClient !== 'function' || !(new ams.AmsConfigError('x') instanceof ams.AmsError)) throw new Error('cjs: exports broken');
if (typeof mocks.startAmsGateway !== 'function') throw new Error('cjs: ams-cashier/mocks has no startAmsGateway');
if ('createAmsHandlers' in mocks) throw new Error('cjs: ams-cashier/mocks exports the msw handlers; they live in ams-cashier/mocks/msw');
try {
  msw.createAmsHandlers();
  throw new Error('cjs: createAmsHandlers worked without msw installed');
} catch (e) {
  if (!(e instanceof ams.AmsConfigError) || !e.message.includes('npm install -D msw@^2'))
    throw new Error(`cjs: wrong error without msw: ${e}`);
}
const schema = require('ams-cashier/cli-output.schema.json');
if (schema.title !== 'ams-cashier --json output') throw new Error('cjs: ams-cashier/cli-output.schema.json is not the CLI output schema');
console.log('package cjs ok');
