// Verifies a notification from Alipay over the raw bytes received, then parses it into a typed notification.
import type { KeyObject } from 'node:crypto';
import { AmsConfigError, AmsSignatureError, AmsValidationError, issuesFromZod } from '../errors';
import { contextOf } from '../internal/context';
import { getCryptoBackend, type CryptoBackend, type CryptoBackendName } from '../signing/backend';
import { buildSignContentBytes } from '../signing/content';
import { parseSignatureHeader } from '../signing/header';
import { loadPublicKey, type KeyInput } from '../signing/keys';
import { parseRequestTime } from '../rules/time';
import { readHeaders, type NotificationHeaders } from './headers';
import { captureOutcome, paymentOutcome, refundOutcome } from './outcome';

const SIGNED_HEADERS = ['signature', 'client-id', 'request-time'] as const;
import {
  OtherNotificationSchema,
  PAYMENT_NOTIFY_TYPES,
  CAPTURE_NOTIFY_TYPES,
  CaptureNotificationSchema,
  PaymentNotificationSchema,
  REFUND_NOTIFY_TYPES,
  RefundNotificationSchema,
  type AmsNotification,
} from './schemas';

/** The request body exactly as received: the text, or its bytes. Never a parsed object. */
export type RawBody = string | Uint8Array | ArrayBuffer;

// `any` (Express's `req.body`) would otherwise slip through the RawBody type; mapping it to never makes passing a
// parsed `req.body` a compile error, as in openai-node's `unwrap`.
type NotAny<T> = 0 extends 1 & T ? never : T;

/** The time source for the tolerance check: a Date or epoch milliseconds. */
export type NowFn = () => Date | number;

export interface VerifyNotificationInput<B extends RawBody = RawBody> {
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
  /** Alipay's public key from the developer center (not your own). */
  alipayPublicKey: KeyInput;
  /**
   * Required: the client id (or ids) this server takes notifications for. One Alipay public key serves many
   * merchants, so a correctly signed notification for another client id (another merchant, sandbox vs live) is
   * refused (`AmsSignatureError`, reason `client_mismatch`).
   */
  clientId: string | readonly string[];
  /** Default 'POST', the only method Alipay notifies with. */
  method?: string;
  /** Off by default. When set, a request-time further than this from now (past or future) is rejected as stale. */
  toleranceMs?: number;
  /** The clock for the tolerance check; default the system clock. */
  now?: NowFn;
  /** 'node' (default) or 'jsrsasign', or a backend object. */
  backend?: CryptoBackendName | CryptoBackend;
}

/** The verifier's inputs with keys and backend already resolved (handlers resolve them once). */
export interface ResolvedVerifyInput {
  path: string;
  headers: NotificationHeaders;
  rawBody: unknown;
  publicKey: KeyObject;
  /** The accepted client ids, checked by expectedClientIds. */
  clientIds: readonly string[];
  method?: string | undefined;
  toleranceMs?: number | undefined;
  now?: NowFn | undefined;
  backend: CryptoBackend;
}

/** How to keep the raw body in the common frameworks; used in errors and handler logs. */
export const RAW_BODY_HINT =
  'The signature covers the exact bytes Alipay sent, so a body parsed and re-serialized will not verify. ' +
  "Express: mount express.raw({ type: '*/*' }) on the notify route (before, or instead of, express.json()) and pass req.body, a Buffer. " +
  "Fastify: app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => done(null, body)), " +
  'or the fastify-raw-body plugin and request.rawBody. ' +
  'Next.js (app router): in the route handler, const rawBody = await request.text().';

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object (an already-parsed body)';
  return typeof value;
}

/** The body as a string or bytes, or the raw_body_required error. */
export function asRawBody(rawBody: unknown): string | Uint8Array {
  if (typeof rawBody === 'string' || rawBody instanceof Uint8Array) return rawBody;
  if (rawBody instanceof ArrayBuffer) return new Uint8Array(rawBody);
  const what = rawBody === undefined ? 'undefined (no body was read: is a body parser missing, or did one consume the stream?)' : describeValue(rawBody);
  throw new AmsSignatureError(`rawBody must be the raw request body (a string, Buffer or Uint8Array) exactly as received; got ${what}. ${RAW_BODY_HINT}`, {
    reason: 'raw_body_required',
    check: 'body',
  });
}

export function byteLengthOf(body: string | Uint8Array): number {
  return typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;
}

function checkPath(path: unknown): string {
  if (typeof path !== 'string' || path === '') throw new AmsConfigError('path: the notify path is required (for example "/alipay/notify")', { field: 'path' });
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    throw new AmsConfigError(`path: give the path only, without scheme and host (got "${path.slice(0, 80)}"); Alipay signs the path alone`, { field: 'path' });
  }
  if (!path.startsWith('/')) throw new AmsConfigError(`path: must start with "/" (got "${path.slice(0, 80)}")`, { field: 'path' });
  return path;
}

/**
 * The client ids a verifier accepts: a non-empty string or a non-empty list of them. Missing is a configuration
 * error, never "accept any": that would take another merchant's notification as yours.
 */
export function expectedClientIds(clientId: unknown, field = 'clientId'): readonly string[] {
  const list = typeof clientId === 'string' ? [clientId] : Array.isArray(clientId) ? (clientId as unknown[]) : undefined;
  if (clientId === undefined || list === undefined || list.length === 0) {
    throw new AmsConfigError(
      `${field} is required: the client id (or a list of them) this server takes notifications for, e.g. "SANDBOX_5Y0…" from ` +
        'the developer center. One Alipay public key serves many merchants, so without it a notification signed for another ' +
        'merchant would be accepted as yours. With an AmsClient, use client.verifyNotification or the handler\'s client option.',
      { field },
    );
  }
  for (const id of list) {
    if (typeof id !== 'string' || id === '' || id.length > 128) {
      throw new AmsConfigError(`${field}: every client id must be a non-empty string (at most 128 characters)`, { field });
    }
  }
  return list as string[];
}

export function checkTolerance(toleranceMs: unknown): number | undefined {
  if (toleranceMs === undefined) return undefined;
  if (typeof toleranceMs !== 'number' || !Number.isFinite(toleranceMs) || toleranceMs < 0) {
    throw new AmsConfigError('toleranceMs: must be a non-negative number of milliseconds', { field: 'toleranceMs' });
  }
  return toleranceMs;
}

function nowMs(now: NowFn | undefined): number {
  const t = now ? now() : Date.now();
  return typeof t === 'number' ? t : t.getTime();
}

function resolveBackend(backend: CryptoBackendName | CryptoBackend | undefined): CryptoBackend {
  return typeof backend === 'object' && backend !== null ? backend : getCryptoBackend(backend);
}

/**
 * Parses a verified body: JSON, then zod by notifyType, with the derived `outcome`. Unknown notifyTypes, and bodies
 * without one (disputes, authorizations, vaulting), come back as `kind: 'other'`.
 */
export function parseNotificationBody(body: string | Uint8Array): AmsNotification {
  const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new AmsValidationError([{ field: '', message: `the body is not valid JSON (${text.length} characters)`, code: 'invalid_json' }], {
      context: 'notification',
      cause,
    });
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new AmsValidationError([{ field: '', message: `expected a JSON object, got ${describeValue(json)}`, code: 'invalid_type' }], { context: 'notification' });
  }
  const notifyType = (json as { notifyType?: unknown }).notifyType;
  if ((PAYMENT_NOTIFY_TYPES as readonly unknown[]).includes(notifyType)) {
    const r = PaymentNotificationSchema.safeParse(json);
    if (!r.success) throw new AmsValidationError(issuesFromZod(r.error.issues), { context: `${String(notifyType)} notification` });
    return Object.assign(r.data, { kind: 'payment' as const, outcome: paymentOutcome(r.data.notifyType, r.data.result) });
  }
  if ((REFUND_NOTIFY_TYPES as readonly unknown[]).includes(notifyType)) {
    const r = RefundNotificationSchema.safeParse(json);
    if (!r.success) throw new AmsValidationError(issuesFromZod(r.error.issues), { context: `${String(notifyType)} notification` });
    return Object.assign(r.data, { kind: 'refund' as const, outcome: refundOutcome(r.data.result, r.data.refundStatus) });
  }
  if ((CAPTURE_NOTIFY_TYPES as readonly unknown[]).includes(notifyType)) {
    const r = CaptureNotificationSchema.safeParse(json);
    if (!r.success) throw new AmsValidationError(issuesFromZod(r.error.issues), { context: `${String(notifyType)} notification` });
    return Object.assign(r.data, { kind: 'capture' as const, outcome: captureOutcome(r.data.result) });
  }
  const r = OtherNotificationSchema.safeParse(json);
  if (!r.success) throw new AmsValidationError(issuesFromZod(r.error.issues), { context: 'notification' });
  return Object.assign(r.data, { kind: 'other' as const });
}

interface Prepared {
  content: Buffer;
  signature: string;
  key: KeyObject;
  backend: CryptoBackend;
  finish(ok: boolean): AmsNotification;
}

/**
 * Everything before and after the RSA check, shared by the sync and async verifiers so they cannot drift:
 * raw body, headers, Signature parse, client id, request-time; then, given the RSA outcome, staleness and parsing.
 */
function prepare(input: ResolvedVerifyInput): Prepared {
  const body = asRawBody(input.rawBody);
  const path = checkPath(input.path);
  const toleranceMs = checkTolerance(input.toleranceMs);
  const headers = input.headers;
  if (headers === null || typeof headers !== 'object') {
    throw new AmsSignatureError('headers are required: the request headers as a Headers object or a record', { reason: 'missing_header', check: 'signature' });
  }
  const { signature: signatureHeader, 'client-id': clientId, 'request-time': requestTime } = readHeaders(headers, SIGNED_HEADERS);
  const missing = [
    signatureHeader === undefined ? 'signature' : undefined,
    clientId === undefined ? 'client-id' : undefined,
    requestTime === undefined ? 'request-time' : undefined,
  ].filter((h): h is string => h !== undefined);
  if (missing.length > 0) {
    throw new AmsSignatureError(
      `The notification is missing the ${missing.join(', ')} header(s); Alipay signs every notification. ` +
        'If a proxy sits in front of this server, check that it forwards these headers.',
      { reason: 'missing_header', check: missing[0]! },
    );
  }
  const parsed = parseSignatureHeader(signatureHeader);
  if (!input.clientIds.includes(clientId!)) {
    const expected = input.clientIds.length === 1 ? `"${input.clientIds[0]}"` : `any of ${input.clientIds.length} configured client ids`;
    throw new AmsSignatureError(
      `The notification is for client-id "${clientId!.slice(0, 64)}", not ${expected}: it is not yours ` +
        '(another merchant, or sandbox vs live, which have different client ids)',
      { reason: 'client_mismatch', check: 'client-id' },
    );
  }
  let sentAt: number | undefined;
  if (toleranceMs !== undefined) {
    sentAt = parseRequestTime(requestTime!);
    if (sentAt === undefined) {
      throw new AmsSignatureError(
        `The request-time header "${requestTime!.slice(0, 40)}" is neither epoch milliseconds nor ISO-8601 with an offset, so its age cannot be checked`,
        { reason: 'malformed', check: 'request-time' },
      );
    }
  }
  const method = input.method ?? 'POST';
  const content = buildSignContentBytes({ method, path, clientId: clientId!, time: requestTime!, body });
  return {
    content,
    signature: parsed.signature,
    key: input.publicKey,
    backend: input.backend,
    finish(ok) {
      if (!ok) {
        throw new AmsSignatureError(
          `The notification signature does not verify for "${method} ${path}". Check that alipayPublicKey is Alipay's key ` +
            '(not your own), that path is the path Alipay called (the public one, behind a proxy), and that the raw body was used unchanged.',
          { reason: 'mismatch', check: 'signature' },
        );
      }
      if (toleranceMs !== undefined && sentAt !== undefined) {
        const skew = nowMs(input.now) - sentAt;
        if (Math.abs(skew) > toleranceMs) {
          throw new AmsSignatureError(
            `The notification's request-time is ${Math.round(Math.abs(skew) / 1000)} s in the ${skew > 0 ? 'past' : 'future'}, ` +
              `beyond the tolerance of ${Math.round(toleranceMs / 1000)} s. Alipay redelivers for up to 24 hours: a tolerance ` +
              'rejects replays, and also redeliveries whose request-time was not refreshed, and clock skew.',
            { reason: 'stale', check: 'request-time' },
          );
        }
      }
      return parseNotificationBody(body);
    },
  };
}

/** Verifies off the event loop (the node backend runs RSA in the libuv threadpool); for handlers. */
export async function verifyResolvedAsync(input: ResolvedVerifyInput): Promise<AmsNotification> {
  const p = prepare(input);
  return p.finish(await p.backend.verifyAsync(p.content, p.signature, p.key));
}

function verifyResolved(input: ResolvedVerifyInput): AmsNotification {
  const p = prepare(input);
  return p.finish(p.backend.verify(p.content, p.signature, p.key));
}

function resolve(input: Omit<VerifyNotificationInput, 'rawBody'> & { rawBody: unknown }): ResolvedVerifyInput {
  if (input === null || typeof input !== 'object') throw new AmsConfigError('verifyNotification needs an input object', { field: 'input' });
  return {
    path: input.path,
    headers: input.headers,
    rawBody: input.rawBody,
    publicKey: loadPublicKey(input.alipayPublicKey, 'alipayPublicKey'),
    clientIds: expectedClientIds(input.clientId),
    method: input.method,
    toleranceMs: input.toleranceMs,
    now: input.now,
    backend: resolveBackend(input.backend),
  };
}

/**
 * Verifies a notification Alipay sent to your notify URL and returns it typed (switch on `kind`).
 * The verified content is `POST <path>\n<client-id>.<request-time>.<raw body>` under Alipay's public key.
 * Throws AmsConfigError without `clientId`, AmsSignatureError (`reason`: missing_header, malformed, mismatch,
 * client_mismatch, stale, raw_body_required; `check`:
 * which header or `body`) or, once the signature holds, AmsValidationError for a body that is not the expected JSON.
 */
export function verifyNotification<B extends RawBody>(input: VerifyNotificationInput<B>): AmsNotification {
  return verifyResolved(resolve(input));
}

/** The same as verifyNotification, with the RSA check off the event loop. */
export async function verifyNotificationAsync<B extends RawBody>(input: VerifyNotificationInput<B>): Promise<AmsNotification> {
  return verifyResolvedAsync(resolve(input));
}

/** What `client.verifyNotification` takes: the client supplies Alipay's key, its client id, backend and clock. */
export interface ClientVerifyNotificationInput<B extends RawBody = RawBody> {
  /** The path Alipay called, without host (the public path of your notify URL, even behind a rewriting proxy). */
  path: string;
  headers: NotificationHeaders;
  rawBody: NotAny<B>;
  /** Off by default; see VerifyNotificationInput.toleranceMs. */
  toleranceMs?: number;
}

function resolveForClient(client: object, input: Omit<ClientVerifyNotificationInput, 'rawBody'> & { rawBody: unknown }): ResolvedVerifyInput {
  const ctx = contextOf(client);
  if (input === null || typeof input !== 'object') throw new AmsConfigError('verifyNotification needs an input object', { field: 'input' });
  return {
    path: input.path,
    headers: input.headers,
    rawBody: input.rawBody,
    publicKey: ctx.alipayPublicKey,
    clientIds: [ctx.clientId],
    toleranceMs: input.toleranceMs,
    now: () => ctx.clock.now(),
    backend: ctx.backend,
  };
}

/** `verifyNotification` with an AmsClient's Alipay public key, client id (checked), crypto backend and clock. */
export function verifyNotificationForClient<B extends RawBody>(client: object, input: ClientVerifyNotificationInput<B>): AmsNotification {
  return verifyResolved(resolveForClient(client, input));
}

/** The async form of verifyNotificationForClient (RSA off the event loop). */
export async function verifyNotificationForClientAsync<B extends RawBody>(client: object, input: ClientVerifyNotificationInput<B>): Promise<AmsNotification> {
  return verifyResolvedAsync(resolveForClient(client, input));
}
