// What buildCashierPayment takes (the input a person has at hand, its options) and what it gives (a CASHIER_PAYMENT pay body). Types only.
import type { Decimal } from 'decimal.js';
import type { ChinaExtraTransInfo, ChinaExtraTransInfoInput, GoodsItem } from '../rules/china-extra-shape';
import type { AlipayCnPaymentCurrency, AlipayCnSettlementCurrency } from '../rules/currencies';
import type { CASHIER_OS_TYPES, CASHIER_TERMINAL_TYPES } from '../schemas/common';

export type CashierTerminalType = (typeof CASHIER_TERMINAL_TYPES)[number];
export type CashierOsType = (typeof CASHIER_OS_TYPES)[number];

/** Any value with `getTime()` (a `Date` fits), or epoch milliseconds. */
export type BuilderInstant = { getTime(): number } | number;

export interface BuildCashierPaymentOptions {
  /** The moment the request is built; required when `expiresInMinutes` is given, unused otherwise. */
  now?: BuilderInstant;
  /** Offset written in `paymentExpiryTime`, in minutes east of UTC (480 → `+08:00`). Default 0 (`+00:00`). */
  utcOffsetMinutes?: number;
  /**
   * `'direct'` (default): integrated directly with AlipayCN, so `goods`, `chinaExtraTransInfo` or `extendInfo` with
   * it is required (the cashier guide's rule). `'acquirer'`: optional.
   */
  integration?: 'direct' | 'acquirer';
}

/** An amount in minor units (USD 19.99 → `{ value: '1999' }`); the currency is the input's `currency`. */
export interface MinorUnitAmountInput {
  value: string | number | bigint;
}

/** Currency code with editor completion for the AlipayCN ones; any string is accepted and checked at run time. */
type CurrencyInput<C extends string> = C | (string & {});

interface CashierPaymentBase {
  /** Your id for this payment attempt; the same id on a retry (≤ 64 characters). */
  paymentRequestId: string;
  /** Your order number (≤ 64 characters). */
  referenceOrderId: string;
  /** What the buyer pays for, shown on the cashier page (≤ 256 characters). → `order.orderDescription` */
  description: string;
  /** Major units as typed (`'19.99'`, `500` for JPY, a Decimal), or `{ value: '1999' }` in minor units. */
  amount: string | number | Decimal | MinorUnitAmountInput;
  /** The currency the buyer is charged in (`paymentAmount.currency` and `order.orderAmount.currency`). */
  currency: CurrencyInput<AlipayCnPaymentCurrency>;
  /** The currency you are settled in: required for ALIPAY_CN. → `settlementStrategy.settlementCurrency` */
  settlementCurrency: CurrencyInput<AlipayCnSettlementCurrency>;
  /** Your contract's settlement currency, when known: the settlement currency must equal it. Not sent. */
  contractSettlementCurrency?: CurrencyInput<AlipayCnSettlementCurrency>;
  /** Only ALIPAY_CN has currency rules here. Default `'ALIPAY_CN'`. */
  paymentMethodType?: 'ALIPAY_CN';
  /** Where the buyer returns after paying. → `paymentRedirectUrl` */
  redirectUrl: string;
  /** Where Alipay posts the result; optional when set in the dashboard. → `paymentNotifyUrl` */
  notifyUrl?: string;
  /** Minutes until the payment expires, more than 0 and less than 10. → `paymentExpiryTime` (needs `now`) */
  expiresInMinutes?: number;
}

/** Goods sold: chinaExtraTransInfo businessType 4 (trade) is built from them. */
interface WithGoods {
  goods: readonly GoodsItem[];
  chinaExtraTransInfo?: never;
  extendInfo?: never;
}
/** Any chinaExtraTransInfo (hotel, air ticket, study abroad, trade, other), as `buildChinaExtraTransInfo` takes it. */
interface WithChinaExtraTransInfo {
  chinaExtraTransInfo: ChinaExtraTransInfoInput | ChinaExtraTransInfo;
  goods?: never;
  extendInfo?: never;
}
/** A whole `order.extendInfo`, as the JSON string or its object (sent as the string), checked field by field. */
interface WithExtendInfo {
  extendInfo: string | Record<string, unknown>;
  goods?: never;
  chinaExtraTransInfo?: never;
}
/** No chinaExtraTransInfo (acquirers may omit it; direct AlipayCN merchants must send it). */
interface WithoutExtra {
  goods?: undefined;
  chinaExtraTransInfo?: undefined;
  extendInfo?: undefined;
}

/**
 * `osType` goes with app flows: required for APP and MINI_APP, optional for WAP, absent for WEB. A MINI_APP payment
 * also names the mini program: `appId`, the id Antom assigned to it (≤ 32 characters). → top-level `appId`
 */
type TerminalInput =
  | { terminalType: 'WEB'; osType?: never; appId?: string }
  | { terminalType: 'WAP'; osType?: CashierOsType; appId?: string }
  | { terminalType: 'APP'; osType: CashierOsType; appId?: string }
  | { terminalType: 'MINI_APP'; osType: CashierOsType; appId: string };

/** Input of `buildCashierPayment`. */
export type CashierPaymentInput = CashierPaymentBase &
  TerminalInput &
  (WithGoods | WithChinaExtraTransInfo | WithExtendInfo | WithoutExtra);

/** A `pay` body for productCode CASHIER_PAYMENT, as `buildCashierPayment` returns it (a type, so it fits the loose pay schema). */
export type CashierPaymentRequest = {
  productCode: 'CASHIER_PAYMENT';
  paymentRequestId: string;
  order: {
    referenceOrderId: string;
    orderDescription: string;
    orderAmount: { currency: string; value: string };
    /** JSON string, e.g. `{"chinaExtraTransInfo":{"businessType":"4",…}}`. */
    extendInfo?: string;
  };
  paymentAmount: { currency: string; value: string };
  paymentMethod: { paymentMethodType: 'ALIPAY_CN' };
  paymentRedirectUrl: string;
  paymentNotifyUrl?: string;
  /** ISO-8601 with offset, e.g. `2026-01-01T12:05:00+00:00`. */
  paymentExpiryTime?: string;
  env: { terminalType: CashierTerminalType; osType?: CashierOsType };
  settlementStrategy: { settlementCurrency: string };
  /** The mini program's id: with terminalType MINI_APP. */
  appId?: string;
};
