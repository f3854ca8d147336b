// Exactly-once hand-off of redelivered notifications: the claim/complete/release store interface and its in-memory form.
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../clock';
import { OPTION, parseOptions } from '../options';
import type { AmsNotification } from './schemas';
import { lazy } from '../internal/lazy';

/** What a claim found: the key is now ours (run the callback), already handled, or being handled elsewhere. */
export type NotificationClaim = { state: 'claimed'; token: string } | { state: 'done' } | { state: 'busy' };

/**
 * Where handled notifications are remembered, so a notification delivered several times (Alipay retries until
 * acknowledged, up to 8 times in 24 hours) runs the callback once. The handler calls, per delivery:
 * - `claim(key)`: `claimed` (with a token) only for one caller at a time; `done` once completed; `busy` while
 *   another delivery holds the claim. A claim must expire on its own (a crashed process must not block forever).
 * - `complete(key, token)` after the callback succeeded: mark the key done (kept long enough to outlive Alipay's
 *   24-hour retry window). A store should not overwrite a claim that now belongs to another token.
 * - `release(key, token)` after the callback failed: drop the claim, if still ours, so the redelivery can run.
 * A method that throws or rejects means "store unavailable": the handler answers 503 without acknowledging.
 * Implementations: `createMemoryNotificationStore` (one process); a shared store such as Redis for several.
 */
export interface NotificationStore {
  claim(key: string): Promise<NotificationClaim> | NotificationClaim;
  complete(key: string, token: string): Promise<void> | void;
  release(key: string, token: string): Promise<void> | void;
}

/** Whether `value` is a NotificationStore: an object with claim, complete and release. */
export function isNotificationStore(value: unknown): value is NotificationStore {
  const s = value as Partial<NotificationStore> | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.claim === 'function' &&
    typeof s.complete === 'function' &&
    typeof s.release === 'function'
  );
}

export interface MemoryNotificationStoreOptions {
  /** How long a claim lasts if neither completed nor released (a hung or crashed callback). Default 60 s. */
  processingTtlMs?: number;
  /**
   * How long a completed key is remembered. Default 48 h, beyond Alipay's 24-hour retry window. Both TTLs are whole
   * milliseconds from 1 to 365 days, as the Redis store takes them.
   */
  doneTtlMs?: number;
  /** At most this many keys; when full, the oldest completed keys are forgotten first. Default 100 000. */
  maxEntries?: number;
  /** The clock the TTLs are measured with; default the system clock. */
  clock?: Clock;
}

type Entry = { state: 'processing'; token: string; expiresAt: number } | { state: 'done'; expiresAt: number };

const optionsSchema = lazy(function buildOptionsSchema() {
  return z
    .object({
      processingTtlMs: OPTION.ttlMs.optional(),
      doneTtlMs: OPTION.ttlMs.optional(),
      maxEntries: z
        .number({ error: 'must be a number of keys' })
        .int('must be a whole number of keys')
        .min(1, 'must be at least 1')
        .optional(),
      clock: OPTION.clock.optional(),
    })
    .strict();
});

/**
 * The in-process store: the same claim/complete/release semantics as a shared store, for a single process.
 * Behind a load balancer with several instances it cannot see the others: use a shared store there.
 */
export function createMemoryNotificationStore(options: MemoryNotificationStoreOptions = {}): NotificationStore & { readonly size: number } {
  const o = parseOptions(optionsSchema(), options, 'createMemoryNotificationStore');
  const processingTtlMs = o.processingTtlMs ?? 60_000;
  const doneTtlMs = o.doneTtlMs ?? 48 * 3600_000;
  const maxEntries = o.maxEntries ?? 100_000;
  const clock: Clock | undefined = o.clock;
  const now = clock ? () => clock.now().getTime() : Date.now;
  const entries = new Map<string, Entry>();

  function live(key: string, t: number): Entry | undefined {
    const e = entries.get(key);
    if (e && e.expiresAt <= t) {
      entries.delete(key);
      return undefined;
    }
    return e;
  }

  // Make room for one more key: expired entries first, then the oldest completed ones. Claims in flight are
  // never evicted (that would let a second delivery run the callback concurrently); if only claims remain,
  // the store is "full" and the handler answers 503 until some finish.
  function makeRoom(t: number): boolean {
    if (entries.size < maxEntries) return true;
    for (const [k, e] of entries) if (e.expiresAt <= t) entries.delete(k);
    if (entries.size < maxEntries) return true;
    for (const [k, e] of entries) {
      if (e.state === 'done') {
        entries.delete(k);
        if (entries.size < maxEntries) return true;
      }
    }
    return entries.size < maxEntries;
  }

  return {
    get size() {
      return entries.size;
    },
    claim(key) {
      const t = now();
      const e = live(key, t);
      if (e?.state === 'done') return { state: 'done' };
      if (e?.state === 'processing') return { state: 'busy' };
      if (!makeRoom(t)) throw new Error(`notification store is full: ${maxEntries} claims in flight`);
      const token = randomUUID();
      entries.set(key, { state: 'processing', token, expiresAt: t + processingTtlMs });
      return { state: 'claimed', token };
    },
    complete(key, token) {
      const t = now();
      const e = live(key, t);
      // A claim that expired and was taken by another delivery is theirs to complete or release.
      if (e?.state === 'processing' && e.token !== token) return;
      entries.delete(key); // re-insert so Map order stays oldest-first for eviction
      if (makeRoom(t)) entries.set(key, { state: 'done', expiresAt: t + doneTtlMs });
    },
    release(key, token) {
      const e = entries.get(key);
      if (e?.state === 'processing' && e.token === token) entries.delete(key);
    },
  };
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 32);
}

/**
 * The dedupe key: `notifyType:paymentId` for payments, `notifyType:refundId` (or refundRequestId) for refunds,
 * `CAPTURE_RESULT:captureId` for captures (`CAPTURE_RESULT:request:captureRequestId` for a failed one without a
 * captureId): each notification's own id, so two partial captures
 * of one payment are two notifications. A dispute's is `DISPUTE:<disputeNotificationType>:<disputeId>`: one per
 * dispute and step, so its DISPUTE_CREATED and its DISPUTE_JUDGED are two notifications, and a redelivery of either
 * is one. A payment, refund or capture whose outcome is `pending` (not final) gets `:pending` after its key, so the
 * final notification with the same id is not taken for its redelivery. For other notifications there is no known id, so the key is
 * `<notifyType or NOTIFICATION>:sha256:<hash of the raw body>` — redeliveries carry the same body — or, without the
 * raw body, of the parsed notification.
 */
export function notificationKey(notification: AmsNotification, rawBody?: string | Uint8Array): string {
  if (notification.kind === 'dispute') return `DISPUTE:${notification.disputeNotificationType}:${notification.disputeId}`;
  const id = idKey(notification);
  if (id === undefined) return hashedKey(notification, rawBody);
  // A result not yet final (U, a status this version does not know, a success without its amount) is a notification
  // of its own: once handled, the final one with the same id must still reach its callback.
  // (PAYMENT_PENDING's own notifyType already sets it apart.)
  return notification.outcome === 'pending' && notification.notifyType !== 'PAYMENT_PENDING' ? `${id}:pending` : id;
}

/** A payment's, refund's or capture's own id under its notifyType; undefined for the rest. */
function idKey(notification: AmsNotification): string | undefined {
  if (notification.kind === 'payment') return `${notification.notifyType}:${notification.paymentId}`;
  if (notification.kind === 'refund') return `${notification.notifyType}:${notification.refundId || notification.refundRequestId}`;
  // A failed capture carries no captureId: its own request id names it (a namespace apart from Antom's ids).
  if (notification.kind === 'capture')
    return notification.captureId
      ? `${notification.notifyType}:${notification.captureId}`
      : `${notification.notifyType}:request:${notification.captureRequestId}`;
  return undefined;
}

function hashedKey(notification: AmsNotification, rawBody: string | Uint8Array | undefined): string {
  const { kind: _kind, ...rest } = notification;
  return `${notification.notifyType ?? 'NOTIFICATION'}:sha256:${sha256(rawBody ?? JSON.stringify(rest))}`;
}

/**
 * The keys earlier versions gave this notification: a dispute was an `other` notification, keyed by the hash of its
 * body. An inbox job stored under such a key (by a receiver not yet upgraded) is still this notification's.
 */
export function formerNotificationKeys(notification: AmsNotification, rawBody: string | Uint8Array): string[] {
  // Not a pending result's former key (the final one's): its twin would be marked done with it.
  return notification.kind === 'dispute' ? [hashedKey(notification, rawBody)] : [];
}
