// A payment's transactions as inquiryPayment lists them: its captures, refunds (the automatic one of a cancel too) and its cancel.
import { parseRequestTime } from '../src/rules/time';
import { result } from './answers';
import { settlementOf } from './fx';
import { REFUND_FAILURE } from './refunds';
import type { GatewayState } from './state';
import type { PaymentRecord } from './types';

/** `transactions[]` of a payment, oldest first (the SDKs' Transaction: type, status, id, request id, amount, time, result). */
export function transactionsOf(state: GatewayState, p: PaymentRecord): Record<string, unknown>[] {
  const list: Record<string, unknown>[] = [];
  const ok = result('S', 'SUCCESS', 'success.');
  for (const c of state.captures.values()) {
    if (c.paymentId !== p.paymentId) continue;
    list.push({
      transactionResult: ok,
      transactionId: c.captureId,
      transactionType: 'CAPTURE',
      transactionStatus: 'SUCCESS',
      transactionAmount: c.captureAmount,
      transactionRequestId: c.captureRequestId,
      transactionTime: c.captureTime,
    });
  }
  if (p.status === 'CANCELLED' && p.cancelTime) {
    list.push({
      transactionResult: ok,
      transactionType: 'CANCEL',
      transactionStatus: 'SUCCESS',
      transactionAmount: p.paymentAmount,
      transactionTime: p.cancelTime,
    });
  }
  for (const r of state.refunds.values()) {
    if (r.paymentId !== p.paymentId) continue;
    const succeeded = r.status === 'SUCCESS';
    list.push({
      transactionResult: succeeded ? ok : result('F', REFUND_FAILURE.code, REFUND_FAILURE.message),
      transactionId: r.refundId,
      transactionType: 'REFUND',
      transactionStatus: r.status,
      transactionAmount: r.refundAmount,
      ...(r.refundRequestId ? { transactionRequestId: r.refundRequestId } : {}),
      transactionTime: r.refundTime,
      ...(succeeded ? settlementOf(r.refundAmount, p.settlementCurrency) : {}),
    });
  }
  const at = (t: Record<string, unknown>): number => parseRequestTime(String(t.transactionTime)) ?? 0;
  return list
    .map((t, i) => ({ t, i }))
    .sort((a, b) => at(a.t) - at(b.t) || a.i - b.i)
    .map(({ t }) => t);
}
