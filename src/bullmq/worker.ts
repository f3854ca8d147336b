// The inbox's processing side: a BullMQ Worker that routes each stored notification to the merchant's callback, with retries.
import type { Job, Worker } from 'bullmq';
import type { Logger } from '../clock';
import { AmsConfigError } from '../errors';
import { unknownNamesMessage } from '../internal/suggest';
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

const KNOWN_CALLBACKS = new Set(['onPayment', 'onRefund', 'onCapture', 'onDispute', 'onOther']);
const KNOWN_OPTIONS = new Set([
  'concurrency',
  'attempts',
  'backoff',
  'maxBackoffMs',
  'onDeadLetter',
  'lockDurationMs',
  'stalledIntervalMs',
  'maxStalledCount',
  'jobTimeoutMs',
]);

function config(message: string, field: string): never {
  throw new AmsConfigError(`inbox.process: ${message}`, { field });
}

function wholeNumber(name: string, value: unknown, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    config(`${name} must be a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? '' : ` to ${max}`}`, name);
  }
  return value;
}

/** The first backoff delay from `backoff`: a number of ms, or `{ type: 'exponential', delay }`. */
function backoffDelayOption(backoff: unknown): number {
  if (backoff !== null && typeof backoff === 'object') {
    const { type, delay } = backoff as { type?: unknown; delay?: unknown };
    if (type !== 'exponential') config(`backoff.type must be "exponential" (got ${JSON.stringify(type) ?? 'nothing'})`, 'backoff');
    return wholeNumber('backoff.delay', delay, 1000, 0);
  }
  return wholeNumber('backoff', backoff, 1000, 0);
}

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

export function resolveProcessOptions(callbacks: InboxCallbacks, options: InboxProcessOptions = {}): ResolvedProcess {
  if (callbacks === null || typeof callbacks !== 'object')
    config('callbacks are required: { onPayment, onRefund?, onCapture?, onDispute?, onOther? }', 'callbacks');
  const unknownCallback = Object.keys(callbacks).find((k) => !KNOWN_CALLBACKS.has(k));
  if (unknownCallback)
    config(`unknown callback "${unknownCallback}" (known: onPayment, onRefund, onCapture, onDispute, onOther)`, unknownCallback);
  if (typeof callbacks.onPayment !== 'function')
    config('onPayment is required: a function that handles a payment notification', 'onPayment');
  for (const name of ['onRefund', 'onCapture', 'onDispute', 'onOther'] as const) {
    if (callbacks[name] !== undefined && typeof callbacks[name] !== 'function') config(`${name} must be a function`, name);
  }
  if (options === null || typeof options !== 'object') config('options must be an object', 'options');
  const unknown = Object.keys(options).find((k) => !KNOWN_OPTIONS.has(k));
  if (unknown) config(unknownNamesMessage('option', [unknown], [...KNOWN_OPTIONS]), unknown);
  if (options.onDeadLetter !== undefined && typeof options.onDeadLetter !== 'function')
    config('onDeadLetter must be a function', 'onDeadLetter');
  const lockDurationMs = wholeNumber('lockDurationMs', options.lockDurationMs, 30_000, 100);
  return {
    callbacks,
    concurrency: wholeNumber('concurrency', options.concurrency, 1, 1),
    attempts: wholeNumber('attempts', options.attempts, 5, 1, JOB_ATTEMPTS_CEILING),
    backoffMs: backoffDelayOption(options.backoff),
    maxBackoffMs: wholeNumber('maxBackoffMs', options.maxBackoffMs, 3_600_000, 0),
    onDeadLetter: options.onDeadLetter,
    lockDurationMs,
    stalledIntervalMs: wholeNumber('stalledIntervalMs', options.stalledIntervalMs, 30_000, 100),
    maxStalledCount: wholeNumber('maxStalledCount', options.maxStalledCount, 1, 0),
    jobTimeoutMs: wholeNumber('jobTimeoutMs', options.jobTimeoutMs, 30_000, 1),
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
