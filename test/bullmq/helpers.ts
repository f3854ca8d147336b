// Shared pieces of the inbox tests: signed payment notifications with their own ids, and posting them to a receiver.
import { alipayHeaders, PATH, usdBody } from '../notifications/helpers';

export interface SignedNotification {
  id: string;
  body: string;
  headers: Record<string, string>;
}

/** the cashier guide's PAYMENT_RESULT body with its own paymentId, signed by the test "Alipay" (or by `key` to forge one). */
export function signedPayment(id: string, key?: string): SignedNotification {
  const parsed = JSON.parse(usdBody) as Record<string, unknown>;
  parsed.paymentId = id;
  parsed.paymentRequestId = `req-${id}`;
  const body = JSON.stringify(parsed);
  return { id, body, headers: alipayHeaders({ body, ...(key ? { key } : {}) }) };
}

export interface Answer {
  status: number;
  body: string;
  ms: number;
}

/** POSTs one notification to `url` + PATH, as Alipay would. */
export async function post(url: string, n: SignedNotification, timeoutMs = 15_000): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(url + PATH, { method: 'POST', headers: n.headers, body: n.body, signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, body: await res.text(), ms: performance.now() - started };
}

/** The p-th percentile (0–100) of a list of numbers, nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
