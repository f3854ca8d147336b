// Fault injection for the embedded gateway: the names, their options, and the per-call script that plays them.
import { normalizeRewrite, type RewriteSet } from './rewrite';

/** The calls faults can be scripted for. */
export const GATEWAY_APIS = [
  'pay',
  'inquiryPayment',
  'cancel',
  'refund',
  'inquiryRefund',
  'createPaymentSession',
  'retrievePaymentSession',
  'consult',
  'capture',
  'declare',
  'inquiryDeclarationRequests',
  'acceptDispute',
  'supplyDefenseDocument',
  'downloadDisputeEvidence',
  'inquireExchangeRate',
] as const;
export type GatewayApi = (typeof GATEWAY_APIS)[number];

/**
 * What can go wrong on one call. In the gateway's answer order:
 *
 * | name | what the client sees | is the call processed? |
 * |---|---|---|
 * | `ok` | the normal answer | yes |
 * | `U` | HTTP 200, signed `U` / `UNKNOWN_EXCEPTION` | no |
 * | `503` (any `5xx`) | that status, a short text body, unsigned | no |
 * | `429` | HTTP 429, `Retry-After` (default 1 s), unsigned `U` / `REQUEST_TRAFFIC_EXCEED_LIMIT` | no |
 * | `reset` | the connection is destroyed without an answer (msw: `HttpResponse.error()`) | no |
 * | `hang` | no answer until the client gives up (or `ms`, default 30 s, then a reset) | no |
 * | `delay` | the normal answer after `ms` (default 1000) | yes |
 * | `unsignedF` | HTTP 200, unsigned `F` / `PROCESS_FAIL` (or `resultCode`) | no |
 * | `badSignature` | the normal answer with a signature that does not verify | yes |
 * | `truncated` | the normal signed headers with the body cut in half (not JSON) | yes |
 * | `html` | HTTP 502 (or `status`) with an HTML error page, `text/html` | no |
 * | `wrongContentType` | the normal signed answer labelled `text/plain` | yes |
 * | `rewrite` | the normal answer with the fields of `set` (dotted paths) changed, then signed: it verifies | yes |
 *
 * "Processed" matters for idempotency: after a processed fault a retry with the same request id finds the
 * payment (or refund) already there and gets the same answer.
 */
export type FaultName =
  | 'ok'
  | 'U'
  | '429'
  | 'reset'
  | 'hang'
  | 'delay'
  | 'unsignedF'
  | 'badSignature'
  | 'truncated'
  | 'html'
  | 'wrongContentType'
  | 'rewrite'
  | `5${number}`;

export interface FaultObject {
  fault: FaultName;
  /** `delay`, `hang`: how long, in ms. */
  ms?: number;
  /** `429`: the Retry-After header, in seconds (default 1). */
  retryAfterSeconds?: number;
  /** `U`, `unsignedF`: the resultCode to answer with. */
  resultCode?: string;
  /** `html`: the HTTP status (default 502). */
  status?: number;
  /**
   * `rewrite` (required there, refused elsewhere): dotted paths → values set in the answer before it is signed, e.g.
   * `{ paymentStatus: 'NEW_STATUS', 'transactions.0.transactionStatus': 'X', someNewField: { a: 1 } }`; `undefined`
   * removes a field. At most 100 paths, 64 KiB.
   */
  set?: RewriteSet;
}

/** A fault by name (`'503'`) or with options (`{ fault: 'delay', ms: 200 }`). */
export type FaultSpec = FaultName | FaultObject;

export const FAULT_NAMES: readonly string[] = [
  'ok',
  'U',
  '429',
  'reset',
  'hang',
  'delay',
  'unsignedF',
  'badSignature',
  'truncated',
  'html',
  'wrongContentType',
  'rewrite',
  '5xx',
];

/** Validates and normalizes one fault; throws TypeError naming the valid ones. */
export function normalizeFault(spec: FaultSpec): FaultObject {
  const f: FaultObject = typeof spec === 'string' ? { fault: spec } : { ...spec };
  const name = String(f.fault);
  const known = FAULT_NAMES.includes(name) || /^5\d\d$/.test(name);
  if (!known || name === '5xx') {
    throw new TypeError(`Unknown gateway fault "${name}"; use one of ${FAULT_NAMES.join(', ')} (5xx: a status such as "503")`);
  }
  if (f.ms !== undefined && !(Number.isFinite(f.ms) && f.ms >= 0)) throw new TypeError(`fault ${name}: ms must be a non-negative number`);
  if (name === 'rewrite') f.set = normalizeRewrite(f.set, 'fault rewrite');
  else if (f.set !== undefined) throw new TypeError(`fault ${name}: set belongs to the rewrite fault only`);
  return f;
}

/** Per-call queues of faults: each call takes the next one; an empty queue means `ok`. */
export class FaultScript {
  readonly #queues = new Map<GatewayApi, FaultObject[]>();

  /** Appends faults for an API; they are played one per call, in order. */
  add(api: GatewayApi, faults: readonly FaultSpec[]): void {
    if (!GATEWAY_APIS.includes(api)) throw new TypeError(`Unknown gateway API "${String(api)}"; use one of ${GATEWAY_APIS.join(', ')}`);
    const queue = this.#queues.get(api) ?? [];
    queue.push(...faults.map(normalizeFault));
    this.#queues.set(api, queue);
  }

  /** The fault for this call (consumed). */
  next(api: GatewayApi): FaultObject {
    return this.#queues.get(api)?.shift() ?? { fault: 'ok' };
  }

  /** Faults still queued for an API. */
  pending(api: GatewayApi): number {
    return this.#queues.get(api)?.length ?? 0;
  }

  clear(api?: GatewayApi): void {
    if (api) this.#queues.delete(api);
    else this.#queues.clear();
  }
}
