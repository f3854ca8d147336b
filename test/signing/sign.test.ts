// Signing primitives: golden vectors made by openssl, byte-identical headers, header parsing, cross-backend properties.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AmsConfigError,
  AmsSignatureError,
  buildSignContent,
  loadPrivateKey,
  loadPublicKey,
  parseSignatureHeader,
  signRequest,
  verifySignature,
} from '../../src/index';
import { getCryptoBackend } from '../../src/signing/backend';
import { formatSignatureHeader, redactSignatureHeader } from '../../src/signing/header';
import { merchant, other } from '../helpers/keys';

interface Vector {
  name: string;
  method: string;
  path: string;
  clientId: string;
  requestTime: string;
  body: string;
  signatureBase64: string;
  signatureHeader: string;
}
const { vectors } = JSON.parse(readFileSync(new URL('../vectors/signatures.json', import.meta.url), 'utf8')) as { vectors: Vector[] };

describe('buildSignContent', () => {
  it('is METHOD PATH\\nCLIENT.TIME.BODY', () => {
    expect(buildSignContent({ path: '/ams/api/v1/payments/pay', clientId: 'C', time: 'T', body: '{"a":1}' })).toBe(
      'POST /ams/api/v1/payments/pay\nC.T.{"a":1}',
    );
    expect(buildSignContent({ method: 'GET', path: '/p', clientId: 'C', time: '1', body: '' })).toBe('GET /p\nC.1.');
  });
});

describe('golden vectors (openssl)', () => {
  it('covers a sandbox path, an epoch-millis time and a multi-line UTF-8 body', () => {
    expect(vectors.some((v) => v.path.includes('/ams/sandbox/'))).toBe(true);
    expect(vectors.some((v) => /^\d{13}$/.test(v.requestTime))).toBe(true);
    expect(vectors.some((v) => v.body.includes('\n') && /[^\x00-\x7f]/.test(v.body))).toBe(true);
  });
  for (const backend of ['node', 'jsrsasign'] as const) {
    it.each(vectors)(`${backend}: $name`, (v) => {
      const header = signRequest({
        method: v.method,
        path: v.path,
        clientId: v.clientId,
        requestTime: v.requestTime,
        body: v.body,
        privateKey: merchant.privatePkcs1Pem,
        cryptoBackend: backend,
      });
      expect(header).toBe(v.signatureHeader);
      expect(
        verifySignature({
          path: v.path,
          clientId: v.clientId,
          time: v.requestTime,
          body: v.body,
          signature: v.signatureHeader,
          publicKey: merchant.publicSpkiBase64,
          cryptoBackend: backend,
        }),
      ).toBe(true);
      expect(
        verifySignature({
          path: v.path,
          clientId: v.clientId,
          time: v.requestTime,
          body: `${v.body} `,
          signature: v.signatureHeader,
          publicKey: merchant.publicSpkiBase64,
          cryptoBackend: backend,
        }),
      ).toBe(false);
    });
  }
  it('escapes + / = as %2B %2F %3D, uppercase', () => {
    const all = vectors.map((v) => v.signatureHeader.split('signature=')[1]!).join('');
    expect(all).not.toMatch(/[+/=]/);
    expect(all).toMatch(/%2B|%2F/);
    expect(all).toMatch(/%3D$|%3D/);
    expect(all).not.toMatch(/%2b|%2f|%3d/);
  });
  it('an unknown backend name is a config error, even a prototype name', () => {
    const v = vectors[0]!;
    for (const backend of ['toString', 'openssl']) {
      expect(() =>
        signRequest({
          path: v.path,
          clientId: v.clientId,
          requestTime: v.requestTime,
          body: v.body,
          privateKey: merchant.privatePkcs8Pem,
          cryptoBackend: backend as never,
        }),
      ).toThrow(/Unknown crypto backend/);
    }
  });
  it('an unknown key is refused, not ignored: `backend` (the old name) lists cryptoBackend among the known options', () => {
    const v = vectors[0]!;
    const sign = {
      path: v.path,
      clientId: v.clientId,
      requestTime: v.requestTime,
      body: v.body,
      privateKey: merchant.privatePkcs8Pem,
      backend: 'jsrsasign',
    };
    expect(() => signRequest(sign as never)).toThrow(AmsConfigError);
    expect(() => signRequest(sign as never)).toThrow(/cryptoBackend/);
    const verify = {
      path: v.path,
      clientId: v.clientId,
      time: v.requestTime,
      body: v.body,
      signature: v.signatureHeader,
      publicKey: merchant.publicSpkiBase64,
      backend: 'node',
    };
    expect(() => verifySignature(verify as never)).toThrow(/cryptoBackend/);
    const { backend: _signBackend, ...current } = sign;
    expect(() => signRequest({ ...current, keyversion: '2' } as never)).toThrow(
      'Invalid signRequest input: unknown option "keyversion" (did you mean "keyVersion"?)',
    );
    const { backend: _old, ...renamed } = verify;
    expect(verifySignature({ ...renamed, cryptoBackend: 'jsrsasign' })).toBe(true);
  });
  it('omits keyVersion when asked, and uses the given one', () => {
    const v = vectors[0]!;
    const base = { path: v.path, clientId: v.clientId, requestTime: v.requestTime, body: v.body, privateKey: merchant.privatePkcs8Pem };
    expect(signRequest({ ...base, keyVersion: null })).toBe(v.signatureHeader.replace('keyVersion=1,', ''));
    expect(signRequest({ ...base, keyVersion: '2' })).toContain('keyVersion=2,');
  });
});

describe('parseSignatureHeader', () => {
  const sig = 'ab+/cd==';
  it('parses the canonical form', () => {
    expect(parseSignatureHeader(`algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(sig)}`)).toEqual({
      algorithm: 'RSA256',
      keyVersion: '1',
      signature: sig,
    });
  });
  it('accepts lowercase hex escapes (.NET), spaces after commas, other order, missing keyVersion', () => {
    expect(parseSignatureHeader('algorithm=RSA256, keyVersion=2, signature=ab%2b%2fcd%3d%3d')).toEqual({
      algorithm: 'RSA256',
      keyVersion: '2',
      signature: sig,
    });
    expect(parseSignatureHeader('signature=ab%2B%2Fcd%3D%3D,algorithm=RSA256')).toEqual({
      algorithm: 'RSA256',
      keyVersion: undefined,
      signature: sig,
    });
  });
  it('parses a header with lowercase escapes, as the .NET SDK writes them', () => {
    // A sample pay request's Signature header, escaped in lowercase.
    const dotnet =
      'algorithm=RSA256,keyVersion=2,signature=TgpjpAzwmA7aWDloDEitOpYvPXT84kBXI3urHd6n0MvSQwvJM3bxeSM8UDogquQzfpnn%2f5VPmoZxHvxWdRfZcXMM3vVtVuLJcNdnaD3EPCFvsHoyzFnxBst5MEOO9dqoUhl13hGnx1BdCxsHSFTd5Wv%2b%2fmSNXhoVkYytTJ25k7VYl4YfpLMj2hSWsVvfd%2bLQ5vVq84rVRSHQQxecK%2bJqtZx92WzpD2CogRTbnHtnqMCBAhwCpfe9ZHRBC5DGvaam%2fsEtvy0C5n4tY0qOehoehWk0MIofRLHqBmLYnw6zXwVYTsdRqqVwxnoanKX9ywb6GJ%2fYPHqlAbuo2SclECe3Mg%3d%3d';
    const parsed = parseSignatureHeader(dotnet);
    expect(parsed.keyVersion).toBe('2');
    expect(Buffer.from(parsed.signature, 'base64').length).toBe(256);
  });
  it.each([
    ['empty', ''],
    ['no signature', 'algorithm=RSA256,keyVersion=1'],
    ['no algorithm', 'keyVersion=1,signature=abcd'],
    ['other algorithm', 'algorithm=RSA512,signature=abcd'],
    ['not base64', 'algorithm=RSA256,signature=ab*cd'],
    ['bad escape', 'algorithm=RSA256,signature=ab%zzcd'],
    ['duplicate part', 'algorithm=RSA256,signature=abcd,signature=abcd'],
    ['not name=value', 'algorithm=RSA256,junk,signature=abcd'],
  ])('throws AmsSignatureError malformed for %s', (_n, value) => {
    try {
      parseSignatureHeader(value);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AmsSignatureError);
      expect((e as AmsSignatureError).reason).toBe('malformed');
    }
  });
  it('never throws anything but AmsSignatureError on random input', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        try {
          parseSignatureHeader(s);
        } catch (e) {
          if (!(e instanceof AmsSignatureError)) throw e;
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('backends agree', () => {
  const priv = loadPrivateKey(merchant.privatePkcs8Pem);
  const pub = loadPublicKey(merchant.publicSpkiPem);
  const node = getCryptoBackend('node');
  const js = getCryptoBackend('jsrsasign');
  it('sign with one, verify with the other, on random bodies including non-ASCII UTF-8', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 50 }), (a, b) => {
        const content = Buffer.from(`POST /ams/api/v1/payments/pay\nC.1.${a}${b}`, 'utf8');
        const s1 = node.sign(content, priv);
        const s2 = js.sign(content, priv);
        expect(s2).toBe(s1); // PKCS#1 v1.5 is deterministic
        expect(js.verify(content, s1, pub)).toBe(true);
        expect(node.verify(content, s2, pub)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
  it('signRequest with one backend, verifySignature with the other, on random UTF-8 bodies', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 120 }), fc.constantFrom('node', 'jsrsasign'), (body, signer) => {
        const other = signer === 'node' ? 'jsrsasign' : 'node';
        const input = { path: '/ams/sandbox/api/v1/payments/pay', clientId: 'SANDBOX_X', requestTime: '1763798400000', body };
        const header = signRequest({ ...input, privateKey: priv, cryptoBackend: signer });
        const { requestTime: _sent, ...received } = input;
        expect(verifySignature({ ...received, time: input.requestTime, signature: header, publicKey: pub, cryptoBackend: other })).toBe(
          true,
        );
        expect(
          verifySignature({
            ...received,
            time: input.requestTime,
            body: `${body}\n`,
            signature: header,
            publicKey: pub,
            cryptoBackend: other,
          }),
        ).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
  it('async node signing equals sync', async () => {
    const content = Buffer.from('x');
    expect(await node.signAsync(content, priv)).toBe(node.sign(content, priv));
    expect(await node.verifyAsync(content, node.sign(content, priv), pub)).toBe(true);
  });
  it('a signature by another key does not verify', () => {
    const content = Buffer.from('POST /p\nC.T.{}');
    const wrong = node.sign(content, loadPrivateKey(other.privatePem));
    expect(node.verify(content, wrong, pub)).toBe(false);
    expect(js.verify(content, wrong, pub)).toBe(false);
    expect(
      verifySignature({ path: '/p', clientId: 'C', time: 'T', body: '{}', signature: formatSignatureHeader(wrong, '1'), publicKey: pub }),
    ).toBe(false);
  });
});

describe('non-canonical signatures: both backends give the same verdict', () => {
  const priv = loadPrivateKey(merchant.privatePkcs8Pem);
  const pub = loadPublicKey(merchant.publicSpkiPem);
  const n = BigInt(`0x${Buffer.from((pub.export({ format: 'jwk' }) as { n: string }).n, 'base64url').toString('hex')}`);
  const backends = [getCryptoBackend('node'), getCryptoBackend('jsrsasign')];
  const toBase64 = (v: bigint, bytes?: number): string => {
    const hex = v.toString(16);
    const even = hex.padStart(hex.length + (hex.length % 2), '0');
    return Buffer.from(bytes === undefined ? even : even.padStart(bytes * 2, '0'), 'hex').toString('base64');
  };
  const toBig = (b64: string): bigint => BigInt(`0x${Buffer.from(b64, 'base64').toString('hex')}`);
  type Variant = 'valid' | 'plus_n' | 'plus_2n' | 'leading_zero' | 'stripped' | 'flip' | 'modulus';
  const variant = (sig: string, kind: Variant, bit: number): string => {
    const s = toBig(sig);
    const bytes = Buffer.from(sig, 'base64');
    switch (kind) {
      case 'valid':
        return sig;
      case 'plus_n':
        return toBase64(s + n);
      case 'plus_2n':
        return toBase64(s + 2n * n);
      case 'leading_zero':
        return Buffer.concat([Buffer.from([0]), bytes]).toString('base64');
      case 'stripped':
        return bytes.subarray(1).toString('base64');
      case 'flip':
        bytes[bit % bytes.length]! ^= 1 << (bit % 8);
        return bytes.toString('base64');
      case 'modulus':
        return toBase64(n);
    }
  };

  it('valid, mutated, s + kn, padded, shortened and s = n: node:crypto and jsrsasign agree, and only the valid one verifies', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 80 }),
        fc.constantFrom<Variant>('valid', 'plus_n', 'plus_2n', 'leading_zero', 'stripped', 'flip', 'modulus'),
        fc.nat(4096),
        (text, kind, bit) => {
          const content = Buffer.from(`POST /ams/api/v1/payments/pay\nC.1.${text}`, 'utf8');
          const sig = variant(backends[0]!.sign(content, priv), kind, bit);
          const verdicts = backends.map((b) => b.verify(content, sig, pub));
          expect(verdicts[1]).toBe(verdicts[0]);
          expect(verdicts[0]).toBe(kind === 'valid');
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the async form refuses s + n too', async () => {
    const content = Buffer.from('POST /p\nC.T.{}');
    const sig = backends[0]!.sign(content, priv);
    expect(await backends[0]!.verifyAsync(content, sig, pub)).toBe(true);
    expect(await backends[0]!.verifyAsync(content, toBase64(toBig(sig) + n), pub)).toBe(false);
    expect(await backends[1]!.verifyAsync(content, toBase64(toBig(sig) + n), pub)).toBe(false);
  });
});

describe('redactSignatureHeader', () => {
  it('cuts every signature part: spaces around "=", any case, repeated keys', () => {
    const sig = 'dGhpcyBpcyBhIHNlY3JldCBzaWduYXR1cmU%3D';
    for (const header of [
      `algorithm=RSA256,keyVersion=1,signature=${sig}`,
      `algorithm=RSA256, keyVersion=1, signature = ${sig}`,
      `algorithm=RSA256,Signature=${sig},signature=${sig}`,
      `SIGNATURE=${sig}`,
    ]) {
      const shown = redactSignatureHeader(header)!;
      expect(shown).not.toContain(sig);
      expect(shown).toContain('<redacted');
    }
    expect(redactSignatureHeader('algorithm=RSA256,keyVersion=2,signature=abc')).toBe(
      'algorithm=RSA256,keyVersion=2,signature=<redacted 3 chars>',
    );
  });
});
