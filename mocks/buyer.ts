// What the buyer's "pay" and "cancel" do to a payment, wherever they press them: the cashier page, the Checkout Page,
// or a component SDK's payment page.
import { expiresAtMs, markCancelled, settle } from './payments';
import type { GatewayContext } from './state';
import type { PaymentRecord } from './types';

/** What became of the payment; `note` says why it did not move when it stayed PROCESSING. */
export interface BuyerOutcome {
  /** The payment's status after the action. */
  status: PaymentRecord['status'];
  /** The action found the payment expired (it stays PROCESSING and can no longer be paid). */
  expired: boolean;
  note?: string;
}

export const EXPIRED_NOTE =
  'This payment has expired (paymentExpiryTime, or 14 minutes by default): it can no longer be paid. Cancel it and create a new one.';
export const NEVER_SETTLES_NOTE = 'This payment never settles (magic amount …4053): it stays PROCESSING until cancelled.';

/**
 * The buyer pays or cancels a PROCESSING payment (anything else is left as it is). Paying follows the magic amounts:
 * …4052 fails (USER_BALANCE_NOT_ENOUGH), …4053 never settles; an expired payment cannot be paid. Resolves after the
 * first attempt of the payment notification, so a page that reads the shop's store next already sees the result.
 */
export async function buyerActs(ctx: GatewayContext, p: PaymentRecord, action: 'pay' | 'cancel'): Promise<BuyerOutcome> {
  const outcome = (note?: string, expired = false): BuyerOutcome => ({ status: p.status, expired, ...(note ? { note } : {}) });
  if (p.status !== 'PROCESSING') return outcome();
  if (action === 'cancel') {
    markCancelled(ctx, p);
    return outcome();
  }
  if (ctx.clock.now().getTime() > expiresAtMs(p)) return outcome(EXPIRED_NOTE, true);
  if (p.magic === 'NEVER_SETTLES') return outcome(NEVER_SETTLES_NOTE);
  if (p.magic === 'FAIL_AT_CASHIER') await settle(ctx, p, 'FAIL', 'USER_BALANCE_NOT_ENOUGH');
  else await settle(ctx, p, 'SUCCESS', 'SUCCESS');
  return outcome();
}
