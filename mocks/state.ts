// The gateway's records (payments, refunds, captures, their request-id indexes) and what the answer handlers share to change them.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../src/clock';
import { formatRequestTime } from '../src/rules/time';
import { issuesFromZod, type ValidationIssue } from '../src/errors';
import type { Notifier } from './notifier';
import { PaymentLookup } from './schemas';
import type { GatewayEvent, PaymentRecord, RefundRecord } from './types';

/** A capture taken of a payment (keyed `scope|captureRequestId`), with the answer its repeats get. */
export interface CaptureRecord {
  captureId: string;
  captureRequestId: string;
  paymentId: string;
  captureAmount: { currency: string; value: string };
  captureTime: string;
  /** The fields a repeat must match. */
  fingerprint: string;
  answer: Record<string, unknown>;
}

/** A payment session (createPaymentSession): the payment it leads to and what Antom's web SDK is handed. */
export interface SessionRecord {
  /** The first segment of `data`: what the SDKs' RPCs and pages are looked up by. */
  key: string;
  /** paymentSessionData as issued (four segments). */
  data: string;
  paymentSessionId: string;
  paymentId: string;
  productScene: string;
  /** paymentSessionExpiryTime, ms since epoch. */
  expiresAtMs: number;
  expiryTime: string;
  /** The order as the createPaymentSession request gave it (retrievePaymentSession answers it). */
  order: Record<string, unknown>;
}

/** Payments, refunds and captures, indexed by id and by `scope|requestId`. A scope is `clientId|agentToken`. */
export class GatewayState {
  readonly payments = new Map<string, PaymentRecord>();
  readonly paymentsByRequest = new Map<string, string>();
  /** paymentId → the fields a repeated pay must match. */
  readonly paymentKeys = new Map<string, string>();
  readonly refunds = new Map<string, RefundRecord>();
  readonly refundsByRequest = new Map<string, string>();
  readonly captures = new Map<string, CaptureRecord>();
  /** Payment sessions by their key (the first segment of paymentSessionData). */
  readonly sessions = new Map<string, SessionRecord>();
  #seq = 0;

  /** A fresh, unique id: prefix, the time to the second, a sequence number and random hex. */
  newId(prefix: string, now: Date): string {
    const stamp = formatRequestTime(now).replace(/\D/g, '').slice(0, 14);
    return `${prefix}${stamp}${String(++this.#seq).padStart(6, '0')}${randomBytes(12).toString('hex')}`;
  }

  /** A payment by paymentId or paymentRequestId, whoever made it. */
  getPayment(id: string): PaymentRecord | undefined {
    const direct = this.payments.get(id);
    if (direct) return direct;
    for (const p of this.payments.values()) if (p.paymentRequestId === id) return p;
    return undefined;
  }

  /** A payment of this scope by `{ paymentId }` and/or `{ paymentRequestId }`; issues when the body is unusable. */
  lookup(scope: string, body: unknown): { payment?: PaymentRecord; issues?: ValidationIssue[] } {
    const parsed = PaymentLookup.safeParse(body);
    if (!parsed.success) return { issues: issuesFromZod(parsed.error.issues) };
    const { paymentId, paymentRequestId } = parsed.data;
    let payment = paymentId !== undefined ? this.payments.get(paymentId) : undefined;
    if (paymentId === undefined && paymentRequestId !== undefined) {
      const id = this.paymentsByRequest.get(`${scope}|${paymentRequestId}`);
      payment = id === undefined ? undefined : this.payments.get(id);
    }
    if (payment && scopeOf(payment) !== scope) payment = undefined;
    if (payment && paymentRequestId !== undefined && payment.paymentRequestId !== paymentRequestId) payment = undefined;
    return payment ? { payment } : {};
  }
}

/** The scope a payment belongs to: only the merchant (and ISV Agent-Token) that created it sees it. */
export function scopeOf(p: PaymentRecord): string {
  return `${p.clientId}|${p.agentToken ?? ''}`;
}

/** What the answer handlers share: the records, the clock, the notifier, the timeline and the gateway's settings. */
export interface GatewayContext {
  readonly state: GatewayState;
  readonly clock: Clock;
  readonly notifier: Notifier;
  /** Every settlement sends PAYMENT_PENDING before PAYMENT_RESULT (the `paymentPending` option). */
  readonly paymentPending: boolean;
  emit(event: Omit<GatewayEvent, 'at'>): void;
}
