// `ams-cashier inbox stats`: the counts of a notification inbox queue (ams-cashier/bullmq) on a Redis server.
import { defaultQueueName, readInboxStatsAt } from '../bullmq/inbox';
import { AmsConfigError } from '../errors';
import type { InboxStats } from '../bullmq/stats';
import { parseCommandArgs, requireOpts, stringOpt } from './args';
import { json } from './format';
import { CliUsageError, EXIT, type CliIo, type ExitCode } from './io';

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

Exit codes: 0 printed, 1 Redis did not answer, 2 unusable input.

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
    if (queue === '' || queue.includes(':')) throw new CliUsageError('--queue must be a queue name without ":"', { command: 'inbox' });
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
  if (path !== undefined && !path.startsWith('/'))
    throw new CliUsageError('--path must be the notify path, starting with /', { command: 'inbox' });
  return defaultQueueName(ids, path);
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
  const redis = stringOpt(parsed, 'redis')!;
  if (!/^rediss?:\/\/[^\s]+$/i.test(redis)) throw new CliUsageError('--redis must be a redis:// or rediss:// URL', { command: 'inbox' });
  const queue = queueOf(stringOpt(parsed, 'queue'), stringOpt(parsed, 'client-id'), stringOpt(parsed, 'path'));
  const timeoutText = stringOpt(parsed, 'timeout');
  const timeoutMs = timeoutText === undefined ? 5000 : Number(timeoutText);
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0)
    throw new CliUsageError('--timeout must be a positive whole number of milliseconds', { command: 'inbox' });
  const prefix = stringOpt(parsed, 'prefix');
  let stats: InboxStats;
  try {
    stats = await readInboxStatsAt({
      connection: redis,
      queueName: queue,
      ...(prefix !== undefined ? { prefix } : {}),
      timeoutMs,
      clock: io.clock,
    });
  } catch (err) {
    if (err instanceof AmsConfigError) throw err;
    io.err(`ams-cashier inbox: could not read the queue at ${shownUrl(redis)}: ${err instanceof Error ? err.message : String(err)}`);
    return EXIT.FAIL;
  }
  io.out(parsed.values.json ? json({ queue, ...stats }) : formatInboxStats(queue, shownUrl(redis), stats));
  return EXIT.OK;
}
