// The README's quick start and client.request example run as written (unchanged but for the package path) against
// the embedded gateway's msw handlers on Alipay's NA origin; what it says about installs, options and key files is true.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setupServer } from 'msw/node';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createAmsHandlers } from '../mocks/msw';
import { GENERATED_FILES, generateKeyFiles } from '../src/cli/keys';
import pkg from '../package.json';

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

    // The client.request example, on the payment the quick start made: an API the embedded gateway answers.
    const request = block('### Any other AMS API: `client.request`');
    const lines = request.split('\n');
    const imports = lines.filter((l) => l.startsWith('import '));
    expect(imports).toEqual(["import { z } from 'zod'; // or valibot, arktype: any Standard Schema"]);
    const asModule = [
      ...imports,
      'export default async function (client: import("../src/index").AmsClient): Promise<void> {',
      ...lines.filter((l) => !l.startsWith('import ')),
      '}',
    ].join('\n');
    const requestFile = join(root, '.tmp', `readme-request-${process.pid}.ts`);
    writeFileSync(requestFile, asModule);
    cleanups.push(() => rmSync(requestFile, { force: true }));
    const { AmsClient } = await import('../src/index');
    const client = new AmsClient({
      clientId: 'SANDBOX_README',
      privateKey: readFileSync(join(dir, 'keys', GENERATED_FILES.privateKey), 'utf8'),
      alipayPublicKey: handlers.gateway.alipayPublicKeyPem,
      region: 'NA',
    });
    const requestLog = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const run = (await import(requestFile)) as { default: (c: typeof client) => Promise<void> };
      await run.default(client);
      expect(requestLog.mock.calls).toEqual([['PROCESSING: 1999 USD']]);
    } finally {
      requestLog.mockRestore();
    }
  });

  it('installs each optional peer on its own, never beside the package, and lists every peer', () => {
    const installs = [...readme.matchAll(/npm (?:install|i)\b[^\n`]*/g)].map((m) => m[0]);
    expect(installs.length).toBeGreaterThan(3);
    for (const line of installs) {
      const words = line.replace(/#.*$/, '').split(/\s+/).slice(2);
      if (words.includes('ams-cashier'))
        expect(
          words.filter((w) => !w.startsWith('-')),
          line,
        ).toEqual(['ams-cashier']);
    }
    const install = readme.slice(readme.indexOf('## Install'), readme.indexOf('\n## ', readme.indexOf('## Install') + 5));
    for (const peer of Object.keys(pkg.peerDependencies))
      expect(install, peer).toMatch(new RegExp(`\`npm install (-D )?[^\`]*\\b${peer}\\b`));
  });

  it('the Configuration table names every AmsClient option', () => {
    const source = readFileSync(join(root, 'src/client-config.ts'), 'utf8');
    const body = source.slice(
      source.indexOf('export interface AmsClientConfig {'),
      source.indexOf('\n}\n', source.indexOf('export interface AmsClientConfig {')),
    );
    const options = [...body.matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1]!);
    expect(options).toEqual(expect.arrayContaining(['clientId', 'integration', 'contractSettlementCurrency', 'userAgent', 'accelerated']));
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('A `transport` is'));
    const named = new Set([...table.matchAll(/^\| ([^|]+)\|/gm)].flatMap((m) => [...m[1]!.matchAll(/`(\w+)`/g)].map((n) => n[1]!)));
    expect(options.filter((o) => !named.has(o))).toEqual([]);
    expect(table).toContain("`'EU'` (open-de-global.alipay.com)");
  });

  it('names the key files one way everywhere: the README, the CLI help texts and the examples', () => {
    const named = readme.match(/app_p(?:rivate|ublic)[\w.]*/g) ?? [];
    expect(named.length).toBeGreaterThan(2);
    for (const name of named) expect([GENERATED_FILES.privateKey, GENERATED_FILES.publicKey]).toContain(name);
    expect(named).toContain(GENERATED_FILES.privateKey);
    // Every keys/<file> shown anywhere a newcomer reads is one of the merchant pair, or Alipay's key under one name.
    const texts = [
      readme,
      ...['check', 'doctor', 'sign', 'verify', 'keys'].map((c) => readFileSync(join(root, `src/cli/${c}.ts`), 'utf8')),
    ];
    for (const dir of ['examples', 'examples/express-merchant', 'examples/inbox'])
      for (const f of readdirSync(join(root, dir)).filter((n) => /\.(ts|md|json)$/.test(n)))
        texts.push(readFileSync(join(root, dir, f), 'utf8'));
    const paths = new Set(texts.flatMap((t) => t.match(/keys\/[\w.-]+\.(?:pem|txt)/g) ?? []));
    expect([...paths].sort()).toEqual(
      [`keys/${GENERATED_FILES.privateKey}`, `keys/${GENERATED_FILES.publicKey}`, 'keys/alipay_public_key.txt'].sort(),
    );
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
