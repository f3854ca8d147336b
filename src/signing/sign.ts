// The signing primitives users call directly: sign a request, verify a Signature header over content.
import { AmsConfigError } from '../errors';
import { unknownOptionIssue } from '../internal/suggest';
import { getCryptoBackend, type CryptoBackendName } from './backend';
import { buildSignContentBytes } from './content';
import { formatSignatureHeader, parseSignatureHeader } from './header';
import { loadPrivateKey, loadPublicKey, type KeyInput } from './keys';

export interface SignRequestInput {
  method?: string;
  path: string;
  clientId: string;
  /** The Request-Time header value exactly as it will be sent. */
  requestTime: string;
  /** The body exactly as it will be sent. */
  body: string;
  privateKey: KeyInput;
  /** Which uploaded merchant key Alipay should use; `null` omits it (AMS then uses the latest). */
  keyVersion?: string | null;
  /** 'node' (default, node:crypto) or 'jsrsasign' (pure JS, loaded on first use). */
  cryptoBackend?: CryptoBackendName;
}

const SIGN_KEYS = ['method', 'path', 'clientId', 'requestTime', 'body', 'privateKey', 'keyVersion', 'cryptoBackend'];
const VERIFY_KEYS = ['method', 'path', 'clientId', 'time', 'body', 'signature', 'publicKey', 'cryptoBackend'];

/**
 * A key these functions do not take would be ignored silently (an old name such as `backend` included): refused with
 * the options' message, without zod (this entry point loads none).
 */
function refuseUnknownKeys(input: object, known: readonly string[], owner: string): void {
  if (input === null || typeof input !== 'object') return;
  const issue = unknownOptionIssue(input, known);
  if (issue) throw new AmsConfigError(`Invalid ${owner} input: ${issue.message}`, { field: issue.field });
}

/** Signs a request and returns the full `Signature` header value. */
export function signRequest(input: SignRequestInput): string {
  refuseUnknownKeys(input, SIGN_KEYS, 'signRequest');
  const key = loadPrivateKey(input.privateKey);
  const content = buildSignContentBytes({
    method: input.method,
    path: input.path,
    clientId: input.clientId,
    time: input.requestTime,
    body: input.body,
  });
  const signature = getCryptoBackend(input.cryptoBackend).sign(content, key);
  return formatSignatureHeader(signature, input.keyVersion === undefined ? '1' : input.keyVersion);
}

export interface VerifySignatureInput {
  method?: string;
  path: string;
  clientId: string;
  /** The Response-Time / Request-Time header value as received. */
  time: string;
  /** The raw body as received. */
  body: string | Uint8Array;
  /** A `Signature` header value (`algorithm=RSA256,keyVersion=1,signature=…`). */
  signature: string;
  publicKey: KeyInput;
  /** 'node' (default, node:crypto) or 'jsrsasign' (pure JS, loaded on first use). */
  cryptoBackend?: CryptoBackendName;
}

/**
 * True when `signature` (a header value) is a valid RSA256 signature of the content under `publicKey`.
 * False for a mismatch; throws AmsSignatureError (reason `malformed`) when the header cannot be parsed,
 * because that is a different fault from a wrong signature and callers need to tell them apart.
 */
export function verifySignature(input: VerifySignatureInput): boolean {
  refuseUnknownKeys(input, VERIFY_KEYS, 'verifySignature');
  const parsed = parseSignatureHeader(input.signature);
  const key = loadPublicKey(input.publicKey);
  const content = buildSignContentBytes({
    method: input.method,
    path: input.path,
    clientId: input.clientId,
    time: input.time,
    body: input.body,
  });
  return getCryptoBackend(input.cryptoBackend).verify(content, parsed.signature, key);
}
