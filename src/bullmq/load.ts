// Loads bullmq (and checks ioredis, which it drives) on first use, so ams-cashier never needs them unless this subpath is used.
import { createRequire } from 'node:module';
import type * as BullMQ from 'bullmq';
import type * as IORedis from 'ioredis';
import { AmsConfigError } from '../errors';

let bullmqModule: typeof BullMQ | undefined;
let ioredisModule: typeof IORedis | undefined;

function isMissing(err: unknown, name: string): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  return !!e && e.code === 'MODULE_NOT_FOUND' && typeof e.message === 'string' && e.message.includes(`'${name}'`);
}

/** bullmq's exports; an AmsConfigError naming the install command when bullmq or ioredis is not installed. */
export function loadBullMQ(): typeof BullMQ {
  if (bullmqModule) return bullmqModule;
  const require = createRequire(import.meta.url);
  for (const name of ['ioredis', 'bullmq']) {
    try {
      require.resolve(name);
    } catch (err) {
      if (!isMissing(err, name)) throw err;
      throw new AmsConfigError(
        `ams-cashier/bullmq needs the optional peer dependency "${name}", which is not installed: run npm install bullmq ioredis`,
        { field: name, cause: err },
      );
    }
  }
  bullmqModule = require('bullmq') as typeof BullMQ;
  return bullmqModule;
}

/** ioredis's exports (after loadBullMQ checked both peers are installed). */
export function loadIORedis(): typeof IORedis {
  if (ioredisModule) return ioredisModule;
  loadBullMQ();
  ioredisModule = createRequire(import.meta.url)('ioredis') as typeof IORedis;
  return ioredisModule;
}
