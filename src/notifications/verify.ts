// Verifies a notification from Alipay over the raw bytes received, then parses it into a typed notification.
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../clock';
import { AmsSignatureError } from '../errors';
import { OPTION, optionError, parseOptions } from '../options';
import { parseRequestTime } from '../rules/time';
import { showValue } from '../rules/show';
import { getCryptoBackend, type CryptoBackend, type CryptoBackendName } from '../signing/backend';
import { buildSignContentBytes } from '../signing/content';
import { parseSignatureHeader } from '../signing/header';
import { loadPublicKey, type KeyInput } from '../signing/keys';
import { readSignedHeaders, type NotificationHeaders } from './headers';
import { isNotificationClient, partyOf, type NotificationClient, type NotificationParty } from './party';
import { parseNotificationBody } from './parse-body';
import type { AmsNotification } from './schemas';
import { lazy } from '../internal/lazy';

/** The request body exactly as received: the text, or its bytes. Never a parsed object. */
export type RawBody = string | Uint8Array | ArrayBuffer;

// `any` (Express's `req.body`) would otherwise slip through the RawBody type; mapping it to never makes passing a
// parsed `req.body` a compile error, as in openai-node's `unwrap`.
type NotAny<T> = 0 extends 1 & T ? never : T;

/** One delivery: what Alipay sent, and to which path. */
export interface NotificationDelivery<B extends RawBody = RawBody> {
  /**
   * The path Alipay called, without host: the path part of the `paymentNotifyUrl` / `refundNotifyUrl` you gave
   * Alipay (for example `/alipay/notify`). Behind a proxy that rewrites paths, pass the public path Alipay
   * called, not the one your server sees: the signature covers the public one.
   */
  path: string;
  /** The request headers (`client-id`, `request-time`, `signature`), in any case; Node, Fetch or a record. */
  headers: NotificationHeaders;
  /** The body exactly as received: a string, Buffer or Uint8Array. A parsed object can never verify. */
  rawBody: NotAny<B>;
  /** Off by default. When set, a request-time further than this from now (past or future) is rejected as stale. */
  toleranceMs?: number;
}

/** The verifier's keys given directly: Alipay's public key and the client id(s) notifications must carry. */
export interface VerifyWithKeys {
  /** Alipay's public key from the developer center (not your own). */
  alipayPublicKey: KeyInput;
  /**
   * Required: the client id (or ids) this server takes notifications for. One Alipay public key serves many
   * merchants, so a correctly signed notification for another client id (another merchant, sandbox vs live) is
   * refused (`AmsSignatureError`, reason `client_mismatch`).
   */
  clientId: string | readonly string[];
  client?: never;
  /** 'node' (default) or 'jsrsasign', or a backend object. */
  cryptoBackend?: CryptoBackendName | CryptoBackend;
  /** The clock for the tolerance check; default the system clock. */
  clock?: Clock;
}

/** The verifier's keys taken from an AmsClient: its Alipay public key, client id, crypto backend and clock. */
export interface VerifyWithClient {
  client: NotificationClient;
  /** Default the client's own id. */
  clientId?: string | readonly string[];
  alipayPublicKey?: never;
  cryptoBackend?: never;
  /** Default the client's clock. */
  clock?: Clock;
}

/** What verifyNotification takes: the delivery, and either Alipay's key and your client id, or an AmsClient. */
export type VerifyNotificationInput<B extends RawBody = RawBody> = NotificationDelivery<B> & {
  /** Default 'POST', the only method Alipay notifies with. */
  method?: string;
} & (VerifyWithKeys | VerifyWithClient);

/** What `client.verifyNotification` takes: the delivery; the client brings the keys. */
export type ClientVerifyNotificationInput<B extends RawBody = RawBody> = NotificationDelivery<B>;

/** Where notifications must come from and whom they must be for; handlers resolve it once, verifyNotification per call. */
export interface Verifier {
  publicKey: KeyObject;
  /** The accepted client ids, checked by expectedClientIds. */
  clientIds: readonly string[];
  cryptoBackend: CryptoBackend;
  /** Undefined: the system clock. */
  clock: Clock | undefined;
  /** The client the keys came from, when they came from one. */
  party: NotificationParty | undefined;
}

/** The options a Verifier is resolved from (verifyNotification's, the handlers' and the inbox's), once parsed. */
export interface VerifierOptions {
  client?: NotificationClient | undefined;
  alipayPublicKey?: KeyInput | undefined;
  clientId?: string | readonly string[] | undefined;
  cryptoBackend?: CryptoBackendName | CryptoBackend | undefined;
  clock?: Clock | undefined;
}

const verifierFields = lazy(function buildVerifierFields() {
  return {
    client: z.custom<NotificationClient>(isNotificationClient, { error: 'must be an AmsClient' }).optional(),
    // Any value here: loadPublicKey judges it, naming the format it saw and never echoing the key.
    alipayPublicKey: z.custom<KeyInput>().optional(),
    clientId: OPTION.clientIds.optional(),
    cryptoBackend: OPTION.cryptoBackendOrObject.optional(),
    clock: OPTION.clock.optional(),
  };
});

/** The verifier's option fields, in verifyNotification's input and the handlers' and the inbox's options alike. */
export function verifierOptionFields(): ReturnType<typeof verifierFields> {
  return verifierFields();
}

const inputSchema = lazy(function buildInputSchema() {
  return z
    .object({
      ...verifierOptionFields(),
      path: OPTION.notifyPath,
      // Read by openEnvelope: a missing header or a parsed body is an AmsSignatureError naming the check.
      headers: z.custom<NotificationHeaders>(),
      rawBody: z.custom<RawBody>(),
      toleranceMs: OPTION.toleranceMs.optional(),
      method: z.string().optional(),
    })
    .strict();
});

/** How to keep the raw body in the common frameworks; used in errors and handler logs. */
export const RAW_BODY_HINT =
  'The signature covers the exact bytes Alipay sent, so a body parsed and re-serialized will not verify. ' +
  "Express: mount express.raw({ type: '*/*' }) on the notify route (before, or instead of, express.json()) and pass req.body, a Buffer. " +
  "Fastify: app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => done(null, body)), " +
  'or the fastify-raw-body plugin and request.rawBody. ' +
  'Next.js (app router): in the route handler, const rawBody = await request.text().';

/** The body as a string or bytes, or the raw_body_required error. */
export function asRawBody(rawBody: unknown): string | Uint8Array {
  if (typeof rawBody === 'string' || rawBody instanceof Uint8Array) return rawBody;
  if (rawBody instanceof ArrayBuffer) return new Uint8Array(rawBody);
  const what =
    rawBody === undefined
      ? 'undefined (no body was read: is a body parser missing, or did one consume the stream?)'
      : typeof rawBody === 'object' && rawBody !== null && !Array.isArray(rawBody)
        ? 'an object (an already-parsed body)'
        : showValue(rawBody);
  throw new AmsSignatureError(
    `rawBody must be the raw request body (a string, Buffer or Uint8Array) exactly as received; got ${what}. ${RAW_BODY_HINT}`,
    {
      reason: 'raw_body_required',
      check: 'body',
    },
  );
}

export function byteLengthOf(body: string | Uint8Array): number {
  return typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;
}

/**
 * The one place the verifier's keys are resolved, for verifyNotification, the handlers and the inbox alike, from their
 * parsed options: `client` (an AmsClient: its Alipay key, client id, backend and clock) or `alipayPublicKey` +
 * `clientId`. `owner` names the options in each message. Missing client ids are a configuration error, never "accept
 * any": that would take another merchant's notification as yours.
 */
export function resolveVerifier(o: VerifierOptions, owner = 'verifyNotification'): Verifier {
  if ((o.client === undefined) === (o.alipayPublicKey === undefined)) {
    throw optionError(owner, 'alipayPublicKey', 'give exactly one of client or alipayPublicKey (with clientId); client is an AmsClient');
  }
  const clientIds = o.clientId === undefined ? undefined : typeof o.clientId === 'string' ? [o.clientId] : o.clientId;
  if (o.client !== undefined) {
    const party = partyOf(o.client);
    if (o.cryptoBackend !== undefined) throw optionError(owner, 'cryptoBackend', 'is taken from the client; do not give both');
    return {
      publicKey: party.alipayPublicKey,
      clientIds: clientIds ?? [party.clientId],
      cryptoBackend: party.cryptoBackend,
      clock: o.clock ?? party.clock,
      party,
    };
  }
  if (clientIds === undefined) {
    throw optionError(
      owner,
      'clientId',
      'is required: the client id (or a list of them) this server takes notifications for, e.g. "SANDBOX_5Y0…" from ' +
        'the developer center. One Alipay public key serves many merchants, so without it a notification signed for another ' +
        "merchant would be accepted as yours. With an AmsClient, use client.verifyNotification or the handler's client option.",
    );
  }
  const b = o.cryptoBackend;
  return {
    publicKey: loadPublicKey(o.alipayPublicKey as KeyInput, 'alipayPublicKey'),
    clientIds,
    cryptoBackend: typeof b === 'object' ? b : getCryptoBackend(b),
    clock: o.clock,
    party: undefined,
  };
}

/** A delivery whose envelope passed: the signed content and signature, and what the checks after the RSA step need. */
interface Envelope {
  content: Buffer;
  signature: string;
  body: string | Uint8Array;
  method: string;
  path: string;
  toleranceMs: number | undefined;
  /** The request-time in epoch ms; only read when toleranceMs is set. */
  sentAt: number | undefined;
}

function missingHeaders(missing: string[]): never {
  throw new AmsSignatureError(
    `The notification is missing the ${missing.join(', ')} header(s); Alipay signs every notification. ` +
      'If a proxy sits in front of this server, check that it forwards these headers.',
    { reason: 'missing_header', check: missing[0]! },
  );
}

/**
 * Everything before the RSA check, shared by the sync and async verifiers so they cannot drift: raw body, path,
 * headers, Signature parse, client id, request-time; and the exact content Alipay signed.
 */
function openEnvelope(
  input: { path: string; headers: unknown; rawBody: unknown; toleranceMs?: number | undefined; method?: string | undefined },
  clientIds: readonly string[],
): Envelope {
  const body = asRawBody(input.rawBody);
  const { path, toleranceMs } = input;
  const headers = input.headers as NotificationHeaders | null | undefined;
  if (headers === null || typeof headers !== 'object') {
    throw new AmsSignatureError('headers are required: the request headers as a Headers object or a record', {
      reason: 'missing_header',
      check: 'signature',
    });
  }
  const { signature: signatureHeader, clientId, requestTime } = readSignedHeaders(headers);
  if (signatureHeader === undefined || clientId === undefined || requestTime === undefined) {
    const missing: string[] = [];
    if (signatureHeader === undefined) missing.push('signature');
    if (clientId === undefined) missing.push('client-id');
    if (requestTime === undefined) missing.push('request-time');
    missingHeaders(missing);
  }
  const { signature } = parseSignatureHeader(signatureHeader);
  if (!clientIds.includes(clientId)) {
    const expected = clientIds.length === 1 ? `"${clientIds[0]}"` : `any of ${clientIds.length} configured client ids`;
    throw new AmsSignatureError(
      `The notification is for client-id "${clientId.slice(0, 64)}", not ${expected}: it is not yours ` +
        '(another merchant, or sandbox vs live, which have different client ids)',
      { reason: 'client_mismatch', check: 'client-id' },
    );
  }
  let sentAt: number | undefined;
  if (toleranceMs !== undefined) {
    sentAt = parseRequestTime(requestTime);
    if (sentAt === undefined) {
      throw new AmsSignatureError(
        `The request-time header "${requestTime.slice(0, 40)}" is neither epoch milliseconds nor ISO-8601 with an offset, so its age cannot be checked`,
        { reason: 'malformed', check: 'request-time' },
      );
    }
  }
  const method = input.method ?? 'POST';
  const content = buildSignContentBytes({ method, path, clientId, time: requestTime, body });
  return { content, signature, body, method, path, toleranceMs, sentAt };
}

/** Everything after the RSA check: the verdict, then staleness, then the body parsed. */
function accept(envelope: Envelope, ok: boolean, clock: Clock | undefined): AmsNotification {
  const { method, path, toleranceMs, sentAt } = envelope;
  if (!ok) {
    throw new AmsSignatureError(
      `The notification signature does not verify for "${method} ${path}". Check that alipayPublicKey is Alipay's key ` +
        '(not your own), that path is the path Alipay called (the public one, behind a proxy), and that the raw body was used unchanged.',
      { reason: 'mismatch', check: 'signature' },
    );
  }
  if (toleranceMs !== undefined && sentAt !== undefined) {
    const skew = (clock ? clock.now().getTime() : Date.now()) - sentAt;
    if (Math.abs(skew) > toleranceMs) {
      throw new AmsSignatureError(
        `The notification's request-time is ${Math.round(Math.abs(skew) / 1000)} s in the ${skew > 0 ? 'past' : 'future'}, ` +
          `beyond the tolerance of ${Math.round(toleranceMs / 1000)} s. Alipay redelivers for up to 24 hours: a tolerance ` +
          'rejects replays, and also redeliveries whose request-time was not refreshed, and clock skew.',
        { reason: 'stale', check: 'request-time' },
      );
    }
  }
  return parseNotificationBody(envelope.body);
}

/** Verifies one delivery against a resolved verifier, the RSA check off the event loop (the node backend's threadpool). */
export async function verifyDelivery(
  delivery: NotificationDelivery & { method?: string | undefined },
  verifier: Verifier,
): Promise<AmsNotification> {
  const envelope = openEnvelope(delivery, verifier.clientIds);
  return accept(
    envelope,
    await verifier.cryptoBackend.verifyAsync(envelope.content, envelope.signature, verifier.publicKey),
    verifier.clock,
  );
}

/** verifyNotification's input checked (AmsConfigError naming the field: an unknown option, a path with a host, …) and its verifier. */
function resolveInput(input: unknown): { delivery: z.output<ReturnType<typeof inputSchema>>; verifier: Verifier } {
  const delivery = parseOptions(inputSchema(), input, 'verifyNotification');
  return { delivery, verifier: resolveVerifier(delivery, 'verifyNotification') };
}

/**
 * Verifies a notification Alipay sent to your notify URL and returns it typed (switch on `kind`).
 * The verified content is `POST <path>\n<client-id>.<request-time>.<raw body>` under Alipay's public key: give
 * `alipayPublicKey` and `clientId`, or `client` (an AmsClient, whose keys, client id, backend and clock are used).
 * Throws AmsConfigError without `clientId`, AmsSignatureError (`reason`: missing_header, malformed, mismatch,
 * client_mismatch, stale, raw_body_required; `check`:
 * which header or `body`) or, once the signature holds, AmsValidationError for a body that is not the expected JSON.
 */
export function verifyNotification<B extends RawBody>(input: VerifyNotificationInput<B>): AmsNotification {
  const { delivery, verifier } = resolveInput(input);
  const envelope = openEnvelope(delivery, verifier.clientIds);
  return accept(envelope, verifier.cryptoBackend.verify(envelope.content, envelope.signature, verifier.publicKey), verifier.clock);
}

/** The same as verifyNotification, with the RSA check off the event loop. */
export async function verifyNotificationAsync<B extends RawBody>(input: VerifyNotificationInput<B>): Promise<AmsNotification> {
  const { delivery, verifier } = resolveInput(input);
  return verifyDelivery(delivery, verifier);
}
