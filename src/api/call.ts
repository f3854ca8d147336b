// The request pipeline every AMS call goes through: serialize once, sign per attempt, send, verify, decide, retry.
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import {
  type CallIds,
  AmsAbortError,
  AmsApiError,
  AmsConnectionError,
  AmsError,
  AmsHttpError,
  AmsSignatureError,
  AmsTimeoutError,
  AmsUnknownResultError,
} from '../errors';
import type { Clock, Logger } from '../clock';
import { formatRequestTime } from '../rules/time';
import { isRetryableStatus, parseRetryAfter, retryDelayMs } from '../http/retry';
import { RELEASES_SIGNAL, tooLargeFailure, TransportFailure, type HttpResponse, type Transport } from '../http/types';
import { attemptSignal } from './attempt-signal';
import { redactValues } from '../internal/redact';
import { BaseResponse } from '../schemas/common';
import { safeParse } from '../schemas/parse';
import { unknownValues } from '../schemas/open-enum';
import { withExtraFields } from './extra-fields';
import { warnUnknownValues } from '../internal/unknown-values';
import type { CryptoBackend } from '../signing/backend';
import { buildSignContentBytes } from '../signing/content';
import { formatSignatureHeader, parseSignatureHeader, redactSignatureHeader } from '../signing/header';
import { resolveEndpoint, type AmsApi, type EndpointOptions } from './endpoint';
import { OPTION, parseCallOptions } from '../options';

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

const SNIPPET = 300;

/**
 * The start of a body for an error, with the secrets of this exchange cut out by value: a gateway or proxy that
 * reflects request headers into its answer must not hand the Agent-Token or the signature to a log.
 */
function snippet(text: string, secrets: Secrets): string {
  // Redact before cutting, so a secret that straddles the cut cannot leave its first half behind.
  const clean = redactValues(text, [secrets.agentToken, secrets.signature]);
  return clean.length > SNIPPET ? `${clean.slice(0, SNIPPET)}…` : clean;
}

/** What this attempt sent that must never come back out in an error. */
interface Secrets {
  agentToken: string | undefined;
  /** The signature, base64 (the header carries it URL-encoded; redactValues covers both). */
  signature: string;
}

type Interpretation<T> = { kind: 'done'; value: T } | { kind: 'retry'; error: AmsError; retryAfterMs?: number | undefined };

/** Verifies a response under the policy: signed and valid, or unsigned/partially signed only for F and U results. */
function verifyResponse(
  ctx: CallContext,
  path: string,
  res: HttpResponse,
  result: { resultStatus: string; resultCode: string },
  accepted: boolean,
  api: string,
): void {
  const signature = res.headers['signature'];
  const responseTime = res.headers['response-time'];
  const clientId = res.headers['client-id'];
  // Unsigned answers exist (Alipay leaves some error answers unsigned): accepted only when there is no Signature at
  // all, and only for a failure or an unknown result that is not a normal answer. An unsigned S, an unsigned
  // PAYMENT_IN_PROCESS (it carries the cashier URL the buyer is sent to) or a partial set of headers never passes.
  if (signature === undefined) {
    if (!accepted) {
      ctx.logger?.warn?.('ams: accepted an unsigned response because its result is not a success', {
        api,
        resultStatus: result.resultStatus,
      });
      return;
    }
    throw new AmsSignatureError(
      `${api}: the response (${result.resultStatus}/${result.resultCode}) is not signed; only failures and unknown results may come unsigned, never an answer that is acted on`,
      { reason: 'missing_header', check: 'signature' },
    );
  }
  const missing = [responseTime === undefined ? 'response-time' : undefined, clientId === undefined ? 'client-id' : undefined].filter(
    (h): h is string => h !== undefined,
  );
  if (missing.length > 0) {
    throw new AmsSignatureError(`${api}: the response is signed but lacks the ${missing.join(', ')} header(s) the signature covers`, {
      reason: 'missing_header',
      check: missing[0]!,
    });
  }
  const parsed = parseSignatureHeader(signature);
  if (clientId !== ctx.clientId) {
    throw new AmsSignatureError(`${api}: the response is for client-id "${clientId}", not "${ctx.clientId}"`, {
      reason: 'mismatch',
      check: 'client-id',
    });
  }
  const content = buildSignContentBytes({ method: 'POST', path, clientId: clientId, time: responseTime!, body: res.body });
  // Verifying is ~30 µs: cheaper on the event loop than a threadpool round trip (signing, ~0.5 ms, is offloaded).
  const ok = ctx.cryptoBackend.verify(content, parsed.signature, ctx.alipayPublicKey);
  if (!ok) {
    throw new AmsSignatureError(
      `${api}: the response signature does not verify with the configured Alipay public key. ` +
        "If every response fails, check that alipayPublicKey is Alipay's key from the developer center, not your own public key.",
      { reason: 'mismatch', check: 'signature' },
    );
  }
}

/** A verified answer must be about what was asked: every id it echoes equals the id sent. */
function checkEcho(spec: CallSpec<z.ZodType>, body: Record<string, unknown>): void {
  for (const [field, sent] of Object.entries(spec.ids)) {
    const echoed = body[field];
    if (sent !== undefined && echoed !== undefined && echoed !== sent) {
      throw new AmsSignatureError(
        `${spec.api}: the signed response is about ${field} "${String(echoed).slice(0, 64)}", not "${sent}": a replayed or misrouted answer is not accepted`,
        { reason: 'mismatch', check: 'body' },
      );
    }
  }
}

function interpret<S extends z.ZodType>(
  ctx: CallContext,
  spec: CallSpec<S>,
  path: string,
  res: HttpResponse,
  attempts: number,
  secrets: Secrets,
): Interpretation<z.infer<S>> {
  const { api } = spec;
  let json: unknown;
  try {
    json = JSON.parse(res.body);
  } catch (cause) {
    // Not retried: a malformed answer is not made better by asking again.
    const contentType = redactValues((res.headers['content-type'] ?? 'no content-type').slice(0, 100), [
      secrets.agentToken,
      secrets.signature,
    ]);
    throw new AmsHttpError(
      `${api}: HTTP ${res.status} with a body that is not JSON (${contentType}, ${res.body.length} chars): it is not an AMS answer`,
      {
        httpStatus: res.status,
        bodySnippet: snippet(res.body, secrets),
        cause,
      },
    );
  }
  // One zod pass on the happy path: the full schema first, the bare { result } only when that does not fit.
  const full = safeParse(spec.responseSchema, json);
  const base = full.success ? { success: true as const, data: full.data as z.infer<typeof BaseResponse> } : safeParse(BaseResponse, json);
  if (!base.success) {
    throw new AmsHttpError(`${api}: HTTP ${res.status} with JSON that has no valid "result" object: it is not an AMS answer`, {
      httpStatus: res.status,
      bodySnippet: snippet(res.body, secrets),
    });
  }
  const result = base.data.result;
  // S, or a U that is this call's normal answer (PAYMENT_IN_PROCESS for pay): what the caller acts on.
  const accepted =
    result.resultStatus === 'S' || (result.resultStatus === 'U' && (spec.acceptUnknownCodes ?? []).includes(result.resultCode));
  verifyResponse(ctx, path, res, result, accepted, api);
  checkEcho(spec, json as Record<string, unknown>);

  if (accepted) {
    if (!full.success) {
      const fields = full.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new AmsHttpError(`${api}: the verified response does not have the expected shape (${fields})`, {
        httpStatus: res.status,
        bodySnippet: snippet(res.body, secrets),
      });
    }
    warnUnknownValues(ctx, ctx.logger?.warn?.bind(ctx.logger), api, unknownValues(spec.responseSchema, full.data));
    return { kind: 'done', value: full.data };
  }
  // A failure's text goes into errors and logs: cut this exchange's secrets out first (an unsigned answer can say
  // anything, a reflecting gateway included). Only this path pays for the scan; accepted answers return above.
  const clean = redactValues(res.body, [secrets.agentToken, secrets.signature]);
  const shown = clean === res.body ? { result, raw: json } : redactedAnswer(clean, result);
  const resultMessage = shown.result.resultMessage ?? '';
  if (result.resultStatus === 'F') {
    throw new AmsApiError({
      resultCode: shown.result.resultCode,
      resultStatus: 'F',
      resultMessage,
      httpStatus: res.status,
      ...spec.ids,
      api,
      raw: shown.raw,
    });
  }
  return {
    kind: 'retry',
    retryAfterMs: parseRetryAfter(res.headers, ctx.clock.now().getTime()),
    error: new AmsUnknownResultError({ resultCode: shown.result.resultCode, resultMessage, ...spec.ids, attempts, api }),
  };
}

/** The answer parsed again from its redacted text (redaction replaces whole values, so the JSON stays valid). */
function redactedAnswer(
  clean: string,
  fallback: { resultCode: string; resultMessage?: string | undefined },
): { result: { resultCode: string; resultMessage?: string | undefined }; raw: unknown } {
  try {
    const raw = JSON.parse(clean) as { result?: { resultCode?: unknown; resultMessage?: unknown } };
    const r = raw.result ?? {};
    return {
      result: {
        resultCode: typeof r.resultCode === 'string' ? r.resultCode : fallback.resultCode,
        resultMessage: typeof r.resultMessage === 'string' ? r.resultMessage : undefined,
      },
      raw,
    };
  } catch {
    return { result: { resultCode: fallback.resultCode, resultMessage: '<redacted>' }, raw: undefined };
  }
}

/**
 * An answer with a retryable status (429, 408, 5xx). A signed answer that verifies is Alipay's word whatever the
 * status: a verified F is final, an S is done, a U is retried as any U. Anything else (unsigned, a bad signature, not
 * an AMS body: a proxy's or load balancer's page) says nothing about the payment and is retried as an HTTP failure;
 * after the last attempt that failure is what the caller gets.
 */
function interpretRetryable<S extends z.ZodType>(
  ctx: CallContext,
  spec: CallSpec<S>,
  path: string,
  res: HttpResponse,
  attempts: number,
  secrets: Secrets,
): Interpretation<z.infer<S>> {
  const httpFailure = (cause?: unknown): Interpretation<z.infer<S>> => ({
    kind: 'retry',
    retryAfterMs: parseRetryAfter(res.headers, ctx.clock.now().getTime()),
    error: new AmsHttpError(`${spec.api}: HTTP ${res.status} without a verified AMS answer`, {
      httpStatus: res.status,
      bodySnippet: snippet(res.body, secrets),
      cause,
    }),
  });
  if (res.headers['signature'] === undefined) return httpFailure();
  try {
    return interpret(ctx, spec, path, res, attempts, secrets);
  } catch (err) {
    if (err instanceof AmsHttpError || err instanceof AmsSignatureError) return httpFailure(err);
    throw err;
  }
}

/**
 * Runs one AMS call. The body string is built once and reused for every attempt; each attempt is re-signed
 * with a fresh Request-Time. Resolves with the verified, typed body, or throws a typed AmsError.
 */
export async function callAms<S extends z.ZodType>(ctx: CallContext, spec: CallSpec<S>, options: RequestOptions = {}): Promise<z.infer<S>> {
  inflight.set(ctx, (inflight.get(ctx) ?? 0) + 1);
  try {
    return await runCall(ctx, spec, options);
  } finally {
    inflight.set(ctx, inflight.get(ctx)! - 1);
  }
}

/** Calls in flight per client context, to choose where to sign. */
const inflight = new WeakMap<CallContext, number>();

async function runCall<S extends z.ZodType>(ctx: CallContext, spec: CallSpec<S>, options: RequestOptions): Promise<z.infer<S>> {
  const { api } = spec;
  parseCallOptions(RequestOptionsSchema, options, 'request');
  const extraFields = options.extraFields;
  const body = JSON.stringify(extraFields === undefined ? spec.body : withExtraFields(api, spec.body, extraFields));
  const { url, path } = resolveEndpoint(ctx.endpoint, api);
  const maxRetries = options.maxRetries ?? ctx.maxRetries;
  const timeoutMs = options.timeoutMs ?? ctx.timeoutMs;
  const signal = options.signal;

  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortError(api, signal, attempt - 1, attempt > 1);
    const requestTime = formatRequestTime(ctx.clock.now());
    const content = buildSignContentBytes({ method: 'POST', path, clientId: ctx.clientId, time: requestTime, body });
    // Alone, sign on the event loop (a threadpool hop adds ~60 µs of latency); with other calls in flight, sign on
    // the threadpool so two cores sign in parallel while the event loop keeps serving sockets.
    const signature =
      inflight.get(ctx)! > 1 ? await ctx.cryptoBackend.signAsync(content, ctx.privateKey) : ctx.cryptoBackend.sign(content, ctx.privateKey);
    if (signal?.aborted) throw abortError(api, signal, attempt - 1, attempt > 1);
    const signatureHeader = formatSignatureHeader(signature, ctx.keyVersion);
    const secrets: Secrets = { agentToken: ctx.agentToken, signature };
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=UTF-8',
      'client-id': ctx.clientId,
      'request-time': requestTime,
      signature: signatureHeader,
      'user-agent': ctx.userAgent,
    };
    if (ctx.agentToken !== undefined) headers['agent-token'] = ctx.agentToken;

    const started = Date.now();
    ctx.logger?.debug?.('ams: request', {
      api,
      attempt,
      url,
      ids: spec.ids,
      requestTime,
      signature: redactSignatureHeader(signatureHeader),
      agentToken: ctx.agentToken !== undefined ? '<redacted>' : undefined,
      bodyBytes: Buffer.byteLength(body),
      ...(extraFields !== undefined ? { extraFields: Object.keys(extraFields) } : {}),
    });

    let outcome: Interpretation<z.infer<S>>;
    try {
      const attemptAbort = attemptSignal(timeoutMs, signal, RELEASES_SIGNAL.has(ctx.transport));
      let res: HttpResponse;
      try {
        res = await ctx.transport({
          url,
          method: 'POST',
          headers,
          body,
          signal: attemptAbort.signal,
          maxResponseBytes: ctx.maxResponseBytes,
        });
        // A custom transport may not bound the body itself: the limit holds for every transport. A decoded string
        // never has more UTF-16 units than the bytes it came from, so this refuses nothing a transport accepted.
        if (res.body.length > ctx.maxResponseBytes) throw tooLargeFailure(ctx.maxResponseBytes);
      } catch (err) {
        // A custom transport that throws something else still fails like a connection: typed and retried.
        throw err instanceof TransportFailure
          ? err
          : new TransportFailure('connection', `transport failed (${err instanceof Error ? err.name : typeof err})`);
      } finally {
        attemptAbort.release();
      }
      ctx.logger?.debug?.('ams: response', {
        api,
        attempt,
        status: res.status,
        ms: Date.now() - started,
        responseTime: res.headers['response-time'],
        signature: redactSignatureHeader(res.headers['signature']),
      });
      outcome = isRetryableStatus(res.status)
        ? interpretRetryable(ctx, spec, path, res, attempt, secrets)
        : interpret(ctx, spec, path, res, attempt, secrets);
    } catch (err) {
      if (!(err instanceof TransportFailure)) throw err;
      // The caller's signal decides first: its own AbortSignal.timeout() is an abort, not our timeout.
      if (err.kind === 'aborted' || signal?.aborted) throw abortError(api, signal, attempt, true);
      const error =
        err.kind === 'timeout'
          ? new AmsTimeoutError(
              `${api}: no answer within ${timeoutMs} ms after ${attempt} attempt(s); the outcome is unknown — inquire before retrying`,
              { attempts: attempt, cause: err },
            )
          : new AmsConnectionError(`${api}: ${err.message} after ${attempt} attempt(s); the outcome is unknown — inquire before retrying`, {
              attempts: attempt,
              cause: err,
            });
      if (err.kind === 'too_large')
        ctx.logger?.warn?.('ams: response body over maxResponseBytes; connection dropped', {
          api,
          attempt,
          maxResponseBytes: ctx.maxResponseBytes,
        });
      outcome = { kind: 'retry', error };
    }

    if (outcome.kind === 'done') {
      ctx.logger?.info?.('ams: call succeeded', { api, attempts: attempt, ids: spec.ids });
      return outcome.value;
    }
    if (attempt > maxRetries) {
      ctx.logger?.error?.('ams: call failed after retries', { api, attempts: attempt, ids: spec.ids, error: outcome.error.name });
      throw outcome.error;
    }
    const delay = retryDelayMs(attempt - 1, outcome.retryAfterMs, ctx.random);
    ctx.logger?.warn?.('ams: retrying', { api, attempt, delayMs: Math.round(delay), ids: spec.ids, reason: outcome.error.message });
    try {
      await ctx.clock.sleep(delay, signal);
    } catch {
      throw abortError(api, signal, attempt, true);
    }
  }
}

/** Per-call options get the same bounds as the client's: a typo must not mean retrying forever. */
const RequestOptionsSchema = z.strictObject({
  signal: OPTION.signal.optional(),
  timeoutMs: OPTION.timeoutMs.optional(),
  maxRetries: OPTION.maxRetries.optional(),
  extraFields: z
    .custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype, {
      error: 'must be a plain object of field names and values',
    })
    .optional(),
});

/** The caller's signal fired; `sent` when a request was (or may have been) on its way. */
function abortError(api: string, signal: AbortSignal | undefined, attempts: number, sent: boolean): AmsAbortError {
  return new AmsAbortError(`${api}: aborted by the caller's signal after ${attempts} attempt(s)`, {
    attempts,
    mayHaveReachedAlipay: sent,
    cause: signal?.reason,
  });
}
