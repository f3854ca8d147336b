// The request pipeline every AMS call goes through: serialize once, sign per attempt, send, read the answer, retry.
import { z } from 'zod';
import { lazy } from '../internal/lazy';
import { AmsAbortError, AmsConnectionError, AmsTimeoutError } from '../errors';
import { formatRequestTime } from '../rules/time';
import { isRetryableStatus, retryDelayMs } from '../http/retry';
import { RELEASES_SIGNAL, tooLargeFailure, TransportFailure, type HttpResponse } from '../http/types';
import { attemptSignal } from './attempt-signal';
import { withExtraFields } from './extra-fields';
import { buildSignContentBytes } from '../signing/content';
import { formatSignatureHeader, redactSignatureHeader } from '../signing/header';
import { resolveEndpoint } from './endpoint';
import { OPTION, parseCallOptions } from '../options';
import { interpret, interpretRetryable, type Interpretation, type Secrets } from './answer';
import type { CallContext, CallSpec, RequestOptions } from './call-context';

export type { CallContext, CallSpec, RequestOptions } from './call-context';

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
  parseCallOptions(RequestOptionsSchema(), options, 'request');
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
const RequestOptionsSchema = lazy(() =>
  z.strictObject({
    signal: OPTION.signal.optional(),
    timeoutMs: OPTION.timeoutMs.optional(),
    maxRetries: OPTION.maxRetries.optional(),
    extraFields: z
      .custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype, {
        error: 'must be a plain object of field names and values',
      })
      .optional(),
  }),
);

/** The caller's signal fired; `sent` when a request was (or may have been) on its way. */
function abortError(api: string, signal: AbortSignal | undefined, attempts: number, sent: boolean): AmsAbortError {
  return new AmsAbortError(`${api}: aborted by the caller's signal after ${attempts} attempt(s)`, {
    attempts,
    mayHaveReachedAlipay: sent,
    cause: signal?.reason,
  });
}
