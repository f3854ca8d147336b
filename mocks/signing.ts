// The gateway's signatures: it signs its answers and notifications with "Alipay's" key and authenticates each request once.
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { formatRequestTime } from '../src/rules/time';
import { getCryptoBackend } from '../src/signing/backend';
import { buildSignContentBytes } from '../src/signing/content';
import { formatSignatureHeader, parseSignatureHeader, type ParsedSignatureHeader } from '../src/signing/header';
import { loadPrivateKey, type KeyInput } from '../src/signing/keys';
import { JSON_HEADERS, type ApiAnswer } from './answers';
import { refuseBeforeVerifying, type CredentialOptions, type CredentialRefusal } from './credentials';
import type { Merchant } from './merchants';
import type { GatewayReply } from './types';

/** Holds "Alipay's" private key: signs what the gateway sends and forges the signatures of a `badSignature` fault. */
export class GatewaySigner {
  readonly publicKey: KeyObject;
  readonly publicKeyPem: string;
  readonly #privateKey: KeyObject;
  readonly #backend = getCryptoBackend('node');

  /** A fresh RSA-2048 key when none is given. */
  constructor(privateKey: KeyInput | undefined) {
    this.#privateKey = privateKey
      ? loadPrivateKey(privateKey, 'alipayPrivateKey')
      : generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    this.publicKey = createPublicKey(this.#privateKey);
    this.publicKeyPem = this.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  }

  /** The Signature header for `POST <path>\n<clientId>.<time>.<body>`. */
  async sign(path: string, clientId: string, time: string, body: string): Promise<string> {
    const content = buildSignContentBytes({ method: 'POST', path, clientId, time, body });
    return formatSignatureHeader(await this.#backend.signAsync(content, this.#privateKey), '1');
  }

  /** A well-formed Signature header over other content: it parses fine and never verifies. */
  forge(body: string): string {
    return formatSignatureHeader(this.#backend.sign(Buffer.from(`forged ${body}`), this.#privateKey), '1');
  }

  /** The HTTP reply for an answer: JSON, and when signed, the Client-Id, Response-Time and Signature headers. */
  async render(path: string, clientId: string | undefined, answer: ApiAnswer, now: Date): Promise<GatewayReply> {
    const body = JSON.stringify(answer.body);
    const headers: Record<string, string> = { ...JSON_HEADERS };
    if (answer.signed && clientId !== undefined) {
      const responseTime = formatRequestTime(now);
      headers['client-id'] = clientId;
      headers['response-time'] = responseTime;
      headers['signature'] = await this.sign(path, clientId, responseTime, body);
    }
    return { status: 200, headers, body };
  }

  /** Whether `signature` (a parsed header's value) signs `content` with `key`. */
  verify(content: Buffer, signature: string, key: KeyObject): Promise<boolean> {
    return this.#backend.verifyAsync(content, signature, key);
  }
}

/** A request the gateway authenticated: the merchant whose key verified it. */
export interface Authenticated {
  clientId: string;
  merchant: Merchant;
}

export interface AuthenticationInput {
  /** The request path, as signed. */
  path: string;
  /** Whether the path is a sandbox path. */
  sandbox: boolean;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string>>;
  rawBody: string;
}

/**
 * Authenticates a request the way Alipay does before anything else: a known Client-Id, the Request-Time and Signature
 * headers, the credential settings that refuse before verifying, then one signature verification. Every refusal is
 * unsigned (Alipay could not tell who asked).
 */
export async function authenticate(
  input: AuthenticationInput,
  merchants: ReadonlyMap<string, Merchant>,
  credentials: CredentialOptions | undefined,
  signer: GatewaySigner,
): Promise<Authenticated | { refusal: CredentialRefusal }> {
  const refuse = (resultCode: string, message: string) => ({ refusal: { resultCode, message, signed: false } });
  const { path, headers } = input;
  const clientId = headers['client-id'];
  if (!clientId) return refuse('INVALID_CLIENT', 'the Client-Id header is missing');
  const merchant = merchants.get(clientId);
  if (!merchant) return refuse('INVALID_CLIENT', `client-id "${clientId}" is not known to this gateway (add it to its merchants)`);
  const requestTime = headers['request-time'];
  const signature = headers['signature'];
  if (!requestTime) return refuse('INVALID_SIGNATURE', 'the Request-Time header is missing');
  if (!signature) return refuse('INVALID_SIGNATURE', 'the Signature header is missing');
  let parsed: ParsedSignatureHeader | undefined;
  let malformed = 'malformed Signature header';
  try {
    parsed = parseSignatureHeader(signature);
  } catch (err) {
    if (err instanceof Error) malformed = err.message;
  }
  const refused = refuseBeforeVerifying(credentials, { clientId, sandboxPath: input.sandbox, signature: parsed });
  if (refused) return { refusal: refused };
  if (!parsed) return refuse('INVALID_SIGNATURE', malformed);
  const content = buildSignContentBytes({ method: 'POST', path, clientId, time: requestTime, body: input.rawBody });
  if (!(await signer.verify(content, parsed.signature, merchant.key))) {
    return refuse(
      'INVALID_SIGNATURE',
      `the signature does not verify with the public key registered for ${clientId} over "POST ${path}\\n${clientId}.<request-time>.<body>"`,
    );
  }
  return { clientId, merchant };
}
