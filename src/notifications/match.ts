// Whether a verified payment notification is about the order the merchant expects: ids, currency and amount, exactly.
import { z } from 'zod';
import { AmsValidationError, type ValidationIssue } from '../errors';
import { lazy } from '../internal/lazy';
import { closestName } from '../internal/suggest';
import { parseCallOptions } from '../options';
import { isMinorUnitValue } from '../rules/amounts';
import { CurrencyCode } from '../schemas/common';
import { paymentOutcome } from './outcome';
import type { AmsNotification, PaymentNotification, PaymentOutcome } from './schemas';

/** What the merchant's own records say about the payment. */
export interface NotificationExpectation {
  /** The paymentRequestId you sent with `pay`. */
  paymentRequestId: string;
  /** The amount you charged, in minor units as sent (`{ currency: 'USD', value: '1999' }`). */
  paymentAmount: { currency: string; value: string };
  /**
   * Your contract's settlement currency, when known: the notification's `grossSettlementAmount` must be in it
   * (for a CNY payment it is the only check on what you will be paid in).
   */
  contractSettlementCurrency?: string;
}

export interface MatchNotificationOptions {
  /**
   * The outcomes that count as a match. Default `['paid']`: a failed or pending payment never matches, so "matches"
   * means "mark it paid". Name others only where you handle them yourself (`{ outcomes: ['paid', 'pending'] }`).
   */
  outcomes?: readonly PaymentOutcome[];
}

export interface NotificationMismatch {
  /** The notification field that differs: `paymentRequestId`, `paymentAmount.currency`, … */
  field: string;
  expected: string;
  actual: string | undefined;
  message: string;
}

export interface NotificationMatch {
  ok: boolean;
  mismatches: NotificationMismatch[];
}

/** What a notification's value may look like to be compared (tolerant: leading zeros read as the number). */
const MINOR_UNITS = /^\d{1,32}$/;
/** The notifyTypes whose outcome `paymentOutcome` derives; any other (`payment_pending`, none) derives nothing. */
const PAYMENT_TYPES: readonly unknown[] = ['PAYMENT_RESULT', 'PAYMENT_PENDING'] satisfies PaymentNotification['notifyType'][];
const PAYMENT_OUTCOMES: readonly PaymentOutcome[] = ['paid', 'failed', 'pending'];
const DEFAULT_OUTCOMES: readonly PaymentOutcome[] = ['paid'];
const EXPECTATION_FIELDS = ['paymentRequestId', 'paymentAmount', 'contractSettlementCurrency'] as const;

/**
 * Compares a verified notification with your order before you mark it paid. A valid signature proves Alipay sent
 * it, not that it is for the amount you expect: the request id, the currency and the minor-unit value are compared
 * exactly, and `grossSettlementAmount` against your contract currency when you give it. The payment's `outcome`
 * must be one of `options.outcomes` (default `['paid']`), so a failed or pending payment never matches. Never throws
 * for a mismatch (mismatches are the answer); throws AmsValidationError when the expectation or options are malformed.
 */
export function matchNotification(
  notification: AmsNotification,
  expected: NotificationExpectation,
  options: MatchNotificationOptions = {},
): NotificationMatch {
  checkExpectation(expected);
  const outcomes = outcomesOf(options);
  const mismatches: NotificationMismatch[] = [];
  const differ = (field: string, want: string, got: unknown, why: string): void => {
    mismatches.push({
      field,
      expected: want,
      actual: typeof got === 'string' ? got : got === undefined ? undefined : String(got),
      message: why,
    });
  };
  if (notification === null || typeof notification !== 'object' || notification.kind !== 'payment') {
    differ('kind', 'payment', (notification as { kind?: unknown } | null)?.kind, 'not a payment notification');
    return { ok: false, mismatches };
  }
  const n = notification;
  // The outcome is derived again from notifyType and result (its one home): a hand-built or edited object whose
  // `outcome` says paid while its result says otherwise does not match.
  const derived =
    PAYMENT_TYPES.includes(n.notifyType) && typeof n.result?.resultStatus === 'string' ? paymentOutcome(n.notifyType, n.result) : undefined;
  if (derived === undefined || derived !== n.outcome) {
    differ('outcome', derived ?? 'an outcome', n.outcome, 'the outcome does not agree with the notifyType and result Alipay sent');
  } else if (!outcomes.includes(derived)) {
    differ(
      'outcome',
      outcomes.join(' or '),
      derived,
      derived === 'failed'
        ? 'the payment failed: it is not paid'
        : derived === 'pending'
          ? 'the payment is still pending: it is not paid yet'
          : `the payment is ${derived}`,
    );
  }
  if (n.paymentRequestId !== expected.paymentRequestId) {
    differ('paymentRequestId', expected.paymentRequestId, n.paymentRequestId, 'the notification is about another payment request');
  }
  // A hand-built object may lack the amount: that is a mismatch, not a TypeError.
  const amount: Partial<typeof n.paymentAmount> = typeof n.paymentAmount === 'object' && n.paymentAmount !== null ? n.paymentAmount : {};
  if (amount.currency !== expected.paymentAmount.currency) {
    differ('paymentAmount.currency', expected.paymentAmount.currency, amount.currency, 'paid in another currency than charged');
  }
  if (!sameMinorUnits(amount.value, expected.paymentAmount.value)) {
    differ('paymentAmount.value', expected.paymentAmount.value, amount.value, 'paid another amount than charged (minor units)');
  }
  const gross = n.grossSettlementAmount;
  const contract = expected.contractSettlementCurrency;
  if (contract !== undefined && gross !== undefined && gross.currency !== contract) {
    differ('grossSettlementAmount.currency', contract, gross.currency, 'settled in another currency than your contract');
  } else if (contract !== undefined && gross === undefined && amount.currency === 'CNY') {
    // For a CNY payment the settlement currency is the only sign of what you are paid in: its absence is not a match.
    differ(
      'grossSettlementAmount.currency',
      contract,
      undefined,
      'a CNY payment without grossSettlementAmount: what it settles in cannot be confirmed',
    );
  }
  return { ok: mismatches.length === 0, mismatches };
}

/** `matchNotification`, throwing AmsValidationError (one issue per mismatch) unless everything matches. */
export function assertNotificationMatches(
  notification: AmsNotification,
  expected: NotificationExpectation,
  options: MatchNotificationOptions = {},
): void {
  const { ok, mismatches } = matchNotification(notification, expected, options);
  if (!ok) {
    throw new AmsValidationError(
      mismatches.map((m) => ({
        field: m.field,
        message: `${m.message}: expected ${m.expected}, got ${m.actual ?? 'nothing'}`,
        code: 'mismatch',
      })),
      { context: 'The notification does not match the order' },
    );
  }
}

/** Equal as whole numbers of minor units ("0100" is "100"); anything that is not digits never matches. */
function sameMinorUnits(a: unknown, b: string): boolean {
  return typeof a === 'string' && MINOR_UNITS.test(a) && BigInt(a) === BigInt(b);
}

const optionsSchema = lazy(function buildMatchOptions() {
  return z
    .object({
      outcomes: z
        .custom<PaymentOutcome[]>(
          (v) => Array.isArray(v) && v.length > 0 && v.every((o) => (PAYMENT_OUTCOMES as readonly unknown[]).includes(o)),
          { error: "must be a non-empty list of 'paid', 'failed' and 'pending' (default ['paid'])" },
        )
        .optional(),
    })
    .strict();
});

function outcomesOf(options: MatchNotificationOptions): readonly PaymentOutcome[] {
  if (options === null || typeof options !== 'object')
    throw new AmsValidationError([{ field: 'options', message: "must be an object such as { outcomes: ['paid'] }" }], {
      context: 'matchNotification',
    });
  return parseCallOptions(optionsSchema(), options, 'matchNotification').outcomes ?? DEFAULT_OUTCOMES;
}

function checkExpectation(expected: NotificationExpectation): void {
  const issues: ValidationIssue[] = [];
  const e = expected as Partial<NotificationExpectation> | null;
  if (e === null || typeof e !== 'object')
    throw new AmsValidationError([{ field: '', message: 'give { paymentRequestId, paymentAmount }' }], { context: 'matchNotification' });
  if (typeof e.paymentRequestId !== 'string' || e.paymentRequestId === '')
    issues.push({ field: 'paymentRequestId', message: 'is required: the id you sent with pay' });
  const amount = e.paymentAmount as { currency?: unknown; value?: unknown } | undefined;
  if (amount === null || typeof amount !== 'object')
    issues.push({
      field: 'paymentAmount',
      message: "is required: { currency, value } in minor units, e.g. { currency: 'USD', value: '1999' }",
    });
  else {
    if (!CurrencyCode().safeParse(amount.currency).success)
      issues.push({ field: 'paymentAmount.currency', message: 'must be an ISO 4217 code such as USD' });
    // What you charged, as pay sends it: a positive whole number without leading zeros (the notification's side is read
    // tolerantly, below).
    if (!isMinorUnitValue(amount.value)) {
      issues.push({
        field: 'paymentAmount.value',
        message:
          "must be a positive string of minor units as pay sent it, e.g. '1999' for 19.99 USD (toMinorUnits('19.99', 'USD') makes one)",
      });
    }
  }
  if (e.contractSettlementCurrency !== undefined && !CurrencyCode().safeParse(e.contractSettlementCurrency).success) {
    issues.push({ field: 'contractSettlementCurrency', message: 'must be an ISO 4217 code such as USD' });
  }
  // Your order record may carry more fields, and they are ignored; a name one typo away from a field compared here is
  // refused, since ignoring it would skip that comparison and let "matches" mean less than it says.
  for (const key of Object.keys(e)) {
    if ((EXPECTATION_FIELDS as readonly string[]).includes(key)) continue;
    const meant = closestName(key, EXPECTATION_FIELDS);
    if (meant !== undefined)
      issues.push({ field: key, message: `is not compared: did you mean "${meant}"? (spelled so, it would be)`, code: 'unknown_field' });
  }
  if (issues.length > 0) throw new AmsValidationError(issues, { context: 'matchNotification' });
}
