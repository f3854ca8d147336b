// Finds why an AMS signature does not verify: tries the cheap variants (body, path, time, key, encoding) and names the one that does.
// No I/O: keys come in as KeyObjects, everything else as strings and bytes.
import { constants, createHash, publicDecrypt, type KeyObject } from 'node:crypto';
import { AmsSignatureError } from '../errors';
import { getCryptoBackend } from '../signing/backend';
import { buildSignContentBytes } from '../signing/content';
import { publicKeyFingerprint } from '../signing/keys';
import { verifySignature } from '../signing/sign';

export interface VerifyCase {
  method: string;
  path: string;
  clientId: string;
  time: string;
  /** The body exactly as received or sent. */
  body: Uint8Array;
  /** A Signature header value (`algorithm=RSA256,keyVersion=1,signature=…`), or the bare signature. */
  signature: string;
}

export interface DiagnoseKeys {
  /** The key the signature is checked with (Alipay's public key, for responses and notifications). */
  publicKey: KeyObject;
  /** The merchant's own public key, when known: to recognise it used in place of Alipay's. */
  merchantPublicKey?: KeyObject | undefined;
}

export type Dimension = 'signature' | 'key' | 'method' | 'path' | 'clientId' | 'time' | 'body' | 'layout';

/** One difference between what was given and what was signed. */
export interface Change {
  dimension: Dimension;
  /** Stable id, e.g. `body.trailing-newline-removed`, `path.sandbox-added`, `signature.double-encoded`. */
  id: string;
  /** What the variant is, e.g. "the body without its trailing newline". */
  variant: string;
  /** What it means and what to do. */
  cause: string;
}

/** Stable codes for the verdict. */
export type CauseCode =
  | 'valid'
  | 'variant_found'
  | 'own_public_key'
  | 'signed_by_merchant_key'
  | 'wrong_key'
  | 'signature_length'
  | 'wrong_algorithm'
  | 'content_differs'
  | 'malformed_signature';

export interface Diagnosis {
  /** Whether the signature verifies exactly as given (what AMS would decide). */
  valid: boolean;
  code: CauseCode;
  /** One or two sentences: the most likely cause and what to do. */
  message: string;
  /** The variant that verifies, when one was found: every change it needed. */
  match?: { changes: Change[]; content: string } | undefined;
  /** Whether the signature was made with the private half of the given public key (RSA recovery), when known. */
  keyMatchesSignature: boolean | undefined;
  /** Side notes (e.g. the signature is not URL-encoded in the header). */
  notes: string[];
  /** How many variants were tried. */
  tried: number;
}

interface Variant<T> {
  value: T;
  changes: Change[];
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const SHA256_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');
const SHA256_PREFIX_NO_NULL = Buffer.from('302f300b0609608648016503040201' + '0420', 'hex');
const DIGEST_INFO: [string, Buffer][] = [
  ['SHA-1', Buffer.from('3021300906052b0e03021a05000414', 'hex')],
  ['SHA-384', Buffer.from('3041300d060960864801650304020205000430', 'hex')],
  ['SHA-512', Buffer.from('3051300d060960864801650304020305000440', 'hex')],
  ['MD5', Buffer.from('3020300c06082a864886f70d020505000410', 'hex')],
];

const change = (dimension: Dimension, id: string, variant: string, cause: string): Change => ({ dimension, id: `${dimension}.${id}`, variant, cause });

function tryDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

function isBase64(value: string | undefined): value is string {
  return value !== undefined && value.length % 4 === 0 && BASE64.test(value);
}

/** The signature value as given: the `signature=` part of a header, or the whole argument when it is bare. */
export function extractSignatureValue(given: string): { header: boolean; value: string } {
  const text = given.trim().replace(/^signature\s*:\s*/i, '');
  const m = /(?:^|,)\s*signature=([^,]*)/i.exec(text);
  if (m && /(?:^|,)\s*algorithm=/i.test(text)) return { header: true, value: m[1]!.trim() };
  return { header: false, value: text };
}

/** Base64 signatures the given value could stand for, the expected reading first. */
export function signatureVariants(given: string): Variant<string>[] {
  const { header, value } = extractSignatureValue(given);
  const out: Variant<string>[] = [];
  const add = (b64: string | undefined, changes: Change[]) => {
    if (isBase64(b64) && !out.some((v) => v.value === b64)) out.push({ value: b64, changes });
  };
  const once = tryDecode(value);
  const twice = once === undefined ? undefined : tryDecode(once);
  if (header) add(once, []);
  else add(isBase64(value) ? value : undefined, []);
  if (!header && value.includes('%'))
    add(once, [
      change('signature', 'not-decoded', 'the signature URL-decoded', 'The signature is still URL-encoded (%2B, %2F, %3D): URL-decode the signature= value of the header before base64-decoding it.'),
    ]);
  if (once !== undefined && once.includes('%'))
    add(twice, [
      change(
        'signature',
        'double-encoded',
        'the signature URL-decoded twice',
        'The signature was URL-encoded twice (%252B instead of %2B): encode the base64 signature once (encodeURIComponent) when building the header, not again when sending it.',
      ),
    ]);
  for (const base of [once, value]) {
    if (base !== undefined && base.includes(' '))
      add(base.replace(/ /g, '+'), [
        change(
          'signature',
          'plus-as-space',
          'the signature with spaces read as "+"',
          'A "+" of the base64 signature became a space: it was decoded as form data (application/x-www-form-urlencoded) or sent without URL-encoding. URL-encode it in the header (%2B) and decode with decodeURIComponent.',
        ),
      ]);
    if (base !== undefined && /[-_]/.test(base))
      add(base.replace(/-/g, '+').replace(/_/g, '/'), [
        change('signature', 'url-safe', 'the signature read as base64url', 'The signature uses the URL-safe base64 alphabet (- and _): AMS signatures are standard base64 (+ and /), URL-encoded in the header.'),
      ]);
  }
  return out;
}

function strip(buf: Buffer, n: number): Buffer {
  return buf.subarray(0, buf.length - n);
}

const BODY_CAUSE = {
  fix: 'Sign the exact bytes you send and verify the raw bytes you receive; never re-serialize or re-read the body in between.',
};

/** One-step changes to the body bytes. */
function bodySteps(body: Buffer): Variant<Buffer>[] {
  const out: Variant<Buffer>[] = [];
  const push = (value: Buffer, id: string, variant: string, cause: string) => out.push({ value, changes: [change('body', id, variant, `${cause} ${BODY_CAUSE.fix}`)] });
  if (body.length > 0 && body[body.length - 1] === 0x0a) {
    const n = body.length > 1 && body[body.length - 2] === 0x0d ? 2 : 1;
    push(strip(body, n), 'trailing-newline-removed', 'the body without its trailing newline', 'The body you have ends with a newline that was not signed (editors, echo and heredocs add one).');
  } else {
    push(Buffer.concat([body, Buffer.from('\n')]), 'trailing-newline-added', 'the body with a trailing newline', 'What was signed ended with a newline that the body you have does not (a file with a final newline was signed, then the body was sent without it).');
    push(Buffer.concat([body, Buffer.from('\r\n')]), 'trailing-crlf-added', 'the body with a trailing CRLF', 'What was signed ended with CRLF that the body you have does not.');
  }
  const trimmed = Buffer.from(body.toString('latin1').replace(/\s+$/, ''), 'latin1');
  if (trimmed.length !== body.length && trimmed.length !== body.length - 1)
    push(trimmed, 'trailing-whitespace-removed', 'the body without trailing whitespace', 'The body you have ends with whitespace that was not signed.');
  const hasBom = body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf;
  if (hasBom) push(body.subarray(3), 'bom-removed', 'the body without its BOM', 'The body you have starts with a UTF-8 BOM (\\ufeff) that was not signed (a file saved "with BOM").');
  else push(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]), 'bom-added', 'the body with a UTF-8 BOM', 'What was signed started with a UTF-8 BOM that the body you have lacks (the BOM was stripped after signing).');
  const text = body.toString('utf8');
  if (text.includes('\r\n')) push(Buffer.from(text.replace(/\r\n/g, '\n')), 'crlf-to-lf', 'the body with LF line endings', 'What was signed had LF line endings; the body you have has CRLF.');
  else if (text.includes('\n')) push(Buffer.from(text.replace(/\n/g, '\r\n')), 'lf-to-crlf', 'the body with CRLF line endings', 'What was signed had CRLF line endings; the body you have has LF.');
  let parsed: unknown;
  let isJson = false;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
    isJson = true;
  } catch {
    isJson = false;
  }
  if (isJson) {
    const reserialized = 'The JSON was re-serialized between signing and sending/verifying (parsed and stringified again changes whitespace).';
    // When re-serializing only drops a BOM or trailing whitespace, those simpler steps are the better explanation.
    const core = text.replace(/^\uFEFF/, '').replace(/\s+$/, '');
    const json = (value: string, id: string, variant: string, cause: string) => {
      if (value !== core) push(Buffer.from(value), id, variant, `${cause} ${reserialized}`);
    };
    json(JSON.stringify(parsed), 'json-compact', 'the body as compact JSON', 'What was signed is the same JSON written compactly.');
    json(JSON.stringify(parsed, null, 2), 'json-indent-2', 'the body as JSON indented by 2 spaces', 'What was signed is the same JSON indented by 2 spaces.');
    json(JSON.stringify(parsed, null, 4), 'json-indent-4', 'the body as JSON indented by 4 spaces', 'What was signed is the same JSON indented by 4 spaces.');
  }
  return out;
}

function pathSteps(path: string): Variant<string>[] {
  const out: Variant<string>[] = [];
  const push = (value: string, id: string, variant: string, cause: string) => {
    if (value !== path && value !== '') out.push({ value, changes: [change('path', id, variant, cause)] });
  };
  if (/^https?:\/\//i.test(path)) {
    try {
      const u = new URL(path);
      push(u.pathname, 'origin-removed', `the path ${u.pathname} without scheme and host`, 'Only the path is signed, not the scheme and host: sign and verify /ams/…, not the full URL.');
    } catch {
      /* not a URL after all */
    }
  }
  if (/[?#]/.test(path)) push(path.replace(/[?#].*$/, ''), 'query-removed', 'the path without its query string', 'The signed path has no query string: AMS APIs take none.');
  if (!path.startsWith('/') && !/^https?:/i.test(path)) push(`/${path}`, 'leading-slash-added', 'the path with a leading "/"', 'The signed path starts with "/".');
  if (path.length > 1 && path.endsWith('/')) push(path.slice(0, -1), 'trailing-slash-removed', 'the path without its trailing "/"', 'The signed path has no trailing "/".');
  if (path.includes('/ams/sandbox/api'))
    push(path.replace('/ams/sandbox/api', '/ams/api'), 'sandbox-removed', `the production path ${path.replace('/ams/sandbox/api', '/ams/api')}`, 'What was signed is the production path (/ams/api), the path you have is the sandbox one: sandbox client ids (SANDBOX_) sign and send /ams/sandbox/api; sign the path you send.');
  else if (path.includes('/ams/api'))
    push(path.replace('/ams/api', '/ams/sandbox/api'), 'sandbox-added', `the sandbox path ${path.replace('/ams/api', '/ams/sandbox/api')}`, 'What was signed is the sandbox path (/ams/sandbox/api), the path you have is the production one: the official SDKs rewrite /ams/api to /ams/sandbox/api for SANDBOX_ client ids before signing; use the same path for signing, sending and verifying.');
  if (path.startsWith('/') && !/[?#]/.test(path)) {
    const segments = path.split('/').slice(1);
    // A prefix a proxy or a framework mount point added on the way: the signed path is a tail of the one you have.
    for (let k = 1; k < segments.length && k <= 3; k++) {
      const prefix = `/${segments.slice(0, k).join('/')}`;
      push(
        `/${segments.slice(k).join('/')}`,
        'prefix-removed',
        `the path without the prefix ${prefix}`,
        `The path you have carries a prefix (${prefix}) that was not signed: a proxy or framework mount point added it. ` +
          'Verify with the path the sender signed: for a notification the path of the paymentNotifyUrl you gave AMS, for a response the AMS path (/ams/…).',
      );
    }
    // A prefix a proxy stripped before your code saw the request: the signed path is longer than the one you have.
    for (const prefix of PROXY_PREFIXES) {
      if (path.startsWith(`${prefix}/`)) continue;
      push(
        `${prefix}${path}`,
        'prefix-added',
        `the path with the prefix ${prefix}`,
        `What was signed carries a prefix (${prefix}) that the path you have lacks: a proxy or framework mount point stripped it before your code saw the request. ` +
          'Verify with the full path of the URL the sender called (for a notification, the path of your paymentNotifyUrl).',
      );
    }
  }
  return out;
}

/** Mount points proxies and frameworks commonly add in front of a notify route or an API path. */
const PROXY_PREFIXES = ['/alipay', '/antom', '/api', '/api/v1', '/v1', '/app', '/backend', '/server', '/service', '/gateway', '/webhook', '/webhooks', '/callback', '/notify', '/payment', '/payments', '/pay'];

function expand<T>(start: T, steps: (v: T) => Variant<T>[], key: (v: T) => string, depth: number): Variant<T>[] {
  const seen = new Map<string, Variant<T>>([[key(start), { value: start, changes: [] }]]);
  let frontier: Variant<T>[] = [{ value: start, changes: [] }];
  for (let d = 0; d < depth; d++) {
    const next: Variant<T>[] = [];
    for (const v of frontier)
      for (const s of steps(v.value)) {
        const k = key(s.value);
        if (seen.has(k)) continue;
        // The same kind of change twice (e.g. two different re-serializations) is not a plausible story.
        if (v.changes.some((c) => s.changes.some((sc) => sc.id.split('-')[0] === c.id.split('-')[0]))) continue;
        const item = { value: s.value, changes: [...v.changes, ...s.changes] };
        seen.set(k, item);
        next.push(item);
      }
    frontier = next;
  }
  return [...seen.values()];
}

function parseInstant(time: string): number | undefined {
  const t = time.trim();
  if (/^\d{13}$/.test(t)) return Number(t);
  if (/^\d{10}$/.test(t)) return Number(t) * 1000;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(t)) {
    const ms = Date.parse(t);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

function isoWithOffset(ms: number, offsetMinutes: number, withMillis: boolean): string {
  const shifted = new Date(ms + offsetMinutes * 60_000).toISOString();
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const off = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return (withMillis ? shifted.slice(0, 23) : shifted.slice(0, 19)) + off;
}

const TIME_CAUSE = 'The Request-Time header must be byte-identical to the time that was signed: format the time once and use that same string in the signed content and the header.';

function timeVariants(time: string): Variant<string>[] {
  const out: Variant<string>[] = [{ value: time, changes: [] }];
  const push = (value: string, id: string, variant: string, cause: string) => {
    if (!out.some((v) => v.value === value)) out.push({ value, changes: [change('time', id, variant, cause)] });
  };
  if (time !== time.trim()) push(time.trim(), 'trimmed', 'the time without surrounding spaces', `The time you have has spaces around it. ${TIME_CAUSE}`);
  const ms = parseInstant(time);
  if (ms !== undefined) {
    const forms: [string, string][] = [
      [String(ms), 'epoch milliseconds'],
      [String(Math.floor(ms / 1000)), 'epoch seconds'],
      [new Date(ms).toISOString(), 'ISO-8601 UTC with milliseconds (…Z)'],
      [new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'), 'ISO-8601 UTC (…Z)'],
      [isoWithOffset(ms, 0, false), 'ISO-8601 with +00:00'],
      [isoWithOffset(ms, 0, true), 'ISO-8601 with milliseconds and +00:00'],
      [isoWithOffset(ms, 480, false), 'ISO-8601 with +08:00'],
      [isoWithOffset(ms, 480, true), 'ISO-8601 with milliseconds and +08:00'],
    ];
    for (const [value, what] of forms)
      push(value, 'format', `the same instant written as ${what} (${value})`, `The signed time is the same instant written differently (${value}). ${TIME_CAUSE}`);
  }
  return out;
}

/** Times near the given one in the same format: a clock read twice (once to sign, once for the header). */
function nearbyTimes(time: string): Variant<string>[] {
  const t = time.trim();
  const out: Variant<string>[] = [];
  const cause = (delta: string, unit: string) =>
    change('time', 'clock-read-twice', `the time ${delta} ${unit} ${delta.startsWith('-') ? 'earlier' : 'later'}`, `The signed time differs from the Request-Time you have by ${delta} ${unit}: the clock was read twice. ${TIME_CAUSE}`);
  if (/^\d{13}$/.test(t)) {
    const base = Number(t);
    for (let d = 1; d <= 5000; d++)
      for (const s of [d, -d]) out.push({ value: String(base + s), changes: [cause(`${s > 0 ? '+' : ''}${s}`, 'ms')] });
  } else if (/^\d{10}$/.test(t)) {
    const base = Number(t);
    for (let d = 1; d <= 10; d++) for (const s of [d, -d]) out.push({ value: String(base + s), changes: [cause(`${s > 0 ? '+' : ''}${s}`, 's')] });
  } else {
    const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.exec(t);
    const ms = parseInstant(t);
    if (m && ms !== undefined) {
      const offset = m[3] === 'Z' ? 0 : (m[3]!.startsWith('-') ? -1 : 1) * (Number(m[3]!.slice(1, 3)) * 60 + Number(m[3]!.slice(-2)));
      const render = (x: number) => {
        const s = isoWithOffset(x, offset, m[2] !== undefined);
        return m[3] === 'Z' ? `${s.slice(0, -6)}Z` : m[3]!.includes(':') ? s : s.replace(/:(\d{2})$/, '$1');
      };
      const step = m[2] !== undefined ? 1 : 1000;
      const range = m[2] !== undefined ? 5000 : 10;
      for (let d = 1; d <= range; d++)
        for (const s of [d, -d]) out.push({ value: render(ms + s * step), changes: [cause(`${s > 0 ? '+' : ''}${s}`, step === 1 ? 'ms' : 's')] });
    }
  }
  return out;
}

interface Layout {
  build(method: string, path: string, clientId: string, time: string, body: Buffer): Buffer;
  changes: Change[];
}

const LAYOUTS: Layout[] = [
  { build: (method, path, clientId, time, body) => buildSignContentBytes({ method, path, clientId, time, body }), changes: [] },
  {
    build: (method, path, clientId, time, body) => Buffer.concat([Buffer.from(`${method} ${path}\r\n${clientId}.${time}.`), body]),
    changes: [change('layout', 'crlf', 'the content with "\\r\\n" after the path', 'The signer put "\\r\\n" after the path: the content is METHOD + " " + PATH + "\\n" (a single LF) + CLIENT_ID + "." + TIME + "." + BODY.')],
  },
  {
    build: (_m, _p, _c, _t, body) => body,
    changes: [change('layout', 'body-only', 'the body alone', 'Only the body was signed: AMS signs METHOD + " " + PATH + "\\n" + CLIENT_ID + "." + TIME + "." + BODY.')],
  },
];

type Recovered = { kind: 'sha256'; digest: Buffer } | { kind: 'other'; algorithm: string } | { kind: 'none' };

/** RSA public-key recovery of the DigestInfo: tells "wrong key" apart from "wrong content" without guessing. */
export function recoverDigest(signatureBase64: string, key: KeyObject): Recovered {
  let info: Buffer;
  try {
    info = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return { kind: 'none' };
  }
  if (info.length === 51 && info.subarray(0, 19).equals(SHA256_PREFIX)) return { kind: 'sha256', digest: info.subarray(19) };
  if (info.length === 49 && info.subarray(0, 17).equals(SHA256_PREFIX_NO_NULL)) return { kind: 'sha256', digest: info.subarray(17) };
  for (const [algorithm, prefix] of DIGEST_INFO) if (info.subarray(0, prefix.length).equals(prefix)) return { kind: 'other', algorithm };
  return { kind: 'other', algorithm: info.length === 32 ? 'a bare SHA-256 hash without DigestInfo' : 'an unknown digest' };
}

interface Search {
  tried: number;
}

/** Finds the cheapest variant whose SHA-256 equals the recovered digest. */
function searchContent(input: VerifyCase, digest: Buffer, search: Search, maxCost: number): { changes: Change[]; content: Buffer } | undefined {
  const body = Buffer.from(input.body.buffer, input.body.byteOffset, input.body.byteLength);
  const methods: Variant<string>[] = [{ value: input.method, changes: [] }];
  if (input.method !== input.method.toUpperCase())
    methods.push({ value: input.method.toUpperCase(), changes: [change('method', 'uppercase', 'the method in upper case', 'The method is signed in upper case (POST).')] });
  const clientIds: Variant<string>[] = [{ value: input.clientId, changes: [] }];
  if (input.clientId !== input.clientId.trim())
    clientIds.push({ value: input.clientId.trim(), changes: [change('clientId', 'trimmed', 'the client id without surrounding spaces', 'The client id you have has spaces around it; the Client-Id header must be byte-identical to the signed one.')] });
  const paths = expand(input.path, pathSteps, (p) => p, 2);
  const times = timeVariants(input.time);
  const bodies = expand(body, bodySteps, (b) => b.toString('base64'), 2);
  const dims = { methods, clientIds, paths, times, bodies };
  const hash = (content: Buffer) => {
    search.tried++;
    return createHash('sha256').update(content).digest().equals(digest);
  };
  const cost = (v: { changes: Change[] }) => v.changes.length;
  for (let budget = 0; budget <= maxCost; budget++) {
    for (const layout of LAYOUTS) {
      const lc = cost(layout);
      if (lc > budget) continue;
      if (layout.changes[0]?.id === 'layout.body-only') {
        for (const b of dims.bodies) if (lc + cost(b) === budget && hash(layout.build('', '', '', '', b.value))) return { changes: [...layout.changes, ...b.changes], content: b.value };
        continue;
      }
      for (const m of dims.methods)
        for (const c of dims.clientIds)
          for (const p of dims.paths) {
            const c3 = lc + cost(m) + cost(c) + cost(p);
            if (c3 > budget) continue;
            for (const t of dims.times) {
              const c4 = c3 + cost(t);
              if (c4 > budget) continue;
              for (const b of dims.bodies) {
                if (c4 + cost(b) !== budget) continue;
                const content = layout.build(m.value, p.value, c.value, t.value, b.value);
                if (hash(content)) return { changes: [...layout.changes, ...m.changes, ...c.changes, ...p.changes, ...t.changes, ...b.changes], content };
              }
            }
          }
    }
  }
  // A clock read twice: nearby times, everything else as given.
  for (const t of nearbyTimes(input.time)) {
    const content = buildSignContentBytes({ method: input.method, path: input.path, clientId: input.clientId, time: t.value, body });
    if (hash(content)) return { changes: t.changes, content };
  }
  return undefined;
}

function modulusBytes(key: KeyObject): number | undefined {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  return bits === undefined ? undefined : Math.ceil(bits / 8);
}

/**
 * Decides whether the signature verifies as given and, when it does not, why: it tries the cheap variants
 * (body bytes, path, time, encoding of the signature, the merchant's key) and reports the one that verifies,
 * or the most likely cause. Deterministic; no I/O.
 */
export function diagnoseSignature(input: VerifyCase, keys: DiagnoseKeys): Diagnosis {
  const notes: string[] = [];
  const search: Search = { tried: 1 };
  const backend = getCryptoBackend();
  const ownKeyGiven =
    keys.merchantPublicKey !== undefined && publicKeyFingerprint(keys.merchantPublicKey) === publicKeyFingerprint(keys.publicKey);

  let valid = false;
  let malformed: string | undefined;
  try {
    valid = verifySignature({ method: input.method, path: input.path, clientId: input.clientId, time: input.time, body: input.body, signature: input.signature, publicKey: keys.publicKey });
  } catch (err) {
    if (!(err instanceof AmsSignatureError)) throw err;
    malformed = err.message;
  }
  const { header, value } = extractSignatureValue(input.signature);
  // Worded by verdict: a valid signature given decoded is fine, and a note must not read as if it were the problem.
  if (header && /[+/=]/.test(value) && malformed === undefined)
    notes.push(
      valid
        ? 'The signature was given URL-decoded (+ / = as such), which is what verifying needs; on the wire AMS headers carry it encodeURIComponent-ed (%2B %2F %3D).'
        : 'The signature in the header is not URL-encoded (+ / = appear as such): AMS headers carry encodeURIComponent(signature), %2B %2F %3D; a "+" is easily turned into a space on the way.',
    );
  if (!header && malformed === undefined) notes.push('A bare signature was given; it was read as the signature= part of a header.');

  if (valid) {
    if (ownKeyGiven)
      notes.push('The key you verified with is your own (merchant) public key: that is right for checking your own request signatures, but Alipay\'s responses and notifications verify with Alipay\'s public key.');
    return { valid, code: 'valid', message: 'The signature is valid for exactly the content given.', keyMatchesSignature: true, notes, tried: search.tried };
  }

  if (ownKeyGiven) {
    return {
      valid,
      code: 'own_public_key',
      message:
        "The public key given as Alipay's is your own (merchant) public key — the same fingerprint as --merchant-public-key. Responses and notifications are signed by Alipay: verify them with Alipay's public key from the Antom dashboard (Developer → Key configuration).",
      keyMatchesSignature: false,
      notes,
      tried: search.tried,
    };
  }

  const sigs = signatureVariants(input.signature);
  const keyList: { key: KeyObject; changes: Change[] }[] = [{ key: keys.publicKey, changes: [] }];
  if (keys.merchantPublicKey)
    keyList.push({
      key: keys.merchantPublicKey,
      changes: [
        change(
          'key',
          'merchant',
          'your own (merchant) public key',
          "It was signed with your merchant private key, not by Alipay: this is a request you signed (Alipay verifies those with the public key you uploaded). Alipay's responses and notifications verify with Alipay's public key.",
        ),
      ],
    });

  let keyMatches: boolean | undefined = false;
  let otherAlgorithm: string | undefined;
  for (const k of keyList)
    for (const s of sigs) {
      const rec = recoverDigest(s.value, k.key);
      search.tried++;
      if (rec.kind === 'none') continue;
      if (k.changes.length === 0) keyMatches = true;
      if (rec.kind === 'other') {
        otherAlgorithm ??= rec.algorithm;
        continue;
      }
      const found = searchContent(input, rec.digest, search, 2);
      // Confirm with the real verifier before naming it.
      if (found && backend.verify(found.content, s.value, k.key)) {
        const changes = [...s.changes, ...k.changes, ...found.changes];
        if (changes.length === 0) {
          // Nothing had to change: a bare signature (not a header value), valid for exactly the content given.
          return {
            valid: true,
            code: 'valid',
            message: 'The signature is valid for exactly the content given.',
            keyMatchesSignature: true,
            notes: [...notes, 'It was given as a bare signature; the header form is algorithm=RSA256,keyVersion=1,signature=<encodeURIComponent(signature)>.'],
            tried: search.tried,
          };
        }
        return {
          valid,
          code: changes.some((c) => c.id === 'key.merchant') && changes.length === 1 ? 'signed_by_merchant_key' : 'variant_found',
          message: `It verifies with ${changes.map((c) => c.variant).join(' + ')}. ${changes.map((c) => c.cause).join(' ')}`,
          match: { changes, content: found.content.toString('utf8') },
          keyMatchesSignature: k.changes.length === 0,
          notes: malformed ? [...notes, malformed] : notes,
          tried: search.tried,
        };
      }
      if (k.changes.length > 0) {
        return {
          valid,
          code: 'signed_by_merchant_key',
          message:
            "The signature was made with your merchant private key, not by Alipay (it matches --merchant-public-key), and the content also differs from what was signed. Alipay's responses and notifications verify with Alipay's public key.",
          keyMatchesSignature: false,
          notes,
          tried: search.tried,
        };
      }
    }

  if (malformed && sigs.length === 0) {
    return { valid, code: 'malformed_signature', message: `${malformed}. Give the Signature header value (algorithm=RSA256,keyVersion=1,signature=…) or the base64 signature.`, keyMatchesSignature: undefined, notes, tried: search.tried };
  }
  if (otherAlgorithm) {
    return {
      valid,
      code: 'wrong_algorithm',
      message: `The key is right, but the signature was made with ${otherAlgorithm} instead of SHA-256: AMS uses RSA256 (SHA256withRSA, RSASSA-PKCS1-v1_5).`,
      keyMatchesSignature: true,
      notes,
      tried: search.tried,
    };
  }
  if (keyMatches) {
    return {
      valid,
      code: 'content_differs',
      message:
        'The key is right (the signature was made with its private half), so the signed content differs from what you gave in a way none of the cheap variants explains: ' +
        'compare the body bytes, the path, the client id and the time exactly. Run `ams-cashier sign` on the sender side to see the exact content that is signed.',
      keyMatchesSignature: true,
      notes,
      tried: search.tried,
    };
  }
  const expected = modulusBytes(keys.publicKey);
  const sigLength = sigs[0] ? Buffer.from(sigs[0].value, 'base64').length : undefined;
  if (expected !== undefined && sigLength !== undefined && sigLength !== expected) {
    return {
      valid,
      code: 'signature_length',
      message: `The signature is ${sigLength} bytes but a ${expected * 8}-bit key makes ${expected}-byte signatures: it was truncated or damaged on the way, or belongs to a different key.`,
      keyMatchesSignature: false,
      notes,
      tried: search.tried,
    };
  }
  return {
    valid,
    code: 'wrong_key',
    message:
      "The signature was not made with the private half of this public key, so no change of content can make it verify. Check the key: responses and notifications need Alipay's public key (not your own; give it with --merchant-public-key to check), and sandbox and production keys differ.",
    keyMatchesSignature: false,
    notes: malformed ? [...notes, malformed] : notes,
    tried: search.tried,
  };
}
