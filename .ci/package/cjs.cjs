// The installed tarball as a CommonJS consumer sees it, msw not installed.
const ams = require('ams-cashier');
const mocks = require('ams-cashier/mocks');

if (typeof ams.AmsClient !== 'function' || !(new ams.AmsConfigError('x') instanceof ams.AmsError)) throw new Error('cjs: exports broken');
if (typeof mocks.startAmsGateway !== 'function') throw new Error('cjs: ams-cashier/mocks has no startAmsGateway');
try {
  mocks.createAmsHandlers();
  throw new Error('cjs: createAmsHandlers worked without msw installed');
} catch (e) {
  if (!(e instanceof ams.AmsConfigError) || !e.message.includes('npm install -D msw@^2'))
    throw new Error(`cjs: wrong error without msw: ${e}`);
}
console.log('package cjs ok');
