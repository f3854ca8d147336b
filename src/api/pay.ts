// Validates a CASHIER_PAYMENT `pay` request before anything is sent: schema, currency and contract rules, extendInfo, expiry.
import { parseRequestTime } from '../rules/time';
import { AmsValidationError, type ValidationIssue } from '../errors';
import { checkCurrencies } from '../rules/currencies';
import { directMerchantIssue } from '../rules/china-extra';
import { checkExtendInfo, hasChinaExtraTransInfo, MAX_EXTEND_INFO_LENGTH, serializeExtendInfo } from '../rules/extend-info';
import { RULE_SOURCES } from '../rules/sources';
import { collectIssues } from '../schemas/parse';
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

/** The merchant's side of the rules: how it is integrated and what its contract settles in. */
export interface PayRules {
  /**
   * `'direct'` (default): integrated directly with AlipayCN, so every ALIPAY_CN payment carries
   * `order.extendInfo.chinaExtraTransInfo`. `'acquirer'`: optional, and checked when present.
   */
  integration?: Integration;
  /** The settlement currency of the merchant's contract; a request settling in another one is refused. */
  contractSettlementCurrency?: string | undefined;
}

export type Integration = 'direct' | 'acquirer';

/**
 * Every problem with a pay request, at once: zod's structural issues plus the business rules (terminalType present,
 * appId for a MINI_APP, settlement currency for ALIPAY_CN, the currency matrix and the contract, chinaExtraTransInfo
 * — required for a direct merchant —, expiry within 10 minutes of `now`). Each business rule carries its `source`. Without `now`
 * (a stored sample request), the expiry rule, which is about the moment of sending, is not checked.
 */
export function payRequestIssues(input: unknown, now: Date | undefined, rules: PayRules = {}): ValidationIssue[] {
  return inspect(input, now, rules).issues;
}

/** The issues, and order.extendInfo as it will be sent (serialized once, here). */
function inspect(
  input: unknown,
  now: Date | undefined,
  rules: PayRules,
): { issues: ValidationIssue[]; extendInfoText: string | undefined } {
  const { issues, add } = collectIssues(PayRequest(), input, RULE_SOURCES.requestSchema);
  if (input === null || typeof input !== 'object') return { issues, extendInfoText: undefined };

  if (get(input, 'env', 'terminalType') === undefined && get(input, 'order', 'env', 'terminalType') === undefined) {
    add({
      field: 'env.terminalType',
      message: 'is required: WEB, WAP, APP or MINI_APP',
      code: 'required',
      source: RULE_SOURCES.terminalTypeRequired,
    });
  }

  const terminalTypes = [get(input, 'env', 'terminalType'), get(input, 'order', 'env', 'terminalType')];
  if (terminalTypes.includes('MINI_APP') && get(input, 'appId') === undefined) {
    add({
      field: 'appId',
      message: 'is required when env.terminalType is MINI_APP: the id Antom assigned to your mini program',
      code: 'required',
      source: RULE_SOURCES.miniAppIdRequired,
    });
  }

  const extendInfoText = addPaymentMethodIssues(input, rules, add);

  const expiry = get(input, 'paymentExpiryTime');
  if (typeof expiry === 'string' && now !== undefined) {
    const at = parseRequestTime(expiry);
    if (at !== undefined) {
      if (at <= now.getTime())
        add({ field: 'paymentExpiryTime', message: 'is in the past', code: 'expired', source: RULE_SOURCES.expiryWithin10Minutes });
      else if (at - now.getTime() >= MAX_PAYMENT_EXPIRY_MS)
        add({
          field: 'paymentExpiryTime',
          message: 'must be less than 10 minutes after the request',
          code: 'too_late',
          source: RULE_SOURCES.expiryWithin10Minutes,
        });
    }
  }
  return { issues, extendInfoText };
}

/**
 * The payment-method rules every request that creates a payment shares (pay, createPaymentSession): for ALIPAY_CN the
 * settlement currency, the currency matrix and the contract, chinaExtraTransInfo for a direct merchant; and the
 * extendInfo content and length, checked on the text that will be sent. `add` receives each issue (callers dedupe by
 * field). Returns order.extendInfo as it will be sent (serialized once, here).
 */
export function addPaymentMethodIssues(input: unknown, rules: PayRules, add: (issue: ValidationIssue) => void): string | undefined {
  const methodType = get(input, 'paymentMethod', 'paymentMethodType');
  const paymentCurrency = get(input, 'paymentAmount', 'currency');
  const settlementCurrency = get(input, 'settlementStrategy', 'settlementCurrency');
  if (methodType === 'ALIPAY_CN') {
    if (settlementCurrency === undefined) {
      add({
        field: 'settlementStrategy.settlementCurrency',
        message: 'is required for ALIPAY_CN: the currency of your contract',
        code: 'required',
        source: RULE_SOURCES.settlementRequired,
      });
    } else if (typeof paymentCurrency === 'string' && typeof settlementCurrency === 'string') {
      const { contractSettlementCurrency } = rules;
      for (const v of checkCurrencies({ paymentMethodType: 'ALIPAY_CN', paymentCurrency, settlementCurrency, contractSettlementCurrency })
        .violations) {
        add({ field: v.field, message: v.message, code: v.code, source: v.source });
      }
    }
  }

  // What is checked is what is sent: the object form is serialized once, and its text is what the rules read.
  const extendInfo = get(input, 'order', 'extendInfo');
  const serialized = serializeExtendInfo(extendInfo, 'order.extendInfo');
  const text = serialized.text;
  for (const issue of serialized.issues) add({ ...issue, source: RULE_SOURCES.extendInfoString });
  // Too long is refused whatever it holds: its content is not read (a megabyte of goods would take seconds).
  const tooLong = text !== undefined && text.length > MAX_EXTEND_INFO_LENGTH;
  if (extendInfo !== undefined && serialized.issues.length === 0 && !tooLong) {
    for (const issue of checkExtendInfo(text ?? extendInfo, 'order.extendInfo')) {
      add({
        ...issue,
        source: issue.source ?? (issue.field === 'order.extendInfo' ? RULE_SOURCES.extendInfoString : RULE_SOURCES.chinaExtraFields),
      });
    }
  }
  if (tooLong) {
    add({
      field: 'order.extendInfo',
      message: `is ${text.length} characters as sent; AMS accepts at most ${MAX_EXTEND_INFO_LENGTH}`,
      code: 'too_big',
      source: RULE_SOURCES.requestSchema,
    });
  }
  if (
    methodType === 'ALIPAY_CN' &&
    (rules.integration ?? 'direct') === 'direct' &&
    serialized.issues.length === 0 &&
    !tooLong &&
    !hasChinaExtraTransInfo(text)
  ) {
    add(
      directMerchantIssue(
        'order.extendInfo.chinaExtraTransInfo',
        'give order.extendInfo = buildExtendInfo({ chinaExtraTransInfo }) (or its object)',
      ),
    );
  }

  return text;
}

/**
 * What a pay request does that no source forbids but is likely a mistake: reported by `check`, never refused.
 * An order amount in another currency than the payment amount; env.terminalType and order.env.terminalType that differ.
 */
export function payRequestWarnings(input: unknown): ValidationIssue[] {
  const warnings: ValidationIssue[] = [];
  const orderCurrency = get(input, 'order', 'orderAmount', 'currency');
  const paymentCurrency = get(input, 'paymentAmount', 'currency');
  if (typeof orderCurrency === 'string' && typeof paymentCurrency === 'string' && orderCurrency !== paymentCurrency) {
    warnings.push({
      field: 'order.orderAmount.currency',
      message: `is ${orderCurrency} but paymentAmount.currency is ${paymentCurrency}; the cashier guide's samples always use one currency for both`,
      code: 'currency_differs',
    });
  }
  const top = get(input, 'env', 'terminalType');
  const inOrder = get(input, 'order', 'env', 'terminalType');
  if (top !== undefined && inOrder !== undefined && top !== inOrder) {
    warnings.push({
      field: 'order.env.terminalType',
      message: `contradicts env.terminalType (${String(top)} vs ${String(inOrder)}); give one of them`,
      code: 'conflict',
    });
  }
  return warnings;
}

/** Throws AmsValidationError listing every problem; returns the request as it is sent (extendInfo as a string). */
export function assertValidPayRequest(input: unknown, now: Date, rules: PayRules = {}): PayRequest {
  const { issues, extendInfoText } = inspect(input, now, rules);
  if (issues.length > 0) throw new AmsValidationError(issues, { context: 'Invalid pay request' });
  return withWireExtendInfo(input as PayRequest, extendInfoText);
}

/**
 * A valid request as it is sent: `order.extendInfo` given as an object is replaced by `text`, the JSON string
 * addPaymentMethodIssues made of it while checking it (serialized once: what was checked is what is sent).
 */
export function withWireExtendInfo<R extends { order: { extendInfo?: string | Record<string, unknown> | undefined } }>(
  request: R,
  text: string | undefined,
): R {
  const extendInfo = request.order.extendInfo;
  if (extendInfo === undefined || typeof extendInfo === 'string') return request;
  return { ...request, order: { ...request.order, extendInfo: text } };
}
