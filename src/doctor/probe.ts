// Sends the one read-only inquiry the doctor needs through the client's request pipeline and keeps the raw answer.
import { randomUUID } from 'node:crypto';
import { callAms, type CallContext } from '../api/call';
import { resolveEndpoint } from '../api/endpoint';
import { z } from 'zod';
import { AmsError } from '../errors';
import { lazy } from '../internal/lazy';
import { OPTION, parseCallOptions } from '../options';
import { namesAProxy } from '../http/default-transport';
import type { HttpResponse, Transport } from '../http/types';
import { InquiryPaymentResponse } from '../schemas/lifecycle';
import type { DoctorInput, DoctorReport } from './report';
import { doctorVerdict } from './verdict';

export interface DoctorOptions {
  /** Aborts the inquiry; an aborted doctor rejects instead of reporting. */
  signal?: AbortSignal;
  /** Timeout of the one attempt; default the client's. */
  timeoutMs?: number;
}

/** A paymentRequestId no merchant would use: the time and a random UUID, so the inquiry can only find nothing. */
export function doctorPaymentRequestId(now: Date): string {
  return `ams-doctor-${now.toISOString().replace(/\D/g, '').slice(0, 14)}-${randomUUID()}`;
}

/** The proxy the environment names for a URL, without credentials; undefined when the URL goes direct. */
async function proxyFor(url: string): Promise<string | undefined> {
  if (!namesAProxy(url)) return undefined;
  const { getProxyForUrl } = await import('proxy-from-env');
  const proxy = getProxyForUrl(url);
  if (!proxy) return undefined;
  try {
    const u = new URL(proxy);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'the configured proxy';
  }
}

/**
 * One signed `inquiryPayment` for a payment that cannot exist, through the same pipeline as every call (signing,
 * verification, typed errors) with no retry, so it creates, cancels and refunds nothing. The transport is wrapped
 * only to keep the raw answer: an answer that does not verify is still read, to say why.
 */
const optionsSchema = lazy(function buildDoctorOptions() {
  return z.object({ signal: OPTION.signal.optional(), timeoutMs: OPTION.timeoutMs.optional() }).strict();
});

export async function runDoctor(ctx: CallContext, given: DoctorOptions = {}): Promise<DoctorReport> {
  // Checked before the probe: a bad option is the caller's mistake, never a verdict about the credentials.
  const options: DoctorOptions = parseCallOptions(optionsSchema(), given, 'doctor');
  const paymentRequestId = doctorPaymentRequestId(ctx.clock.now());
  const { url, path } = resolveEndpoint(ctx.endpoint, 'inquiryPayment');
  let response: HttpResponse | undefined;
  let sentAt: Date | undefined;
  let receivedAt: Date | undefined;
  const transport: Transport = async (req) => {
    sentAt = ctx.clock.now();
    response = await ctx.transport(req);
    receivedAt = ctx.clock.now();
    return response;
  };
  let outcome: DoctorInput['outcome'];
  try {
    const value = await callAms(
      { ...ctx, transport },
      { api: 'inquiryPayment', body: { paymentRequestId }, ids: { paymentRequestId }, responseSchema: InquiryPaymentResponse() },
      { maxRetries: 0, timeoutMs: options.timeoutMs, signal: options.signal },
    );
    outcome = { value };
  } catch (error) {
    // The caller's abort is the caller's answer, and anything that is not an AmsError is a bug: neither is a verdict.
    if (!(error instanceof AmsError) || options.signal?.aborted) throw error;
    outcome = { error };
  }
  return doctorVerdict({
    clientId: ctx.clientId,
    sandbox: ctx.endpoint.sandbox === true,
    url,
    path,
    keyVersion: ctx.keyVersion,
    agentToken: ctx.agentToken !== undefined,
    privateKey: ctx.privateKey,
    alipayPublicKey: ctx.alipayPublicKey,
    proxy: await proxyFor(url),
    response,
    outcome,
    sentAt,
    receivedAt,
  });
}
