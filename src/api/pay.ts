// Validates a CASHIER_PAYMENT `pay` request before anything is sent: schema, currency rules, extendInfo, expiry.
import { AmsValidationError, issuesFromZod, type ValidationIssue } from '../errors';
import { checkCurrencies, checkExtendInfo } from '../rules';
import { PayRequest } from '../schemas/pay';

/** The longest paymentExpiryTime AMS accepts for a cashier payment, counted from the request. */
export const MAX_PAYMENT_EXPIRY_MS = 10 * 60_000;

function get(obj: unknown, ...path: string[]): unknown {
  let at: unknown = obj;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/**
 * Every problem with a pay request, at once: zod's structural issues plus the business rules (terminalType present,
 * settlement currency for ALIPAY_CN, the currency matrix, chinaExtraTransInfo, expiry within 10 minutes of `now`).
 */
export function payRequestIssues(input: unknown, now: Date): ValidationIssue[] {
  const parsed = PayRequest.safeParse(input);
  const issues: ValidationIssue[] = parsed.success ? [] : issuesFromZod(parsed.error.issues);
  const seen = new Set(issues.map((i) => i.field));
  const add = (issue: ValidationIssue): void => {
    if (!seen.has(issue.field)) issues.push(issue);
    seen.add(issue.field);
  };
  if (input === null || typeof input !== 'object') return issues;

  if (get(input, 'env', 'terminalType') === undefined && get(input, 'order', 'env', 'terminalType') === undefined) {
    add({ field: 'env.terminalType', message: 'is required: WEB, WAP, APP or MINI_APP', code: 'required' });
  }
  const top = get(input, 'env', 'terminalType');
  const inOrder = get(input, 'order', 'env', 'terminalType');
  if (top !== undefined && inOrder !== undefined && top !== inOrder) {
    add({ field: 'order.env.terminalType', message: `contradicts env.terminalType (${String(top)} vs ${String(inOrder)})`, code: 'conflict' });
  }

  const methodType = get(input, 'paymentMethod', 'paymentMethodType');
  const paymentCurrency = get(input, 'paymentAmount', 'currency');
  const settlementCurrency = get(input, 'settlementStrategy', 'settlementCurrency');
  if (methodType === 'ALIPAY_CN') {
    if (settlementCurrency === undefined) {
      add({ field: 'settlementStrategy.settlementCurrency', message: 'is required for ALIPAY_CN: the currency of your contract', code: 'required' });
    } else if (typeof paymentCurrency === 'string' && typeof settlementCurrency === 'string') {
      for (const v of checkCurrencies({ paymentMethodType: 'ALIPAY_CN', paymentCurrency, settlementCurrency }).violations) {
        add({ field: v.field, message: v.message, code: v.code });
      }
    }
  }
  const orderCurrency = get(input, 'order', 'orderAmount', 'currency');
  if (typeof orderCurrency === 'string' && typeof paymentCurrency === 'string' && orderCurrency !== paymentCurrency && methodType === 'ALIPAY_CN') {
    add({ field: 'order.orderAmount.currency', message: `is ${orderCurrency} but paymentAmount.currency is ${paymentCurrency}; AlipayCN cashier orders are paid in the order currency`, code: 'conflict' });
  }

  const extendInfo = get(input, 'order', 'extendInfo');
  if (extendInfo !== undefined) for (const issue of checkExtendInfo(extendInfo, 'order.extendInfo')) add(issue);

  const expiry = get(input, 'paymentExpiryTime');
  if (typeof expiry === 'string') {
    const at = Date.parse(expiry);
    if (!Number.isNaN(at)) {
      if (at <= now.getTime()) add({ field: 'paymentExpiryTime', message: 'is in the past', code: 'expired' });
      else if (at - now.getTime() >= MAX_PAYMENT_EXPIRY_MS) add({ field: 'paymentExpiryTime', message: 'must be less than 10 minutes after the request', code: 'too_late' });
    }
  }
  return issues;
}

/** Throws AmsValidationError listing every problem; returns the request unchanged (unknown fields kept). */
export function assertValidPayRequest(input: unknown, now: Date): PayRequest {
  const issues = payRequestIssues(input, now);
  if (issues.length > 0) throw new AmsValidationError(issues, { context: 'Invalid pay request' });
  return input as PayRequest;
}
