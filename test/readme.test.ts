// The README's quick start runs as written: its code block, unchanged but for the package path, against the
// embedded gateway's msw handlers on Alipay's NA origin, with key files where the snippet reads them.
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setupServer } from 'msw/node';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createAmsHandlers } from '../mocks/index';

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
    const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const handlers = createAmsHandlers({ clientId: 'SANDBOX_README', merchantPublicKey: merchant.publicKey });
    const server = setupServer(...handlers);
    server.listen({ onUnhandledRequest: 'error' });
    cleanups.push(() => server.close());

    // The key files the snippet reads, in a fresh working directory.
    const dir = mkdtempSync(join(tmpdir(), 'ams-readme-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, 'keys'));
    writeFileSync(join(dir, 'keys/app_private.txt'), merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    writeFileSync(join(dir, 'keys/alipay_public.txt'), handlers.gateway.alipayPublicKeyPem);

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
});
