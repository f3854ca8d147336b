// Which payment / settlement currency pairs a wallet accepts, as data tables plus one generic checker.

import { showValue } from './show';
import { AmsValidationError } from '../errors';
import { RULE_SOURCES } from './sources';

/** Currencies a buyer can be charged in with ALIPAY_CN (the cashier guide: "Accept payments for AlipayCN"). */
export const ALIPAY_CN_PAYMENT_CURRENCIES = Object.freeze([
  'USD',
  'EUR',
  'JPY',
  'GBP',
  'CAD',
  'AUD',
  'SGD',
  'CHF',
  'SEK',
  'DKK',
  'NOK',
  'NZD',
  'THB',
  'HKD',
  'CNY',
] as const);

/** Currencies ALIPAY_CN settles to a merchant in: the payment currencies without CNY. */
export const ALIPAY_CN_SETTLEMENT_CURRENCIES = Object.freeze(
  ALIPAY_CN_PAYMENT_CURRENCIES.filter((c): c is Exclude<(typeof ALIPAY_CN_PAYMENT_CURRENCIES)[number], 'CNY'> => c !== 'CNY'),
);

export type AlipayCnPaymentCurrency = (typeof ALIPAY_CN_PAYMENT_CURRENCIES)[number];
export type AlipayCnSettlementCurrency = (typeof ALIPAY_CN_SETTLEMENT_CURRENCIES)[number];

/**
 * One wallet's currency matrix. The checker knows no wallet by name: adding a wallet means adding a table.
 * A payment in a local currency may settle in any settlement currency; a payment in any other supported
 * currency settles in that same currency.
 */
export interface WalletCurrencyTable {
  /** How merchants know the wallet; used in messages ("AlipayCN settles in …"). */
  readonly displayName: string;
  readonly paymentCurrencies: readonly string[];
  readonly settlementCurrencies: readonly string[];
  /** The wallet's home currencies (CNY for AlipayCN): chargeable, never settled in. */
  readonly localCurrencies: readonly string[];
}

/** Currency tables by `paymentMethod.paymentMethodType`. */
export const CURRENCY_RULES: Readonly<Record<string, WalletCurrencyTable>> = Object.freeze({
  ALIPAY_CN: Object.freeze({
    displayName: 'AlipayCN',
    paymentCurrencies: ALIPAY_CN_PAYMENT_CURRENCIES,
    settlementCurrencies: ALIPAY_CN_SETTLEMENT_CURRENCIES,
    localCurrencies: Object.freeze(['CNY']),
  }),
});

/** Stable violation codes: switch on these, not on message text. */
export const CURRENCY_VIOLATIONS = Object.freeze({
  /** No table for this paymentMethodType: the engine cannot say the pair is fine. */
  UNKNOWN_PAYMENT_METHOD_TYPE: 'UNKNOWN_PAYMENT_METHOD_TYPE',
  /** A required currency (or a given contract currency) is absent or empty. */
  CURRENCY_MISSING: 'CURRENCY_MISSING',
  /** Not three upper-case letters (lower case, a symbol, a number…). */
  INVALID_CURRENCY_CODE: 'INVALID_CURRENCY_CODE',
  PAYMENT_CURRENCY_NOT_SUPPORTED: 'PAYMENT_CURRENCY_NOT_SUPPORTED',
  SETTLEMENT_CURRENCY_NOT_SUPPORTED: 'SETTLEMENT_CURRENCY_NOT_SUPPORTED',
  /** Settlement in the wallet's local currency (CNY for AlipayCN), which it never settles in. */
  SETTLEMENT_LOCAL_CURRENCY_NOT_ALLOWED: 'SETTLEMENT_LOCAL_CURRENCY_NOT_ALLOWED',
  /** A non-local payment currency settles only in itself. */
  SETTLEMENT_MUST_EQUAL_PAYMENT: 'SETTLEMENT_MUST_EQUAL_PAYMENT',
  /** The contract currency itself is not one the wallet settles in. */
  CONTRACT_CURRENCY_NOT_SUPPORTED: 'CONTRACT_CURRENCY_NOT_SUPPORTED',
  /** The settlement currency is not the one in the merchant's contract. */
  SETTLEMENT_NOT_CONTRACT: 'SETTLEMENT_NOT_CONTRACT',
} as const);

export type CurrencyViolationCode = (typeof CURRENCY_VIOLATIONS)[keyof typeof CURRENCY_VIOLATIONS];

export interface CurrencyViolation {
  code: CurrencyViolationCode;
  /** A sentence for the merchant: what is wrong and what would be right. */
  message: string;
  /** The AMS request path at fault, e.g. `settlementStrategy.settlementCurrency`. */
  field: string;
  /** Where the rule comes from. */
  source: string;
}

export interface CurrencyCheckResult {
  ok: boolean;
  violations: CurrencyViolation[];
}

export interface CurrencyCheckInput {
  /** Defaults to `ALIPAY_CN`. */
  paymentMethodType?: string | undefined;
  paymentCurrency: string;
  settlementCurrency: string;
  /** The settlement currency in the merchant's contract with Alipay, when known. */
  contractSettlementCurrency?: string | undefined;
}

/** The source of each violation, by code. */
const SOURCE_BY_CODE: Readonly<Record<CurrencyViolationCode, string>> = Object.freeze({
  UNKNOWN_PAYMENT_METHOD_TYPE: RULE_SOURCES.paymentCurrencies,
  CURRENCY_MISSING: RULE_SOURCES.settlementRequired,
  INVALID_CURRENCY_CODE: RULE_SOURCES.paymentCurrencies,
  PAYMENT_CURRENCY_NOT_SUPPORTED: RULE_SOURCES.paymentCurrencies,
  SETTLEMENT_CURRENCY_NOT_SUPPORTED: RULE_SOURCES.settlementCurrencies,
  SETTLEMENT_LOCAL_CURRENCY_NOT_ALLOWED: RULE_SOURCES.settlementNotLocal,
  SETTLEMENT_MUST_EQUAL_PAYMENT: RULE_SOURCES.settlementEqualsPayment,
  CONTRACT_CURRENCY_NOT_SUPPORTED: RULE_SOURCES.settlementCurrencies,
  SETTLEMENT_NOT_CONTRACT: RULE_SOURCES.settlementIsContract,
});

/** AMS request paths reported in `field`. */
const FIELDS = Object.freeze({
  paymentMethodType: 'paymentMethod.paymentMethodType',
  payment: 'paymentAmount.currency',
  settlement: 'settlementStrategy.settlementCurrency',
  contract: 'contractSettlementCurrency',
});

const ISO_CODE = /^[A-Z]{3}$/;

/** Quotes user input for a message without letting a huge or odd value flood it. */
function list(codes: readonly string[]): string {
  return codes.join(', ');
}

type CodeShape = { kind: 'absent' } | { kind: 'missing' } | { kind: 'invalid' } | { kind: 'code'; code: string };

function shapeOf(value: unknown, optional: boolean): CodeShape {
  if (value === undefined || value === null) return optional ? { kind: 'absent' } : { kind: 'missing' };
  if (value === '') return { kind: 'missing' };
  if (typeof value === 'string' && ISO_CODE.test(value)) return { kind: 'code', code: value };
  return { kind: 'invalid' };
}

function invalidCodeMessage(label: string, value: unknown): string {
  // A lower-case or padded code is the common slip; name the fix when there is one.
  const hint =
    typeof value === 'string' && ISO_CODE.test(value.trim().toUpperCase()) ? `; did you mean "${value.trim().toUpperCase()}"?` : '.';
  return `${label} ${showValue(value, 24)} is not an ISO 4217 currency code (three upper-case letters such as USD)${hint}`;
}

/**
 * Checks a currency pair against the wallet's table. Every violation is reported, not only the first,
 * so a merchant fixes a configuration in one pass. Never throws.
 */
export function checkCurrencies(input: CurrencyCheckInput): CurrencyCheckResult {
  const {
    paymentMethodType = 'ALIPAY_CN',
    paymentCurrency,
    settlementCurrency,
    contractSettlementCurrency,
  } = input ?? ({} as CurrencyCheckInput);
  const violations: CurrencyViolation[] = [];
  const add = (code: CurrencyViolationCode, field: string, message: string) =>
    violations.push({ code, field, message, source: SOURCE_BY_CODE[code] });

  // hasOwn: a type named "toString" or "__proto__" must not find something on the prototype.
  const table =
    typeof paymentMethodType === 'string' && Object.hasOwn(CURRENCY_RULES, paymentMethodType)
      ? CURRENCY_RULES[paymentMethodType]
      : undefined;
  if (!table) {
    const known = Object.keys(CURRENCY_RULES);
    const upper = typeof paymentMethodType === 'string' ? paymentMethodType.trim().toUpperCase() : '';
    const hint = known.includes(upper) ? ` Did you mean "${upper}"?` : '';
    add(
      CURRENCY_VIOLATIONS.UNKNOWN_PAYMENT_METHOD_TYPE,
      FIELDS.paymentMethodType,
      `This engine has no currency rules for payment method type ${showValue(paymentMethodType, 24)}, so it cannot ` +
        `confirm the currencies: it knows ${list(known)}.${hint}`,
    );
    return { ok: false, violations };
  }

  const wallet = table.displayName;
  const isLocal = (c: string) => table.localCurrencies.includes(c);
  const settles = (c: string) => table.settlementCurrencies.includes(c);

  // Each currency on its own first; the pair rules only make sense between currencies the wallet knows.
  let payment: string | undefined;
  const p = shapeOf(paymentCurrency, false);
  if (p.kind === 'missing') {
    add(
      CURRENCY_VIOLATIONS.CURRENCY_MISSING,
      FIELDS.payment,
      `Payment currency is missing: ${wallet} accepts ${list(table.paymentCurrencies)}.`,
    );
  } else if (p.kind === 'invalid') {
    add(CURRENCY_VIOLATIONS.INVALID_CURRENCY_CODE, FIELDS.payment, invalidCodeMessage('Payment currency', paymentCurrency));
  } else if (p.kind === 'code') {
    if (table.paymentCurrencies.includes(p.code)) payment = p.code;
    else
      add(
        CURRENCY_VIOLATIONS.PAYMENT_CURRENCY_NOT_SUPPORTED,
        FIELDS.payment,
        `Payment currency ${p.code} is not supported: ${wallet} accepts ${list(table.paymentCurrencies)}.`,
      );
  }

  let settlement: string | undefined;
  const s = shapeOf(settlementCurrency, false);
  if (s.kind === 'missing') {
    add(
      CURRENCY_VIOLATIONS.CURRENCY_MISSING,
      FIELDS.settlement,
      `Settlement currency is missing: ${wallet} requires one and settles in ${list(table.settlementCurrencies)}.`,
    );
  } else if (s.kind === 'invalid') {
    add(CURRENCY_VIOLATIONS.INVALID_CURRENCY_CODE, FIELDS.settlement, invalidCodeMessage('Settlement currency', settlementCurrency));
  } else if (s.kind === 'code') {
    if (settles(s.code)) settlement = s.code;
    else if (isLocal(s.code))
      add(
        CURRENCY_VIOLATIONS.SETTLEMENT_LOCAL_CURRENCY_NOT_ALLOWED,
        FIELDS.settlement,
        `Settlement currency ${s.code} is not allowed: ${wallet} settles in ${list(table.settlementCurrencies)}.`,
      );
    else
      add(
        CURRENCY_VIOLATIONS.SETTLEMENT_CURRENCY_NOT_SUPPORTED,
        FIELDS.settlement,
        `Settlement currency ${s.code} is not supported: ${wallet} settles in ${list(table.settlementCurrencies)}.`,
      );
  }

  let contract: string | undefined;
  const c = shapeOf(contractSettlementCurrency, true);
  if (c.kind === 'missing') {
    add(
      CURRENCY_VIOLATIONS.CURRENCY_MISSING,
      FIELDS.contract,
      'Contract settlement currency is empty: leave it out, or give the settlement currency of your Alipay contract.',
    );
  } else if (c.kind === 'invalid') {
    add(
      CURRENCY_VIOLATIONS.INVALID_CURRENCY_CODE,
      FIELDS.contract,
      invalidCodeMessage('Contract settlement currency', contractSettlementCurrency),
    );
  } else if (c.kind === 'code') {
    if (settles(c.code)) contract = c.code;
    else
      add(
        CURRENCY_VIOLATIONS.CONTRACT_CURRENCY_NOT_SUPPORTED,
        FIELDS.contract,
        `Contract settlement currency ${c.code} is not one ${wallet} settles in ` +
          `(${list(table.settlementCurrencies)}): check the currency in your Alipay contract.`,
      );
  }

  // Pair rules. A local-currency payment may settle in any settlement currency, which `settles` already
  // guarantees excludes the local one, so only the non-local case needs a rule of its own here.
  if (payment !== undefined && settlement !== undefined && !isLocal(payment) && settlement !== payment) {
    const localHint = table.localCurrencies.length > 0 ? ` or ${list(table.localCurrencies)}` : '';
    add(
      CURRENCY_VIOLATIONS.SETTLEMENT_MUST_EQUAL_PAYMENT,
      FIELDS.settlement,
      `Settlement currency ${settlement} does not match payment currency ${payment}: ${wallet} settles ` +
        `payments in ${payment} only in ${payment}; to settle in ${settlement}, charge in ${settlement}${localHint}.`,
    );
  }
  // The contract rule also holds for a settlement code the wallet refuses on its own (CNY, BRL): the merchant
  // learns in one pass both that it is refused and which currency it must be instead.
  const settlementCode = s.kind === 'code' ? s.code : undefined;
  if (settlementCode !== undefined && contract !== undefined && settlementCode !== contract) {
    const settlement = settlementCode;
    const localHint = table.localCurrencies.length > 0 ? ` or ${list(table.localCurrencies)}` : '';
    add(
      CURRENCY_VIOLATIONS.SETTLEMENT_NOT_CONTRACT,
      FIELDS.settlement,
      `Settlement currency ${settlement} is not your contract's settlement currency ${contract}: ${wallet} ` +
        `settles only in the contract currency, so settle in ${contract} and charge in ${contract}${localHint}.`,
    );
  }

  return { ok: violations.length === 0, violations };
}

/** `checkCurrencies`, throwing one AmsValidationError that lists every violation. For request paths. */
export function assertCurrencies(input: CurrencyCheckInput): void {
  const { ok, violations } = checkCurrencies(input);
  if (!ok) throw new AmsValidationError(violations, { context: 'Currency rules' });
}
