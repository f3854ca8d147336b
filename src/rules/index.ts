// The `ams-cashier/rules` entry: the pure rules behind the root's (currency tables and violations, minor units,
// chinaExtraTransInfo and extendInfo checks, AMS times, where each rule comes from): no I/O, no clock, no randomness.

export { CURRENCY_RULES, CURRENCY_VIOLATIONS, assertCurrencies } from './currencies';
export type { WalletCurrencyTable, CurrencyViolationCode } from './currencies';

export { CURRENCY_EXPONENTS, currencyExponent, isMinorUnitValue, toAmount } from './amounts';
export type { AmountOptions } from './amounts';

export { normalizeBusinessType, parseGoodsInfo, directMerchantIssue } from './china-extra';
export { CHINA_BUSINESS_TYPES } from './china-extra-shape';
export { checkExtendInfo, hasChinaExtraTransInfo, MAX_EXTEND_INFO_LENGTH, serializeExtendInfo } from './extend-info';
export type {
  ChinaBusinessTypeCode,
  HotelBusinessType,
  AirTicketBusinessType,
  StudyAbroadBusinessType,
  TradeBusinessType,
  OtherBusinessTypeName,
  HotelInfoInput,
  AirTicketInfoInput,
  StudyAbroadInfoInput,
  TradeGoodsInfoInput,
  TradeGoodsInfoStringInput,
  OtherInfoInput,
  HotelInfo,
  AirTicketInfo,
  StudyAbroadInfo,
  TradeInfo,
  OtherInfo,
  ChinaExtraTransInfoFor,
} from './china-extra-shape';

export { formatIsoWithOffset } from './time';
export { RULE_SOURCES } from './sources';
