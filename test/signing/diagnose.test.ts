// The verify cause finder as a pure module: importable and usable without I/O, deterministic, and never guessing wrong.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diagnoseSignature, extractSignatureValue, signatureVariants } from '../../src/signing/diagnose';
import { escapeVisible, shQuote } from '../../src/cli/format';
import { loadPublicKey, signRequest } from '../../src/index';
import { merchant } from '../helpers/keys';

const pub = loadPublicKey(merchant.publicSpkiBase64);
const base = { method: 'POST', path: '/ams/api/v1/payments/pay', clientId: 'C1', time: '2026-01-01T00:00:00Z' };
/** What signRequest takes of `base` (its time is requestTime there). */
const signed = { method: base.method, path: base.path, clientId: base.clientId };

describe('diagnose (pure)', () => {
  it('imports nothing that does I/O', () => {
    const src = readFileSync(new URL('../../src/signing/diagnose.ts', import.meta.url), 'utf8');
    const imports = [...src.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(imports.filter((s) => /fs|child_process|net|http|process|\.\/io/.test(s!))).toEqual([]);
  });

  it('is valid for the exact content, and finds a body with an extra trailing space', () => {
    const body = '{"a":1}';
    const signature = signRequest({ ...signed, requestTime: base.time, body, privateKey: merchant.privatePkcs8Pem });
    expect(diagnoseSignature({ ...base, body: Buffer.from(body), signature }, { publicKey: pub })).toMatchObject({
      valid: true,
      code: 'valid',
    });
    const d = diagnoseSignature({ ...base, body: Buffer.from(`${body}  `), signature }, { publicKey: pub });
    expect(d.match?.changes.map((c) => c.id)).toEqual(['body.trailing-whitespace-removed']);
  });

  it('never reports a variant for a signature of different content (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.string({ minLength: 1, maxLength: 30 }), (a, b) => {
        fc.pre(a.trim() !== `${a}${b}`.trim() && !/^\s*$/.test(b));
        const signature = signRequest({ ...signed, requestTime: base.time, body: `${a}X${b}`, privateKey: merchant.privatePkcs8Pem });
        const d = diagnoseSignature({ ...base, body: Buffer.from(`${a}Y${b}`), signature }, { publicKey: pub });
        expect(d.valid).toBe(false);
        expect(d.code).toBe('content_differs');
      }),
      { numRuns: 15 },
    );
  });

  it('a correct bare signature is valid, with a note on the header form', () => {
    const body = '{"a":1}';
    const header = signRequest({ ...signed, requestTime: base.time, body, privateKey: merchant.privatePkcs8Pem });
    const bare = decodeURIComponent(header.split('signature=')[1]!);
    const d = diagnoseSignature({ ...base, body: Buffer.from(body), signature: bare }, { publicKey: pub });
    expect(d).toMatchObject({ valid: true, code: 'valid' });
    expect(d.notes.join(' ')).toMatch(/bare signature/);
  });

  it('reads headers and bare signatures', () => {
    expect(extractSignatureValue('Signature: algorithm=RSA256, keyVersion=1, signature=ab%2Bc')).toEqual({ header: true, value: 'ab%2Bc' });
    expect(extractSignatureValue('abc=')).toEqual({ header: false, value: 'abc=' });
    expect(signatureVariants('algorithm=RSA256,signature=ab%252Bcde%253D%253D').map((v) => [v.value, v.changes.map((c) => c.id)])).toEqual([
      ['ab+cde==', ['signature.double-encoded']],
    ]);
  });
});

describe('format helpers', () => {
  it('escapes newlines, spaces, tabs, BOM and backslashes visibly and unambiguously', () => {
    expect(escapeVisible('POST /p\nC.T.\uFEFF{"a": "b\\\\n·"}\t\r\n')).toBe('POST·/p\\nC.T.\\ufeff{"a":·"b\\\\\\\\n\\u00b7"}\\t\\r\\n');
  });
  it('shell-quotes', () => {
    expect(shQuote("it's")).toBe(`'it'\\''s'`);
    expect(shQuote('/a/b.json')).toBe('/a/b.json');
  });
});

describe('diagnoseSignature on a large body', () => {
  it('hashes a bounded number of bytes and says the search stopped, instead of stalling for seconds', () => {
    const body = `{"pad":"${'x'.repeat(1024 * 1024)}"}`;
    // A 13-digit time: the slowest case, ±5000 nearby times each hashing the whole body.
    const time = '1767225600000';
    const signature = signRequest({ ...signed, requestTime: time, body: `${body} `, privateKey: merchant.privatePkcs8Pem });
    const d = diagnoseSignature({ ...base, time, body: Buffer.from(body), signature }, { publicKey: pub });
    expect(d.valid).toBe(false);
    expect(d.notes.join(' ')).toMatch(/The search for a variant stopped after \d+ tries: the body is 1048586 bytes/);
    // 64 MiB of hashing is tens of tries of this body, not the 10 000 it would take unbounded (7 s measured).
    expect(d.tried).toBeLessThan(200);
  });
});
