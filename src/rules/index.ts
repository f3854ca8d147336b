// The pure rules module (currencies, amounts, chinaExtraTransInfo): no I/O, no clock, no randomness.

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

export {
  CHINA_BUSINESS_TYPES,
  normalizeBusinessType,
  buildChinaExtraTransInfo,
  parseGoodsInfo,
  buildExtendInfo,
  checkExtendInfo,
  hasChinaExtraTransInfo,
  MAX_EXTEND_INFO_LENGTH,
  serializeExtendInfo,
  directMerchantIssue,
} from './china-extra';
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
  ExtendInfoInput,
} from './china-extra';
