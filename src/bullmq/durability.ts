// Whether an acknowledged notification survives Redis: reads Redis's persistence settings, and confirms each stored job reached the AOF (WAITAOF) where Redis can.
import type { Logger } from '../clock';
import { AmsConfigError } from '../errors';

/**
 * What the inbox requires of Redis before it acknowledges. `'aof'` (the default): Redis's append-only file is on, and
 * each job is confirmed written to it (WAITAOF, Redis ≥ 7.2) before the acknowledgement. `'best-effort'`: acknowledge
 * once Redis has the job in memory, whatever its persistence (a Redis restart can then lose acknowledged notifications).
 */
export type InboxDurability = 'aof' | 'best-effort';

export const DURABILITIES: readonly InboxDurability[] = ['aof', 'best-effort'];

/** The commands the gate sends: ioredis's `call`. */
export interface RedisCaller {
  call(command: string, ...args: string[]): Promise<unknown>;
}

/** What Redis says about its persistence. */
export interface RedisPersistence {
  /** The append-only file is on. */
  aof: boolean;
  /** `always`, `everysec` or `no`; undefined when only INFO could be read (it does not show it). */
  appendfsync: string | undefined;
  /** Where it was read: `CONFIG GET`, or `INFO persistence` when CONFIG is refused (managed Redis often renames it). */
  source: 'CONFIG' | 'INFO';
}

/** An error Redis answered (as opposed to a connection that failed): the command exists but is refused, or does not exist. */
function isReply(err: unknown): err is Error {
  return err instanceof Error && err.name === 'ReplyError';
}

/** Redis has no such command (older than the command, or renamed away), or this user may not run it (ACL). */
export function isUnavailableCommand(err: unknown): boolean {
  return isReply(err) && /unknown command|NOPERM|no permissions/i.test(err.message);
}

function pairsOf(reply: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(reply)) {
    for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = String(reply[i + 1]);
  } else if (reply instanceof Map) {
    for (const [k, v] of reply) out[String(k)] = String(v);
  } else if (reply !== null && typeof reply === 'object') {
    for (const [k, v] of Object.entries(reply)) out[k] = String(v);
  }
  return out;
}

/**
 * Reads `appendonly` and `appendfsync` with CONFIG GET; where Redis refuses CONFIG (managed services rename or forbid
 * it), falls back to `INFO persistence` (`aof_enabled`). A connection failure rejects as it is.
 */
export async function readPersistence(redis: RedisCaller): Promise<RedisPersistence> {
  let refused: Error | undefined;
  try {
    const config = pairsOf(await redis.call('CONFIG', 'GET', 'append*'));
    if (config.appendonly !== undefined) {
      return { aof: config.appendonly === 'yes', appendfsync: config.appendfsync, source: 'CONFIG' };
    }
  } catch (err) {
    if (!isReply(err)) throw err;
    refused = err;
  }
  const info = String(await redis.call('INFO', 'persistence'));
  const enabled = /^aof_enabled:(\d+)\s*$/m.exec(info);
  if (!enabled) {
    throw new Error(
      `Redis answered neither CONFIG GET appendonly${refused ? ` (${refused.message.slice(0, 120)})` : ''} nor INFO persistence with aof_enabled`,
    );
  }
  return { aof: enabled[1] !== '0', appendfsync: undefined, source: 'INFO' };
}

/** The refusal when Redis would not keep an acknowledged notification and best-effort was not chosen. */
export function notDurableError(persistence: RedisPersistence): AmsConfigError {
  const seen = persistence.source === 'CONFIG' ? 'CONFIG GET appendonly answered "no"' : 'INFO persistence shows aof_enabled:0';
  return new AmsConfigError(
    `createNotificationInbox: Redis has no append-only file (${seen}), so a Redis restart or crash would lose notifications ` +
      'already acknowledged to Alipay, which never sends them again. Not acknowledged (503) until it is fixed: enable it ' +
      "(appendonly yes in redis.conf, or CONFIG SET appendonly yes then CONFIG REWRITE), or pass durability: 'best-effort' " +
      'to createNotificationInbox to acknowledge without it.',
    { field: 'durability' },
  );
}

export interface DurabilityGateOptions {
  durability: InboxDurability;
  /** A connection for the checks and the WAITAOF rounds, of its own (WAITAOF blocks the connection it runs on). */
  connect(): Promise<RedisCaller>;
  /** The key each WAITAOF round writes, so the round covers every job stored before it. */
  barrierKey: string;
  /** How long a WAITAOF may wait for the fsync. */
  waitTimeoutMs: number;
  logger: Logger;
  /** Milliseconds; the persistence settings are read again after recheckMs. */
  now(): number;
  recheckMs?: number;
}

export interface DurabilityGate {
  /** Before a job is stored: rejects when Redis would not keep it (no AOF) and best-effort was not chosen. */
  ready(): Promise<void>;
  /** After the job is stored: resolves once Redis confirmed it is in the append-only file (WAITAOF), where it can. */
  confirm(): Promise<void>;
}

/**
 * The inbox's durability rule. Persistence is read at first use and again every recheckMs (a fix needs no restart).
 * WAITAOF confirms only the writes of the connection it runs on, and blocks it, so confirmations are group commits
 * on a connection of their own: a round writes barrierKey, then WAITAOF; every job stored before the round's write is
 * covered by it, and a job stored while a round is in flight waits for the next one. Where Redis has no WAITAOF
 * (before 7.2, or forbidden by ACL) the AOF setting alone decides, said once in the log.
 */
export function createDurabilityGate(o: DurabilityGateOptions): DurabilityGate {
  const recheckMs = o.recheckMs ?? 60_000;
  const log = o.logger;
  let connection: Promise<RedisCaller> | undefined;
  let known: { persistence: RedisPersistence; at: number } | undefined;
  let reading: Promise<RedisPersistence> | undefined;
  let waitaof: 'unknown' | 'yes' | 'no' = 'unknown';
  let round: Promise<void> | undefined;
  let nextRound: Promise<void> | undefined;

  const redis = (): Promise<RedisCaller> => {
    connection ??= o.connect().catch((err: unknown) => {
      connection = undefined;
      throw err;
    });
    return connection;
  };

  async function persistence(): Promise<RedisPersistence> {
    // A Redis without AOF is read again sooner: enabling it should end the 503s within seconds.
    if (known && o.now() - known.at < (known.persistence.aof ? recheckMs : Math.min(recheckMs, 5000))) return known.persistence;
    reading ??= (async () => {
      try {
        const p = await readPersistence(await redis());
        if (!known || known.persistence.aof !== p.aof) {
          log.info?.('ams: inbox: Redis persistence read', { aof: p.aof, appendfsync: p.appendfsync, source: p.source });
        }
        known = { persistence: p, at: o.now() };
        return p;
      } finally {
        reading = undefined;
      }
    })();
    return reading;
  }

  async function oneRound(): Promise<void> {
    const r = await redis();
    const write = r.call('SET', o.barrierKey, String(o.now()));
    const wait = r.call('WAITAOF', '1', '0', String(o.waitTimeoutMs));
    try {
      await write;
    } catch (err) {
      wait.catch(() => undefined);
      throw err;
    }
    let reply: unknown;
    try {
      reply = await wait;
    } catch (err) {
      if (!isUnavailableCommand(err)) {
        // appendonly turned off since it was read, a replica, …: read the settings again at the next delivery.
        known = undefined;
        throw err;
      }
      waitaof = 'no';
      log.warn?.(
        'ams: inbox: this Redis has no WAITAOF (Redis 7.2 added it) or may not run it; acknowledging once Redis has the job with ' +
          `its append-only file on${known?.persistence.appendfsync ? ` (appendfsync ${known.persistence.appendfsync})` : ''}: ` +
          'it survives a crash of the Redis process; an OS crash can lose the last second unless appendfsync is always',
        { error: (err as Error).message.slice(0, 200) },
      );
      return;
    }
    waitaof = 'yes';
    const local = Array.isArray(reply) ? Number(reply[0]) : Number.NaN;
    if (!(local >= 1)) {
      throw new Error(
        `Redis did not confirm within ${o.waitTimeoutMs} ms that the job is in its append-only file (WAITAOF answered ${JSON.stringify(reply)})`,
      );
    }
  }

  function startRound(): Promise<void> {
    const p = oneRound().finally(() => {
      if (round === p) round = undefined;
    });
    round = p;
    return p;
  }

  return {
    async ready() {
      if (o.durability === 'best-effort') return;
      const p = await persistence();
      if (!p.aof) throw notDurableError(p);
    },
    confirm() {
      if (o.durability === 'best-effort' || waitaof === 'no') return Promise.resolve();
      if (!round) return startRound();
      // The round in flight may have written its barrier before this job was stored: the next round covers it.
      nextRound ??= round
        .catch(() => undefined)
        .then(() => {
          nextRound = undefined;
          if (waitaof === 'no') return undefined;
          return round ?? startRound();
        });
      return nextRound;
    },
  };
}
