// `ams-cashier inbox stats`: the counts of a notification inbox queue (ams-cashier/bullmq) on a Redis server.
import type { Redis } from 'ioredis';
import { defaultQueueName, queueNameProblem, readInboxStatsAt } from '../bullmq/inbox';
import { notifyPathProblem } from '../options';
import { loadIORedis } from '../bullmq/load';
import { AmsError } from '../errors';
import type { InboxStats } from '../bullmq/stats';
import { closestName } from '../internal/suggest';
import { printable } from '../rules/show';
import { parseCommandArgs, requireOpts, stringOpt } from './args';
import { envelope } from './envelope';
import { CliFailure, CliUsageError, EXIT, type CliIo, type ExitCode } from './io';

export const INBOX_HELP = `Usage: ams-cashier inbox stats --redis redis://HOST:PORT (--client-id ID [--path PATH] | --queue NAME) [--prefix PREFIX] [--json]

  stats   how many notifications wait, run, completed and failed in the inbox queue, and how long the
          oldest waiting one has waited. Needs bullmq and ioredis installed (npm install bullmq ioredis).
          --redis      the Redis the receivers and workers use (redis:// or rediss://; a password in it is never printed)
          --client-id  the inbox's client id: reads its default queue, ams-notifications-<client id>
                       (several, comma-separated, for an inbox given a list of client ids)
          --path       the inbox's path option, if you gave one (its default queue carries it)
          --queue      the queueName given to createNotificationInbox, if you gave one (instead of --client-id)
          --prefix     the BullMQ prefix, if you set one
          --timeout    give up after this many milliseconds (default 5000)

          --json       { ok, command, queue, queued, waiting, delayed, active, completed, failed,
                       oldestWaitingAgeMs, error? } (docs/cli-output.schema.json), on every outcome

Exit codes: 0 printed, 1 no such queue (nothing in Redis under its name) or Redis could not be read (the
            cause is named: refused, no such host, no answer, credentials), 2 unusable input.

Example:
  ams-cashier inbox stats --redis redis://127.0.0.1:6379 --client-id SANDBOX_5Y0…
`;

/** The URL without its password, for messages: the user part's and any query's (ioredis reads ?password= too). */
function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const name of [...u.searchParams.keys()]) if (/pass|secret|token|auth/i.test(name)) u.searchParams.set(name, '***');
    return u.toString().replace(/\/$/, '').replaceAll('%2A%2A%2A', '***');
  } catch {
    return '(unparsable URL)';
  }
}

function age(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

export function formatInboxStats(queue: string, where: string, s: InboxStats): string {
  return [
    `inbox queue "${queue}" at ${where}`,
    `  queued      ${s.queued} (waiting ${s.waiting}, delayed for retry ${s.delayed})`,
    `  active      ${s.active}`,
    `  completed   ${s.completed}`,
    `  failed      ${s.failed}${s.failed > 0 ? '  (given up: inspect and retry them in the failed set)' : ''}`,
    `  oldest waiting  ${s.waiting > 0 ? age(s.oldestWaitingAgeMs) : '-'}`,
  ].join('\n');
}

/** The queue to read: --queue as given, or the default queue of --client-id (the inbox's own default). */
function queueOf(queue: string | undefined, clientIds: string | undefined, path: string | undefined): string {
  if (queue !== undefined && clientIds !== undefined)
    throw new CliUsageError('give --queue or --client-id, not both (--client-id reads the default queue of that client id)', {
      command: 'inbox',
    });
  if (queue !== undefined) {
    const problem = queueNameProblem(queue);
    if (problem) throw new CliUsageError(`--queue ${problem}`, { command: 'inbox' });
    return queue;
  }
  const ids = (clientIds ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  if (ids.length === 0)
    throw new CliUsageError(
      "missing --client-id (or --queue): each inbox's default queue is named after its client id, ams-notifications-<client id>",
      { command: 'inbox' },
    );
  const pathProblem = path === undefined ? undefined : notifyPathProblem(path);
  if (pathProblem) throw new CliUsageError(`--path: ${pathProblem}`, { command: 'inbox' });
  return defaultQueueName(ids, path);
}

/** The Redis error behind a failed connect, in words, with what to do. ioredis itself only says "Connection is closed". */
export function redisFailure(where: string, err: unknown, timeoutMs: number): CliFailure {
  const e = err as { code?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : '';
  const text = typeof e?.message === 'string' ? e.message : String(err);
  const unreachable = (message: string, fix: string) =>
    new CliFailure(`${where}: ${message}`, { code: 'REDIS_UNREACHABLE', fix, cause: err });
  if (code === 'ECONNREFUSED')
    return unreachable('nothing listens there (connection refused)', 'Start Redis, or give --redis the URL the receivers and workers use.');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return unreachable(`the host name does not resolve (${code})`, 'Check the host in --redis.');
  if (code === 'ETIMEDOUT' || /ETIMEDOUT|timed? ?out|did not answer within/i.test(text))
    return unreachable(
      `no answer within ${timeoutMs} ms`,
      'Check the host and port, a firewall between here and Redis, and that Redis is up; --timeout gives it longer.',
    );
  if (code === 'ECONNRESET' || code === 'EPIPE')
    return unreachable(
      `the connection was closed at once (${code})`,
      'Is this a Redis port? For TLS use rediss://, for a plain port redis://.',
    );
  if (/WRONGPASS|NOAUTH|invalid password|AUTH/i.test(text))
    return new CliFailure(`${where}: Redis refused the credentials (${printable(text.split(' ')[0] ?? '', 20)})`, {
      code: 'REDIS_AUTH',
      fix: 'Give the password in the URL: redis://:PASSWORD@host:port, or redis://USER:PASSWORD@host:port with ACL users.',
      cause: err,
    });
  return new CliFailure(`${where}: ${printable(text, 200)}${code ? ` (${code})` : ''}`, {
    code: 'REDIS_ERROR',
    fix: 'Check the --redis URL and that the server is a Redis the inbox uses.',
    cause: err,
  });
}

/** One connection, tried once and never retried: the first error is the one reported. */
async function connectRedis(url: string, where: string, timeoutMs: number): Promise<Redis> {
  const { Redis: RedisClient } = loadIORedis();
  let first: Error | undefined;
  const redis = new RedisClient(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    // Once the answer is printed the process ends: ioredis's default keeps it up 2 s to close a socket politely.
    disconnectTimeout: 100,
  });
  redis.on('error', (err: Error) => {
    first ??= err;
  });
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (err) {
    redis.disconnect();
    throw redisFailure(where, first ?? err, timeoutMs);
  }
}

/** The keys BullMQ keeps for a queue that ever had a job or a worker: none of them means no such queue. */
const QUEUE_KEYS = [
  'meta',
  'id',
  'events',
  'wait',
  'paused',
  'active',
  'completed',
  'failed',
  'delayed',
  'prioritized',
  'stalled-check',
  'marker',
];

/** The queues Redis holds under the prefix (their names, at most 50, from a bounded SCAN), to point at the right one. */
async function queuesAt(redis: Redis, prefix: string): Promise<string[]> {
  const names = new Set<string>();
  let cursor = '0';
  for (let round = 0; round < 20 && names.size < 50; round++) {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*:meta`, 'COUNT', 1000);
    for (const key of keys) names.add(key.slice(prefix.length + 1, -':meta'.length));
    cursor = next;
    if (cursor === '0') break;
  }
  return [...names].sort();
}

async function requireQueue(redis: Redis, prefix: string, queue: string, where: string): Promise<void> {
  const found = await redis.exists(...QUEUE_KEYS.map((k) => `${prefix}:${queue}:${k}`));
  if (found > 0) return;
  const queues = await queuesAt(redis, prefix);
  const guess = closestName(queue, queues);
  throw new CliFailure(
    `no such queue "${queue}" at ${where}: Redis holds nothing under ${prefix}:${queue} (no inbox ever stored a notification there, and no worker ran on it)`,
    {
      code: 'NO_SUCH_QUEUE',
      fix: guess
        ? `Did you mean --queue ${guess}?`
        : `${queues.length > 0 ? `Queues under "${prefix}": ${queues.join(', ')}. ` : `No queue under "${prefix}" here. `}Give the inbox's --client-id (its queue is ams-notifications-<client id>) or the queueName it was given as --queue, its --prefix if it has one, and the Redis the receivers use.`,
    },
  );
}

export async function runInbox(argv: string[], io: CliIo): Promise<ExitCode> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h') {
    io.out(INBOX_HELP);
    return EXIT.OK;
  }
  if (sub !== 'stats')
    throw new CliUsageError(sub === undefined ? 'missing subcommand: stats' : `unknown subcommand "${sub}" (known: stats)`, {
      command: 'inbox',
    });
  const parsed = parseCommandArgs('inbox', rest, {
    redis: { type: 'string' },
    queue: { type: 'string' },
    'client-id': { type: 'string' },
    path: { type: 'string' },
    prefix: { type: 'string' },
    timeout: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (parsed.values.help) {
    io.out(INBOX_HELP);
    return EXIT.OK;
  }
  requireOpts('inbox', parsed, ['redis']);
  const url = stringOpt(parsed, 'redis')!;
  if (!/^rediss?:\/\/[^\s]+$/i.test(url)) throw new CliUsageError('--redis must be a redis:// or rediss:// URL', { command: 'inbox' });
  const queue = queueOf(stringOpt(parsed, 'queue'), stringOpt(parsed, 'client-id'), stringOpt(parsed, 'path'));
  const timeoutText = stringOpt(parsed, 'timeout');
  const timeoutMs = timeoutText === undefined ? 5000 : Number(timeoutText);
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0 || timeoutMs > 600_000)
    throw new CliUsageError('--timeout must be a whole number of milliseconds from 1 to 600000', { command: 'inbox' });
  const prefix = stringOpt(parsed, 'prefix');
  const where = shownUrl(url);
  const redis = await connectRedis(url, where, timeoutMs);
  let stats: InboxStats;
  try {
    await requireQueue(redis, prefix ?? 'bull', queue, where);
    stats = await readInboxStatsAt({
      connection: redis,
      queueName: queue,
      ...(prefix !== undefined ? { prefix } : {}),
      timeoutMs,
      clock: io.clock,
    });
  } catch (err) {
    if (err instanceof AmsError) throw err;
    throw redisFailure(where, err, timeoutMs);
  } finally {
    redis.disconnect();
  }
  io.out(parsed.values.json ? envelope('inbox stats', true, { queue, ...stats }) : formatInboxStats(queue, where, stats));
  return EXIT.OK;
}
