// What one inbox job holds and how it is named: the verified notification, its raw body and signed headers. Pure.
import { readHeaders, type NotificationHeaders } from '../notifications/headers';
import type { AmsNotification } from '../notifications/schemas';

/** The headers kept with a job: the three Alipay signs with, and the content type. Enough to verify the job again. */
export const KEPT_HEADERS = ['client-id', 'request-time', 'signature', 'content-type'] as const;

/** The data of one inbox job, as stored in Redis (JSON). */
export interface InboxJobData {
  /** The layout of this record; a worker refuses layouts it does not know rather than guessing. */
  v: 1;
  /** The dedupe key (`notifyType:paymentId`, …), as the handlers' `NotificationContext.key`. */
  key: string;
  /** The path the signature was verified against (the public notify path). */
  path: string;
  /** The notification as verified and parsed. */
  notification: AmsNotification;
  /** The body exactly as received: text when it is valid UTF-8 (always, for Alipay's JSON), else base64. */
  rawBody: string;
  rawBodyEncoding: 'utf8' | 'base64';
  /** `client-id`, `request-time`, `signature` and `content-type` as received (lower-case names). */
  headers: Record<string, string>;
  /** Epoch milliseconds at which the handler verified it. */
  receivedAt: number;
}

/**
 * The BullMQ job id of a notification: its dedupe key, URI-encoded because BullMQ refuses `:` in custom ids.
 * The same notification always gets the same id, so a redelivery or duplicate never makes a second job.
 */
export function inboxJobId(key: string): string {
  return encodeURIComponent(key);
}

/** The raw body in a form JSON keeps byte for byte. */
export function encodeRawBody(body: string | Uint8Array): Pick<InboxJobData, 'rawBody' | 'rawBodyEncoding'> {
  if (typeof body === 'string') return { rawBody: body, rawBodyEncoding: 'utf8' };
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const text = bytes.toString('utf8');
  // Invalid UTF-8 would come back changed (U+FFFD), and the signature covers the bytes.
  if (Buffer.byteLength(text, 'utf8') === bytes.byteLength && Buffer.from(text, 'utf8').equals(bytes))
    return { rawBody: text, rawBodyEncoding: 'utf8' };
  return { rawBody: bytes.toString('base64'), rawBodyEncoding: 'base64' };
}

/** The raw body of a job, as the bytes received. */
export function decodeRawBody(data: Pick<InboxJobData, 'rawBody' | 'rawBodyEncoding'>): Buffer {
  return Buffer.from(data.rawBody, data.rawBodyEncoding === 'base64' ? 'base64' : 'utf8');
}

export interface InboxJobInput {
  key: string;
  path: string;
  notification: AmsNotification;
  rawBody: string | Uint8Array;
  headers: NotificationHeaders;
  receivedAt: number;
}

/** The job record for one verified notification. */
export function inboxJobData(input: InboxJobInput): InboxJobData {
  const read = readHeaders(input.headers, KEPT_HEADERS);
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) if (read[name] !== undefined) headers[name] = read[name];
  return {
    v: 1,
    key: input.key,
    path: input.path,
    notification: input.notification,
    ...encodeRawBody(input.rawBody),
    headers,
    receivedAt: input.receivedAt,
  };
}

/** Which callback a notification goes to. */
export type InboxRoute = 'onPayment' | 'onRefund' | 'onCapture' | 'onDispute' | 'onOther';

/** The callback names that would take this notification, most specific first (the first one given runs). */
export function routesFor(notification: Pick<AmsNotification, 'kind' | 'notifyType'>): InboxRoute[] {
  if (notification.kind === 'payment') return ['onPayment'];
  if (notification.kind === 'refund') return ['onRefund', 'onOther'];
  if (notification.kind === 'dispute') return ['onDispute', 'onOther'];
  // By notifyType too, so a CAPTURE_RESULT stored with kind 'other' still reaches onCapture.
  if (notification.kind === 'capture' || notification.notifyType === 'CAPTURE_RESULT') return ['onCapture', 'onOther'];
  return ['onOther'];
}

/** The delay before retry number `attemptsMade` (1 after the first failure): base, 2×base, 4×base, … capped. */
export function backoffDelay(attemptsMade: number, baseMs: number, maxMs: number): number {
  const exponent = Math.max(0, attemptsMade - 1);
  return Math.min(maxMs, Math.round(baseMs * 2 ** Math.min(exponent, 40)));
}
