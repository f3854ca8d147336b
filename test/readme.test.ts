// The README's quick start runs as written: its code block, unchanged but for the package path, against the
// embedded gateway's msw handlers on Alipay's NA origin, with key files where the snippet reads them.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setupServer } from 'msw/node';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createAmsHandlers } from '../mocks/index';
import { GENERATED_FILES, generateKeyFiles } from '../src/cli/keys';

const root = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');

function block(after: string): string {
  const from = readme.indexOf(after);
  expect(from).toBeGreaterThan(-1);
  const m = /```ts\n([\s\S]*?)```/.exec(readme.slice(from));
  expect(m).not.toBeNull();
  return m![1]!;
}

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

describe('README', () => {
  it('quick start runs as written and prints where to send the buyer', async () => {
    const code = block('## Quick start');
    expect(code).toContain("from 'ams-cashier'");
    // The key files the snippet reads, made by `ams-cashier keys generate` in a fresh working directory: the README
    // and the CLI must agree on the file names.
    const dir = mkdtempSync(join(tmpdir(), 'ams-readme-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    generateKeyFiles(join(dir, 'keys'));
    const merchantPublicKey = readFileSync(join(dir, 'keys', GENERATED_FILES.publicKey), 'utf8');
    const handlers = createAmsHandlers({ clientId: 'SANDBOX_README', merchantPublicKey });
    const server = setupServer(...handlers);
    server.listen({ onUnhandledRequest: 'error' });
    cleanups.push(() => server.close());

    expect(code).toContain(`readFileSync('keys/${GENERATED_FILES.privateKey}', 'utf8')`);
    writeFileSync(join(dir, 'keys/alipay_public_key.txt'), handlers.gateway.alipayPublicKeyPem);

    // The snippet itself, importing this checkout instead of the published package.
    mkdirSync(join(root, '.tmp'), { recursive: true });
    const file = join(root, '.tmp', `readme-quickstart-${process.pid}.ts`);
    writeFileSync(file, code.replace("from 'ams-cashier'", `from ${JSON.stringify(join(root, 'src/index.ts'))}`));
    cleanups.push(() => rmSync(file, { force: true }));

    const cwd = process.cwd();
    process.chdir(dir);
    process.env.AMS_CLIENT_ID = 'SANDBOX_README';
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      await import(file);
    } finally {
      process.chdir(cwd);
      delete process.env.AMS_CLIENT_ID;
    }
    expect(error).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledTimes(1);
    expect(String(log.mock.calls[0]![0])).toMatch(/^https:\/\/open-na\.alipay\.com\/alipaycn\/pc\/cashier\?.*paymentId=/);
    expect(handlers.gateway.payments).toHaveLength(1);
    log.mockRestore();
    error.mockRestore();
  });

  it('names the merchant key files as `ams-cashier keys generate` writes them, everywhere', () => {
    const named = readme.match(/app_p(?:rivate|ublic)[\w.]*/g) ?? [];
    expect(named.length).toBeGreaterThan(2);
    for (const name of named) expect([GENERATED_FILES.privateKey, GENERATED_FILES.publicKey]).toContain(name);
    expect(named).toContain(GENERATED_FILES.privateKey);
  });
});

describe('README Troubleshooting', () => {
  const section = readme.slice(readme.indexOf('## Troubleshooting'), readme.indexOf('\n## ', readme.indexOf('## Troubleshooting') + 5));

  it('lists five errors, each quoting a message the package really produces', async () => {
    const { AmsClient, loadPrivateKey, loadPublicKey } = await import('../src/index');
    const { merchant } = await import('./helpers/keys');
    const { payRequest, testClient } = await import('./helpers/client');
    expect(section.match(/^\d\. \*\*/gm)).toHaveLength(5);
    const messages: string[] = [];
    const catchMessage = async (fn: () => unknown) => {
      try {
        await fn();
      } catch (e) {
        messages.push((e as Error).message);
        return;
      }
      throw new Error('expected an error');
    };
    await catchMessage(() => loadPrivateKey('./keys/app_private_key.pem'));
    await catchMessage(() => loadPublicKey(merchant.publicSpkiPem.slice(0, 200)));
    await catchMessage(
      () =>
        new AmsClient({
          clientId: 'SANDBOX_X',
          privateKey: merchant.privatePkcs8Pem,
          alipayPublicKey: merchant.publicSpkiPem,
          region: 'NA',
        }),
    );
    await catchMessage(() => testClient().client.pay(payRequest({ paymentAmount: { currency: 'USD', value: 1999 } })));
    const { settlementStrategy: _omit, ...noSettlement } = payRequest();
    await catchMessage(() => testClient().client.pay(noSettlement));
    const quoted = [...section.matchAll(/\*\*`([^`]+)`/g)].map((m) => m[1]!);
    expect(quoted).toHaveLength(6);
    for (const q of quoted.filter((x) => !x.startsWith('AmsSignatureError'))) {
      expect(
        messages.some((m) => m.includes(q)),
        q,
      ).toBe(true);
    }
  });
});

describe('README Checkout in the browser', () => {
  const start = readme.indexOf('## Checkout in the browser');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 5));

  it('maps every productScene to the browser class the example page and the browser test use', async () => {
    const { SDK_CLASS_BY_SCENE } = await import('../examples/web-checkout/shop');
    const page = readFileSync(join(root, 'examples/web-checkout/page.js'), 'utf8');
    const rows = [...section.matchAll(/^\| `([A-Z_]+)` \| `(AMS\w+)` \| `new (AMS\w+)\(/gm)].map((m) => [m[1], m[2], m[3]]);
    expect(rows).toEqual(Object.entries(SDK_CLASS_BY_SCENE).map(([scene, sdkClass]) => [scene, sdkClass, sdkClass]));
    for (const [scene, sdkClass] of Object.entries(SDK_CLASS_BY_SCENE)) expect(page).toContain(`${scene}: '${sdkClass}'`);
  });

  it('shows the server half beside the browser half and says how to run the same test locally', () => {
    expect(section).toMatch(
      /<td>\n\n```ts\n[\s\S]*createPaymentSession[\s\S]*```\n\n<\/td><td>\n\n```js\n[\s\S]*mountComponent\(\{ sessionData \}/,
    );
    expect(section).toContain('npm start -- --checkout');
    expect(section).toContain('npx vitest run test/browser/web-sdk.test.ts');
    expect(existsSync(join(root, 'test/browser/web-sdk.test.ts'))).toBe(true);
    expect(section).toContain('retrievePaymentSession({ paymentRequestId })');
  });
});
