// Bench row: createPaymentSession() against pay() on the same loopback gateway — a modelled API beyond pay costs what pay costs.
import { timeCase, type CaseResult } from './case';
import { payRequest } from './fixtures';
import { alternate, pool } from './harness';
import type { Loopback } from './loopback';
import { loopbackClient } from './pay';

let seq = 0;
const nextId = (): string => `ps-bench-${process.pid}-${++seq}`;

/** A CHECKOUT_PAYMENT session for the same order and amount as the pay fixture. */
function sessionRequest(paymentRequestId: string) {
  const pay = payRequest(paymentRequestId);
  return {
    productCode: 'CASHIER_PAYMENT',
    productScene: 'CHECKOUT_PAYMENT',
    paymentRequestId,
    order: pay.order,
    paymentAmount: pay.paymentAmount,
    paymentMethod: pay.paymentMethod,
    paymentRedirectUrl: pay.paymentRedirectUrl,
    settlementStrategy: pay.settlementStrategy,
  };
}

export async function sessionVsPay(lb: Loopback): Promise<CaseResult> {
  const client = loopbackClient(lb.origin);
  const first = await client.createPaymentSession(sessionRequest(nextId()));
  if (first.result.resultStatus !== 'S') throw new Error('createPaymentSession() did not get S from the loopback gateway');
  await client.pay(payRequest(nextId()));
  const [a, b] = await alternate(
    {
      name: 'AmsClient.createPaymentSession() sequential',
      run: (n) => pool(n, 1, () => client.createPaymentSession(sessionRequest(nextId()))),
    },
    { name: 'AmsClient.pay() sequential', run: (n) => pool(n, 1, () => client.pay(payRequest(nextId()))) },
    { rounds: 30, warmupRounds: 2, plan: { kind: 'ops', ops: 20 } },
  );
  return timeCase(
    'pay-session-loopback',
    'createPaymentSession() round trip on loopback, sequential',
    'pay() on the same gateway',
    { kind: 'max', value: 1.1, unit: '× time' },
    a,
    b,
    'both through the one request loop; the gateway answers a session with S and pay with U/PAYMENT_IN_PROCESS',
  );
}
