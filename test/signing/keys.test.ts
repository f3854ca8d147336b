// Key loading: every accepted form, every rejection with a message that names what was found and leaks nothing.
import { KeyObject, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AmsConfigError, loadPrivateKey, loadPublicKey } from '../../src/index';
import { describeKey } from '../../src/signing/index';
import { keyCacheStats } from '../../src/signing/keys';
import { thrown } from '../helpers/expect';
import { alipay, ecPrivatePem, merchant, other, weak1024Pem } from '../helpers/keys';

const fingerprint = (k: KeyObject) => (k.type === 'private' ? describeKey(k) : describeKey(k)).fingerprint;
const expected = describeKey(merchant.privatePkcs8Pem).fingerprint;

function expectConfigError(fn: () => unknown, pattern: RegExp, secret?: string): AmsConfigError {
  const e = thrown(AmsConfigError, fn);
  expect(e.message).toMatch(pattern);
  if (secret) {
    const body = secret.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    // no run of 16 characters of key material appears in the message
    for (let i = 0; i + 16 <= body.length; i += 16) expect(e.message).not.toContain(body.slice(i, i + 16));
  }
  return e;
}

describe('loadPrivateKey', () => {
  const forms: Array<[string, string | Buffer]> = [
    ['PEM PKCS#1', merchant.privatePkcs1Pem],
    ['PEM PKCS#8', merchant.privatePkcs8Pem],
    ['bare base64 PKCS#8', merchant.privatePkcs8Base64],
    ['bare base64 PKCS#1', merchant.privatePkcs1Base64],
    ['base64 wrapped at 64 with CRLF and stray spaces', `  ${merchant.privatePkcs8Base64.match(/.{1,64}/g)!.join('\r\n ')}  \n`],
    ['base64 with literal \\n escapes (env files)', merchant.privatePkcs1Base64.match(/.{1,64}/g)!.join('\\n')],
    ['DER PKCS#1 bytes', merchant.privatePkcs1Der],
    ['DER PKCS#8 bytes', merchant.privatePkcs8Der],
    ['PEM as a Buffer', Buffer.from(merchant.privatePkcs8Pem)],
    ['PEM with CRLF line ends', merchant.privatePkcs1Pem.replace(/\n/g, '\r\n')],
  ];
  it.each(forms)('accepts %s and yields the same key', (_name, input) => {
    const key = loadPrivateKey(input);
    expect(key).toBeInstanceOf(KeyObject);
    expect(key.type).toBe('private');
    expect(fingerprint(key)).toBe(expected);
  });

  it('accepts a KeyObject as is', () => {
    const k = createPrivateKey(merchant.privatePkcs1Pem);
    expect(loadPrivateKey(k)).toBe(k);
  });

  it('detects the container from the DER, not the PEM label', () => {
    const mislabeled = merchant.privatePkcs1Pem.replace(/RSA PRIVATE KEY/g, 'PRIVATE KEY');
    expect(fingerprint(loadPrivateKey(mislabeled))).toBe(expected);
    expect(describeKey(mislabeled).format).toBe('pkcs1-private');
    expect(describeKey(merchant.privatePkcs8Base64)).toMatchObject({
      format: 'pkcs8-private',
      encoding: 'base64',
      bits: 2048,
      type: 'private',
    });
  });

  it('says "public key where a private key is needed" for each public form', () => {
    for (const pub of [merchant.publicSpkiPem, merchant.publicSpkiBase64, merchant.publicPkcs1Pem, merchant.certPem, alipay.publicBase64]) {
      expectConfigError(() => loadPrivateKey(pub), /looks like a public key where a private key is needed/);
    }
    expectConfigError(() => loadPrivateKey(loadPublicKey(merchant.publicSpkiPem)), /public key where a private key is needed/);
  });

  it('names the size of a short RSA key without echoing it', () => {
    const e = expectConfigError(() => loadPrivateKey(weak1024Pem), /RSA key of 1024 bits/, weak1024Pem);
    expect(e.field).toBe('privateKey');
  });

  it('rejects non-RSA keys, naming the algorithm', () => {
    expectConfigError(
      () => loadPrivateKey(ecPrivatePem),
      /for EC, not RSA \(AMS keys are RSA-2048 or larger; this is an EC key\)/,
      ecPrivatePem,
    );
  });

  it('says "not base64" for garbage and never echoes it', () => {
    expectConfigError(() => loadPrivateKey('this is not a key at all!'), /not base64/);
    expectConfigError(() => loadPrivateKey(merchant.privatePkcs8Base64.replace(/\+/g, '-').replace(/\//g, '_')), /URL-safe/);
    expectConfigError(() => loadPrivateKey(''), /empty/);
  });

  it('says a key is truncated: how many bytes the DER declares and how many are there', () => {
    const declared = Buffer.from(merchant.privatePkcs8Base64, 'base64').length;
    const e = expectConfigError(
      () => loadPrivateKey(merchant.privatePkcs8Base64.slice(0, 800)),
      /the key is truncated/,
      merchant.privatePkcs8Base64,
    );
    expect(e.message).toContain(`declares ${declared} bytes but only 600 are present`);
  });

  it('says a PEM without its END line is truncated, naming the missing line and the size', () => {
    const cut = merchant.privatePkcs8Pem.slice(0, 900);
    const e = expectConfigError(() => loadPrivateKey(cut), /the PEM is truncated/, merchant.privatePkcs8Pem);
    expect(e.message).toContain('no "-----END PRIVATE KEY-----" line');
    expect(e.message).toContain(
      `(900 bytes in all, ${cut.slice(cut.indexOf('KEY-----') + 8).replace(/\s+/g, '').length} base64 characters after BEGIN)`,
    );
  });

  it('accepts a PEM with literal \\n escapes, as environment variables carry it', () => {
    const escaped = merchant.privatePkcs8Pem.trim().replace(/\n/g, '\\n');
    expect(escaped).not.toContain('\n');
    expect(describeKey(loadPrivateKey(escaped)).fingerprint).toBe(expected);
    expect(describeKey(loadPublicKey(merchant.publicSpkiPem.trim().replace(/\n/g, '\\r\\n'))).fingerprint).toBe(expected);
  });

  it('a value that looks like a file path says to read the file', () => {
    for (const path of ['./keys/app_private_key.pem', 'keys/app_private.txt', '/etc/ams/private.pem', '~/keys/key', 'C:\\keys\\app.pem']) {
      const e = expectConfigError(() => loadPrivateKey(path), /this looks like a file path/);
      expect(e.message).toContain(`("${path}"): read the file (readFileSync(path, 'utf8')), or pass its contents`);
    }
    expectConfigError(() => loadPublicKey('./alipay_public.txt', 'alipayPublicKey'), /^alipayPublicKey: this looks like a file path/);
  });

  it('an EC key is refused with the RSA-2048 sentence, in every container', () => {
    expectConfigError(() => loadPrivateKey(ecPrivatePem), /AMS keys are RSA-2048 or larger; this is an EC key/, ecPrivatePem);
    const sec1 = createPrivateKey(ecPrivatePem).export({ type: 'sec1', format: 'pem' }) as string;
    expectConfigError(() => loadPrivateKey(sec1), /^privateKey: AMS keys are RSA-2048 or larger; this is an EC key$/, sec1);
  });

  it('rejects other types with a clear message', () => {
    expectConfigError(() => loadPrivateKey(42 as never), /got number/);
    expectConfigError(() => loadPrivateKey(null as never), /got null/);
  });

  it('parses a string once, however often it is passed', () => {
    keyCacheStats.clear();
    const before = keyCacheStats.parses;
    for (let i = 0; i < 50; i++) loadPrivateKey(other.privatePem);
    expect(keyCacheStats.parses - before).toBe(1);
  });

  it('keeps the cache bounded', () => {
    keyCacheStats.clear();
    for (let i = 0; i < 100; i++) {
      try {
        loadPublicKey(`garbage-${i}`);
      } catch {
        /* failures are not cached */
      }
      loadPublicKey(`${merchant.publicSpkiBase64}${' '.repeat(i)}`);
    }
    expect(keyCacheStats.size).toBeLessThanOrEqual(64);
  });
});

describe('loadPublicKey', () => {
  const pubFingerprint = describeKey(merchant.publicSpkiPem).fingerprint;
  it('is the same fingerprint as the private half', () => expect(pubFingerprint).toBe(expected));
  it.each([
    ['SPKI PEM', merchant.publicSpkiPem],
    ['bare base64 SPKI (Alipay style)', merchant.publicSpkiBase64],
    ['PKCS#1 public PEM', merchant.publicPkcs1Pem],
    ['X.509 certificate PEM', merchant.certPem],
    ['SPKI DER bytes', Buffer.from(merchant.publicSpkiBase64, 'base64')],
  ])('accepts %s', (_n, input) => {
    const key = loadPublicKey(input);
    expect(key.type).toBe('public');
    expect(describeKey(key).fingerprint).toBe(expected);
  });
  it('refuses a private key where a public key is needed', () => {
    expectConfigError(
      () => loadPublicKey(merchant.privatePkcs8Base64),
      /private key where a public key is needed/,
      merchant.privatePkcs8Base64,
    );
    expectConfigError(() => loadPublicKey(createPrivateKey(merchant.privatePkcs1Pem)), /private key where a public key is needed/);
  });
});
