// Reading one answer: verify its signature under the policy, check it echoes our ids, then resolve, throw or retry.
import type { z } from 'zod';
import { AmsApiError, AmsError, AmsHttpError, AmsSignatureError, AmsUnknownResultError, issuePath } from '../errors';
import { parseRetryAfter } from '../http/retry';
import type { HttpResponse } from '../http/types';
import { redactValues } from '../internal/redact';
import { warnUnknownValues } from '../internal/unknown-values';
import { BaseResponse } from '../schemas/common';
import { unknownValues } from '../schemas/open-enum';
import { safeParse } from '../schemas/parse';
import { buildSignContentBytes } from '../signing/content';
import { parseSignatureHeader } from '../signing/header';
import type { CallContext, CallSpec } from './call-context';

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
export interface Secrets {
  agentToken: string | undefined;
  /** The signature, base64 (the header carries it URL-encoded; redactValues covers both). */
  signature: string;
}

export type Interpretation<T> = { kind: 'done'; value: T } | { kind: 'retry'; error: AmsError; retryAfterMs?: number | undefined };

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

export function interpret<S extends z.ZodType>(
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
  const base = full.success
    ? { success: true as const, data: full.data as z.infer<ReturnType<typeof BaseResponse>> }
    : safeParse(BaseResponse(), json);
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
      const fields = full.error.issues.map((i) => `${issuePath(i.path)}: ${i.message}`).join('; ');
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
export function interpretRetryable<S extends z.ZodType>(
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
