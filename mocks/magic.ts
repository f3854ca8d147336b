// Magic amounts: like a real sandbox, certain paymentAmount values make the gateway take a scripted path.

/**
 * The last four digits of `paymentAmount.value` (minor units) select a behaviour; every other amount behaves
 * normally (PROCESSING until the buyer pays or cancels at the cashier page).
 *
 * | value ends with | example | behaviour |
 * |---|---|---|
 * | `4051` | USD 40.51 → `"4051"` | `pay` answers `F` / `RISK_REJECT`; inquiry finds the payment `FAIL` |
 * | `4052` | `"14052"` | paying at the cashier fails: `FAIL` / `USER_BALANCE_NOT_ENOUGH`, notified with result `F` |
 * | `4053` | `"4053"` | never settles: the cashier's pay button leaves it `PROCESSING`, no notification (cancel it) |
 * | `4054` | `"4054"` | settles by itself: `SUCCESS` at the 3rd `inquiryPayment` (the first two see `PROCESSING`), then notified |
 * | `4055` | `"4055"` | the payment is created but `pay` answers `U` / `UNKNOWN_EXCEPTION` every time: inquire |
 */
export const MAGIC_AMOUNTS = Object.freeze({
  RISK_REJECT: '4051',
  FAIL_AT_CASHIER: '4052',
  NEVER_SETTLES: '4053',
  SETTLES_ON_THIRD_INQUIRY: '4054',
  UNKNOWN_RESULT: '4055',
} as const);

export type MagicBehaviour = keyof typeof MAGIC_AMOUNTS | 'NORMAL';

/** Which behaviour a minor-unit value selects. */
export function magicBehaviour(value: string): MagicBehaviour {
  for (const [name, suffix] of Object.entries(MAGIC_AMOUNTS)) {
    if (value.endsWith(suffix)) return name as MagicBehaviour;
  }
  return 'NORMAL';
}

/** The inquiry on which a SETTLES_ON_THIRD_INQUIRY payment turns SUCCESS. */
export const SETTLING_INQUIRY = 3;

/**
 * Magic refund amounts (`refundAmount.value`, minor units, last four digits): a refund of a normal amount succeeds.
 *
 * | value ends with | behaviour |
 * |---|---|
 * | `4061` | the refund fails: `refund` answers `F` / `MERCHANT_BALANCE_NOT_ENOUGH`, `REFUND_RESULT` carries `refundStatus: 'FAIL'`, `inquiryRefund` finds it `FAIL`; nothing is refunded |
 */
export const REFUND_MAGIC_AMOUNTS = Object.freeze({ REFUND_FAILS: '4061' } as const);

/** Whether a refund of this minor-unit value is one that fails. */
export function refundFails(value: string): boolean {
  return value.endsWith(REFUND_MAGIC_AMOUNTS.REFUND_FAILS);
}
