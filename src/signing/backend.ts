// The only file that chooses the RSA implementation: node:crypto (default, native, threadpool) or jsrsasign (pure JS).
import { sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as Jsrsasign from 'jsrsasign';
import { AmsConfigError } from '../errors';

// jsrsasign is ~400 KB of JS: load it only when its backend is first used, so importing ams-cashier stays cheap.
let jsrsasignModule: typeof Jsrsasign | undefined;
function jsrsasign(): typeof Jsrsasign {
  jsrsasignModule ??= createRequire(import.meta.url)('jsrsasign') as typeof Jsrsasign;
  return jsrsasignModule;
}

export type CryptoBackendName = 'node' | 'jsrsasign';

/** RSASSA-PKCS1-v1_5 with SHA-256 over bytes; signatures are standard base64. */
export interface CryptoBackend {
  readonly name: CryptoBackendName;
  sign(content: Uint8Array, key: KeyObject): string;
  verify(content: Uint8Array, signatureBase64: string, key: KeyObject): boolean;
  /** Same as sign, but off the event loop where the backend can (node: libuv threadpool). */
  signAsync(content: Uint8Array, key: KeyObject): Promise<string>;
  verifyAsync(content: Uint8Array, signatureBase64: string, key: KeyObject): Promise<boolean>;
}

// Each key's modulus, big-endian without leading zeros, read once per KeyObject: a JWK export on every verify
// costs about 10% of the notification rows (notify-verify*: 0.58–0.67× with this map, 0.52–0.62× without).
const moduli = new WeakMap<KeyObject, Buffer>();
function modulusOf(key: KeyObject): Buffer {
  let n = moduli.get(key);
  if (!n) {
    n = Buffer.from((key.export({ format: 'jwk' }) as { n: string }).n, 'base64url');
    moduli.set(key, n);
  }
  return n;
}

/**
 * RSASSA-PKCS1-v1_5 allows exactly one encoding of a signature: an integer below the modulus n, written in exactly
 * as many bytes as n. Implementations differ on the rest (jsrsasign reduces s + n to s; node:crypto refuses it),
 * so both backends refuse a non-canonical signature before either runs: the same verdict, and no malleability.
 */
export function isCanonicalSignature(signature: Uint8Array, key: KeyObject): boolean {
  const n = modulusOf(key);
  return signature.length === n.length && Buffer.compare(signature, n) < 0;
}

const nodeBackend: CryptoBackend = {
  name: 'node',
  sign: (content, key) => nodeSign('sha256', content, key).toString('base64'),
  verify: (content, signatureBase64, key) => {
    const signature = Buffer.from(signatureBase64, 'base64');
    return isCanonicalSignature(signature, key) && nodeVerify('sha256', content, key, signature);
  },
  signAsync: (content, key) =>
    new Promise((resolve, reject) => {
      nodeSign('sha256', content, key, (err, sig) => (err ? reject(err) : resolve(sig.toString('base64'))));
    }),
  verifyAsync: (content, signatureBase64, key) =>
    new Promise((resolve, reject) => {
      const signature = Buffer.from(signatureBase64, 'base64');
      if (!isCanonicalSignature(signature, key)) return resolve(false);
      nodeVerify('sha256', content, key, signature, (err, ok) => (err ? reject(err) : resolve(ok)));
    }),
};

// jsrsasign wants its own key objects; convert each KeyObject once (PEM round trip) and remember it: the conversion
// costs about 20% of a jsrsasign verify.
const jsKeys = new WeakMap<KeyObject, unknown>();
function jsKey(key: KeyObject): unknown {
  let k = jsKeys.get(key);
  if (!k) {
    const pem =
      key.type === 'private'
        ? (key.export({ type: 'pkcs8', format: 'pem' }) as string)
        : (key.export({ type: 'spki', format: 'pem' }) as string);
    k = jsrsasign().KEYUTIL.getKey(pem);
    jsKeys.set(key, k);
  }
  return k;
}

function toHex(content: Uint8Array): string {
  return Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('hex');
}

const jsBackend: CryptoBackend = {
  name: 'jsrsasign',
  sign(content, key) {
    const sig = new (jsrsasign().KJUR.crypto.Signature)({ alg: 'SHA256withRSA' });
    sig.init(jsKey(key) as Jsrsasign.RSAKey);
    sig.updateHex(toHex(content));
    return Buffer.from(sig.sign(), 'hex').toString('base64');
  },
  verify(content, signatureBase64, key) {
    const signature = Buffer.from(signatureBase64, 'base64');
    if (!isCanonicalSignature(signature, key)) return false;
    const sig = new (jsrsasign().KJUR.crypto.Signature)({ alg: 'SHA256withRSA' });
    sig.init(jsKey(key) as Jsrsasign.RSAKey);
    sig.updateHex(toHex(content));
    try {
      return sig.verify(signature.toString('hex'));
    } catch {
      return false;
    }
  },
  signAsync: async (content, key) => jsBackend.sign(content, key),
  verifyAsync: async (content, signatureBase64, key) => jsBackend.verify(content, signatureBase64, key),
};

const backends: Record<CryptoBackendName, CryptoBackend> = { node: nodeBackend, jsrsasign: jsBackend };

/** The backend by name; `node` unless told otherwise. */
export function getCryptoBackend(name: CryptoBackendName = 'node'): CryptoBackend {
  const backend = Object.hasOwn(backends, name) ? backends[name] : undefined;
  if (!backend) throw new AmsConfigError(`Unknown crypto backend "${String(name)}"; use "node" or "jsrsasign"`, { field: 'cryptoBackend' });
  return backend;
}
