// zod schemas shared by every AMS call: amounts, results, environment. Pure.
import { z } from 'zod';
import { MINOR_UNIT_VALUE, MINOR_UNITS_HINT } from '../rules/amounts';

/** ISO 4217 alphabetic code, upper case. */
export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter upper-case ISO 4217 code such as "USD"');

/** Minor units as a string holding a positive integer: USD 19.99 → "1999", JPY 500 → "500". */
export const MinorUnitValue = z
  .string({
    error: (issue) =>
      issue.input === undefined
        ? 'is required'
        : `is ${typeof issue.input === 'number' ? `the number ${String(issue.input)}` : `a ${issue.input === null ? 'null' : typeof issue.input}`}: ${MINOR_UNITS_HINT}`,
  })
  .regex(MINOR_UNIT_VALUE, `must be a positive integer string: ${MINOR_UNITS_HINT}`);

/** The schema of a request amount; its type is `Amount` from rules/amounts.ts. */
export const Amount = z.looseObject({ currency: CurrencyCode, value: MinorUnitValue });

/** Amounts in responses and notifications: zero is possible there (e.g. a settlement amount), so only digits. */
export const ResponseAmount = z.looseObject({ currency: z.string(), value: z.string().regex(/^[0-9]+$/) });
export type ResponseAmount = z.infer<typeof ResponseAmount>;

/**
 * A foreign-exchange quote (settlementQuote, paymentQuote) as the official SDKs model it. `quotePrice` is a rate, not
 * money: the Java SDK sends a JSON number, others a string; both are kept as sent.
 */
export const Quote = z.looseObject({
  quoteId: z.string().optional(),
  quoteCurrencyPair: z.string().optional(),
  quotePrice: z.union([z.string(), z.number()]).optional(),
  quoteStartTime: z.string().optional(),
  quoteExpiryTime: z.string().optional(),
  guaranteed: z.boolean().optional(),
  exchangeAmount: ResponseAmount.optional(),
});
export type Quote = z.infer<typeof Quote>;

export const ResultStatus = z.enum(['S', 'F', 'U']);

export const Result = z.looseObject({
  resultStatus: ResultStatus,
  resultCode: z.string().min(1),
  resultMessage: z.string().optional(),
});
export type Result = z.infer<typeof Result>;

/** `env.terminalType` values of a cashier payment. */
export const CASHIER_TERMINAL_TYPES = Object.freeze(['WEB', 'WAP', 'APP', 'MINI_APP'] as const);
/** `env.osType` values: for app flows. */
export const CASHIER_OS_TYPES = Object.freeze(['IOS', 'ANDROID'] as const);
export const TerminalType = z.enum(CASHIER_TERMINAL_TYPES);
export const OsType = z.enum(CASHIER_OS_TYPES);

export const Env = z.looseObject({
  terminalType: TerminalType,
  osType: OsType.optional(),
});

/** Every AMS response: a result plus whatever else the API returns. */
export const BaseResponse = z.looseObject({ result: Result });

/**
 * A Boolean field. The AMS docs ask for every field as a string ("true"), while Antom's own Java and Go SDKs send JSON
 * booleans; which forms the server accepts is unconfirmed, so both are read and the value is a boolean.
 */
export const WireBoolean = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')], {
  error: 'must be true or false (or the strings "true" / "false")',
});

/** A request field Antom defines whose shape is not modelled here: an object, sent as given. */
export const PassedThrough = z.looseObject({});

/** A request string Antom gives no length for. */
export const RequestText = z.string().min(1, 'must not be empty');

/** Which of your merchant accounts a request is for, "when you use a single client ID across multiple locations". */
export const MerchantAccountId = z.string().min(1, 'must not be empty').max(32, 'must be at most 32 characters');
