// AmsClient construction: validation with zod, sandbox/prefix rules, defaults, keys never shown, endpoints.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AmsClient, AmsConfigError, AmsValidationError, resolveEndpoint } from '../../src/index';
import { thrown } from '../helpers/expect';
import { alipay, merchant, other, publicOf } from '../helpers/keys';

const base = { clientId: 'SANDBOX_1', privateKey: merchant.privatePkcs1Pem, alipayPublicKey: alipay.publicBase64, region: 'NA' as const };

function configError(config: unknown): AmsConfigError {
  return thrown(AmsConfigError, () => new AmsClient(config as never));
}

describe('AmsClient config', () => {
  it('applies defaults', () => {
    const c = new AmsClient(base);
    expect(c).toMatchObject({ clientId: 'SANDBOX_1', sandbox: true, keyVersion: '1', timeoutMs: 15000, maxRetries: 2 });
    expect(new AmsClient({ ...base, clientId: 'LIVE', keyVersion: 3 }).keyVersion).toBe('3');
    expect(new AmsClient({ ...base, clientId: 'LIVE' }).sandbox).toBe(false);
  });
  it('rejects unknown keys, naming them and the option each was meant to be', () => {
    const e = configError({ ...base, privatekey: 'x', timeout: 3 });
    expect(e.message).toMatch(/unknown options "privatekey" \(did you mean "privateKey"\?\), "timeout" \(did you mean "timeoutMs"\?\)/);
    expect(e.field).toBe('privatekey');
    expect(configError({ ...base, timeoutMS: 5000 }).message).toBe(
      'Invalid AmsClient config: unknown option "timeoutMS" (did you mean "timeoutMs"?)',
    );
    expect(configError({ ...base, max_retries: 1 }).message).toContain('"max_retries" (did you mean "maxRetries"?)');
    expect(configError({ ...base, colour: 'blue' }).message).toMatch(
      /^Invalid AmsClient config: unknown option "colour"; known options: clientId, privateKey, alipayPublicKey, .*, userAgent$/,
    );
  });
  it('per-call options: a mistyped one is refused before anything is sent, naming the option it was meant to be', async () => {
    const client = new AmsClient({ ...base, transport: () => Promise.reject(new Error('nothing may be sent')) });
    const err = await client.inquiryPayment({ paymentRequestId: 'p-1' }, { timeoutMS: 5 } as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsValidationError);
    expect((err as AmsValidationError).message).toBe('Invalid request options: unknown option "timeoutMS" (did you mean "timeoutMs"?)');
  });
  it('rejects sandbox contradicting the SANDBOX_ prefix, both ways', () => {
    expect(configError({ ...base, sandbox: false }).message).toMatch(/sandbox: false contradicts/);
    expect(configError({ ...base, clientId: 'LIVE', sandbox: true }).field).toBe('sandbox');
    expect(new AmsClient({ ...base, sandbox: true }).sandbox).toBe(true);
  });
  it('requires region or baseUrl, and a valid one', () => {
    const { region: _r, ...noRegion } = base;
    expect(configError(noRegion).message).toMatch(/region .* or baseUrl is required/);
    expect(configError({ ...base, region: 'APAC' }).message).toMatch(/region: must be one of NA, SEA, EU/);
    expect(configError({ ...noRegion, baseUrl: 'not a url' }).field).toBe('baseUrl');
    expect(configError({ ...noRegion, baseUrl: 'http://127.0.0.1:9/prefix' }).message).toMatch(/replaces only the origin/);
    expect(new AmsClient({ ...noRegion, baseUrl: 'http://127.0.0.1:9/' }).baseUrl).toBe('http://127.0.0.1:9/');
  });
  it('the domain of each region, standard or accelerated, as Antom lists them', () => {
    const origin = (region: 'NA' | 'SEA' | 'EU', accelerated?: boolean) =>
      new AmsClient({ ...base, region, ...(accelerated === undefined ? {} : { accelerated }) }).origin;
    expect([origin('NA'), origin('SEA'), origin('EU')]).toEqual([
      'https://open-na.alipay.com',
      'https://open-sea.alipay.com',
      'https://open-de-global.alipay.com',
    ]);
    expect([origin('NA', true), origin('SEA', true), origin('EU', true)]).toEqual([
      'https://open-na-global.alipay.com',
      'https://open-sea-global.alipay.com',
      'https://open-de-global.alipay.com',
    ]);
    expect(configError({ ...base, accelerated: 'yes' }).field).toBe('accelerated');
  });
  it('refuses credentials in baseUrl, header-unsafe agent tokens and prototype names as regions', () => {
    const { region: _r, ...noRegion } = base;
    expect(configError({ ...noRegion, baseUrl: 'https://user:secret-pass@proxy.example' }).message).toMatch(/must not carry credentials/);
    // A query (or fragment) can carry a token: it is refused and never echoed.
    for (const baseUrl of [
      'https://proxy.example/?token=tok-SECRET-123456',
      'https://proxy.example#tok-SECRET-123456',
      'not a url?token=tok-SECRET-123456',
      'ftp://u:tok-SECRET-123456@x/',
    ]) {
      const e = configError({ ...noRegion, baseUrl });
      expect(e.field).toBe('baseUrl');
      expect(e.message).not.toContain('tok-SECRET-123456');
    }
    expect(configError({ ...base, agentToken: 'tok\nX-Injected: 1' }).message).toMatch(/agentToken/);
    expect(configError({ ...base, region: 'constructor' }).field).toBe('region');
    expect(() => resolveEndpoint({ region: 'constructor' as never }, 'pay')).toThrow(AmsConfigError);
  });
  it('validates types with messages naming the field', () => {
    expect(configError({ ...base, timeoutMs: -1 }).message).toMatch(/timeoutMs/);
    expect(configError({ ...base, maxRetries: 1.5 }).message).toMatch(/maxRetries/);
    expect(configError({ ...base, clientId: '' }).message).toMatch(/clientId/);
    expect(configError({ ...base, privateKey: 42 }).message).toMatch(/privateKey: must be a PEM or base64 string/);
    expect(configError(null).message).toMatch(/config object/);
  });
  it('rejects swapped keys and the merchant’s own public key as Alipay’s', () => {
    expect(configError({ ...base, privateKey: alipay.publicBase64 }).message).toMatch(/public key where a private key is needed/);
    expect(configError({ ...base, alipayPublicKey: merchant.privatePkcs8Base64 }).message).toMatch(
      /private key where a public key is needed/,
    );
    const own = configError({ ...base, alipayPublicKey: merchant.publicSpkiBase64 });
    expect(own.message).toMatch(/your own public key/);
    expect(own.field).toBe('alipayPublicKey');
    expect(() => new AmsClient({ ...base, alipayPublicKey: publicOf(other.privatePem) })).not.toThrow();
  });
  it('never shows keys or tokens through inspect or JSON.stringify', () => {
    const c = new AmsClient({ ...base, agentToken: 'tok-secret-xyz' });
    const shown = `${inspect(c, { showHidden: true, depth: 10 })}\n${JSON.stringify(c)}\n${String(Object.keys(c))}`;
    for (const chunk of merchant.privatePkcs8Base64.match(/.{20}/g)!) expect(shown).not.toContain(chunk);
    for (const chunk of merchant.privatePkcs1Base64.match(/.{20}/g)!) expect(shown).not.toContain(chunk);
    expect(shown).not.toContain('tok-secret-xyz');
    expect(shown).toContain('SANDBOX_1');
  });
});

describe('resolveEndpoint', () => {
  it('an option it does not take is refused, never ignored (a misspelt sandbox would send to live)', () => {
    expect(() => resolveEndpoint({ region: 'NA', sandBox: true } as never, 'pay')).toThrow(
      'Invalid resolveEndpoint options: unknown option "sandBox" (did you mean "sandbox"?)',
    );
    expect(() => resolveEndpoint(null as never, 'pay')).toThrow(AmsConfigError);
  });

  it('maps regions and sandbox to origin and path', () => {
    expect(resolveEndpoint({ region: 'NA' }, 'pay')).toEqual({
      url: 'https://open-na.alipay.com/ams/api/v1/payments/pay',
      path: '/ams/api/v1/payments/pay',
    });
    expect(resolveEndpoint({ region: 'SEA', sandbox: true }, 'inquiryPayment')).toEqual({
      url: 'https://open-sea.alipay.com/ams/sandbox/api/v1/payments/inquiryPayment',
      path: '/ams/sandbox/api/v1/payments/inquiryPayment',
    });
  });
  it('baseUrl replaces only the origin; the path rules stay', () => {
    expect(resolveEndpoint({ baseUrl: 'http://127.0.0.1:4010', region: 'NA', sandbox: true }, 'refund')).toEqual({
      url: 'http://127.0.0.1:4010/ams/sandbox/api/v1/payments/refund',
      path: '/ams/sandbox/api/v1/payments/refund',
    });
  });
  it('refuses no origin and odd api names', () => {
    expect(() => resolveEndpoint({}, 'pay')).toThrow(AmsConfigError);
    expect(() => resolveEndpoint({ region: 'NA' }, '../x')).toThrow(AmsConfigError);
  });
});
