// The inbox's processing side: a BullMQ Worker that routes each stored notification to the merchant's callback, with retries.
import type { Job, Worker } from 'bullmq';
import { z } from 'zod';
import type { Logger } from '../clock';
import { functionOption, parseOptions } from '../options';
import {
  notificationLabel,
  type AmsNotification,
  type CaptureNotification,
  type DisputeNotification,
  type OtherNotification,
  type PaymentNotification,
  type RefundNotification,
} from '../notifications/schemas';
import { backoffDelay, inboxJobId, routesFor, type InboxJobData, type InboxRoute } from './job';
import type { loadBullMQ } from './load';
import { InboxJobRefused, verifyJob, type JobVerification, type VerifiedJob } from './reverify';
import { lazy } from '../internal/lazy';

/** What a callback learns besides the notification. */
export interface InboxJobContext {
  /** The dedupe key (`notifyType:paymentId`, …): use it as the idempotency key of your own writes. */
  key: string;
  /** The BullMQ job id (the key, URI-encoded). */
  jobId: string;
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number;
  /** The body exactly as received, and the signed headers: enough to verify the notification again. */
  rawBody: Buffer;
  headers: Readonly<Record<string, string>>;
  /** The notify path the signature was verified against. */
  path: string;
  /** When the handler stored it (epoch milliseconds). */
  receivedAt: number;
  /** Aborted when the attempt runs out of time (`jobTimeoutMs`): stop the work, the attempt already counts as failed. */
  signal: AbortSignal;
}

/** A callback may return anything; a throw or rejection means "failed, retry later". */
export type InboxCallback<N> = (notification: N, context: InboxJobContext) => unknown;

/** The callbacks of inbox.process(); the first one given for a notification's kind runs. */
export interface InboxCallbacks {
  /** Required: PAYMENT_RESULT and PAYMENT_PENDING. */
  onPayment: InboxCallback<PaymentNotification>;
  /** REFUND_RESULT; without it, onOther. */
  onRefund?: InboxCallback<RefundNotification>;
  /** CAPTURE_RESULT; without it, onOther. */
  onCapture?: InboxCallback<CaptureNotification>;
  /** Dispute notifications (`kind: 'dispute'`, no notifyType); without it, onOther. */
  onDispute?: InboxCallback<DisputeNotification>;
  /** Any other notifyType (and refunds, captures and disputes without their own callback). */
  onOther?: InboxCallback<OtherNotification | RefundNotification | CaptureNotification | DisputeNotification>;
}

/** What onDeadLetter receives: a job that will not be tried again and now sits in the queue's failed set. */
export interface InboxDeadLetter {
  notification: AmsNotification;
  context: InboxJobContext;
  /** The last error. */
  error: unknown;
}

export interface InboxProcessOptions {
  /** Jobs run at the same time in this worker. Default 1. */
  concurrency?: number;
  /** Runs per notification before it is given up (the failed set and onDeadLetter). Default 5; at most 100. */
  attempts?: number;
  /**
   * Exponential backoff between runs: the first delay in ms, then ×2 each time. Default 1000. A number, or BullMQ's
   * own shape `{ type: 'exponential', delay }`.
   */
  backoff?: number | { type: 'exponential'; delay: number };
  /** The longest wait between two runs. Default 1 hour. */
  maxBackoffMs?: number;
  /** Called once for a notification whose last attempt failed. Its own errors are logged, not retried. */
  onDeadLetter?: (dead: InboxDeadLetter) => unknown;
  /**
   * A worker's lock on a running job lasts this long and is renewed at half of it while the process is alive; a job
   * whose worker died (SIGKILL, crash, lost host) is moved back to waiting once the lock has lapsed. Default 30 000.
   */
  lockDurationMs?: number;
  /** How often this worker looks for jobs whose worker died. Default 30 000. */
  stalledIntervalMs?: number;
  /** How often one job may be recovered from a dead worker before it is failed (a job that kills its worker). Default 1. */
  maxStalledCount?: number;
  /**
   * How long one run of a callback (and of onDeadLetter) may take. Past it the attempt fails with a timeout error and
   * is retried with the backoff, `context.signal` is aborted, and the worker goes on with other jobs: a callback that
   * never settles cannot hold a concurrency slot. Default 30 000.
   */
  jobTimeoutMs?: number;
}

/** A running worker; close() lets its current jobs finish, then stops. */
export interface InboxWorker {
  /** The BullMQ worker, for its events (`completed`, `failed`, …) and metrics. */
  readonly worker: Worker<InboxJobData>;
  close(): Promise<void>;
}

/** The attempt ceiling stored on every job: the worker's `attempts` decides, by failing the job for good itself. */
export const JOB_ATTEMPTS_CEILING = 100;
/** The backoff type stored on every job; the worker computes its delay (`backoffMs`, `maxBackoffMs`). */
export const INBOX_BACKOFF_TYPE = 'ams-inbox';

/** A whole number from `min` (to `max`), one message for every way to miss it. */
function whole(min: number, max?: number): z.ZodNumber {
  const message = `must be a whole number from ${min}${max === undefined ? '' : ` to ${max}`}`;
  const n = z.number({ error: message }).int(message).min(min, message);
  return max === undefined ? n : n.max(max, message);
}

const schemas = lazy(function buildSchemas() {
  const callbacks = z
    .object({
      onPayment: functionOption<InboxCallbacks['onPayment']>('handles a payment notification'),
      onRefund: functionOption<NonNullable<InboxCallbacks['onRefund']>>('handles a refund notification').optional(),
      onCapture: functionOption<NonNullable<InboxCallbacks['onCapture']>>('handles a capture notification').optional(),
      onDispute: functionOption<NonNullable<InboxCallbacks['onDispute']>>('handles a dispute notification').optional(),
      onOther: functionOption<NonNullable<InboxCallbacks['onOther']>>('handles any other notification').optional(),
    })
    .strict();
  const options = z
    .object({
      concurrency: whole(1).optional(),
      attempts: whole(1, JOB_ATTEMPTS_CEILING).optional(),
      backoff: z
        .union([whole(0), z.object({ type: z.literal('exponential'), delay: whole(0).optional() }).strict()], {
          error: "must be the first delay in ms (a whole number from 0), or { type: 'exponential', delay }",
        })
        .optional(),
      maxBackoffMs: whole(0).optional(),
      onDeadLetter: functionOption<NonNullable<InboxProcessOptions['onDeadLetter']>>('receives a job that failed for good').optional(),
      lockDurationMs: whole(100).optional(),
      stalledIntervalMs: whole(100).optional(),
      maxStalledCount: whole(0).optional(),
      jobTimeoutMs: whole(1).optional(),
    })
    .strict();
  return { callbacks, options };
});

interface ResolvedProcess {
  callbacks: InboxCallbacks;
  concurrency: number;
  attempts: number;
  backoffMs: number;
  maxBackoffMs: number;
  onDeadLetter: ((dead: InboxDeadLetter) => unknown) | undefined;
  lockDurationMs: number;
  stalledIntervalMs: number;
  maxStalledCount: number;
  jobTimeoutMs: number;
}

/** inbox.process()'s callbacks and options, checked (parseOptions) before any worker starts. */
export function resolveProcessOptions(callbacks: InboxCallbacks, options: InboxProcessOptions = {}): ResolvedProcess {
  const c = parseOptions(schemas().callbacks, callbacks, 'inbox.process callbacks');
  const o = parseOptions(schemas().options, options, 'inbox.process');
  const backoff = o.backoff;
  return {
    callbacks: c,
    concurrency: o.concurrency ?? 1,
    attempts: o.attempts ?? 5,
    backoffMs: (typeof backoff === 'object' ? backoff.delay : backoff) ?? 1000,
    maxBackoffMs: o.maxBackoffMs ?? 3_600_000,
    onDeadLetter: o.onDeadLetter,
    lockDurationMs: o.lockDurationMs ?? 30_000,
    stalledIntervalMs: o.stalledIntervalMs ?? 30_000,
    maxStalledCount: o.maxStalledCount ?? 1,
    jobTimeoutMs: o.jobTimeoutMs ?? 30_000,
  };
}

function contextOfJob(job: Job<InboxJobData>, rawBody: Buffer, signal: AbortSignal): InboxJobContext {
  const d = job.data;
  return {
    key: d.key,
    jobId: job.id ?? '',
    attempt: job.attemptsMade + 1,
    rawBody,
    headers: d.headers,
    path: d.path,
    receivedAt: d.receivedAt,
    signal,
  };
}

/** The error of an attempt that ran out of time. */
export class InboxJobTimeout extends Error {
  override readonly name = 'InboxJobTimeout';
}

/** Runs `work`, failing past `ms` (aborting `controller` with the same error); the work itself cannot be stopped. */
async function within(work: () => unknown, ms: number, controller: AbortController, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new InboxJobTimeout(`${what} did not settle within ${ms} ms (jobTimeoutMs); the attempt counts as failed`);
      controller.abort(error);
      reject(error);
    }, ms);
  });
  try {
    await Promise.race([Promise.resolve().then(work), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function callbackFor(
  callbacks: InboxCallbacks,
  notification: AmsNotification,
): { route: InboxRoute; run: InboxCallback<AmsNotification> } | undefined {
  const tried = routesFor(notification);
  for (const route of tried) {
    const run = callbacks[route] as InboxCallback<AmsNotification> | undefined;
    if (run) return { route, run };
  }
  return undefined;
}

export interface WorkerDeps {
  bullmq: ReturnType<typeof loadBullMQ>;
  /** Every job is verified again with these before any callback. */
  verification: JobVerification;
  queueName: string;
  prefix: string | undefined;
  connection: import('bullmq').ConnectionOptions;
  logger: Logger;
}

/** Starts one BullMQ worker on the inbox queue. */
export function startInboxWorker(deps: WorkerDeps, r: ResolvedProcess): InboxWorker {
  const { UnrecoverableError, Worker: BullWorker } = deps.bullmq;
  const log = deps.logger;

  async function run(job: Job<InboxJobData>): Promise<void> {
    let verified: VerifiedJob;
    try {
      verified = await verifyJob(job, deps.verification);
    } catch (error) {
      // Redis is not a trusted sender: a job added by hand, edited, or stored by an inbox for other client ids cannot
      // get better by retrying, and must never reach a callback (onDeadLetter neither: its notification is not one).
      const why = error instanceof InboxJobRefused ? error.message : `inbox job ${job.id}: ${(error as Error).message}`;
      log.error?.('ams: inbox job refused: not a notification Alipay signed for this inbox; failed for good, no callback ran', {
        jobId: job.id,
        key: typeof job.data?.key === 'string' ? job.data.key.slice(0, 200) : undefined,
        error: why,
      });
      throw new UnrecoverableError(why);
    }
    const { notification, rawBody } = verified;
    const data = job.data;
    if (await handledUnderTwin(job, verified)) {
      log.info?.('ams: inbox job skipped: the same notification is stored under its other key and runs (or ran) there', {
        jobId: job.id,
        key: verified.key,
      });
      return;
    }
    const controller = new AbortController();
    const context = { ...contextOfJob(job, rawBody, controller.signal), key: verified.key };
    const target = callbackFor(r.callbacks, notification);
    // No callback for this kind is this worker's configuration: retrying here cannot help, so it fails at once
    // (retry it from the failed set once a worker has the callback).
    const final = context.attempt >= r.attempts || !target;
    try {
      if (!target)
        throw new Error(
          `no callback for ${notificationLabel(notification)}: give ${routesFor(notification).join(' or ')} to inbox.process()`,
        );
      await within(() => target.run(notification, context), r.jobTimeoutMs, controller, `the ${target.route} callback`);
    } catch (error) {
      const meta = {
        key: data.key,
        notifyType: notificationLabel(notification),
        attempt: context.attempt,
        attempts: r.attempts,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      };
      if (!final) {
        log.warn?.('ams: inbox callback failed; it will be retried', meta);
        throw error;
      }
      log.error?.('ams: inbox callback failed on its last attempt; the job stays in the failed set', meta);
      const onDeadLetter = r.onDeadLetter;
      if (onDeadLetter) {
        try {
          await within(() => onDeadLetter({ notification, context, error }), r.jobTimeoutMs, new AbortController(), 'onDeadLetter');
        } catch (hookError) {
          log.error?.('ams: inbox onDeadLetter threw', {
            key: data.key,
            error: hookError instanceof Error ? hookError.message : String(hookError),
          });
        }
      }
      // Failed for good here, whatever attempts BullMQ has left on the job.
      throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
    }
  }

  /**
   * One notification stored under two keys (its current one, and the one a receiver of an earlier version gave it)
   * runs once: a job under a former key defers to a job under the current key, whatever its state but failed; a job
   * under the current key defers to a former-key job only once that one completed (so one of them always runs).
   */
  async function handledUnderTwin(job: Job<InboxJobData>, v: VerifiedJob): Promise<boolean> {
    for (const twin of v.twins) {
      const other = await deps.bullmq.Job.fromId<InboxJobData>(worker, inboxJobId(twin));
      if (!other) continue;
      const state = await other.getState();
      if (v.stale ? state !== 'failed' && state !== 'unknown' : state === 'completed') return true;
    }
    return false;
  }

  const worker = new BullWorker<InboxJobData>(deps.queueName, run, {
    connection: deps.connection,
    ...(deps.prefix !== undefined ? { prefix: deps.prefix } : {}),
    concurrency: r.concurrency,
    lockDuration: r.lockDurationMs,
    stalledInterval: r.stalledIntervalMs,
    maxStalledCount: r.maxStalledCount,
    settings: { backoffStrategy: (attemptsMade: number) => backoffDelay(attemptsMade, r.backoffMs, r.maxBackoffMs) },
  });
  // Without a listener an 'error' event (Redis went away) would end the process; BullMQ reconnects by itself.
  worker.on('error', (err) => log.warn?.('ams: inbox worker: Redis error; BullMQ keeps reconnecting', { error: err.message }));
  return { worker, close: () => worker.close() };
}
