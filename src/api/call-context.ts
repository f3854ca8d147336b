// What a call is: the client's context, the call's spec and its per-call options (types only).
import type { KeyObject } from 'node:crypto';
import type { z } from 'zod';
import type { Clock, Logger } from '../clock';
import type { CallIds } from '../errors';
import type { Transport } from '../http/types';
import type { CryptoBackend } from '../signing/backend';
import type { AmsApi, EndpointOptions } from './endpoint';

/** What a call needs from the client; built once per client. */
export interface CallContext {
  clientId: string;
  privateKey: KeyObject;
  alipayPublicKey: KeyObject;
  keyVersion: string | null;
  endpoint: EndpointOptions;
  agentToken: string | undefined;
  timeoutMs: number;
  maxRetries: number;
  /** The most response body bytes read per attempt; past it the attempt fails like a broken connection. */
  maxResponseBytes: number;
  transport: Transport;
  clock: Required<Clock>;
  logger: Logger | undefined;
  cryptoBackend: CryptoBackend;
  random: () => number;
  /** The User-Agent header sent with every request. */
  userAgent: string;
}

/** Per-call options, as in Stripe's and OpenAI's SDKs. */
export interface RequestOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  maxRetries?: number;
  /**
   * Top-level fields Antom documents that this version does not model yet: merged into the signed body (and named in
   * the debug log). A field the request already has, or one the API's schema knows, is refused: give it in the
   * request, where it is checked.
   */
  extraFields?: Record<string, unknown>;
}

export interface CallSpec<S extends z.ZodType> {
  api: AmsApi;
  /** The request body object; serialized exactly once. */
  body: unknown;
  /**
   * The ids the request carries (paymentRequestId, paymentId, refundRequestId, refundId). They label errors and
   * logs, and a verified response that echoes one of them must echo the same value: a validly signed answer about
   * another payment (a replay, a misrouted answer) is not this call's answer.
   */
  ids: CallIds;
  responseSchema: S;
  /** `U` result codes that are a normal answer rather than "unknown" (PAYMENT_IN_PROCESS for a cashier pay). */
  acceptUnknownCodes?: readonly string[];
}
