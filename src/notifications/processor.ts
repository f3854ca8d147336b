// The one notification pipeline both handlers share: verify → parse → dedupe claim → callback → complete → acknowledge.
import type { KeyObject } from 'node:crypto';
import type { Logger } from '../api/call';
import type { AmsClient } from '../client';
import { AmsConfigError, AmsSignatureError, AmsValidationError } from '../errors';
import { contextOf } from '../internal/context';
import { getCryptoBackend, type CryptoBackend, type CryptoBackendName } from '../signing/backend';
import { KEY_VERSION_RE } from '../signing/header';
import { loadPrivateKey, loadPublicKey, type KeyInput } from '../signing/keys';
import { notificationAck } from './ack';
import { createMemoryNotificationStore, notificationKey, type NotificationClaim, type NotificationStore } from './dedupe';
import type { NotificationHeaders } from './headers';
import type { AmsNotification, CaptureNotification, OtherNotification, PaymentNotification, RefundNotification } from './schemas';
import { asRawBody, byteLengthOf, checkTolerance, expectedClientIds, RAW_BODY_HINT, verifyResolvedAsync, type NowFn } from './verify';

/** What a callback learns besides the notification. */
export interface NotificationContext {
  /** The dedupe key (`notifyType:paymentId`, …): use it as an idempotency key in your own storage too. */
  key: string;
}

/** A callback may return anything; only a throw / rejection matters (it means "not handled, send it again"). */
export type NotificationCallback<N> = (notification: N, context: NotificationContext) => unknown;

interface HandlerOptionsBase {
  /**
   * The path Alipay called, without host: the path of the `paymentNotifyUrl` you gave Alipay. The signature
   * covers this path, so behind a proxy or gateway that rewrites paths (for example public `/api/alipay/notify`
   * forwarded as `/notify`) pass the public one. When omitted, the path of the incoming request is used (its
   * pathname, without query): right only when nothing between Alipay and this server changes the path.
   */
  path?: string;
  /**
   * The client id(s) whose notifications this handler takes, checked against the client-id header. Default the
   * client's id when `client` is given; required with `alipayPublicKey` (one Alipay key serves many merchants).
   */
  clientId?: string | readonly string[];
  /** Required. Runs for PAYMENT_RESULT and PAYMENT_PENDING; throw to refuse the acknowledgement (Alipay retries). */
  onPayment: NotificationCallback<PaymentNotification>;
  /** Runs for REFUND_RESULT. Without it, refunds go to onOther; without both, they are answered 501 (not acknowledged). */
  onRefund?: NotificationCallback<RefundNotification>;
  /** Runs for CAPTURE_RESULT. Without it, captures go to onOther; without both, they are answered 501 (not acknowledged). */
  onCapture?: NotificationCallback<CaptureNotification>;
  /**
   * Runs for any other notification — other notifyTypes and bodies without one (disputes, authorizations, vaulting)
   * — and for refunds and captures without their own callback. Without it they are answered 501, logged.
   */
  onOther?: NotificationCallback<OtherNotification | RefundNotification | CaptureNotification>;
  /**
   * Duplicate suppression: the same notification can arrive several times (Alipay retries until acknowledged,
   * and a slow acknowledgement crosses a retry). Default: an in-memory store (one process). With several
   * instances, pass a shared store (e.g. Redis); `false` disables it and every delivery runs the callback.
   * The default store belongs to this handler alone: two handlers (say Node and Fetch) do not share it.
   */
  dedupe?: NotificationStore | false;
  /** Off by default; reject a request-time further than this from now. */
  toleranceMs?: number;
  /** Default: the client's logger, else warnings and errors to the console. Pass `{}` to silence. */
  logger?: Logger;
  /** Larger bodies are answered 413 without being read further. Default 1 MiB. */
  maxBodyBytes?: number;
  /**
   * How long reading the body may take, in ms (default 10 000). A body still unfinished then (a stalled or
   * deliberately slow sender) is answered 408 and the connection released; the callback never runs.
   */
  bodyTimeoutMs?: number;
  /**
   * Sign the acknowledgement (Antom does not need it). `true` uses the client's id and private key; or give them.
   */
  signAck?: boolean | { clientId: string; privateKey: KeyInput; keyVersion?: string | null };
  /** The clock for toleranceMs and the ack's response-time; default the client's clock, else the system's. */
  now?: NowFn;
  /** Only with alipayPublicKey; a client brings its own. */
  backend?: CryptoBackendName;
}

/** Options of createNotificationHandler / createFetchNotificationHandler: give `client` or `alipayPublicKey`. */
export type NotificationHandlerOptions = HandlerOptionsBase &
  ({ client: AmsClient; alipayPublicKey?: never } | { alipayPublicKey: KeyInput; client?: never });

/** One request, as the adapters hand it over. */
export interface NotificationRequest {
  method: string | undefined;
  /** The request's own pathname, used when no `path` option was given. */
  urlPath: string | undefined;
  headers: NotificationHeaders;
  /** The raw body; anything else is answered with the raw-body error. */
  rawBody: unknown;
}

/** A framework-neutral answer. */
export interface NotificationResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const KNOWN_OPTIONS = new Set([
  'path', 'clientId', 'onPayment', 'onRefund', 'onCapture', 'onOther', 'dedupe', 'toleranceMs', 'logger', 'maxBodyBytes',
  'bodyTimeoutMs', 'signAck', 'now', 'backend', 'client', 'alipayPublicKey',
]);

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

/**
 * A store that hangs (Redis black-holed rather than refusing connections) must not hold Alipay's request open:
 * past this, a claim counts as failed (503; a claim that lands later simply expires), and a complete or release
 * counts as failed too — after a successful callback the answer is still the acknowledgement, so a store that
 * hangs there cannot make Alipay redeliver and the callback run twice.
 */
export const STORE_CLAIM_TIMEOUT_MS = 5_000;

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`store did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const consoleLogger: Logger = {
  warn: (message, meta) => console.warn(message, meta ?? {}),
  error: (message, meta) => console.error(message, meta ?? {}),
};

/** A JSON error answer; never the acknowledgement's shape, so Alipay retries. */
export function errorResponse(status: number, error: string, message: string, headers: Record<string, string> = {}): NotificationResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ error, message }) };
}

export function tooLargeResponse(limit: number): NotificationResponse {
  return errorResponse(413, 'body_too_large', `the body exceeds ${limit} bytes`, { connection: 'close' });
}

export function bodyTimeoutResponse(ms: number): NotificationResponse {
  return errorResponse(408, 'body_timeout', `the body did not arrive within ${ms} ms`, { connection: 'close' });
}

function config(message: string, field: string): never {
  throw new AmsConfigError(`notification handler: ${message}`, { field });
}

interface Resolved {
  path: string | undefined;
  publicKey: KeyObject;
  clientIds: readonly string[];
  backend: CryptoBackend;
  store: NotificationStore | undefined;
  toleranceMs: number | undefined;
  logger: Logger;
  maxBodyBytes: number;
  bodyTimeoutMs: number;
  now: NowFn | undefined;
  ack: { clientId: string; privateKey: KeyObject; keyVersion: string | null } | undefined;
  onPayment: NotificationCallback<PaymentNotification>;
  onRefund: NotificationCallback<RefundNotification> | undefined;
  onCapture: NotificationCallback<CaptureNotification> | undefined;
  onOther: NotificationCallback<OtherNotification | RefundNotification | CaptureNotification> | undefined;
}

function resolveOptions(options: NotificationHandlerOptions): Resolved {
  if (options === null || typeof options !== 'object') config('an options object is required', 'options');
  const unknown = Object.keys(options).filter((k) => !KNOWN_OPTIONS.has(k));
  if (unknown.length > 0) config(`unknown option(s) ${unknown.map((k) => `"${k}"`).join(', ')}`, unknown[0]!);
  const o = options as HandlerOptionsBase & { client?: AmsClient; alipayPublicKey?: KeyInput };
  if (typeof o.onPayment !== 'function') config('onPayment is required: a function that handles a payment notification', 'onPayment');
  if (o.onRefund !== undefined && typeof o.onRefund !== 'function') config('onRefund must be a function', 'onRefund');
  if (o.onCapture !== undefined && typeof o.onCapture !== 'function') config('onCapture must be a function', 'onCapture');
  if (o.onOther !== undefined && typeof o.onOther !== 'function') config('onOther must be a function', 'onOther');
  if (o.path !== undefined && (typeof o.path !== 'string' || !o.path.startsWith('/'))) {
    config('path must be the notify path without host, starting with "/" (for example "/alipay/notify")', 'path');
  }
  if ((o.client === undefined) === (o.alipayPublicKey === undefined)) config('give exactly one of client or alipayPublicKey', 'alipayPublicKey');
  const ctx = o.client !== undefined ? contextOf(o.client) : undefined;
  if (ctx && o.backend !== undefined) config('backend is taken from the client; do not give both', 'backend');
  const maxBodyBytes = o.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes <= 0) config('maxBodyBytes must be a positive integer', 'maxBodyBytes');
  const bodyTimeoutMs = o.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  if (!Number.isInteger(bodyTimeoutMs) || bodyTimeoutMs <= 0 || bodyTimeoutMs > 600_000) {
    config('bodyTimeoutMs must be a whole number of milliseconds from 1 to 600000', 'bodyTimeoutMs');
  }
  const clientIds = o.clientId === undefined && ctx ? [ctx.clientId] : expectedClientIds(o.clientId, 'clientId');
  if (o.dedupe !== undefined && o.dedupe !== false) {
    const d = o.dedupe as Partial<NotificationStore> | null;
    if (!d || typeof d.claim !== 'function' || typeof d.complete !== 'function' || typeof d.release !== 'function') {
      config('dedupe must be false or a store with claim, complete and release', 'dedupe');
    }
  }
  let ack: Resolved['ack'];
  if (o.signAck === true) {
    if (!ctx) config('signAck: true needs client; otherwise give { clientId, privateKey }', 'signAck');
    ack = { clientId: ctx.clientId, privateKey: ctx.privateKey, keyVersion: ctx.keyVersion };
  } else if (o.signAck && typeof o.signAck === 'object') {
    // Checked here, not at the first delivery: a signed ack that cannot be built would answer every notification 500.
    const { clientId, privateKey, keyVersion } = o.signAck;
    if (typeof clientId !== 'string' || clientId === '') config('signAck.clientId is required: your client id, which the signed acknowledgement carries', 'signAck.clientId');
    if (keyVersion !== undefined && keyVersion !== null && !(typeof keyVersion === 'string' && KEY_VERSION_RE.test(keyVersion))) {
      config('signAck.keyVersion must be a short token such as "1", or null to omit it', 'signAck.keyVersion');
    }
    ack = { clientId, privateKey: loadPrivateKey(privateKey, 'signAck.privateKey'), keyVersion: keyVersion === undefined ? '1' : keyVersion };
  } else if (o.signAck !== undefined && o.signAck !== false) {
    config('signAck must be true (with client), false, or { clientId, privateKey, keyVersion? }', 'signAck');
  }
  return {
    path: o.path,
    publicKey: ctx ? ctx.alipayPublicKey : loadPublicKey(o.alipayPublicKey as KeyInput, 'alipayPublicKey'),
    clientIds,
    backend: ctx ? ctx.backend : getCryptoBackend(o.backend),
    store: o.dedupe === false ? undefined : (o.dedupe ?? createMemoryNotificationStore()),
    toleranceMs: checkTolerance(o.toleranceMs),
    logger: o.logger ?? ctx?.logger ?? consoleLogger,
    maxBodyBytes,
    bodyTimeoutMs,
    now: o.now ?? (ctx ? () => ctx.clock.now() : undefined),
    ack,
    onPayment: o.onPayment,
    onRefund: o.onRefund,
    onCapture: o.onCapture,
    onOther: o.onOther,
  };
}

function callbackFor(r: Resolved, n: AmsNotification): ((n: AmsNotification, c: NotificationContext) => unknown) | undefined {
  if (n.kind === 'payment') return r.onPayment as (n: AmsNotification, c: NotificationContext) => unknown;
  if (n.kind === 'refund') return (r.onRefund ?? r.onOther) as ((n: AmsNotification, c: NotificationContext) => unknown) | undefined;
  if (n.kind === 'capture') return (r.onCapture ?? r.onOther) as ((n: AmsNotification, c: NotificationContext) => unknown) | undefined;
  return r.onOther as ((n: AmsNotification, c: NotificationContext) => unknown) | undefined;
}

/** A store's name for logs: its `name`, else its class. */
function storeName(store: NotificationStore): string {
  const named = (store as { name?: unknown }).name;
  if (typeof named === 'string' && named !== '') return `"${named.slice(0, 64)}"`;
  const ctor = (store as object).constructor?.name;
  return ctor && ctor !== 'Object' ? `"${ctor}"` : '(a custom store)';
}

function describeClaim(claim: unknown): string {
  if (claim === null) return 'null';
  if (typeof claim !== 'object') return typeof claim;
  const state = (claim as { state?: unknown }).state;
  return state === undefined ? 'an object without state' : `state ${JSON.stringify(state)?.slice(0, 40) ?? typeof state}`;
}

function errorName(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

export interface NotificationProcessor {
  readonly maxBodyBytes: number;
  readonly bodyTimeoutMs: number;
  process(request: NotificationRequest): Promise<NotificationResponse>;
  /** The adapter wrote `response`: logs "acknowledged" when it was the acknowledgement, and only then. */
  written(response: NotificationResponse): void;
}

/** Builds the shared pipeline; the Node and Fetch handlers only read the body and write the answer. */
export function createNotificationProcessor(options: NotificationHandlerOptions): NotificationProcessor {
  const r = resolveOptions(options);
  const log = r.logger;

  // The acknowledgements this processor built, with what to log once the adapter has written them.
  const acks = new WeakMap<NotificationResponse, Record<string, unknown>>();

  function ack(path: string, meta: Record<string, unknown>): NotificationResponse {
    let response: NotificationResponse;
    try {
      if (!r.ack) response = notificationAck();
      else {
        const now = r.now?.();
        const clock = now === undefined ? undefined : { now: () => (typeof now === 'number' ? new Date(now) : now) };
        response = notificationAck({ sign: { ...r.ack, path, backend: r.backend, ...(clock ? { clock } : {}) } });
      }
    } catch (err) {
      log.error?.('ams: the signed acknowledgement could not be built; not acknowledged, Alipay will send it again', { ...meta, error: errorName(err) });
      return errorResponse(500, 'ack_failed', 'the acknowledgement could not be built');
    }
    acks.set(response, meta);
    return response;
  }

  function written(response: NotificationResponse): void {
    const meta = acks.get(response);
    if (meta) log.info?.('ams: notification acknowledged', meta);
  }

  async function process(req: NotificationRequest): Promise<NotificationResponse> {
    if ((req.method ?? 'POST').toUpperCase() !== 'POST') {
      return errorResponse(405, 'method_not_allowed', 'Alipay notifies with POST', { allow: 'POST' });
    }
    const path = r.path ?? req.urlPath;
    if (!path || !path.startsWith('/')) {
      log.error?.('ams: notification handler has no path: give the path option', { urlPath: req.urlPath });
      return errorResponse(500, 'configuration', 'the notification handler has no path to verify against');
    }

    let body: string | Uint8Array;
    let notification: AmsNotification;
    try {
      body = asRawBody(req.rawBody);
      if (byteLengthOf(body) > r.maxBodyBytes) return tooLargeResponse(r.maxBodyBytes);
      notification = await verifyResolvedAsync({
        path,
        headers: req.headers,
        rawBody: body,
        publicKey: r.publicKey,
        clientIds: r.clientIds,
        toleranceMs: r.toleranceMs,
        now: r.now,
        backend: r.backend,
      });
    } catch (err) {
      if (err instanceof AmsSignatureError && err.reason === 'raw_body_required') {
        // Our server's configuration, not the sender's fault; not acknowledged, so once fixed the retries get through.
        log.error?.(`ams: notification not handled: the request body was already parsed or consumed. ${RAW_BODY_HINT}`, { path });
        return errorResponse(
          500,
          'raw_body_required',
          "the raw request body is required to verify the signature; in Express mount express.raw({ type: '*/*' }) on this route instead of express.json()",
        );
      }
      if (err instanceof AmsSignatureError) {
        log.warn?.('ams: notification rejected: signature check failed', { path, reason: err.reason, check: err.check, message: err.message });
        return errorResponse(401, 'signature', `${err.reason}${err.check ? ` (${err.check})` : ''}`);
      }
      if (err instanceof AmsValidationError) {
        // Signed by Alipay but not what we expect: loud, because it is not acknowledged and will be retried.
        log.error?.('ams: notification rejected: verified body is not a valid notification', { path, fields: err.fields, message: err.message });
        return errorResponse(400, 'invalid_notification', err.message);
      }
      log.error?.('ams: notification handler failed before the callback', { path, error: errorName(err) });
      return errorResponse(500, 'internal', 'the notification could not be verified');
    }

    const callback = callbackFor(r, notification);
    if (!callback) {
      const wanted = notification.kind === 'refund' ? 'onRefund (or onOther)' : notification.kind === 'capture' ? 'onCapture (or onOther)' : 'onOther';
      log.error?.(`ams: notification ${notification.notifyType ?? '(no notifyType)'} not handled: no ${wanted} callback; it is not acknowledged and Alipay will retry`, {
        path,
        notifyType: notification.notifyType,
      });
      return errorResponse(501, 'not_handled', `no handler for notifyType ${notification.notifyType ?? '(none)'}`);
    }

    const key = notificationKey(notification, body);
    const meta = { path, key, notifyType: notification.notifyType };
    let claim: NotificationClaim = { state: 'claimed', token: '' };
    if (r.store) {
      try {
        claim = await withTimeout(Promise.resolve(r.store.claim(key)), STORE_CLAIM_TIMEOUT_MS);
      } catch (err) {
        // Never process without the claim: that is how a notification gets handled twice.
        log.error?.('ams: notification store unavailable at claim; answered 503 so Alipay retries', { ...meta, error: errorName(err) });
        return errorResponse(503, 'store_unavailable', 'try again later');
      }
      if (claim === null || typeof claim !== 'object' || !['claimed', 'done', 'busy'].includes((claim as { state?: unknown }).state as string)) {
        // A broken store is the merchant's bug, not a reason to run the callback unguarded or to acknowledge.
        log.error?.(`ams: notification store ${storeName(r.store)} returned ${describeClaim(claim)} from claim(); expected { state: 'claimed', token } | { state: 'done' } | { state: 'busy' }. Not processed, not acknowledged: Alipay will redeliver`, meta);
        return errorResponse(503, 'store_unavailable', 'try again later');
      }
      if (claim.state === 'done') {
        log.debug?.('ams: duplicate notification; its callback already ran', meta);
        return ack(path, { ...meta, duplicate: true });
      }
      if (claim.state === 'busy') {
        log.warn?.('ams: notification is being handled by another delivery; answered 503 so Alipay retries', meta);
        return errorResponse(503, 'in_progress', 'this notification is being handled; try again later');
      }
      if (typeof claim.token !== 'string') {
        log.error?.(`ams: notification store ${storeName(r.store)} returned a claim without a string token; not processed, not acknowledged`, meta);
        return errorResponse(503, 'store_unavailable', 'try again later');
      }
    }

    try {
      await callback(notification, { key });
    } catch (err) {
      log.error?.('ams: notification callback threw; not acknowledged, Alipay will send it again', { ...meta, error: err });
      if (r.store && claim.state === 'claimed') {
        try {
          await withTimeout(Promise.resolve(r.store.release(key, claim.token)), STORE_CLAIM_TIMEOUT_MS);
        } catch (releaseErr) {
          log.error?.('ams: notification store release failed; the claim will expire on its own', { ...meta, error: errorName(releaseErr) });
        }
      }
      return errorResponse(500, 'callback_failed', 'the notification was not handled; send it again');
    }

    if (r.store && claim.state === 'claimed') {
      try {
        await withTimeout(Promise.resolve(r.store.complete(key, claim.token)), STORE_CLAIM_TIMEOUT_MS);
      } catch (err) {
        // The work is done: acknowledging is right (no retry means no second run); only the dedupe record is missing.
        log.error?.('ams: notification handled but the store could not mark it done; acknowledged anyway', { ...meta, error: errorName(err) });
      }
    }
    return ack(path, meta);
  }

  return { maxBodyBytes: r.maxBodyBytes, bodyTimeoutMs: r.bodyTimeoutMs, process, written };
}
