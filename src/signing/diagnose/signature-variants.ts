// The readings of a given signature: URL-decoded once or twice, "+" read as space, base64url — each with its cause.
import { BASE64_RE } from '../header';
import { change, type Change, type Variant } from './types';

function tryDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

function isBase64(value: string | undefined): value is string {
  return value !== undefined && value.length % 4 === 0 && BASE64_RE.test(value);
}

/**
 * The signature value as given: the `signature=` part of a header, or the whole argument when it is bare. Looser than
 * parseSignatureHeader on purpose: it reads the headers that parser refuses, to say what is wrong with them.
 */
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
      change(
        'signature',
        'not-decoded',
        'the signature URL-decoded',
        'The signature is still URL-encoded (%2B, %2F, %3D): URL-decode the signature= value of the header before base64-decoding it.',
      ),
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
        change(
          'signature',
          'url-safe',
          'the signature read as base64url',
          'The signature uses the URL-safe base64 alphabet (- and _): AMS signatures are standard base64 (+ and /), URL-encoded in the header.',
        ),
      ]);
  }
  return out;
}
