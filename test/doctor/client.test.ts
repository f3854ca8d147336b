// client.doctor() end to end over loopback: one verdict per way credentials go wrong, and only inquiryPayment is sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmsClient, AmsValidationError, type AmsClientConfig, type DoctorReport } from '../../src/index';
import { alipay, merchant, other } from '../helpers/keys';
import { clearProxyEnv } from '../setup/no-proxy-env';
import { CLIENT, startDoctorWorld, type DoctorWorld } from './scenarios';

let world: DoctorWorld;
beforeAll(async () => {
  world = await startDoctorWorld();
});
afterAll(() => world?.close());

function client(overrides: Partial<AmsClientConfig> = {}): AmsClient {
  return new AmsClient({
    clientId: CLIENT.ok,
    privateKey: merchant.privatePkcs8Pem,
    alipayPublicKey: alipay.publicBase64,
    baseUrl: world.gateway.url,
    ...overrides,
  });
}

/** Runs doctor and checks the gateway saw exactly one inquiryPayment and no payment came to exist. */
async function doctor(overrides: Partial<AmsClientConfig> = {}): Promise<DoctorReport> {
  const before = world.received().length;
  const report = await client(overrides).doctor();
  expect(world.received().slice(before)).toEqual(['inquiryPayment']);
  expect(world.gateway.payments).toHaveLength(0);
  return report;
}

const names = (r: DoctorReport) => r.checks.map((c) => c.name);
const failing = (r: DoctorReport) => r.checks.filter((c) => !c.ok);
const byName = (r: DoctorReport, name: string) => r.checks.find((c) => c.name === name)!;

describe('client.doctor()', () => {
  it('all good: a signed ORDER_NOT_EXIST that verifies passes every check', async () => {
    const r = await doctor();
    expect(r.ok).toBe(true);
    expect(names(r)).toEqual(['private-key', 'network', 'request-signature', 'client-id', 'access', 'alipay-public-key', 'clock']);
    expect(r.checks.every((c) => c.fix === null)).toBe(true);
    expect(byName(r, 'private-key').message).toMatch(/^RSA 2048 bits; the public half to upload has SHA-256 fingerprint [0-9a-f]{64}$/);
    expect(byName(r, 'clock').message).toMatch(/in sync with the gateway/);
  });

  it("INVALID_SIGNATURE: the uploaded key is not this private key; shows this key's public half and fingerprint", async () => {
    const r = await doctor({ clientId: CLIENT.wrongKey });
    expect(r.ok).toBe(false);
    expect(failing(r).map((c) => c.name)).toEqual(['request-signature']);
    const c = byName(r, 'request-signature');
    expect(c.message).toContain(merchant.publicSpkiBase64.trim());
    expect(c.message).toMatch(/fingerprint [0-9a-f]{64}/);
    expect(c.message).toContain('not the public half of this private key');
    expect(c.fix).toMatch(/upload this one/);
    expect(c.message).not.toContain('PRIVATE');
  });

  it('KEY_NOT_FOUND: no key uploaded for this keyVersion', async () => {
    const r = await doctor({ clientId: CLIENT.noKey, keyVersion: '1' });
    expect(failing(r).map((c) => c.name)).toEqual(['request-signature']);
    expect(byName(r, 'request-signature').message).toMatch(/no public key for SANDBOX_DOCTOR_NO_KEY with keyVersion 1/);
    expect(byName(r, 'request-signature').fix).toMatch(/set keyVersion to the version shown/);
  });

  it('a bad option is thrown before anything is sent, never turned into a verdict about the credentials', async () => {
    const before = world.received().length;
    await expect(client().doctor({ timeoutMS: 5000 } as never)).rejects.toThrow(
      'Invalid doctor options: unknown option "timeoutMS" (did you mean "timeoutMs"?)',
    );
    await expect(client().doctor({ timeoutMs: 0 })).rejects.toBeInstanceOf(AmsValidationError);
    expect(world.received().slice(before)).toEqual([]);
  });

  it('KEY_NOT_FOUND does not happen with the version that was uploaded', async () => {
    const r = await doctor({ clientId: CLIENT.noKey, keyVersion: '2' });
    expect(r.ok).toBe(true);
  });

  it('INVALID_CLIENT: the client id is unknown on this environment', async () => {
    const r = await doctor({ clientId: CLIENT.unknown });
    expect(failing(r).map((c) => c.name)).toEqual(['client-id']);
    expect(byName(r, 'client-id').message).toMatch(/SANDBOX_DOCTOR_UNKNOWN is not known to the sandbox environment/);
    expect(byName(r, 'client-id').fix).toMatch(/Copy the Client ID/);
  });

  it('INVALID_API: a client id registered for the other environment', async () => {
    const r = await doctor({ clientId: CLIENT.wrongEnvironment });
    expect(failing(r).map((c) => c.name)).toEqual(['environment']);
    expect(byName(r, 'environment').message).toMatch(/refused the path \/ams\/sandbox\/api\/v1\/payments\/inquiryPayment/);
    expect(byName(r, 'environment').fix).toMatch(/SANDBOX_… ids call \/ams\/sandbox\/api/);
  });

  it('ACCESS_DENIED: the product is not activated; the signature and the Alipay key are still proven', async () => {
    const r = await doctor({ clientId: CLIENT.inactive });
    expect(failing(r).map((c) => c.name)).toEqual(['access']);
    expect(names(r)).toEqual(['private-key', 'network', 'request-signature', 'client-id', 'alipay-public-key', 'access', 'clock']);
    expect(byName(r, 'access').fix).toMatch(/^Have Cashier Payment activated for this client id on the sandbox environment/);
  });

  it('an answer that does not verify: the configured Alipay public key is wrong', async () => {
    const r = await doctor({ alipayPublicKey: other.publicPem });
    expect(failing(r).map((c) => c.name)).toEqual(['alipay-public-key']);
    const c = byName(r, 'alipay-public-key');
    expect(c.message).toMatch(/does not verify with the configured Alipay public key/);
    expect(c.message).toMatch(/ORDER_NOT_EXIST \(which would mean your request signature and client id were accepted\)/);
    expect(c.fix).toMatch(/not the public key you uploaded/);
  });

  it('TLS: a self-signed certificate is a certificate verdict', async () => {
    const r = await client({ baseUrl: world.tlsOrigin }).doctor();
    expect(r.ok).toBe(false);
    expect(names(r)).toEqual(['private-key', 'network']);
    expect(byName(r, 'network').message).toMatch(
      /^TLS: the certificate of 127\.0\.0\.1:\d+ was not accepted \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)$/,
    );
    expect(byName(r, 'network').fix).toMatch(/NODE_EXTRA_CA_CERTS/);
  });

  it('connect: nothing listening is a refused-connection verdict, without a retry', async () => {
    const r = await client({ baseUrl: world.refusedOrigin, maxRetries: 5 }).doctor();
    expect(byName(r, 'network').message).toMatch(/^connect: 127\.0\.0\.1:\d+ refused the connection \(ECONNREFUSED\)/);
    expect(r.ok).toBe(false);
  });

  it('proxy: an HTTP 407 names the proxy credentials', async () => {
    const r = await client({ baseUrl: world.proxyAuthOrigin }).doctor();
    expect(byName(r, 'network')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^proxy: HTTP 407/),
      fix: expect.stringMatching(/HTTPS_PROXY=http:\/\/user:password@proxy:port/),
    });
  });

  it('proxy from the environment: a 407 from a real forward proxy names that proxy', async () => {
    process.env['HTTP_PROXY'] = world.proxyAuthOrigin;
    try {
      const r = await client().doctor();
      expect(byName(r, 'network')).toMatchObject({
        ok: false,
        message: `proxy: HTTP 407 — the proxy ${world.proxyAuthOrigin} wants credentials before it forwards anything to ${new URL(world.gateway.url).host}`,
      });
    } finally {
      clearProxyEnv();
    }
  });

  it('proxy from the environment: a proxy that refuses connections is named, not the gateway', async () => {
    process.env['HTTP_PROXY'] = world.refusedOrigin;
    try {
      const r = await client().doctor();
      expect(byName(r, 'network').message).toBe(
        `connect: the proxy ${world.refusedOrigin} refused the connection (ECONNREFUSED): nothing listens on that port`,
      );
      expect(byName(r, 'network').fix).toMatch(/or add 127\.0\.0\.1:\d+ to NO_PROXY/);
    } finally {
      clearProxyEnv();
    }
  });

  it('a U answer is not retried and teaches nothing about the credentials', async () => {
    world.gateway.script('inquiryPayment', ['U']);
    const r = await doctor({ maxRetries: 3 });
    expect(failing(r).map((c) => c.name)).toEqual(['answer']);
  });
});

describe('client.doctor() clock', () => {
  let skewed: DoctorWorld;
  beforeAll(async () => {
    skewed = await startDoctorWorld({ clockSkewMs: 10 * 60_000 });
  });
  afterAll(() => skewed?.close());

  it("reports the offset from the gateway's Response-Time", async () => {
    const r = await new AmsClient({
      clientId: CLIENT.ok,
      privateKey: merchant.privatePkcs8Pem,
      alipayPublicKey: alipay.publicBase64,
      baseUrl: skewed.gateway.url,
    }).doctor();
    expect(failing(r).map((c) => c.name)).toEqual(['clock']);
    expect(byName(r, 'clock').message).toMatch(/clock is (599|600|601) s behind the gateway/);
    expect(byName(r, 'clock').fix).toMatch(/NTP/);
  });
});
