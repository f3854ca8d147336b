// The one notification pipeline both handlers share: verify → parse → dedupe claim → callback → complete → acknowledge.
import { AmsSignatureError, AmsValidationError } from '../errors';
import { notificationAck, signedAck } from './ack';
import { notificationKey, type NotificationClaim, type NotificationStore } from './dedupe';
import { resolveHandlerOptions, type HandlerSettings, type NotificationContext, type NotificationHandlerOptions } from './handler-options';
import type { NotificationHeaders } from './headers';
import { notificationLabel, notificationUnknownValues, type AmsNotification } from './schemas';
import { warnUnknownValues } from '../internal/unknown-values';
import { asRawBody, byteLengthOf, RAW_BODY_HINT, verifyDelivery } from './verify';

export type { NotificationCallback, NotificationContext, NotificationHandlerOptions } from './handler-options';
export { DEFAULT_BODY_TIMEOUT_MS, DEFAULT_MAX_BODY_BYTES } from './handler-options';

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

type AnyCallback = (n: AmsNotification, c: NotificationContext) => unknown;

/** The callback for a notification's kind, then onOther; the names tried, for the log when there is none. */
function callbackFor(r: HandlerSettings, n: AmsNotification): { run: AnyCallback | undefined; names: string } {
  if (n.kind === 'payment') return { run: r.onPayment as AnyCallback, names: 'onPayment' };
  const own = n.kind === 'refund' ? r.onRefund : n.kind === 'capture' ? r.onCapture : n.kind === 'dispute' ? r.onDispute : undefined;
  const name = n.kind === 'other' ? undefined : `on${n.kind[0]!.toUpperCase()}${n.kind.slice(1)}`;
  return { run: (own ?? r.onOther) as AnyCallback | undefined, names: name ? `${name} (or onOther)` : 'onOther' };
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
  const r = resolveHandlerOptions(options);
  const log = r.logger;

  // The acknowledgements this processor built, with what to log once the adapter has written them.
  const acks = new WeakMap<NotificationResponse, Record<string, unknown>>();

  function ack(path: string, meta: Record<string, unknown>): NotificationResponse {
    let response: NotificationResponse;
    try {
      response = r.ack ? signedAck(r.ack, path) : notificationAck();
    } catch (err) {
      log.error?.('ams: the signed acknowledgement could not be built; not acknowledged, Alipay will send it again', {
        ...meta,
        error: errorName(err),
      });
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
      notification = await verifyDelivery({ path, headers: req.headers, rawBody: body, toleranceMs: r.toleranceMs }, r.verifier);
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
        log.warn?.('ams: notification rejected: signature check failed', {
          path,
          reason: err.reason,
          check: err.check,
          message: err.message,
        });
        return errorResponse(401, 'signature', `${err.reason}${err.check ? ` (${err.check})` : ''}`);
      }
      if (err instanceof AmsValidationError) {
        // Signed by Alipay but not what we expect: loud, because it is not acknowledged and will be retried.
        log.error?.('ams: notification rejected: verified body is not a valid notification', {
          path,
          fields: err.fields,
          message: err.message,
        });
        return errorResponse(400, 'invalid_notification', err.message);
      }
      log.error?.('ams: notification handler failed before the callback', { path, error: errorName(err) });
      return errorResponse(500, 'internal', 'the notification could not be verified');
    }

    const label = notificationLabel(notification);
    warnUnknownValues(r, log.warn?.bind(log), label, notificationUnknownValues(notification));
    const key = notificationKey(notification, body);
    const meta = { path, key, notifyType: notification.notifyType };
    const { run: callback, names } = callbackFor(r, notification);
    if (!callback) {
      // Verified, so Alipay's: refusing it would only make Alipay send it again for a day with nothing more to learn.
      // Acknowledged, and said loudly enough to be noticed; the key names it for a lookup (inquiry, Dashboard).
      log.warn?.(`ams: notification ${label} acknowledged without a callback: give ${names} to act on it; Alipay will not send it again`, {
        ...meta,
        kind: notification.kind,
      });
      return ack(path, { ...meta, unhandled: true });
    }

    let claim: NotificationClaim = { state: 'claimed', token: '' };
    if (r.store) {
      try {
        claim = await withTimeout(Promise.resolve(r.store.claim(key)), STORE_CLAIM_TIMEOUT_MS);
      } catch (err) {
        // Never process without the claim: that is how a notification gets handled twice.
        log.error?.('ams: notification store unavailable at claim; answered 503 so Alipay retries', { ...meta, error: errorName(err) });
        return errorResponse(503, 'store_unavailable', 'try again later');
      }
      if (
        claim === null ||
        typeof claim !== 'object' ||
        !['claimed', 'done', 'busy'].includes((claim as { state?: unknown }).state as string)
      ) {
        // A broken store is the merchant's bug, not a reason to run the callback unguarded or to acknowledge.
        log.error?.(
          `ams: notification store ${storeName(r.store)} returned ${describeClaim(claim)} from claim(); expected { state: 'claimed', token } | { state: 'done' } | { state: 'busy' }. Not processed, not acknowledged: Alipay will redeliver`,
          meta,
        );
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
        log.error?.(
          `ams: notification store ${storeName(r.store)} returned a claim without a string token; not processed, not acknowledged`,
          meta,
        );
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
          log.error?.('ams: notification store release failed; the claim will expire on its own', {
            ...meta,
            error: errorName(releaseErr),
          });
        }
      }
      return errorResponse(500, 'callback_failed', 'the notification was not handled; send it again');
    }

    if (r.store && claim.state === 'claimed') {
      try {
        await withTimeout(Promise.resolve(r.store.complete(key, claim.token)), STORE_CLAIM_TIMEOUT_MS);
      } catch (err) {
        // The work is done: acknowledging is right (no retry means no second run); only the dedupe record is missing.
        log.error?.('ams: notification handled but the store could not mark it done; acknowledged anyway', {
          ...meta,
          error: errorName(err),
        });
      }
    }
    return ack(path, meta);
  }

  return { maxBodyBytes: r.maxBodyBytes, bodyTimeoutMs: r.bodyTimeoutMs, process, written };
}
