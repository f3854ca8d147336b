// The `ams-cashier/rules` entry: the pure rules (currencies, amounts, chinaExtraTransInfo, AMS times, where each
// rule comes from, where to send the buyer): no I/O, no clock, no randomness.

export {
  ALIPAY_CN_PAYMENT_CURRENCIES,
  ALIPAY_CN_SETTLEMENT_CURRENCIES,
  CURRENCY_RULES,
  CURRENCY_VIOLATIONS,
  checkCurrencies,
  assertCurrencies,
} from './currencies';
export type {
  AlipayCnPaymentCurrency,
  AlipayCnSettlementCurrency,
  WalletCurrencyTable,
  CurrencyViolationCode,
  CurrencyViolation,
  CurrencyCheckResult,
  CurrencyCheckInput,
} from './currencies';

export { CURRENCY_EXPONENTS, currencyExponent, isMinorUnitValue, toMinorUnits, fromMinorUnits, toAmount } from './amounts';
export type { AmountOptions, Amount } from './amounts';

export { normalizeBusinessType, buildChinaExtraTransInfo, parseGoodsInfo, directMerchantIssue } from './china-extra';
export { CHINA_BUSINESS_TYPES } from './china-extra-shape';
export { buildExtendInfo, checkExtendInfo, hasChinaExtraTransInfo, MAX_EXTEND_INFO_LENGTH, serializeExtendInfo } from './extend-info';
export type { ExtendInfoInput } from './extend-info';
export type {
  ChinaBusinessTypeCode,
  HotelBusinessType,
  AirTicketBusinessType,
  StudyAbroadBusinessType,
  TradeBusinessType,
  OtherBusinessTypeName,
  GoodsItem,
  HotelInfoInput,
  AirTicketInfoInput,
  StudyAbroadInfoInput,
  TradeGoodsInfoInput,
  TradeGoodsInfoStringInput,
  OtherInfoInput,
  ChinaExtraTransInfoInput,
  HotelInfo,
  AirTicketInfo,
  StudyAbroadInfo,
  TradeInfo,
  OtherInfo,
  ChinaExtraTransInfo,
  ChinaExtraTransInfoFor,
} from './china-extra-shape';

export { formatRequestTime, parseRequestTime, formatIsoWithOffset } from './time';
export { RULE_SOURCES } from './sources';
export { cashierRedirect } from './cashier-redirect';
export type { CashierRedirect, CashierRedirectOptions, RedirectActionFormInput, PayAnswerRedirectInput } from './cashier-redirect';
