// Shared pieces of the Redis tests: ioredis clients that fail fast while Redis is down, and closing them.
import { Redis } from 'ioredis';

/** The client options the README recommends: a down Redis rejects at once instead of queueing or hanging. */
export function connect(port: number): Redis {
  const redis = new Redis({
    host: '127.0.0.1',
    port,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 2000,
    // Reconnect quickly in tests; production can keep ioredis's default backoff.
    retryStrategy: () => 50,
    lazyConnect: false,
  });
  // Connection errors are expected while a test stops Redis; without a listener ioredis prints each one.
  redis.on('error', () => {});
  return redis;
}

/** Resolves once the client is connected (bounded). */
export async function ready(redis: Redis, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (redis.status !== 'ready') {
    if (Date.now() > end) throw new Error(`redis client not ready after ${ms} ms (status ${redis.status})`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function disconnectAll(clients: Redis[]): void {
  for (const c of clients.splice(0)) c.disconnect();
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
