// `ams-cashier doctor` through the built bin against the embedded gateway on loopback: one run per verdict.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../src/index';
import { keyPath } from '../helpers/keys';
import { CLIENT, startDoctorWorld, type DoctorWorld } from '../doctor/scenarios';
import { buildCli, type BuiltCli } from './helpers';

let cli: BuiltCli;
let world: DoctorWorld;
beforeAll(async () => {
  [cli, world] = await Promise.all([buildCli(), startDoctorWorld()]);
});
afterAll(async () => {
  cli?.cleanup();
  await world?.close();
});

const PRIVATE = keyPath('merchant_private_pkcs8.pem');
const ALIPAY = keyPath('alipay_public.base64.txt');
/** No AMS_* setting leaks in from the machine running the tests. */
const NO_ENV = Object.fromEntries(
  [
    'AMS_CLIENT_ID',
    'AMS_PRIVATE_KEY_FILE',
    'AMS_ALIPAY_PUBLIC_KEY_FILE',
    'AMS_REGION',
    'AMS_BASE_URL',
    'AMS_KEY_VERSION',
    'AMS_AGENT_TOKEN',
    'AMS_ACCELERATED',
  ].map((k) => [k, '']),
);

/** `doctor --json`'s answer: the report with the envelope's command, target and error. */
type DoctorAnswer = DoctorReport & { command: string; target?: string; error?: { code: string; message: string; fix: string } };

async function doctor(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; report: DoctorAnswer; error: NonNullable<DoctorAnswer['error']>; stderr: string; sent: string[] }> {
  const before = world.received().length;
  const r = await cli.runAsync(['doctor', '--json', ...args], { env: { ...NO_ENV, ...env } });
  let report: DoctorAnswer;
  try {
    report = JSON.parse(r.stdout) as DoctorAnswer;
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout}${r.stderr}`);
  }
  expect(r.stderr).toBe('');
  expect(report.command).toBe('doctor');
  const error = report.error ?? { code: '', message: '', fix: '' };
  return { code: r.code, report, error, stderr: r.stderr, sent: world.received().slice(before) };
}

function flags(clientId: string, extra: string[] = []): string[] {
  return ['--client-id', clientId, '--private-key', PRIVATE, '--alipay-public-key', ALIPAY, '--base-url', world.gateway.url, ...extra];
}

const failing = (r: DoctorReport) => r.checks.filter((c) => !c.ok).map((c) => c.name);

describe('ams-cashier doctor (built bin)', () => {
  it('all good: exit 0, every check passes, the key file format is named, only inquiryPayment is sent', async () => {
    const { code, report, sent } = await doctor(flags(CLIENT.ok));
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual([
      'private-key',
      'network',
      'request-signature',
      'client-id',
      'access',
      'alipay-public-key',
      'clock',
    ]);
    expect(report.checks[0]!.message).toMatch(/^PKCS#8 private key \(pem\), RSA 2048 bits/);
    expect(sent).toEqual(['inquiryPayment']);
    expect(world.gateway.payments).toHaveLength(0);
  });

  it('takes every setting from the environment variables the README uses', async () => {
    const { code, report, sent } = await doctor([], {
      AMS_CLIENT_ID: CLIENT.ok,
      AMS_PRIVATE_KEY_FILE: PRIVATE,
      AMS_ALIPAY_PUBLIC_KEY_FILE: ALIPAY,
      AMS_BASE_URL: world.gateway.url,
      AMS_KEY_VERSION: '1',
    });
    expect([code, report.ok, sent]).toEqual([0, true, ['inquiryPayment']]);
  });

  it.each([
    ['INVALID_SIGNATURE', CLIENT.wrongKey, [], 'request-signature', /not the public half of this private key/],
    [
      'KEY_NOT_FOUND',
      CLIENT.noKey,
      ['--key-version', '1'],
      'request-signature',
      /no public key for SANDBOX_DOCTOR_NO_KEY with keyVersion 1/,
    ],
    ['INVALID_CLIENT', CLIENT.unknown, [], 'client-id', /is not known to the sandbox environment/],
    ['INVALID_API', CLIENT.wrongEnvironment, [], 'environment', /sandbox client id on the live path, or a live id on the sandbox path/],
    ['ACCESS_DENIED', CLIENT.inactive, [], 'access', /the product \(Cashier Payment\) is not activated/],
  ] as const)('%s: exit 1 with that verdict and its fix', async (_code, clientId, extra, name, message) => {
    const { code, report, sent } = await doctor(flags(clientId, [...extra]));
    expect(code).toBe(1);
    expect(failing(report)).toEqual([name]);
    const c = report.checks.find((x) => x.name === name)!;
    expect(c.message).toMatch(message);
    expect(c.fix).toEqual(expect.any(String));
    expect(sent).toEqual(['inquiryPayment']);
  });

  it('an answer that does not verify: the Alipay public key is wrong', async () => {
    const { code, report } = await doctor([
      ...flags(CLIENT.ok).slice(0, 4),
      '--alipay-public-key',
      keyPath('other_public.pem'),
      '--base-url',
      world.gateway.url,
    ]);
    expect(code).toBe(1);
    expect(failing(report)).toEqual(['alipay-public-key']);
    expect(report.checks.find((c) => c.name === 'alipay-public-key')!.message).toMatch(
      /does not verify with the configured Alipay public key/,
    );
  });

  it("your own public key given as Alipay's: said so, and nothing is sent", async () => {
    const { code, report, sent } = await doctor([
      ...flags(CLIENT.ok).slice(0, 4),
      '--alipay-public-key',
      keyPath('merchant_public_spki.pem'),
      '--base-url',
      world.gateway.url,
    ]);
    expect(code).toBe(1);
    expect(failing(report)).toEqual(['alipay-public-key']);
    expect(report.checks[1]!.message).toMatch(/is your own public key/);
    expect(sent).toEqual([]);
  });

  it('a 1024-bit private key: the key size verdict, nothing sent', async () => {
    const { code, report, sent } = await doctor([
      '--client-id',
      CLIENT.ok,
      '--private-key',
      keyPath('weak_1024_private.pem'),
      '--alipay-public-key',
      ALIPAY,
      '--base-url',
      world.gateway.url,
    ]);
    expect(code).toBe(1);
    expect(report.checks).toEqual([
      {
        name: 'private-key',
        ok: false,
        message: expect.stringMatching(/RSA 1024 bits.*2048 bits or more/),
        fix: expect.stringMatching(/keys generate/),
      },
    ]);
    expect(sent).toEqual([]);
  });

  it('TLS: a self-signed certificate on the way', async () => {
    const { code, report } = await doctor([...flags(CLIENT.ok).slice(0, 6), '--base-url', world.tlsOrigin]);
    expect(code).toBe(1);
    expect(report.checks[1]).toMatchObject({
      name: 'network',
      ok: false,
      message: expect.stringMatching(/^TLS: the certificate of 127\.0\.0\.1:\d+ was not accepted/),
    });
  });

  it('connect: nothing listening', async () => {
    const { code, report } = await doctor([...flags(CLIENT.ok).slice(0, 6), '--base-url', world.refusedOrigin]);
    expect(code).toBe(1);
    expect(report.checks[1]).toMatchObject({
      name: 'network',
      ok: false,
      message: expect.stringMatching(/refused the connection \(ECONNREFUSED\)/),
    });
  });

  it('unusable input is exit 2, in JSON too: the error alone, with its code and fix', async () => {
    const missing = await doctor(['--private-key', PRIVATE]);
    expect(missing.code).toBe(2);
    expect(missing.report).toEqual({
      ok: false,
      command: 'doctor',
      error: {
        code: 'USAGE',
        message: expect.stringMatching(/missing --client-id \(or AMS_CLIENT_ID\), --alipay-public-key/),
        fix: 'Run ams-cashier doctor --help for the options and an example.',
      },
    });
    const unknown = await doctor(['--frobnicate']);
    expect([unknown.code, unknown.error.code, unknown.error.message]).toEqual([2, 'UNKNOWN_OPTION', 'unknown option --frobnicate']);
    const noFile = await doctor(flags(CLIENT.ok).map((a) => (a === PRIVATE ? 'nope.pem' : a)));
    expect([noFile.code, noFile.error.message]).toEqual([2, '--private-key: file "nope.pem" not found']);
    const noRegion = await doctor(flags(CLIENT.ok).slice(0, 6));
    expect([noRegion.code, noRegion.error.message]).toEqual([2, expect.stringMatching(/--region NA\|SEA\|EU/)]);
    const badRegion = await doctor([...flags(CLIENT.ok).slice(0, 6), '--region', 'XX']);
    expect([badRegion.code, badRegion.error.message]).toEqual([
      2,
      '--region must be one of NA, SEA, EU (as shown for your account in the Antom dashboard), not "XX"',
    ]);
    expect(missing.sent.length + unknown.sent.length + noFile.sent.length + noRegion.sent.length + badRegion.sent.length).toBe(0);
  });

  it('prints one line per check with the fix under each failure, and exit 2 on stderr without --json', async () => {
    const r = await cli.runAsync(['doctor', ...flags(CLIENT.unknown)], { env: NO_ENV });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^PASS {2}private-key: PKCS#8 private key/m);
    expect(r.stdout).toMatch(/^FAIL {2}client-id: SANDBOX_DOCTOR_UNKNOWN is not known/m);
    expect(r.stdout).toMatch(/^ {6}fix: Copy the Client ID/m);
    expect(r.stdout).toMatch(/^NOT READY: 1 of 3 checks failed \(SANDBOX_DOCTOR_UNKNOWN at http:\/\/127\.0\.0\.1:\d+\)$/m);
    const bad = await cli.runAsync(['doctor', '--client-id', 'X'], { env: NO_ENV });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^ams-cashier doctor: missing --private-key/);
  });

  it('names the host it would call for a region, standard or accelerated (nothing sent: the key verdict is offline)', async () => {
    const own = ['--client-id', CLIENT.ok, '--private-key', PRIVATE, '--alipay-public-key', keyPath('merchant_public_spki.pem')];
    const eu = await cli.runAsync(['doctor', ...own, '--region', 'EU'], { env: NO_ENV });
    expect(eu.stdout).toMatch(/^NOT READY: .*\(SANDBOX_DOCTOR_OK at https:\/\/open-de-global\.alipay\.com \(region EU\)\)$/m);
    const fast = await cli.runAsync(['doctor', ...own, '--region', 'SEA', '--accelerated'], { env: NO_ENV });
    expect(fast.stdout).toMatch(/at https:\/\/open-sea-global\.alipay\.com \(region SEA\)/);
  });

  it('is listed in the main help', async () => {
    const r = await cli.runAsync(['--help']);
    expect(r.stdout).toMatch(/^ {2}doctor {21}prove the credentials against the gateway/m);
  });
});
