// The signing primitives users call directly: sign a request, verify a Signature header over content.
import { AmsConfigError } from '../errors';
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

/** `backend` was the option's first name (see CHANGELOG): a key that would otherwise be ignored is refused by name. */
function refuseOldBackendKey(input: object, owner: string): void {
  if (input !== null && typeof input === 'object' && 'backend' in input)
    throw new AmsConfigError(`${owner}: backend is not an option; it is called cryptoBackend`, { field: 'backend' });
}

/** Signs a request and returns the full `Signature` header value. */
export function signRequest(input: SignRequestInput): string {
  refuseOldBackendKey(input, 'signRequest');
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
  refuseOldBackendKey(input, 'verifySignature');
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
