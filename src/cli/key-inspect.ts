// Describes a key file for the CLI, including keys the package refuses (too short, not RSA), without printing material.
import { AmsConfigError } from '../errors';
import { classifyDer } from '../signing/der';
import {
  decodeKeyText,
  describeKey,
  keyObjectFromDer,
  MIN_RSA_BITS,
  notRsaMessage,
  publicKeyFingerprint,
  type KeyDescription,
} from '../signing/keys';

export interface KeyInspection {
  /** Whether the package can use it as an AMS key (RSA, ≥ 2048 bits, readable). */
  usable: boolean;
  /** Whether it could be read as a key at all. */
  readable: boolean;
  type?: 'private' | 'public';
  format?: string;
  encoding?: 'pem' | 'base64' | 'der' | 'key-object';
  algorithm?: string;
  bits?: number | undefined;
  /** SHA-256 of the public key's SPKI DER, hex: equal for a private key and its public half. */
  fingerprint?: string;
  /** Why it is not usable, in the package's words (never containing key material). */
  problem?: string;
}

const FORMAT_WORDS: Record<string, string> = {
  'pkcs1-private': 'PKCS#1 private key',
  'pkcs8-private': 'PKCS#8 private key',
  'spki-public': 'SPKI public key',
  'pkcs1-public': 'PKCS#1 public key',
  'x509-certificate': 'X.509 certificate',
  'pkcs8-encrypted': 'encrypted PKCS#8 private key',
  'sec1-ec-private': 'SEC1 EC private key',
};

export function formatWords(format: string | undefined): string {
  return (format && FORMAT_WORDS[format]) ?? format ?? 'unknown format';
}

/** Reads what the strict loader refuses (another algorithm, a short key), only to describe it. */
function lenient(bytes: Buffer): Omit<KeyInspection, 'usable' | 'problem'> | undefined {
  let decoded: ReturnType<typeof decodeKeyText>;
  try {
    decoded = decodeKeyText(bytes);
  } catch (err) {
    if (!(err instanceof AmsConfigError)) throw err;
    // A password-protected PEM (PKCS#1 with Proc-Type) is refused by the decoder; it is still recognisably a key.
    return /-----BEGIN [A-Z0-9 ]+-----[\s\S]*ENCRYPTED/.test(bytes.toString('utf8'))
      ? { readable: true, format: 'pkcs8-encrypted', encoding: 'pem', type: 'private' }
      : undefined;
  }
  const { der, encoding, label } = decoded;
  if (label !== undefined && /ENCRYPTED/.test(label)) return { readable: true, format: 'pkcs8-encrypted', encoding, type: 'private' };
  const kind = classifyDer(der);
  try {
    if (kind.kind === 'pkcs8-encrypted') return { readable: true, format: 'pkcs8-encrypted', encoding, type: 'private' };
    const key = keyObjectFromDer(der, kind, label);
    if (key === undefined) return undefined;
    return {
      readable: true,
      type: key.type === 'private' ? 'private' : 'public',
      format: label === 'EC PRIVATE KEY' ? 'sec1-ec-private' : kind.kind,
      encoding,
      algorithm: (key.asymmetricKeyType ?? 'unknown').toUpperCase(),
      bits: key.asymmetricKeyDetails?.modulusLength,
      fingerprint: publicKeyFingerprint(key),
    };
  } catch {
    return undefined;
  }
}

/** What a key file holds. Never throws for bad key content; never includes key material. */
export function inspectKeyBytes(bytes: Buffer): KeyInspection {
  let description: KeyDescription | undefined;
  let problem: string | undefined;
  try {
    description = describeKey(bytes);
  } catch (err) {
    if (!(err instanceof AmsConfigError)) throw err;
    problem = err.message.replace(/^key: /, '');
  }
  if (description) return { usable: true, readable: true, ...description };
  const facts = lenient(bytes);
  if (!facts) return { usable: false, readable: false, problem: problem ?? 'not a key' };
  if (facts.algorithm && facts.algorithm !== 'RSA') problem = notRsaMessage(facts.algorithm);
  else if (facts.bits !== undefined && facts.bits < MIN_RSA_BITS)
    problem = `it is an RSA key of ${facts.bits} bits; AMS needs ${MIN_RSA_BITS} bits or more`;
  return { usable: false, ...facts, problem: problem ?? 'not usable' };
}
