// `npm start -- --doctor` runs as users run it: every scenario gets its verdict, and only inquiries are sent.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

it('npm start -- --doctor prints one verdict per scenario and exits 0', async () => {
  const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      `${root}node_modules/.bin/tsx`,
      ['examples/start.ts', '--doctor'],
      { cwd: root, timeout: 45_000, env: { ...process.env, NODE_OPTIONS: '' } },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
    );
  });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^ {3}OK: ready for the first payment \(SANDBOX_DEMO_OK at /m);
  for (const name of ['request-signature', 'client-id', 'environment', 'access', 'alipay-public-key'])
    expect(r.stdout).toMatch(new RegExp(`^ {3}FAIL {2}${name}: `, 'm'));
  expect(r.stdout).toContain('The gateway received 7 calls, all inquiryPayment; it holds 0 payments.');
}, 60_000);
