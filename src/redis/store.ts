// The notification dedupe store on Redis (ioredis): one claim per notification across every instance that shares it.
import { createHash, randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { z } from 'zod';
import type { NotificationClaim, NotificationStore } from '../notifications/dedupe';
import { OPTION, parseOptions, required } from '../options';
import { CLAIM_SCRIPT, COMPLETE_SCRIPT, RELEASE_SCRIPT } from './scripts';
import { lazy } from '../internal/lazy';

export interface RedisNotificationStoreOptions {
  /**
   * An ioredis client (`new Redis(...)` or `new Redis.Cluster(...)`), owned by you: the store never connects,
   * quits or reconfigures it. So that a down Redis answers 503 at once instead of holding Alipay's request open,
   * create it with `enableOfflineQueue: false`, `maxRetriesPerRequest: 1` and a `commandTimeout` (see the README).
   */
  redis: Redis | Cluster;
  /** Prepended to every key (`ams:notify:PAYMENT_RESULT:<paymentId>`). Default `ams:notify:`. */
  prefix?: string;
  /**
   * How long a claim holds without being completed or released: a crashed instance's claim frees itself after this.
   * Make it longer than your slowest callback, or a redelivery may run the callback while the first is still running.
   * Default 60 000 (60 s).
   */
  processingTtlMs?: number;
  /**
   * How long a handled notification is remembered. Must outlive Alipay's retries (24 h). Default 7 days. Both TTLs are
   * whole milliseconds (PX takes no fraction) from 1 to 365 days, as the memory store takes them.
   */
  doneTtlMs?: number;
}

/** The slice of ioredis this store uses; both `Redis` and `Cluster` have it. */
interface ScriptRunner {
  evalsha(sha1: string, numkeys: number, ...args: (string | number)[]): Promise<unknown>;
  eval(script: string, numkeys: number, ...args: (string | number)[]): Promise<unknown>;
}

function isScriptRunner(value: unknown): boolean {
  const r = value as Partial<ScriptRunner> | null;
  return typeof r === 'object' && r !== null && typeof r.evalsha === 'function' && typeof r.eval === 'function';
}

const optionsSchema = lazy(function buildOptionsSchema() {
  const client = 'an ioredis client (new Redis(...) or new Redis.Cluster(...))';
  return z
    .object({
      redis: required(client, z.custom<Redis | Cluster>(isScriptRunner, { error: `must be ${client}` })),
      prefix: z.string({ error: 'must be a string, prepended to every key' }).optional(),
      processingTtlMs: OPTION.ttlMs.optional(),
      doneTtlMs: OPTION.ttlMs.optional(),
    })
    .strict();
});

interface Script {
  source: string;
  sha: string;
}

function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

const CLAIM = script(CLAIM_SCRIPT);
const COMPLETE = script(COMPLETE_SCRIPT);
const RELEASE = script(RELEASE_SCRIPT);

function isNoScript(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('NOSCRIPT');
}

/**
 * A `NotificationStore` on Redis, for several instances behind a load balancer: pass it as the handler's `dedupe`.
 * Per notification key, one Redis string: `processing:<token>` while one delivery runs the callback (expires after
 * processingTtlMs), then `done` for doneTtlMs. Every operation is a single atomic Lua script on that one key, so it
 * works on Redis Cluster too. Any Redis error rejects, and the handler answers 503 without acknowledging.
 */
export function createRedisNotificationStore(options: RedisNotificationStoreOptions): NotificationStore {
  const o = parseOptions(optionsSchema(), options, 'createRedisNotificationStore');
  const redis = o.redis as unknown as ScriptRunner;
  const prefix = o.prefix ?? 'ams:notify:';
  const processingTtlMs = o.processingTtlMs ?? 60_000;
  const doneTtlMs = o.doneTtlMs ?? 7 * 24 * 3600_000;

  // EVALSHA first (the script body is not resent each time); a server that does not have it yet, or lost it in a
  // restart or failover, answers NOSCRIPT, and EVAL loads it. One key per call, so Cluster routes it by that key.
  async function run(s: Script, key: string, ...args: (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(s.sha, 1, key, ...args);
    } catch (err) {
      if (!isNoScript(err)) throw err;
      return await redis.eval(s.source, 1, key, ...args);
    }
  }

  return {
    async claim(key: string): Promise<NotificationClaim> {
      const token = randomUUID();
      const answer = await run(CLAIM, prefix + key, token, processingTtlMs);
      if (answer === 'claimed') return { state: 'claimed', token };
      if (answer === 'done') return { state: 'done' };
      if (answer === 'busy') return { state: 'busy' };
      // Someone else writes under this prefix: neither process nor acknowledge (the handler answers 503).
      throw new Error(`notification store: key ${prefix + key} holds a value this store did not write; use another prefix`);
    },
    async complete(key: string, token: string): Promise<void> {
      await run(COMPLETE, prefix + key, token, doneTtlMs);
    },
    async release(key: string, token: string): Promise<void> {
      await run(RELEASE, prefix + key, token);
    },
  };
}
