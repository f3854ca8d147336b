// The Signature header's one-pass parse of the canonical form agrees with the general parse on every input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AmsSignatureError } from '../../src/errors';
import { formatSignatureHeader, parseSignatureHeader } from '../../src/signing/header';

function outcome(value: string): unknown {
  try {
    return parseSignatureHeader(value);
  } catch (err) {
    expect(err).toBeInstanceOf(AmsSignatureError);
    return 'malformed';
  }
}

/** The same header with a space after each comma: never the canonical form, so the general parse decides. */
const general = (value: string): string => value.replace(/,/g, ', ');

describe('parseSignatureHeader: canonical form', () => {
  it('reads what formatSignatureHeader writes, as the general parse does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.stringMatching(/^[0-9A-Za-z._-]{1,16}$/), (bytes, kv) => {
        const sig = Buffer.from(bytes).toString('base64');
        const value = formatSignatureHeader(sig, kv);
        expect(parseSignatureHeader(value)).toEqual({ algorithm: 'RSA256', keyVersion: kv, signature: sig });
        expect(outcome(general(value))).toEqual(outcome(value));
      }),
    );
  });

  it('agrees with the general parse on near-canonical values (escape case, stray escapes, padding, length)', () => {
    const part = fc.constantFrom('A', 'z', '9', '%2B', '%2b', '%2F', '%2f', '%3D', '%3d', '%41', '%', '%2', '+', '/', '=', ' ', ',');
    fc.assert(
      fc.property(fc.array(part, { minLength: 0, maxLength: 16 }), (parts) => {
        const value = `algorithm=RSA256,keyVersion=1,signature=${parts.join('')}`;
        expect(outcome(value)).toEqual(outcome(general(value)));
      }),
      { numRuns: 3000 },
    );
  });

  it('pins the cases the one-pass parse must refuse to itself', () => {
    for (const sig of ['ab%3Dc', '%3D%3Dab', 'abc%3D%3D%3D', 'a', '']) {
      const value = `algorithm=RSA256,keyVersion=1,signature=${sig}`;
      expect(outcome(value)).toBe('malformed');
    }
    expect(parseSignatureHeader('algorithm=RSA256,keyVersion=1,signature=ab%2b%2F')).toEqual({
      algorithm: 'RSA256',
      keyVersion: '1',
      signature: 'ab+/',
    });
  });
});
