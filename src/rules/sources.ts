// Where each refusing rule comes from: one citation per rule, carried on every violation as `source`.

const GUIDE = 'AlipayCN cashier guide ("Accept payments for AlipayCN")';
const PAY_REFERENCE = 'Antom API reference, pay (CASHIER_PAYMENT)';

/**
 * The sources, by rule. A rule that refuses a request must have one here; a rule no source states is a `check`
 * warning, never a refusal in `pay()`.
 */
export const RULE_SOURCES = Object.freeze({
  paymentCurrencies: `${GUIDE}: "The following currencies can be supported as payment currencies" (USD, EUR, JPY, GBP, CAD, AUD, SGD, CHF, SEK, DKK, NOK, NZD, THB, HKD, CNY)`,
  settlementCurrencies: `${GUIDE}: "The following currencies can be supported as settlement currencies for Alipay CN wallet"`,
  settlementNotLocal: `${GUIDE}: "The settlement currency cannot be CNY."`,
  settlementEqualsPayment: `${GUIDE}: "If the payment is in a non-CNY currency, the settlement currency must be the same as the payment currency."`,
  settlementIsContract: `${GUIDE}: "Ensure to use the settlement currency that is allowed in the contract for this field"; for non-CNY payments "ensure that the currency is exactly the one you specified in the contract for settlement."`,
  settlementRequired: `${GUIDE}: settlementStrategy.settlementCurrency "is required for AlipayCN wallet integration."`,
  chinaExtraRequiredDirect: `${GUIDE}: order.extendInfo.chinaExtraTransInfo "is required for merchants that are directly integrated with AlipayCN, and is optional for acquirers."`,
  chinaExtraFields: `${GUIDE}: the chinaExtraTransInfo fields by businessType (1 hotel, 2 air ticket, 3 study abroad, 4 trade, 5 other); goodsInfo "name^quantity" items joined by "|"`,
  extendInfoString: `${GUIDE}: the sample request carries order.extendInfo as a string holding JSON`,
  terminalTypeRequired: `${PAY_REFERENCE}: env.terminalType is required (WEB, WAP, APP, MINI_APP)`,
  miniAppIdRequired: `${PAY_REFERENCE}, as the Java and Python SDKs' pay request carries it: appId "is required when terminalType is MINI_APP"`,
  expiryWithin10Minutes: `${PAY_REFERENCE}: paymentExpiryTime, when set, is less than 10 minutes after the request`,
  requestSchema: `${PAY_REFERENCE}: required fields, types and lengths`,
  redirectForm: `${GUIDE}: "Make a GET operation with redirectUrl as the action value. Submit all parameters with an HTML form."`,
} as const);

export type RuleSource = (typeof RULE_SOURCES)[keyof typeof RULE_SOURCES];
