// Builds signed (or deliberately broken) AMS responses for msw handlers in tests, playing Alipay's side.
import { HttpResponse } from 'msw';
import { alipay, rawSign } from './keys';

export interface RespondOptions {
  path: string;
  clientId: string;
  status?: number;
  /** Sign with this private key instead of the test Alipay key. */
  signWith?: string;
  /** Leave out the signature headers entirely. */
  unsigned?: boolean;
  /** Replace the body after signing (tampering). */
  tamper?: (body: string) => string;
  responseTime?: string;
  headers?: Record<string, string>;
}

export function signedHeaders(body: string, o: RespondOptions): Record<string, string> {
  const responseTime = o.responseTime ?? '2026-11-22T08:00:01+08:00';
  const sig = rawSign(`POST ${o.path}\n${o.clientId}.${responseTime}.${body}`, o.signWith ?? alipay.privatePem);
  return {
    'client-id': o.clientId,
    'response-time': responseTime,
    signature: `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(sig)}`,
  };
}

/** An msw response carrying `body` (object or exact string), signed as Alipay would unless told otherwise. */
export function amsResponse(body: unknown, o: RespondOptions): Response {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=UTF-8',
    ...(o.unsigned ? {} : signedHeaders(text, o)),
    ...o.headers,
  };
  return new HttpResponse(o.tamper ? o.tamper(text) : text, { status: o.status ?? 200, headers });
}

/** A pay answer AMS gives for a cashier payment: U / PAYMENT_IN_PROCESS with the paymentId it always carries. */
export const IN_PROCESS = {
  result: { resultCode: 'PAYMENT_IN_PROCESS', resultStatus: 'U', resultMessage: 'payment in process' },
  paymentId: '20261122194010800100188900000000001',
};
