// Loads RSA keys in every form AMS users arrive with, detects the container from the DER, and caches the result.
import { createHash, createPrivateKey, createPublicKey, KeyObject, X509Certificate } from 'node:crypto';
import { AmsConfigError } from '../errors';
import { classifyDer, type DerKind } from './der';

/** Anything `loadPrivateKey` / `loadPublicKey` accept. */
export type KeyInput = string | Uint8Array | KeyObject;

/** AMS keys are RSA; Alipay's key tool makes 2048-bit keys, and anything shorter is refused. */
export const MIN_RSA_BITS = 2048;

/** What a key was found to be; no key material, safe to print. */
export interface KeyDescription {
  type: 'private' | 'public';
  /** The container it came in. */
  format: 'pkcs1-private' | 'pkcs8-private' | 'spki-public' | 'pkcs1-public' | 'x509-certificate' | 'key-object';
  /** How it was written: PEM text, bare base64 (Alipay's key tool), raw DER, or a KeyObject. */
  encoding: 'pem' | 'base64' | 'der' | 'key-object';
  algorithm: string;
  bits: number | undefined;
  /** SHA-256 of the public key's SPKI DER, hex — the same for a private key and its public half. */
  fingerprint: string;
}

const PEM_RE = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/;
const PEM_BEGIN_RE = /-----BEGIN ([A-Z0-9 ]+)-----/;
/** A short value with a path shape: `./keys/a.pem`, `/etc/ams/key.txt`, `C:\\keys\\a.pem`, `keys/app_private_key.pem`. */
const PATH_RE =
  /^(?:~|\.{1,2})?[\\/]?(?:[A-Za-z]:[\\/])?[\w.@ -]+(?:[\\/][\w.@ -]+)*\.(?:pem|txt|key|der|crt|cer|pub|p8|pk8)$|^(?:\.{1,2}|~)?[\\/][\w.@ -]*(?:[\\/][\w.@ -]+)+$/i;

/** The one sentence for a key of another algorithm, wherever one is met (loading, `keys inspect`). */
export function notRsaMessage(algorithm: string): string {
  return `AMS keys are RSA-${MIN_RSA_BITS} or larger; this is an ${algorithm.toUpperCase()} key`;
}

/** The total length a DER SEQUENCE declares in its header, or undefined when the header itself is not readable. */
function declaredDerLength(der: Buffer): number | undefined {
  if (der.length < 2 || der[0] !== 0x30) return undefined;
  const first = der[1]!;
  if ((first & 0x80) === 0) return 2 + first;
  const n = first & 0x7f;
  if (n === 0 || n > 4 || der.length < 2 + n) return undefined;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + der[2 + i]!;
  return 2 + n + len;
}
const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;

const KIND_WORDS: Record<string, string> = {
  'pkcs1-private': 'a PKCS#1 RSA private key',
  'pkcs8-private': 'a PKCS#8 private key',
  'pkcs8-encrypted': 'an encrypted (password-protected) PKCS#8 private key',
  'spki-public': 'a public key (SPKI)',
  'pkcs1-public': 'a PKCS#1 RSA public key',
  'x509-certificate': 'an X.509 certificate',
};

interface Decoded {
  der: Buffer;
  encoding: 'pem' | 'base64' | 'der';
  label?: string;
}

function fail(role: string, message: string): never {
  throw new AmsConfigError(`${role}: ${message}`, { field: role });
}

/** Text → DER. PEM with any label, or bare base64 possibly wrapped and with stray whitespace or quotes. */
function decodeText(raw: string, role: string): Decoded {
  // An environment variable often carries the PEM with literal \n escapes; a backslash is never part of a key, so
  // turning the escapes back into newlines is unambiguous.
  const text = raw.replace(/\\r\\n|\\n/g, '\n');
  const pem = PEM_RE.exec(text);
  if (pem) {
    const body = pem[2]!
      .split(/\r?\n/)
      .filter((line) => !line.includes(':')) // RFC 1421 headers such as Proc-Type on encrypted PKCS#1
      .join('')
      .replace(/\s+/g, '');
    if (/Proc-Type:\s*4,ENCRYPTED/.test(pem[2]!))
      fail(role, 'found an encrypted (password-protected) PEM key; decrypt it first (openssl rsa -in key.pem -out plain.pem)');
    if (!BASE64_RE.test(body)) fail(role, `found a PEM block "${pem[1]}" whose content is not base64`);
    return { der: Buffer.from(body, 'base64'), encoding: 'pem', label: pem[1] };
  }
  const begin = PEM_BEGIN_RE.exec(text);
  if (begin) {
    const body = text.slice(begin.index + begin[0].length).replace(/\s+/g, '');
    fail(
      role,
      `the PEM is truncated: it has "-----BEGIN ${begin[1]}-----" but no "-----END ${begin[1]}-----" line ` +
        `(${Buffer.byteLength(text)} bytes in all, ${body.length} base64 characters after BEGIN); copy the whole key, END line included`,
    );
  }
  const trimmed = text.trim().replace(/^["']|["']$/g, '');
  if (trimmed.length < 512 && PATH_RE.test(trimmed)) {
    fail(role, `this looks like a file path ("${trimmed}"): read the file (readFileSync(path, 'utf8')), or pass its contents`);
  }
  const compact = text.replace(/\\n/g, '').replace(/[\s"']+/g, '');
  if (compact.length === 0) fail(role, 'the key is empty');
  if (!BASE64_RE.test(compact)) {
    if (/^[A-Za-z0-9_-]+={0,2}$/.test(compact))
      fail(role, 'not base64 (it uses the URL-safe alphabet with - and _; AMS keys are standard base64)');
    fail(role, `not base64 and not PEM (${compact.length} characters, starting with a character outside the base64 alphabet)`);
  }
  return { der: Buffer.from(compact, 'base64'), encoding: 'base64' };
}

function decodeInput(input: string | Uint8Array, role: string): Decoded {
  if (typeof input === 'string') return decodeText(input, role);
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  // DER always starts with SEQUENCE (0x30 followed by a length byte ≥ 0x80 for keys); text keys are printable.
  if (bytes.length > 1 && bytes[0] === 0x30 && (bytes[1]! & 0x80) !== 0) return { der: Buffer.from(bytes), encoding: 'der' };
  return decodeText(bytes.toString('utf8'), role);
}

function describeKind(kind: DerKind): string {
  if (kind.kind === 'unknown') return 'something that is not an RSA key (the bytes are not a key structure)';
  const words = KIND_WORDS[kind.kind]!;
  return 'algorithm' in kind && kind.algorithm !== 'RSA'
    ? `${words} for ${kind.algorithm}, not RSA (${notRsaMessage(kind.algorithm)})`
    : words;
}

function bitsOf(key: KeyObject): number | undefined {
  return key.asymmetricKeyDetails?.modulusLength;
}

function checkRsa(key: KeyObject, role: string): void {
  if (key.asymmetricKeyType !== 'rsa') fail(role, notRsaMessage(key.asymmetricKeyType ?? 'non-RSA'));
  const bits = bitsOf(key);
  if (bits !== undefined && bits < MIN_RSA_BITS) fail(role, `found an RSA key of ${bits} bits; AMS needs ${MIN_RSA_BITS} bits or more`);
}

function fingerprintOf(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(pub.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

interface Parsed {
  key: KeyObject;
  format: KeyDescription['format'];
  encoding: KeyDescription['encoding'];
}

/** The KeyObject classified DER holds, whatever its algorithm or size; undefined for what is not a plain key. */
export function keyObjectFromDer(der: Buffer, kind: DerKind, label?: string): KeyObject | undefined {
  if (kind.kind === 'pkcs1-private') return createPrivateKey({ key: der, format: 'der', type: 'pkcs1' });
  if (kind.kind === 'pkcs8-private') return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  if (kind.kind === 'spki-public') return createPublicKey({ key: der, format: 'der', type: 'spki' });
  if (kind.kind === 'pkcs1-public') return createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
  if (kind.kind === 'x509-certificate') return new X509Certificate(der).publicKey;
  // OpenSSL's default EC key (`openssl ecparam -genkey`): read so it can be named as EC rather than as "not a key".
  if (label === 'EC PRIVATE KEY') return createPrivateKey({ key: der, format: 'der', type: 'sec1' });
  return undefined;
}

/** Turns classified DER into a KeyObject of the wanted type, or explains (in our words) what was found instead. */
type Builder = (der: Buffer, kind: DerKind, role: string) => KeyObject;

const buildPrivate: Builder = (der, kind, role) => {
  if (kind.kind === 'pkcs1-private' || (kind.kind === 'pkcs8-private' && kind.algorithm === 'RSA')) return keyObjectFromDer(der, kind)!;
  if (kind.kind === 'spki-public' || kind.kind === 'pkcs1-public' || kind.kind === 'x509-certificate')
    fail(
      role,
      `looks like a public key where a private key is needed (found ${describeKind(kind)}); use the private key you generated, not the one you uploaded`,
    );
  if (kind.kind === 'pkcs8-encrypted')
    fail(role, `found ${describeKind(kind)}; decrypt it first (openssl pkcs8 -in key.pem -out plain.pem)`);
  fail(role, `found ${describeKind(kind)}`);
};

const buildPublic: Builder = (der, kind, role) => {
  if ((kind.kind === 'spki-public' && kind.algorithm === 'RSA') || kind.kind === 'pkcs1-public' || kind.kind === 'x509-certificate') {
    return keyObjectFromDer(der, kind)!;
  }
  if (kind.kind === 'pkcs1-private' || kind.kind === 'pkcs8-private' || kind.kind === 'pkcs8-encrypted')
    fail(
      role,
      `looks like a private key where a public key is needed (found ${describeKind(kind)}); never configure or share a private key here`,
    );
  fail(role, `found ${describeKind(kind)}`);
};

function parse(input: string | Uint8Array, role: string, build: Builder): Parsed {
  const decoded = decodeInput(input, role);
  const declared = declaredDerLength(decoded.der);
  if (declared !== undefined && declared > decoded.der.length) {
    fail(role, `the key is truncated: its DER declares ${declared} bytes but only ${decoded.der.length} are present; copy the whole key`);
  }
  if (decoded.label === 'EC PRIVATE KEY' || decoded.label === 'DSA PRIVATE KEY') fail(role, notRsaMessage(decoded.label.split(' ')[0]!));
  if (decoded.label === 'OPENSSH PRIVATE KEY') {
    fail(
      role,
      'found an OpenSSH-format private key; AMS needs an RSA key in PEM: `ams-cashier keys generate` makes one, or convert with ssh-keygen -p -m PKCS8 -f FILE',
    );
  }
  const kind = classifyDer(decoded.der);
  let key: KeyObject;
  try {
    key = build(decoded.der, kind, role);
  } catch (err) {
    if (err instanceof AmsConfigError) throw err;
    // Node's message can quote ASN.1 internals; keep only our own words so nothing of the key can leak.
    throw new AmsConfigError(`${role}: found ${describeKind(kind)} but it could not be read (damaged or truncated key)`, { field: role });
  }
  checkRsa(key, role);
  return { key, format: kind.kind as KeyDescription['format'], encoding: decoded.encoding };
}

function describe(key: KeyObject, format: KeyDescription['format'], encoding: KeyDescription['encoding']): KeyDescription {
  return {
    type: key.type === 'private' ? 'private' : 'public',
    format,
    encoding,
    algorithm: (key.asymmetricKeyType ?? 'unknown').toUpperCase(),
    bits: bitsOf(key),
    fingerprint: fingerprintOf(key),
  };
}

/**
 * Bounded cache of parsed keys keyed by a SHA-256 of the input, so a PEM string handed to the signing
 * primitives on every call is parsed once. The hash, not the key text, is the map key: no key text is retained.
 * Parsing a private PEM costs about 400× the hash (rows sign-pem and sign-base64 would fall far below their 0.90×).
 */
class KeyCache {
  readonly #max: number;
  readonly #map = new Map<string, Parsed>();
  constructor(max: number) {
    this.#max = max;
  }
  get(id: string): Parsed | undefined {
    const hit = this.#map.get(id);
    if (hit) {
      this.#map.delete(id);
      this.#map.set(id, hit); // most recently used last
    }
    return hit;
  }
  set(id: string, value: Parsed): void {
    this.#map.set(id, value);
    if (this.#map.size > this.#max) this.#map.delete(this.#map.keys().next().value!);
  }
  get size(): number {
    return this.#map.size;
  }
  clear(): void {
    this.#map.clear();
  }
}

const cache = new KeyCache(64);
let lastPublic: { text: string; parsed: Parsed } | undefined;
let parses = 0;

function cacheId(kind: 'private' | 'public', input: string | Uint8Array): string {
  const h = createHash('sha256').update(kind);
  h.update(typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength));
  return h.digest('base64');
}

function load(kind: 'private' | 'public', input: unknown, role: string): Parsed {
  if (input instanceof KeyObject) {
    if (kind === 'private' && input.type !== 'private')
      fail(role, `looks like a public key where a private key is needed (found a ${input.type} KeyObject)`);
    if (kind === 'public' && input.type === 'private')
      fail(role, 'looks like a private key where a public key is needed (found a private KeyObject)');
    if (kind === 'public' && input.type !== 'public') fail(role, `found a ${input.type} KeyObject; an RSA public key is needed`);
    checkRsa(input, role);
    return { key: input, format: 'key-object', encoding: 'key-object' };
  }
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) {
    fail(role, `expected a PEM or base64 string, DER bytes or a KeyObject, got ${input === null ? 'null' : typeof input}`);
  }
  // A public key string handed over on every notification: the same string as last time skips even the hash
  // (row notify-verify: 0.61–0.64× with this, 0.50–0.52× without). Only public keys are remembered by value;
  // private key text is never retained.
  if (kind === 'public' && typeof input === 'string' && lastPublic?.text === input) return lastPublic.parsed;
  const id = cacheId(kind, input);
  let parsed = cache.get(id);
  if (!parsed) {
    parses++;
    parsed = parse(input, role, kind === 'private' ? buildPrivate : buildPublic);
    cache.set(id, parsed);
  }
  if (kind === 'public' && typeof input === 'string') lastPublic = { text: input, parsed };
  return parsed;
}

/** Loads the merchant's RSA private key: PEM PKCS#1 or PKCS#8, bare base64 of either, DER bytes, or a KeyObject. */
export function loadPrivateKey(input: KeyInput, role = 'privateKey'): KeyObject {
  return load('private', input, role).key;
}

/** Loads an RSA public key: PEM or bare base64 SPKI, PEM PKCS#1 public key, X.509 certificate PEM, DER, or a KeyObject. */
export function loadPublicKey(input: KeyInput, role = 'alipayPublicKey'): KeyObject {
  return load('public', input, role).key;
}

/** What a key is (format, size, fingerprint), for tools and diagnostics. Accepts private and public keys. */
export function describeKey(input: KeyInput): KeyDescription {
  let parsed: Parsed;
  try {
    parsed = load('private', input, 'key');
  } catch (err) {
    if (!(err instanceof AmsConfigError) || !/public key where a private/.test(err.message)) throw err;
    parsed = load('public', input, 'key');
  }
  // Described on request only: the fingerprint costs an export and a hash, which signing never needs.
  return describe(parsed.key, parsed.format, parsed.encoding);
}

/**
 * A key's DER as the loaders decode it (PEM with any label, bare base64, DER bytes), before any check of what it
 * holds: for tools that describe keys the loaders refuse. Throws the loaders' AmsConfigError for unreadable text.
 */
export function decodeKeyText(input: string | Uint8Array): { der: Buffer; encoding: 'pem' | 'base64' | 'der'; label?: string | undefined } {
  return decodeInput(input, 'key');
}

/** The SPKI fingerprint of a key object's public half (for "is this my own public key?" checks). */
export function publicKeyFingerprint(key: KeyObject): string {
  return fingerprintOf(key);
}

/** Internal counters for tests and benchmarks: how many times a key was actually parsed. */
export const keyCacheStats = {
  get parses(): number {
    return parses;
  },
  get size(): number {
    return cache.size;
  },
  clear(): void {
    cache.clear();
    lastPublic = undefined;
  },
};
