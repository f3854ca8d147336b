// zod schemas shared by every AMS call: amounts, results, environment. Pure; each is built on its first use (lazy).
import { z } from 'zod';
import { lazy } from '../internal/lazy';
import { MINOR_UNIT_VALUE, MINOR_UNITS_HINT } from '../rules/amounts';

// Every schema of src/schemas is a function that builds it on its first call and returns that same schema ever after:
// `Amount()` is the amount schema. Importing the package builds none of them (test/bench/lean-import.test.ts).

/** ISO 4217 alphabetic code, upper case. */
export const CurrencyCode = lazy(() => z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter upper-case ISO 4217 code such as "USD"'));

/** Minor units as a string holding a positive integer: USD 19.99 → "1999", JPY 500 → "500". */
export const MinorUnitValue = lazy(() =>
  z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? 'is required'
          : `is ${typeof issue.input === 'number' ? `the number ${String(issue.input)}` : `a ${issue.input === null ? 'null' : typeof issue.input}`}: ${MINOR_UNITS_HINT}`,
    })
    .regex(MINOR_UNIT_VALUE, `must be a positive integer string: ${MINOR_UNITS_HINT}`),
);

/** The schema of a request amount; its type is `Amount` from rules/amounts.ts. */
export const Amount = lazy(() => z.looseObject({ currency: CurrencyCode(), value: MinorUnitValue() }));

/** Amounts in responses and notifications: zero is possible there (e.g. a settlement amount), so only digits. */
export const ResponseAmount = lazy(() => z.looseObject({ currency: z.string(), value: z.string().regex(/^[0-9]+$/) }));
export type ResponseAmount = z.infer<ReturnType<typeof ResponseAmount>>;

/**
 * A foreign-exchange quote (settlementQuote, paymentQuote) as the official SDKs model it. `quotePrice` is a rate, not
 * money: the Java SDK sends a JSON number, others a string; both are kept as sent.
 */
export const Quote = lazy(() =>
  z.looseObject({
    quoteId: z.string().optional(),
    quoteCurrencyPair: z.string().optional(),
    quotePrice: z.union([z.string(), z.number()]).optional(),
    quoteStartTime: z.string().optional(),
    quoteExpiryTime: z.string().optional(),
    guaranteed: ReceivedBoolean().optional(),
    exchangeAmount: ResponseAmount().optional(),
  }),
);
export type Quote = z.infer<ReturnType<typeof Quote>>;

export const ResultStatus = lazy(() => z.enum(['S', 'F', 'U']));

export const Result = lazy(() =>
  z.looseObject({
    resultStatus: ResultStatus(),
    resultCode: z.string().min(1),
    resultMessage: z.string().optional(),
  }),
);
export type Result = z.infer<ReturnType<typeof Result>>;

/** `env.terminalType` values of a cashier payment. */
export const CASHIER_TERMINAL_TYPES = Object.freeze(['WEB', 'WAP', 'APP', 'MINI_APP'] as const);
/** `env.osType` values: for app flows. */
export const CASHIER_OS_TYPES = Object.freeze(['IOS', 'ANDROID'] as const);
export const TerminalType = lazy(() => z.enum(CASHIER_TERMINAL_TYPES));
export const OsType = lazy(() => z.enum(CASHIER_OS_TYPES));

export const Env = lazy(() =>
  z.looseObject({
    terminalType: TerminalType(),
    osType: OsType().optional(),
  }),
);

/** Every AMS response: a result plus whatever else the API returns. */
export const BaseResponse = lazy(() => z.looseObject({ result: Result() }));

/**
 * A Boolean field. The AMS docs ask for every field as a string ("true"), while Antom's own Java and Go SDKs send JSON
 * booleans; which forms the server accepts is unconfirmed, so both are read and the value is a boolean.
 */
export const WireBoolean = lazy(() =>
  z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')], {
    error: 'must be true or false (or the strings "true" / "false")',
  }),
);

/**
 * A Boolean field in what Antom sends: a JSON boolean, or "true" / "false" in any case; any other string is kept as
 * sent, never refused (a verified answer is not thrown away for one value we did not list) and never a boolean, so
 * `=== true` cannot take it for yes.
 */
export const ReceivedBoolean = lazy(() =>
  z.union([
    z.boolean(),
    z.string().transform((v): boolean | (string & {}) => {
      const word = v.trim().toLowerCase();
      return word === 'true' ? true : word === 'false' ? false : v;
    }),
  ]),
);

/** A request field Antom defines whose shape is not modelled here: an object, sent as given. */
export const PassedThrough = lazy(() => z.looseObject({}));

/** A request string Antom gives no length for. */
export const RequestText = lazy(() => z.string().min(1, 'must not be empty'));

/** Which of your merchant accounts a request is for, "when you use a single client ID across multiple locations". */
export const MerchantAccountId = lazy(() => z.string().min(1, 'must not be empty').max(32, 'must be at most 32 characters'));
