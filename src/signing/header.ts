// Formats and parses the AMS `Signature` header value. Pure: no I/O.
import { AmsSignatureError } from '../errors';

export interface ParsedSignatureHeader {
  algorithm: string;
  /** Undefined when the header omits it (AMS then means the latest key). */
  keyVersion: string | undefined;
  /** The signature as standard base64 (URL-decoded). */
  signature: string;
}

const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;
/** A keyVersion: a short token ("1", "2024-01"); the one pattern for every place that takes one. */
export const KEY_VERSION_RE = /^[0-9A-Za-z._-]{1,16}$/;
const CANONICAL_PREFIX = 'algorithm=RSA256,keyVersion=';

/** `algorithm=RSA256,keyVersion=1,signature=<urlencoded base64>`; encodeURIComponent gives %2B %2F %3D exactly. */
export function formatSignatureHeader(signatureBase64: string, keyVersion?: string | null): string {
  const kv = keyVersion === null || keyVersion === undefined || keyVersion === '' ? '' : `keyVersion=${keyVersion},`;
  return `algorithm=RSA256,${kv}signature=${encodeURIComponent(signatureBase64)}`;
}

/** The value of one hex digit pair after `%` that base64 needs (2B `+`, 2F `/`, 3D `=`), or undefined. */
function escapedChar(value: string, i: number): string | undefined {
  const hi = value.charCodeAt(i + 1);
  const lo = value.charCodeAt(i + 2) | 0x20; // lower-case the letter
  if (hi === 0x32 && lo === 0x62) return '+';
  if (hi === 0x32 && lo === 0x66) return '/';
  if (hi === 0x33 && lo === 0x64) return '=';
  return undefined;
}

/**
 * The canonical form, as Alipay and this package write it on every response and notification
 * (`algorithm=RSA256,keyVersion=<v>,signature=<base64 with + / = percent-encoded>`), parsed in one pass over the
 * characters: a regex and decodeURIComponent cost several times the RSA check's overhead budget. Undefined when the
 * value is not exactly that form; the general parse then decides, and accepts whatever this accepts, alike.
 */
function parseCanonical(value: string): ParsedSignatureHeader | undefined {
  if (!value.startsWith(CANONICAL_PREFIX)) return undefined;
  const comma = value.indexOf(',', CANONICAL_PREFIX.length);
  if (comma === -1 || !value.startsWith(',signature=', comma)) return undefined;
  const keyVersion = value.slice(CANONICAL_PREFIX.length, comma);
  if (!KEY_VERSION_RE.test(keyVersion)) return undefined;
  let signature = '';
  let run = comma + 11;
  let pad = 0;
  for (let i = run; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x25) {
      const ch = escapedChar(value, i);
      if (ch === undefined) return undefined;
      signature += value.slice(run, i) + ch;
      run = i + 3;
      i += 2;
      if (ch === '=') pad++;
      else if (pad > 0) return undefined;
    } else if ((c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a)) {
      if (pad > 0) return undefined; // '=' only pads the end
    } else return undefined;
  }
  signature += value.slice(run);
  if (pad > 2 || signature.length === pad || signature.length % 4 !== 0) return undefined;
  return { algorithm: 'RSA256', keyVersion, signature };
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
  // The canonical form, as Alipay and this package write it, on every response and notification: one regex.
  const canonical = parseCanonical(value);
  if (canonical) return canonical;
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
