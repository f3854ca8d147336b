// The notification dedupe store on Redis (ioredis): one claim per notification across every instance that shares it.
import { createHash, randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { AmsConfigError } from '../errors';
import { unknownNamesMessage } from '../internal/suggest';
import type { NotificationClaim, NotificationStore } from '../notifications/dedupe';
import { CLAIM_SCRIPT, COMPLETE_SCRIPT, RELEASE_SCRIPT } from './scripts';

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
  /** How long a handled notification is remembered. Must outlive Alipay's retries (24 h). Default 7 days. */
  doneTtlMs?: number;
}

const KNOWN_OPTIONS = new Set(['redis', 'prefix', 'processingTtlMs', 'doneTtlMs']);

/** The slice of ioredis this store uses; both `Redis` and `Cluster` have it. */
interface ScriptRunner {
  evalsha(sha1: string, numkeys: number, ...args: (string | number)[]): Promise<unknown>;
  eval(script: string, numkeys: number, ...args: (string | number)[]): Promise<unknown>;
}

function config(message: string, field: string): never {
  throw new AmsConfigError(`createRedisNotificationStore: ${message}`, { field });
}

function ttl(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  // PX takes whole milliseconds; a fraction would be a Redis error on every claim, so refuse it here.
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0)
    config(`${name} must be a positive whole number of milliseconds`, name);
  return value;
}

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
  if (options === null || typeof options !== 'object') config('an options object is required', 'options');
  const unknown = Object.keys(options).filter((k) => !KNOWN_OPTIONS.has(k));
  if (unknown.length > 0) config(unknownNamesMessage('option', unknown, [...KNOWN_OPTIONS]), unknown[0]!);
  const client = options.redis as unknown as Partial<ScriptRunner> | null | undefined;
  if (!client || typeof client.evalsha !== 'function' || typeof client.eval !== 'function') {
    config('redis must be an ioredis client (new Redis(...) or new Redis.Cluster(...))', 'redis');
  }
  const redis = client as ScriptRunner;
  const prefix = options.prefix ?? 'ams:notify:';
  if (typeof prefix !== 'string') config('prefix must be a string', 'prefix');
  const processingTtlMs = ttl('processingTtlMs', options.processingTtlMs, 60_000);
  const doneTtlMs = ttl('doneTtlMs', options.doneTtlMs, 7 * 24 * 3600_000);

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
