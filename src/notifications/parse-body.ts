// A verified notification body parsed into a typed notification: JSON, the kind (by notifyType, or a dispute by its
// fields), zod, and the derived outcome.
import type { z } from 'zod';
import { AmsValidationError, issuesFromZod } from '../errors';
import { showValue } from '../rules/show';
import { safeParse } from '../schemas/parse';
import { captureOutcome, disputeOutcome, paymentOutcome, refundOutcome } from './outcome';
import {
  CAPTURE_NOTIFY_TYPES,
  CaptureNotificationSchema,
  DisputeNotificationSchema,
  OtherNotificationSchema,
  PAYMENT_NOTIFY_TYPES,
  PaymentNotificationSchema,
  REFUND_NOTIFY_TYPES,
  RefundNotificationSchema,
  type AmsNotification,
  type CaptureNotification,
  type DisputeDerived,
  type RefundNotification,
} from './schemas';

/**
 * Parses a verified body: JSON, then zod by notifyType, with the derived `outcome`. A body with `disputeId` and
 * `disputeNotificationType` (notifyDispute has no notifyType) is a dispute. Unknown notifyTypes, and other bodies
 * without one (authorizations, vaulting), come back as `kind: 'other'`.
 */
export function parseNotificationBody(body: string | Uint8Array): AmsNotification {
  const text =
    typeof body === 'string'
      ? body
      : Buffer.isBuffer(body)
        ? body.toString('utf8')
        : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
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
    throw new AmsValidationError([{ field: '', message: `expected a JSON object, got ${showValue(json)}`, code: 'invalid_type' }], {
      context: 'notification',
    });
  }
  const notifyType = (json as { notifyType?: unknown }).notifyType;
  const parse = <S extends z.ZodType>(schema: S, context: string): z.infer<S> => {
    const r = safeParse(schema, json);
    if (!r.success) throw new AmsValidationError(issuesFromZod(r.error.issues), { context });
    return r.data;
  };
  if ((PAYMENT_NOTIFY_TYPES as readonly unknown[]).includes(notifyType)) {
    const n = parse(PaymentNotificationSchema(), `${String(notifyType)} notification`);
    return Object.assign(n, { kind: 'payment' as const, outcome: paymentOutcome(n.notifyType, n.result) });
  }
  if ((REFUND_NOTIFY_TYPES as readonly unknown[]).includes(notifyType)) {
    const n = parse(RefundNotificationSchema(), `${String(notifyType)} notification`);
    return Object.assign(n, { kind: 'refund' as const, outcome: refundOutcome(n) }) as RefundNotification;
  }
  if ((CAPTURE_NOTIFY_TYPES as readonly unknown[]).includes(notifyType)) {
    const n = parse(CaptureNotificationSchema(), `${String(notifyType)} notification`);
    return Object.assign(n, { kind: 'capture' as const, outcome: captureOutcome(n) }) as CaptureNotification;
  }
  if (isDisputeBody(json)) {
    // A fixed context: the type is what failed to parse, and its value is Antom's text of any length.
    const n = parse(DisputeNotificationSchema(), 'dispute notification');
    const outcome = disputeOutcome(n);
    const derived: DisputeDerived =
      outcome === 'respond' ? { kind: 'dispute', outcome, respondBy: n.defenseDueTime } : { kind: 'dispute', outcome };
    return Object.assign(n, derived);
  }
  return Object.assign(parse(OtherNotificationSchema(), 'notification'), { kind: 'other' as const });
}

/**
 * A dispute notification is recognised by its fields, as Antom sends it without notifyType: both `disputeId` and
 * `disputeNotificationType` are there (whatever their values: a malformed one is a 400 naming the field, not a silent
 * `other`). Other notifications that mention a dispute (notifyRiskService: `disputeId` with `notificationType`) are not
 * disputes.
 */
function isDisputeBody(json: object): boolean {
  return Object.hasOwn(json, 'disputeId') && Object.hasOwn(json, 'disputeNotificationType');
}
