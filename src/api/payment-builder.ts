// Builds a complete CASHIER_PAYMENT `pay` body from what a person has at hand; pure (the clock is an argument).
// It reads its own input shape (major units, goods, terminal and os types) and leaves every rule of the request
// itself to the pay validation, whose issues it reports on the input's field names.
import { showValue } from '../rules/show';
import type { Decimal } from 'decimal.js';
import { AmsValidationError, type ValidationIssue } from '../errors';
import { toMinorUnits, fromMinorUnits } from '../rules/amounts';
import { RULE_SOURCES } from '../rules/sources';
import { directMerchantIssue } from '../rules/china-extra';
import type { ChinaExtraTransInfoInput } from '../rules/china-extra-shape';
import { buildExtendInfo, serializeExtendInfo } from '../rules/extend-info';
import { formatIsoWithOffset } from '../rules/time';
import { CASHIER_OS_TYPES, CASHIER_TERMINAL_TYPES } from '../schemas/common';
import { MAX_PAYMENT_EXPIRY_MS, payRequestIssues } from './pay';
import { isPlainObject, textProblem } from '../rules/fields';
import { z } from 'zod';
import { lazy } from '../internal/lazy';
import { unknownNamesMessage } from '../internal/suggest';
import { parseCallOptions } from '../options';
import type {
  BuildCashierPaymentOptions,
  BuilderInstant,
  CashierOsType,
  CashierPaymentInput,
  CashierPaymentRequest,
  CashierTerminalType,
} from './payment-input';

const KNOWN_FIELDS = [
  'paymentRequestId',
  'referenceOrderId',
  'description',
  'amount',
  'currency',
  'settlementCurrency',
  'contractSettlementCurrency',
  'paymentMethodType',
  'goods',
  'chinaExtraTransInfo',
  'extendInfo',
  'terminalType',
  'osType',
  'appId',
  'redirectUrl',
  'notifyUrl',
  'expiresInMinutes',
] as const;

/** Where each field of the request is in the builder's input (a prefix maps everything under it). */
const INPUT_FIELDS: readonly (readonly [string, string])[] = [
  ['order.referenceOrderId', 'referenceOrderId'],
  ['order.orderDescription', 'description'],
  ['paymentAmount.value', 'amount'],
  ['paymentAmount.currency', 'currency'],
  ['paymentMethod.paymentMethodType', 'paymentMethodType'],
  ['settlementStrategy.settlementCurrency', 'settlementCurrency'],
  ['paymentRedirectUrl', 'redirectUrl'],
  ['paymentNotifyUrl', 'notifyUrl'],
  ['paymentExpiryTime', 'expiresInMinutes'],
  ['env.terminalType', 'terminalType'],
  ['env.osType', 'osType'],
];

/** How the builder's input gives a direct merchant's missing chinaExtraTransInfo (the pay rule names order.extendInfo). */
const DIRECT_HINT: Readonly<Record<string, string>> = {
  goods: 'give goods (or chinaExtraTransInfo, or extendInfo) so order.extendInfo carries chinaExtraTransInfo',
  extendInfo: 'put chinaExtraTransInfo in extendInfo',
};

/** The input field a request field came from; `extendFrom` is where order.extendInfo came from (goods, …). */
function inputField(field: string, extendFrom: string): string | undefined {
  if (field.startsWith('order.orderAmount')) return undefined; // the same amount as paymentAmount: reported once
  if (field === 'order.extendInfo' || field.startsWith('order.extendInfo.')) {
    const rest = field.slice('order.extendInfo'.length);
    if (extendFrom === 'extendInfo') return `extendInfo${rest}`;
    if (extendFrom === 'chinaExtraTransInfo') return rest.replace(/^\./, '') || 'chinaExtraTransInfo';
    return 'goods';
  }
  for (const [wire, input] of INPUT_FIELDS) if (field === wire || field.startsWith(`${wire}.`)) return input + field.slice(wire.length);
  return field;
}

/** A string field of the input: present when required, a non-empty string without control characters. */
function readString(
  input: Record<string, unknown>,
  key: string,
  issues: ValidationIssue[],
  options: { required: boolean; hint?: string },
): string | undefined {
  const value = input[key];
  const problem = textProblem(value, `is required${options.hint ? `: ${options.hint}` : ''}`);
  if (!problem) return value as string;
  if (problem.code !== 'required' || options.required) issues.push({ field: key, message: problem.message, code: problem.code });
  return undefined;
}

/** Moves a sub-builder's issues under the builder's field names. */
function collect(err: unknown, issues: ValidationIssue[], rename: (field: string) => string): void {
  if (!(err instanceof AmsValidationError)) throw err;
  for (const i of err.issues) issues.push({ ...i, field: rename(i.field) });
}

function readAmount(input: Record<string, unknown>, currency: string | undefined, issues: ValidationIssue[]): string | undefined {
  const amount = input.amount;
  if (amount === undefined || amount === null) {
    issues.push({
      field: 'amount',
      message: 'is required: major units such as "19.99", or { value: "1999" } in minor units',
      code: 'required',
    });
    return undefined;
  }
  // A currency problem is reported once, on `currency`, by the pay validation; here it only blocks conversion.
  if (currency === undefined) return undefined;
  const minor = isPlainObject(amount);
  try {
    if (minor) {
      const extra = Object.keys(amount).filter((k) => k !== 'value' && amount[k] !== undefined);
      if (extra.length > 0) {
        issues.push({
          field: `amount.${extra[0]}`,
          message: "is not a field of a minor-unit amount; give { value } (the currency is the input's currency)",
          code: 'unrecognized_keys',
        });
        return undefined;
      }
      const value = amount.value as string | number | bigint;
      // fromMinorUnits validates the value (a positive integer without leading zeros); the wire value is its digits.
      fromMinorUnits(value, currency, { field: 'amount.value', currencyField: 'currency' });
      return typeof value === 'string' ? value : value.toString();
    }
    return toMinorUnits(amount as string | number | Decimal, currency, { field: 'amount', currencyField: 'currency' });
  } catch (err) {
    // An unknown or malformed currency only blocks the conversion: the pay validation reports it, with its code.
    const found: ValidationIssue[] = [];
    collect(err, found, (f) => f);
    issues.push(...found.filter((i) => i.field !== 'currency'));
    return undefined;
  }
}

function readExpiry(input: Record<string, unknown>, options: BuildCashierPaymentOptions, issues: ValidationIssue[]): string | undefined {
  const minutes = input.expiresInMinutes;
  if (minutes === undefined) return undefined;
  const maxMinutes = MAX_PAYMENT_EXPIRY_MS / 60_000;
  if (typeof minutes !== 'number' || !Number.isFinite(minutes) || minutes <= 0 || minutes >= maxMinutes) {
    issues.push({
      field: 'expiresInMinutes',
      message: `${showValue(minutes)} is not a number of minutes greater than 0 and less than ${maxMinutes}`,
      code: 'out_of_range',
    });
    return undefined;
  }
  const offset = options.utcOffsetMinutes ?? 0;
  if (!Number.isInteger(offset) || Math.abs(offset) > 14 * 60) {
    issues.push({
      field: 'options.utcOffsetMinutes',
      message: `${showValue(offset)} is not a whole number of minutes between -840 and 840`,
      code: 'out_of_range',
    });
    return undefined;
  }
  const now = nowMs(options.now);
  if (now === undefined) {
    issues.push({
      field: 'expiresInMinutes',
      message: 'needs the current time: pass it as options.now (buildCashierPayment(input, { now }))',
      code: 'clock_required',
    });
    return undefined;
  }
  // Past ±8.64e15 ms (year 275760) no Date can hold the instant, so no expiry can be written for it.
  if (!Number.isFinite(now) || Math.abs(now) > 8.64e15 - MAX_PAYMENT_EXPIRY_MS) {
    issues.push({ field: 'options.now', message: 'is not a valid time', code: 'invalid_date' });
    return undefined;
  }
  // Whole seconds, rounded down: the expiry stays under the 10-minute limit and must still be after now.
  const at = Math.floor((now + Math.floor(minutes * 60_000)) / 1000) * 1000;
  if (at <= now) {
    issues.push({ field: 'expiresInMinutes', message: `${minutes} minutes is less than a second from now`, code: 'out_of_range' });
    return undefined;
  }
  return formatIsoWithOffset(at, offset);
}

/**
 * The options' names, and `integration`'s two values; `now` and `utcOffsetMinutes` are checked where they are used,
 * with the input's other problems.
 */
const optionsSchema = lazy(function buildPaymentBuilderOptions() {
  return z
    .object({
      now: z.unknown().optional(),
      utcOffsetMinutes: z.unknown().optional(),
      integration: z.enum(['direct', 'acquirer'], { error: 'must be "direct" or "acquirer"' }).optional(),
    })
    .strict();
});

/**
 * Builds a complete `pay` body for productCode CASHIER_PAYMENT (ALIPAY_CN) from what a person has at hand:
 * a major-unit amount (or minor units), currencies checked against the AlipayCN matrix and the contract,
 * goods → chinaExtraTransInfo businessType 4 in `order.extendInfo`, the env, the URLs and an expiry.
 * `orderAmount` and `paymentAmount` are equal. The result passes the pay schema and the rules by construction.
 * Pure: `paymentExpiryTime` uses `options.now`, which is required only with `expiresInMinutes`.
 * @throws AmsValidationError listing every problem at once, each on its input field (`amount`, `goods[1].name`, …).
 */
export function buildCashierPayment(input: CashierPaymentInput, given: BuildCashierPaymentOptions = {}): CashierPaymentRequest {
  const options = parseCallOptions(optionsSchema(), given, 'buildCashierPayment') as BuildCashierPaymentOptions;
  if (!isPlainObject(input)) {
    throw new AmsValidationError([{ field: '', message: `the input must be an object, not ${showValue(input)}` }], {
      context: 'Invalid cashier payment',
    });
  }
  const raw = input as unknown as Record<string, unknown>;
  const issues: ValidationIssue[] = [];

  for (const key of Object.keys(raw)) {
    if (!(KNOWN_FIELDS as readonly string[]).includes(key) && raw[key] !== undefined)
      issues.push({
        field: key,
        message: `is not a field of buildCashierPayment's input: ${unknownNamesMessage('field', [key], KNOWN_FIELDS, { listValid: true })}`,
        code: 'unrecognized_keys',
      });
  }

  const paymentRequestId = readString(raw, 'paymentRequestId', issues, {
    required: true,
    hint: 'your id for this payment (≤ 64 characters)',
  });
  const referenceOrderId = readString(raw, 'referenceOrderId', issues, { required: true, hint: 'your order number (≤ 64 characters)' });
  const orderDescription = readString(raw, 'description', issues, { required: true, hint: 'what the buyer pays for (≤ 256 characters)' });
  const currency = readString(raw, 'currency', issues, { required: true, hint: 'the currency the buyer pays in, such as "USD"' });
  const settlementCurrency = readString(raw, 'settlementCurrency', issues, {
    required: true,
    hint: 'the currency of your contract, such as "USD"',
  });
  const paymentMethodType = raw.paymentMethodType ?? 'ALIPAY_CN';
  if (paymentMethodType !== 'ALIPAY_CN') {
    issues.push({
      field: 'paymentMethodType',
      message: `${showValue(paymentMethodType)} is not supported here: buildCashierPayment builds ALIPAY_CN payments`,
      code: 'invalid_value',
    });
  }
  const value = readAmount(raw, currency, issues);
  const env = readEnv(raw, issues);
  const appId = readString(raw, 'appId', issues, { required: false });
  const url = { required: true, hint: 'an absolute URL such as https://shop.example/return' };
  const paymentRedirectUrl = readString(raw, 'redirectUrl', issues, url);
  const paymentNotifyUrl = readString(raw, 'notifyUrl', issues, { ...url, required: false });
  const paymentExpiryTime = readExpiry(raw, options, issues);
  const { extendInfo, from: extendFrom } = readExtendInfo(raw, issues);

  const request = {
    productCode: 'CASHIER_PAYMENT',
    paymentRequestId,
    order: {
      referenceOrderId,
      orderDescription,
      orderAmount: { currency, value },
      ...(extendInfo !== undefined ? { extendInfo } : {}),
    },
    paymentAmount: { currency, value },
    paymentMethod: { paymentMethodType },
    paymentRedirectUrl,
    ...(paymentNotifyUrl !== undefined ? { paymentNotifyUrl } : {}),
    ...(paymentExpiryTime !== undefined ? { paymentExpiryTime } : {}),
    env,
    settlementStrategy: { settlementCurrency },
    ...(appId !== undefined ? { appId } : {}),
  };

  // Every rule of the request itself is the pay validation's: run it on what would be sent, and report each issue
  // on the input field it came from. A field the input already got wrong is reported once, by the input check.
  const seen = new Set(issues.map((i) => i.field.replace(/[.[].*$/, '')));
  // Fields left out because of another field's problem (an amount in an unknown currency) are not reported twice.
  if (value === undefined) seen.add('amount');
  if (env === undefined) seen.add('terminalType').add('osType');
  const rules = {
    integration: options.integration ?? 'direct',
    contractSettlementCurrency: raw.contractSettlementCurrency as string | undefined,
  };
  const at = paymentExpiryTime === undefined ? undefined : new Date(nowMs(options.now)!);
  for (const issue of payRequestIssues(request, at, rules)) {
    const field = inputField(issue.field, extendFrom);
    if (field === undefined || seen.has(field.replace(/[.[].*$/, ''))) continue;
    issues.push(
      issue.source === RULE_SOURCES.chinaExtraRequiredDirect
        ? directMerchantIssue(field, DIRECT_HINT[extendFrom] ?? DIRECT_HINT.goods!)
        : { ...issue, field },
    );
    seen.add(field);
  }
  if (issues.length > 0) throw new AmsValidationError(issues, { context: 'Invalid cashier payment' });
  return request as CashierPaymentRequest;
}

function nowMs(now: BuilderInstant | undefined): number | undefined {
  return typeof now === 'number' ? now : now !== undefined && typeof now.getTime === 'function' ? now.getTime() : undefined;
}

/** env from terminalType and osType: osType goes with app flows (required for APP and MINI_APP, absent for WEB). */
function readEnv(raw: Record<string, unknown>, issues: ValidationIssue[]): CashierPaymentRequest['env'] | undefined {
  const { terminalType, osType } = raw;
  if (terminalType === undefined || terminalType === null) {
    issues.push({ field: 'terminalType', message: `is required: ${CASHIER_TERMINAL_TYPES.join(', ')}`, code: 'required' });
    return undefined;
  }
  if (!(CASHIER_TERMINAL_TYPES as readonly unknown[]).includes(terminalType)) {
    const upper = typeof terminalType === 'string' ? terminalType.trim().toUpperCase() : '';
    const hint = (CASHIER_TERMINAL_TYPES as readonly string[]).includes(upper) ? `; did you mean "${upper}"?` : '';
    issues.push({
      field: 'terminalType',
      message: `${showValue(terminalType)} is not one of ${CASHIER_TERMINAL_TYPES.join(', ')}${hint}`,
      code: 'invalid_value',
    });
    return undefined;
  }
  const t = terminalType as CashierTerminalType;
  if (osType !== undefined && !(CASHIER_OS_TYPES as readonly unknown[]).includes(osType)) {
    issues.push({ field: 'osType', message: `${showValue(osType)} is not one of ${CASHIER_OS_TYPES.join(', ')}`, code: 'invalid_value' });
  } else if (t === 'WEB' && osType !== undefined) {
    issues.push({
      field: 'osType',
      message: 'does not apply to terminalType WEB (a desktop browser): leave it out',
      code: 'not_applicable',
    });
  } else if ((t === 'APP' || t === 'MINI_APP') && osType === undefined) {
    issues.push({ field: 'osType', message: `is required for terminalType ${t}: IOS or ANDROID`, code: 'required' });
  } else {
    return osType === undefined ? { terminalType: t } : { terminalType: t, osType: osType as CashierOsType };
  }
  return undefined;
}

/**
 * order.extendInfo from goods (trade), any chinaExtraTransInfo, or a whole extendInfo (string or object), and which
 * of them it came from. Its content, its length and whether a direct merchant's carries chinaExtraTransInfo are the
 * pay validation's rules.
 */
function readExtendInfo(raw: Record<string, unknown>, issues: ValidationIssue[]): { extendInfo: string | undefined; from: string } {
  const { goods, chinaExtraTransInfo, extendInfo: given } = raw;
  const present = (['goods', 'chinaExtraTransInfo', 'extendInfo'] as const).filter((k) => raw[k] !== undefined);
  const from = present[0] ?? 'goods';
  if (present.length > 1) {
    issues.push({
      field: from,
      message: `give one of goods (businessType 4, trade), chinaExtraTransInfo or extendInfo, not ${present.join(' and ')}`,
      code: 'conflict',
    });
    return { extendInfo: undefined, from };
  }
  if (given !== undefined) {
    // Serialized once; what the pay validation checks is the text that will be sent.
    const serialized = serializeExtendInfo(given, 'extendInfo');
    issues.push(...serialized.issues);
    return { extendInfo: serialized.text, from };
  }
  if (goods === undefined && chinaExtraTransInfo === undefined) return { extendInfo: undefined, from };
  const fromGoods = goods !== undefined;
  try {
    const extendInfo = buildExtendInfo({
      chinaExtraTransInfo: (fromGoods ? { businessType: '4', goods } : chinaExtraTransInfo) as ChinaExtraTransInfoInput,
    });
    return { extendInfo, from };
  } catch (err) {
    // chinaExtraTransInfo.goods[0].name → goods[0].name when the goods came from the input's `goods`.
    collect(err, issues, (f) => (fromGoods ? f.replace(/^chinaExtraTransInfo\.?/, '') || 'goods' : f || 'chinaExtraTransInfo'));
    return { extendInfo: undefined, from };
  }
}
