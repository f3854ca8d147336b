// Delivers signed notifications (notifyPayment, notifyRefund, notifyCapture, notifyDispute) like Alipay: retried on its schedule until acknowledged.
import { NOTIFICATION_ACK_BODY } from '../src/notifications/ack';
import { applyRewrite, normalizeRewrite, type RewriteSet } from './rewrite';

/** The notifications the gateway sends, by notifyType; a dispute notification (no notifyType) by its disputeNotificationType. */
export const GATEWAY_NOTIFY_TYPES = [
  'PAYMENT_RESULT',
  'PAYMENT_PENDING',
  'REFUND_RESULT',
  'CAPTURE_RESULT',
  'DISPUTE_CREATED',
  'DEFENSE_DUE_ALERT',
  'DEFENSE_SUPPLIED',
  'DISPUTE_ACCEPTED',
  'DISPUTE_JUDGED',
  'DISPUTE_CANCELLED',
] as const;
export type GatewayNotifyType = (typeof GATEWAY_NOTIFY_TYPES)[number];

/** Alipay's retry schedule: the wait before each of the 8 attempts (0 s, 2 min, 10 min, 10 min, 1 h, 2 h, 6 h, 15 h). */
export const NOTIFY_RETRY_SCHEDULE_MS: readonly number[] = Object.freeze([
  0,
  2 * 60_000,
  10 * 60_000,
  10 * 60_000,
  60 * 60_000,
  2 * 3_600_000,
  6 * 3_600_000,
  15 * 3_600_000,
]);

/** Byte for byte what Alipay accepts as the acknowledgement (with HTTP 200). */
export const ACK_BODY = NOTIFICATION_ACK_BODY;

export interface DeliveryAttempt {
  /** 1-based. */
  attempt: number;
  /** Wall-clock time the attempt was sent. */
  sentAt: Date;
  /** The request-time header sent (signed). */
  requestTime: string;
  /** HTTP status, when an answer arrived. */
  status?: number;
  /** The answer body (first 2000 characters). */
  body?: string;
  /** Why no answer arrived (connection refused, timeout…). */
  error?: string;
  /** HTTP 200 with exactly the acknowledgement body. */
  acknowledged: boolean;
}

export type DeliveryState = 'delivering' | 'acknowledged' | 'exhausted' | 'stopped';

/** One notification and every attempt to deliver it. */
export interface NotificationDelivery {
  id: string;
  kind: 'payment' | 'refund' | 'capture' | 'dispute';
  /** The notifyType; a dispute's disputeNotificationType (its body has no notifyType). */
  notifyType: string;
  url: string;
  /** The path the signature covers (the notify URL's pathname). */
  path: string;
  clientId: string;
  paymentId: string;
  refundId?: string;
  disputeId?: string;
  /** The exact body sent on every attempt. */
  body: string;
  attempts: DeliveryAttempt[];
  state: DeliveryState;
}

export interface NotifierOptions {
  /** Signs `POST <path>\n<clientId>.<requestTime>.<body>`; returns the Signature header value. */
  sign(content: { path: string; clientId: string; requestTime: string; body: string }): Promise<string>;
  requestTime(): string;
  fetch: typeof fetch;
  /** The schedule is divided by this (≥ 1). */
  compression: number;
  schedule: readonly number[];
  /** Per attempt. */
  timeoutMs: number;
  onAttempt?(delivery: NotificationDelivery, attempt: DeliveryAttempt): void;
}

export class Notifier {
  readonly deliveries: NotificationDelivery[] = [];
  readonly #o: NotifierOptions;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #inflight = new Set<AbortController>();
  readonly #listeners = new Set<() => void>();
  readonly #rewrites = new Map<string, RewriteSet>();
  #closed = false;
  #seq = 0;

  constructor(options: NotifierOptions) {
    this.#o = options;
  }

  /**
   * Sets fields (dotted paths) in every later notification of this notifyType before it is signed; `undefined` stops.
   * Throws TypeError for an unknown notifyType (naming the valid ones) or a bad set.
   */
  rewrite(notifyType: GatewayNotifyType, set: RewriteSet | undefined): void {
    if (!(GATEWAY_NOTIFY_TYPES as readonly string[]).includes(notifyType))
      throw new TypeError(`Unknown notifyType "${String(notifyType)}" to rewrite; use one of ${GATEWAY_NOTIFY_TYPES.join(', ')}`);
    if (set === undefined) this.#rewrites.delete(notifyType);
    else this.#rewrites.set(notifyType, normalizeRewrite(set, `notification rewrite ${notifyType}`));
  }

  /**
   * Starts delivering; resolves after the first attempt finished (acknowledged or not), so a caller can let the
   * buyer return only once the merchant had its first chance. Later attempts run on timers. A rewrite configured for
   * the notifyType changes the body here, so every attempt carries (and signs) the same rewritten body.
   */
  async deliver(input: Omit<NotificationDelivery, 'id' | 'attempts' | 'state' | 'path'>): Promise<NotificationDelivery> {
    const set = this.#rewrites.get(input.notifyType);
    const body = set ? JSON.stringify(applyRewrite(JSON.parse(input.body) as Record<string, unknown>, set)) : input.body;
    const delivery: NotificationDelivery = {
      ...input,
      body,
      id: `ntf-${++this.#seq}`,
      path: new URL(input.url).pathname,
      attempts: [],
      state: 'delivering',
    };
    this.deliveries.push(delivery);
    this.#changed();
    if (this.#closed) {
      delivery.state = 'stopped';
      return delivery;
    }
    const first = this.#o.schedule[0] ?? 0;
    if (first > 0) this.#schedule(delivery, 0);
    else await this.#attempt(delivery, 0);
    return delivery;
  }

  /** Resolves with the first delivery matching `match` that reaches `until`; rejects after timeoutMs. */
  waitFor(
    match: (d: NotificationDelivery) => boolean,
    until: 'acknowledged' | 'attempted',
    timeoutMs: number,
  ): Promise<NotificationDelivery> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.deliveries.find((d) => match(d) && (until === 'attempted' ? d.attempts.length > 0 : d.state === 'acknowledged'));
        if (found) {
          done();
          resolve(found);
          return true;
        }
        if (this.#closed) {
          done();
          reject(new Error('the gateway was closed while waiting for a notification'));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no notification was ${until} within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.#listeners.delete(listener);
      };
      const listener = (): void => void check();
      this.#listeners.add(listener);
      check();
    });
  }

  /** Stops every timer and in-flight attempt; pending deliveries become `stopped`. */
  close(): void {
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    for (const c of this.#inflight) c.abort(new Error('gateway closed'));
    this.#inflight.clear();
    for (const d of this.deliveries) if (d.state === 'delivering') d.state = 'stopped';
    this.#changed();
  }

  #changed(): void {
    for (const l of [...this.#listeners]) l();
  }

  #schedule(delivery: NotificationDelivery, index: number): void {
    const wait = (this.#o.schedule[index] ?? 0) / this.#o.compression;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      void this.#attempt(delivery, index);
    }, wait);
    this.#timers.add(timer);
  }

  async #attempt(delivery: NotificationDelivery, index: number): Promise<void> {
    if (this.#closed || delivery.state !== 'delivering') return;
    const requestTime = this.#o.requestTime();
    const signature = await this.#o.sign({ path: delivery.path, clientId: delivery.clientId, requestTime, body: delivery.body });
    const attempt: DeliveryAttempt = { attempt: index + 1, sentAt: new Date(), requestTime, acknowledged: false };
    const controller = new AbortController();
    this.#inflight.add(controller);
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${this.#o.timeoutMs} ms`)), this.#o.timeoutMs);
    try {
      const res = await this.#o.fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=UTF-8',
          'client-id': delivery.clientId,
          'request-time': requestTime,
          signature,
        },
        body: delivery.body,
        signal: controller.signal,
        redirect: 'manual',
      });
      const text = await res.text();
      attempt.status = res.status;
      attempt.body = text.slice(0, 2000);
      attempt.acknowledged = res.status === 200 && text === ACK_BODY;
    } catch (err) {
      const reason: unknown = controller.signal.aborted ? controller.signal.reason : err;
      attempt.error =
        reason instanceof Error ? `${reason.message}${reason.cause instanceof Error ? ` (${reason.cause.message})` : ''}` : String(reason);
    } finally {
      clearTimeout(timer);
      this.#inflight.delete(controller);
    }
    delivery.attempts.push(attempt);
    if (attempt.acknowledged) delivery.state = 'acknowledged';
    else if (this.#closed) delivery.state = 'stopped';
    else if (index + 1 >= this.#o.schedule.length) delivery.state = 'exhausted';
    else this.#schedule(delivery, index + 1);
    this.#o.onAttempt?.(delivery, attempt);
    this.#changed();
  }
}
