// Request checks and the await loop for inquiry, cancel and refund: exactly-one-id rules and the inquiry schedule.
import type { z } from 'zod';
import {
  AmsAbortError,
  AmsApiError,
  AmsConnectionError,
  AmsError,
  AmsHttpError,
  AmsUnknownResultError,
  AmsValidationError,
} from '../errors';
import { parseOrThrow } from '../schemas/parse';
import { PaymentRefSchema, RefundRefSchema, type InquiryPaymentResponse, type PaymentStatus } from '../schemas/lifecycle';

/** The body of an inquiry or cancel: exactly one of the two ids, and the merchant account when given. */
function exactlyOne<K extends string>(
  input: unknown,
  schema: z.ZodType,
  keys: readonly [K, K],
  context: string,
): Record<K, string> & { merchantAccountId?: string } {
  if (input === null || typeof input !== 'object') {
    throw new AmsValidationError(
      [{ field: keys.join(' | '), message: `expected an object with ${keys[0]} or ${keys[1]}`, code: 'required' }],
      { context },
    );
  }
  const data = parseOrThrow(schema, input, context) as Partial<Record<K, string>> & { merchantAccountId?: string };
  const given = keys.filter((k) => data[k] !== undefined);
  if (given.length !== 1) {
    throw new AmsValidationError(
      [
        {
          field: keys.join(' | '),
          message:
            given.length === 0 ? `one of ${keys[0]} or ${keys[1]} is required` : `give exactly one of ${keys[0]} or ${keys[1]}, not both`,
          code: given.length === 0 ? 'required' : 'conflict',
        },
      ],
      { context },
    );
  }
  const { merchantAccountId } = data;
  return { [given[0]!]: data[given[0]!], ...(merchantAccountId === undefined ? {} : { merchantAccountId }) } as Record<K, string> & {
    merchantAccountId?: string;
  };
}

/** `{ paymentRequestId }` or `{ paymentId }`, never both or neither; `merchantAccountId` with it when given. */
export function paymentRefBody(input: unknown, api: string): { paymentRequestId?: string; paymentId?: string; merchantAccountId?: string } {
  return exactlyOne(input, PaymentRefSchema(), ['paymentRequestId', 'paymentId'] as const, `Invalid ${api} request`);
}

/** `{ refundRequestId }` or `{ refundId }`, never both or neither; `merchantAccountId` with it when given. */
export function refundRefBody(input: unknown, api: string): { refundRequestId?: string; refundId?: string; merchantAccountId?: string } {
  return exactlyOne(input, RefundRefSchema(), ['refundRequestId', 'refundId'] as const, `Invalid ${api} request`);
}

/** Alipay's prescribed inquiry rhythm for an unconfirmed payment, in seconds. */
export const DEFAULT_AWAIT_SCHEDULE_SECONDS: readonly number[] = [2, 3, 3, 5, 5, 5, 5, 5, 5];

const FINAL: ReadonlySet<PaymentStatus> = new Set(['SUCCESS', 'FAIL', 'CANCELLED']);

export interface AwaitPaymentOptions {
  /** Delays before each inquiry, in seconds (default 2, 3, 3, 5, 5, 5, 5, 5, 5). */
  schedule?: readonly number[];
  /** The same in milliseconds (for tests); wins over `schedule`. */
  scheduleMs?: readonly number[];
  /**
   * Cancel a payment still PROCESSING (the buyer has not paid) when the schedule runs out, so the buyer cannot pay
   * later. Default true. A PENDING payment is never cancelled: the buyer has paid and the result is on its way.
   */
  cancelOnTimeout?: boolean;
  /** ORDER_NOT_EXIST during the first N inquiries means "not visible yet", not failure. Default 3. */
  notFoundGraceInquiries?: number;
  signal?: AbortSignal;
}

export interface AwaitPaymentResult {
  /**
   * SUCCESS, FAIL or CANCELLED when final. PENDING when the schedule ran out after the buyer paid and before the
   * final result: it is never cancelled; the payment notification (or a later inquiry) brings the result.
   * PROCESSING only with `cancelOnTimeout: false`.
   */
  paymentStatus: PaymentStatus;
  /** The last inquiry's verified response (after a cancel: the inquiry made after it). */
  inquiry: InquiryPaymentResponse;
  /** True when this call cancelled the payment. */
  cancelled: boolean;
}

export interface AwaitDeps {
  inquire(signal: AbortSignal | undefined): Promise<InquiryPaymentResponse>;
  cancel(signal: AbortSignal | undefined): Promise<unknown>;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * The one rule for cancelling on our own: only a payment still PROCESSING (the buyer has not paid). PENDING means
 * the buyer completed the payment and the result is on its way; SUCCESS, FAIL and CANCELLED are final.
 */
export function mayCancel(status: PaymentStatus): boolean {
  return status === 'PROCESSING';
}

/** A failure that only means "no answer this round": the next scheduled inquiry may still get one. */
function isTransient(err: unknown): boolean {
  return err instanceof AmsConnectionError || err instanceof AmsUnknownResultError || err instanceof AmsHttpError;
}

/**
 * Inquires on a schedule until a final status; when the schedule runs out with the payment still PROCESSING,
 * cancels it (by default) and returns the state after the cancel. A PENDING payment is returned as PENDING.
 */
export async function awaitPayment(deps: AwaitDeps, options: AwaitPaymentOptions): Promise<AwaitPaymentResult> {
  const schedule = options.scheduleMs ?? (options.schedule ?? DEFAULT_AWAIT_SCHEDULE_SECONDS).map((s) => s * 1000);
  if (schedule.length === 0 || schedule.some((ms) => !Number.isFinite(ms) || ms < 0)) {
    throw new AmsValidationError([
      { field: options.scheduleMs ? 'scheduleMs' : 'schedule', message: 'must be a non-empty list of non-negative delays' },
    ]);
  }
  const grace = options.notFoundGraceInquiries ?? 3;
  const { signal } = options;
  let last: InquiryPaymentResponse | undefined;
  let lastError: unknown;
  // PENDING once means the buyer paid: nothing later may lead to a cancel, whatever a later inquiry says.
  let seenPending = false;

  let inquired = false;
  const aborted = (): never => {
    throw new AmsAbortError("awaitPaymentResult: aborted by the caller's signal", {
      attempts: 0,
      mayHaveReachedAlipay: inquired,
      cause: signal?.reason,
    });
  };

  for (let i = 0; i < schedule.length; i++) {
    try {
      await deps.sleep(schedule[i]!, signal);
    } catch {
      aborted();
    }
    if (signal?.aborted) aborted();
    try {
      inquired = true;
      last = await deps.inquire(signal);
      lastError = undefined;
    } catch (err) {
      if (signal?.aborted) aborted();
      if (err instanceof AmsApiError && err.resultCode === 'ORDER_NOT_EXIST' && i < grace) {
        lastError = err; // if the payment never becomes visible, this is the answer
        continue;
      }
      if (isTransient(err)) {
        lastError = err;
        continue;
      }
      throw err;
    }
    if (last.paymentStatus === 'PENDING') seenPending = true;
    if (FINAL.has(last.paymentStatus)) return { paymentStatus: last.paymentStatus, inquiry: last, cancelled: false };
  }

  if (!last)
    throw lastError instanceof AmsError
      ? lastError
      : new AmsConnectionError('awaitPaymentResult: no inquiry succeeded', { cause: lastError });
  if (options.cancelOnTimeout === false || seenPending || !mayCancel(last.paymentStatus)) {
    return { paymentStatus: seenPending ? 'PENDING' : last.paymentStatus, inquiry: last, cancelled: false };
  }
  // A cancel acts on the status now, not on the last inquiry that got through: when the latest one failed, ask
  // once more, and cancel only a payment that is still PROCESSING at that moment.
  if (lastError !== undefined) {
    try {
      last = await deps.inquire(signal);
    } catch (err) {
      if (signal?.aborted) aborted();
      throw err;
    }
    if (!mayCancel(last.paymentStatus)) return { paymentStatus: last.paymentStatus, inquiry: last, cancelled: false };
  }

  let cancelled = false;
  try {
    await deps.cancel(signal);
    cancelled = true;
  } catch (err) {
    // The buyer may have paid just now (cancel refused): the inquiry below tells what happened.
    if (!(err instanceof AmsApiError)) throw err;
  }
  try {
    const final = await deps.inquire(signal);
    return { paymentStatus: final.paymentStatus, inquiry: final, cancelled };
  } catch (err) {
    // The cancel went through: the payment is CANCELLED even if confirming it failed just now.
    if (cancelled && isTransient(err)) return { paymentStatus: 'CANCELLED', inquiry: last, cancelled };
    throw err;
  }
}
