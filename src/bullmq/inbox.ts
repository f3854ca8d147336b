// createNotificationInbox: verify and store each notification as a BullMQ job, acknowledge once Redis has it durably, process it later.
import type { ConnectionOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../clock';
import type { Clock } from '../clock';
import { AmsConfigError } from '../errors';
import type { FetchNotificationHandler } from '../notifications/fetch-handler';
import { handlerOwnFields } from '../notifications/handler-options';
import type { NodeNotificationHandler } from '../notifications/node-handler';
import { partyOf, type NotificationClient } from '../notifications/party';
import { withTimeout, type NotificationHandlerOptions } from '../notifications/processor';
import { notificationLabel } from '../notifications/schemas';
import { resolveVerifier, verifierOptionFields } from '../notifications/verify';
import { OPTION, optionError, parseOptions, required } from '../options';
import { createDurabilityGate, DURABILITIES, type InboxDurability, type RedisCaller } from './durability';
import { inboxJobId, type InboxJobData } from './job';
import { loadBullMQ, loadIORedis } from './load';
import { createReceiver } from './receive';
import { readInboxStats, type InboxStats } from './stats';
import {
  INBOX_BACKOFF_TYPE,
  JOB_ATTEMPTS_CEILING,
  resolveProcessOptions,
  startInboxWorker,
  type InboxCallbacks,
  type InboxProcessOptions,
  type InboxWorker,
} from './worker';
import { lazy } from '../internal/lazy';

/** Where the queue lives: a `redis://` / `rediss://` URL, ioredis options, or an ioredis client (which you own). */
export type InboxConnection = string | ConnectionOptions;

/** The inbox's own options; the rest are the notification handler's (verification, path, limits, signAck, logger). */
export interface NotificationInboxOwnOptions {
  connection: InboxConnection;
  /**
   * The BullMQ queue name. Default `ams-notifications-<clientId>` (several client ids: sorted, joined with `+`; see
   * defaultQueueName), so inboxes for different merchants never share a queue. Receivers and workers must use the
   * same one.
   */
  queueName?: string;
  /**
   * What Redis must do before a notification is acknowledged. `'aof'` (default): Redis's append-only file must be on
   * (read with CONFIG GET, or INFO persistence where CONFIG is refused); without it every delivery is answered 503
   * and an error names the fix. Where Redis has WAITAOF (7.2+), each job is also confirmed written to the AOF before
   * the acknowledgement. `'best-effort'`: acknowledge once Redis holds the job, whatever its persistence.
   */
  durability?: InboxDurability;
  /** BullMQ's key prefix (default BullMQ's own, `bull`). */
  prefix?: string;
  /**
   * How long a handler waits for Redis to confirm a job before answering 503 (not acknowledged, so Alipay sends the
   * notification again; a job that lands later is not duplicated, its id is the notification's). Default 3000.
   */
  enqueueTimeoutMs?: number;
  /**
   * How long a completed job is kept. While it is kept, a redelivery of the same notification is recognised and
   * acknowledged without a second job; keep it beyond Alipay's 24-hour retry window. Default 48 hours.
   */
  keepCompletedMs?: number;
}

type CallbackOptionNames = 'onPayment' | 'onRefund' | 'onCapture' | 'onDispute' | 'onOther' | 'dedupe';
type HandlerPart = NotificationHandlerOptions extends infer T ? (T extends unknown ? Omit<T, CallbackOptionNames> : never) : never;
type ClientIdOption = NonNullable<NotificationHandlerOptions['clientId']>;

/**
 * Options of createNotificationInbox: the connection, and the handler's verification options. The client id the
 * notifications must carry is required: give `clientId`, or `client` (whose id is used).
 */
export type NotificationInboxOptions = NotificationInboxOwnOptions &
  HandlerPart &
  ({ client: NotificationClient } | { clientId: ClientIdOption });

export interface NotificationInbox {
  /** A Node `(req, res)` listener (Express too): verify, store, acknowledge. Status codes as the notification handler, plus 503 when Redis did not confirm. */
  readonly nodeHandler: NodeNotificationHandler;
  /** The same as `(request: Request) => Promise<Response>` (Next.js, Hono, Bun, Deno). */
  readonly fetchHandler: FetchNotificationHandler;
  /** Starts a worker in this process that runs the callbacks; call it in as many processes as you like. */
  process(callbacks: InboxCallbacks, options?: InboxProcessOptions): InboxWorker;
  /** Counts and the age of the oldest waiting job. */
  stats(): Promise<InboxStats>;
  /** Stops the workers started here (letting running jobs finish) and closes the inbox's Redis connections. */
  close(): Promise<void>;
}

/** The start of every default queue name; the client id(s) follow (defaultQueueName). */
export const DEFAULT_QUEUE_NAME = 'ams-notifications';

/** A client id as part of a Redis key: letters, digits, `_`, `.` and `-` as they are, every other byte as %XX. */
function keySafe(id: string): string {
  return Array.from(Buffer.from(id, 'utf8'), (b) =>
    /[A-Za-z0-9_.-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
  ).join('');
}

/**
 * The queue an inbox uses when no queueName is given: `ams-notifications-<clientId>`, the id made safe for a Redis
 * key (no `:`; characters other than letters, digits, `_`, `.`, `-` as %XX). With several client ids, one queue for
 * the set: the ids sorted, without repeats, joined with `+` (an inbox for `[A, B]` and one for `[A]` are two inboxes).
 * An inbox given a `path` has a queue of its own (`…@<path>`): two inboxes of one merchant on two notify URLs
 * (payments and refunds) would otherwise take each other's jobs and fail them against the wrong path.
 */
export function defaultQueueName(clientId: string | readonly string[], path?: string): string {
  const ids = [...new Set(typeof clientId === 'string' ? [clientId] : clientId)].sort();
  if (ids.length === 0 || ids.some((id) => typeof id !== 'string' || id === ''))
    config('defaultQueueName needs the client id (or ids) the inbox takes notifications for', 'clientId');
  return `${DEFAULT_QUEUE_NAME}-${ids.map(keySafe).join('+')}${path === undefined ? '' : `@${keySafe(path)}`}`;
}

const OWN_OPTIONS = new Set(['connection', 'queueName', 'prefix', 'enqueueTimeoutMs', 'keepCompletedMs', 'durability']);
const PROCESS_ONLY = new Set(['onPayment', 'onRefund', 'onOther', 'onCapture', 'onDispute', 'dedupe']);
const OWNER = 'createNotificationInbox';

function config(message: string, field: string): never {
  throw new AmsConfigError(`createNotificationInbox: ${message}`, { field });
}

function isClientInstance(connection: object): boolean {
  return typeof (connection as { duplicate?: unknown }).duplicate === 'function';
}

const CONNECTION = 'a redis:// or rediss:// URL, ioredis options or an ioredis client';

function isConnection(value: unknown): boolean {
  return typeof value === 'string' ? /^rediss?:\/\//i.test(value) : typeof value === 'object' && value !== null;
}

/** The connection as BullMQ takes it (a checked `connection` option). */
function bullConnection(connection: InboxConnection): ConnectionOptions {
  return typeof connection === 'string' ? { url: connection } : connection;
}

/** Where an inbox's queue is: the fields createNotificationInbox and readInboxStatsAt share. */
const QUEUE_NAME = 'must be a non-empty string without ":" (it separates the parts of BullMQ\'s keys)';

/** What is wrong with a queue name, if anything (the CLI asks before it connects). */
export function queueNameProblem(name: string): string | undefined {
  return name === '' || name.includes(':') ? QUEUE_NAME : undefined;
}

const where = lazy(function buildWhereFields() {
  return {
    connection: required(CONNECTION, z.custom<InboxConnection>(isConnection, { error: `must be ${CONNECTION}` })),
    queueName: z
      .string({ error: QUEUE_NAME })
      .refine((name) => queueNameProblem(name) === undefined, QUEUE_NAME)
      .optional(),
    prefix: z.string({ error: 'must be a non-empty string' }).min(1, 'must be a non-empty string').optional(),
  };
});

const inboxSchema = lazy(function buildInboxSchema() {
  // The callbacks and dedupe belong to process() (refused before this schema, with where they go).
  const { onPayment: _p, onRefund: _r, onCapture: _c, onDispute: _d, onOther: _o, dedupe: _x, ...handler } = handlerOwnFields();
  return z
    .object({
      ...verifierOptionFields(),
      ...handler,
      ...where(),
      durability: z.enum(DURABILITIES, { error: "must be 'aof' (the default) or 'best-effort'" }).optional(),
      enqueueTimeoutMs: OPTION.timeoutMs.optional(),
      keepCompletedMs: OPTION.ttlMs.optional(),
    })
    .strict();
});

const statsSchema = lazy(function buildStatsSchema() {
  return z
    .object({
      ...where(),
      clientId: OPTION.clientIds.optional(),
      path: OPTION.notifyPath.optional(),
      clock: OPTION.clock.optional(),
      timeoutMs: OPTION.timeoutMs.optional(),
    })
    .strict();
});

/**
 * For the handlers' queue: a Redis that is down fails the add at once (503) instead of queueing it in memory.
 * A client you pass is used as it is (create it with `enableOfflineQueue: false` for the same effect).
 */
function producerConnection(connection: ConnectionOptions): ConnectionOptions {
  if (isClientInstance(connection)) return connection;
  return { enableOfflineQueue: false, ...(connection as Record<string, unknown>) };
}

/**
 * A connection of the inbox's own for the durability checks and WAITAOF (which blocks the connection it runs on):
 * from the URL or options, or a duplicate of the client you passed. It fails fast while Redis is down.
 */
async function ownConnection(connection: ConnectionOptions, logger: Logger): Promise<Redis> {
  const { Redis: IORedis } = loadIORedis();
  const fast = { enableOfflineQueue: false, lazyConnect: true, maxRetriesPerRequest: 1 };
  let redis: Redis;
  if (isClientInstance(connection)) {
    redis = (connection as unknown as Redis).duplicate(fast);
  } else {
    const { url, ...rest } = connection as Record<string, unknown> & { url?: string };
    redis = typeof url === 'string' ? new IORedis(url, { ...rest, ...fast }) : new IORedis({ ...rest, ...fast });
  }
  redis.on('error', (err: Error) => logger.warn?.('ams: inbox durability connection: Redis error', { error: err.message }));
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  return redis;
}

const consoleLogger: Logger = {
  warn: (message, meta) => console.warn(message, meta ?? {}),
  error: (message, meta) => console.error(message, meta ?? {}),
};

/** A BullMQ queue's emitted errors are logged (an unheard 'error' event would end the process). */
function openQueue(name: string, connection: ConnectionOptions, prefix: string | undefined, logger: Logger): Queue<InboxJobData> {
  const { Queue: BullQueue } = loadBullMQ();
  const queue = new BullQueue<InboxJobData>(name, { connection, ...(prefix !== undefined ? { prefix } : {}) });
  queue.on('error', (err: Error) => logger.warn?.('ams: inbox queue: Redis error', { error: err.message }));
  return queue;
}

/**
 * A durable notification inbox on BullMQ. Its handlers verify each notification exactly as createNotificationHandler
 * does, store it as one job whose id is the notification's dedupe key, and acknowledge only after Redis confirmed the
 * write and, by default, that Redis keeps it (`durability`: an append-only file, and WAITAOF where Redis has it).
 * Redis down, without AOF, or slower than enqueueTimeoutMs → 503, not acknowledged, so Alipay sends it again. Workers
 * started with `process()` verify each job again, then run your callbacks with a per-attempt timeout, retries and
 * exponential backoff; a job whose worker died is picked up again.
 *
 * ```ts
 * const inbox = createNotificationInbox({ connection: 'redis://127.0.0.1:6379', client, path: '/alipay/notify' });
 * http.createServer(inbox.nodeHandler).listen(8080);          // receiver process
 * inbox.process({ onPayment: async (n, { key }) => fulfil(n, key) }, { concurrency: 10 }); // worker process
 * ```
 */
export function createNotificationInbox(options: NotificationInboxOptions): NotificationInbox {
  // A callback here is a misunderstanding worth more than "unknown option": say where it goes.
  const misplaced = options !== null && typeof options === 'object' ? Object.keys(options).find((k) => PROCESS_ONLY.has(k)) : undefined;
  if (misplaced) {
    throw optionError(
      OWNER,
      misplaced,
      misplaced === 'dedupe'
        ? 'is not an option of the inbox: the job id (the notification key) already makes duplicates one job'
        : `belongs to inbox.process({ ${misplaced} }), which runs in the worker processes`,
    );
  }
  const given = parseOptions(inboxSchema(), options, OWNER);
  const client = given.client;
  if (given.clientId === undefined && client === undefined) {
    throw optionError(OWNER, 'clientId', 'is required: the client id your notifications must be for (or give client, whose id is used)');
  }
  const connection = bullConnection(given.connection);
  const prefix = given.prefix;
  const durability = given.durability ?? 'aof';
  const enqueueTimeoutMs = given.enqueueTimeoutMs ?? 3000;
  const keepCompletedMs = given.keepCompletedMs ?? 48 * 3600_000;
  const handlerOptions: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(given)) if (!OWN_OPTIONS.has(k)) handlerOptions[k] = v;
  const party = client !== undefined ? partyOf(client) : undefined;
  if (handlerOptions.clientId === undefined && party) handlerOptions.clientId = party.clientId;
  const logger = given.logger ?? party?.logger ?? consoleLogger;
  const clock = given.clock ?? party?.clock;
  // The receiver's verifier, resolved once more for the workers: they verify every job again before any callback.
  const verifier = resolveVerifier(given, OWNER);
  const queueName = given.queueName ?? defaultQueueName(verifier.clientIds, given.path);
  const now = (): number => (clock ? clock.now().getTime() : Date.now());

  loadBullMQ();
  let queue: Queue<InboxJobData> | undefined;
  const producer = (): Queue<InboxJobData> => (queue ??= openQueue(queueName, producerConnection(connection), prefix, logger));
  const jobOptions = (key: string) => ({
    jobId: inboxJobId(key),
    attempts: JOB_ATTEMPTS_CEILING,
    backoff: { type: INBOX_BACKOFF_TYPE },
    removeOnComplete: { age: Math.ceil(keepCompletedMs / 1000) },
    removeOnFail: false,
  });

  let own: Promise<Redis> | undefined;
  const ownRedis = async (): Promise<RedisCaller> => {
    own ??= ownConnection(connection, logger);
    try {
      return await own;
    } catch (err) {
      own = undefined;
      throw err;
    }
  };
  const gate = createDurabilityGate({
    durability,
    connect: ownRedis,
    barrierKey: `${prefix ?? 'bull'}:${queueName}:ams-aof-barrier`,
    waitTimeoutMs: enqueueTimeoutMs,
    logger,
    now,
  });

  const receiver = createReceiver({
    handler: handlerOptions,
    // Refused before the write when Redis would not keep it; acknowledged only once the AOF has it, where Redis can say.
    add: async (data) => {
      await gate.ready();
      await producer().add(notificationLabel(data.notification), data, jobOptions(data.key));
      await gate.confirm();
    },
    enqueueTimeoutMs,
    clock,
    logger,
  });

  const workers = new Set<InboxWorker>();
  let closed = false;

  return {
    nodeHandler: receiver.nodeHandler,
    fetchHandler: receiver.fetchHandler,
    process(callbacks, processOptions) {
      if (closed) config('the inbox is closed', 'process');
      const resolved = resolveProcessOptions(callbacks, processOptions);
      const started = startInboxWorker(
        { bullmq: loadBullMQ(), verification: { verifier, path: given.path }, queueName, prefix, connection, logger },
        resolved,
      );
      const handle: InboxWorker = {
        worker: started.worker,
        close: async () => {
          workers.delete(handle);
          await started.close();
        },
      };
      workers.add(handle);
      return handle;
    },
    stats: () => readInboxStats(producer(), clock),
    async close() {
      closed = true;
      await Promise.all([...workers].map((w) => w.close()));
      await queue?.close();
      const mine = await own?.catch(() => undefined);
      mine?.disconnect();
    },
  };
}

/** Reads the stats of an inbox queue without handlers or keys (the CLI's `inbox stats`); rejects past timeoutMs. */
export async function readInboxStatsAt(options: {
  connection: InboxConnection;
  /** The queue; without it, the default queue of `clientId`. One of them is required. */
  queueName?: string;
  clientId?: string | readonly string[];
  /** The inbox's `path` option, when it was given one (its default queue name carries it). */
  path?: string;
  prefix?: string;
  /** The clock the oldest job's age is measured with; default the system clock. */
  clock?: Clock;
  /** Default 5000: an unreachable Redis is reported instead of waited for. */
  timeoutMs?: number;
}): Promise<InboxStats> {
  const o = parseOptions(statsSchema(), options, 'readInboxStatsAt');
  const timeoutMs = o.timeoutMs ?? 5000;
  if (o.queueName === undefined && o.clientId === undefined) {
    throw optionError(
      'readInboxStatsAt',
      'queueName',
      'give queueName, or clientId to read the default queue of that client id (ams-notifications-<clientId>)',
    );
  }
  const queueName = o.queueName ?? defaultQueueName(o.clientId!, o.path);
  const queue = openQueue(queueName, producerConnection(bullConnection(o.connection)), o.prefix, {});
  try {
    return await withTimeout(readInboxStats(queue, o.clock), timeoutMs);
  } finally {
    await queue.close().catch(() => undefined);
  }
}
