// Formats and parses the AMS `Signature` header value. Pure: no I/O.
import { AmsSignatureError } from '../errors';

export interface ParsedSignatureHeader {
  algorithm: string;
  /** Undefined when the header omits it (AMS then means the latest key). */
  keyVersion: string | undefined;
  /** The signature as standard base64 (URL-decoded). */
  signature: string;
}

/** Standard base64 with its padding: what a signature is once URL-decoded. */
export const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;
/** A keyVersion: a short token ("1", "2024-01"); the one pattern for every place that takes one. */
export const KEY_VERSION_RE = /^[0-9A-Za-z._-]{1,16}$/;
// One character class for the signature, not an alternation per character: this runs for every response and notification.
const CANONICAL_RE = new RegExp(`^algorithm=RSA256,keyVersion=(${KEY_VERSION_RE.source.slice(1, -1)}),signature=([A-Za-z0-9%]+)$`);

/** `algorithm=RSA256,keyVersion=1,signature=<urlencoded base64>`; encodeURIComponent gives %2B %2F %3D exactly. */
export function formatSignatureHeader(signatureBase64: string, keyVersion?: string | null): string {
  const kv = keyVersion === null || keyVersion === undefined || keyVersion === '' ? '' : `keyVersion=${keyVersion},`;
  return `algorithm=RSA256,${kv}signature=${encodeURIComponent(signatureBase64)}`;
}

/**
 * `encoded` with the escapes base64 needs decoded (%2B `+`, %2F `/`, %3D `=`, either case); undefined when it holds
 * any other `%`. What decodeURIComponent would give for such input, at a fraction of its cost (this runs for every
 * response and notification).
 */
function decodeBase64Escapes(encoded: string): string | undefined {
  let out = '';
  let from = 0;
  for (let i = encoded.indexOf('%'); i !== -1; i = encoded.indexOf('%', from)) {
    const hi = encoded.charCodeAt(i + 1);
    const lo = encoded.charCodeAt(i + 2) | 0x20; // the hex letter in lower case
    const char = hi === 0x32 ? (lo === 0x62 ? '+' : lo === 0x66 ? '/' : '') : hi === 0x33 && lo === 0x64 ? '=' : '';
    if (char === '') return undefined;
    out += encoded.slice(from, i) + char;
    from = i + 3;
  }
  return from === 0 ? encoded : out + encoded.slice(from);
}

function malformed(message: string): never {
  throw new AmsSignatureError(`Malformed Signature header: ${message}`, { reason: 'malformed', check: 'signature' });
}

/**
 * Parses a Signature header. Accepts lowercase percent-escapes (the .NET SDK), spaces after commas (the docs'
 * example), any order of the parts, and a missing keyVersion. Never echoes the signature in messages.
 */
export function parseSignatureHeader(value: unknown): ParsedSignatureHeader {
  if (typeof value !== 'string') malformed(`expected a string, got ${value === null ? 'null' : typeof value}`);
  // The canonical form, as Alipay and this package write it. Whatever this accepts, the general parse below accepts
  // too, with the same result; anything else falls through to it.
  const canonical = CANONICAL_RE.exec(value);
  if (canonical) {
    // Only the base64 alphabet is left after decoding; '=' may only pad.
    const signature = decodeBase64Escapes(canonical[2]!);
    if (signature !== undefined) {
      const eq = signature.indexOf('=');
      if (signature.length % 4 === 0 && (eq === -1 || (eq > 0 && eq >= signature.length - 2 && signature.endsWith('=')))) {
        return { algorithm: 'RSA256', keyVersion: canonical[1], signature };
      }
    }
  }
  const parts = new Map<string, string>();
  for (const raw of value.split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) malformed(`part "${part.slice(0, 20)}" is not name=value`);
    const name = part.slice(0, eq).trim().toLowerCase();
    if (parts.has(name)) malformed(`"${name}" appears twice`);
    parts.set(name, part.slice(eq + 1).trim());
  }
  const algorithm = parts.get('algorithm');
  if (!algorithm) malformed('no algorithm');
  if (algorithm.toUpperCase() !== 'RSA256') malformed(`algorithm "${algorithm.slice(0, 20)}" is not RSA256`);
  const encoded = parts.get('signature');
  if (!encoded) malformed('no signature');
  let signature: string;
  try {
    signature = decodeURIComponent(encoded);
  } catch {
    malformed('signature is not valid URL encoding');
  }
  if (!BASE64_RE.test(signature) || signature.length % 4 !== 0) malformed('signature is not base64 after URL decoding');
  const keyVersion = parts.get('keyversion');
  if (keyVersion !== undefined && !KEY_VERSION_RE.test(keyVersion)) malformed('keyVersion is not a short token');
  return { algorithm: 'RSA256', keyVersion: keyVersion || undefined, signature };
}

/**
 * A header value safe for logs: everything but the signature itself. Every `signature` part is cut, with or
 * without spaces around `=`, however many times it appears and whatever its case.
 */
export function redactSignatureHeader(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value.replace(/(signature\s*=\s*)([^,]*)/gi, (_m, name: string, sig: string) => `${name}<redacted ${sig.trim().length} chars>`);
}
