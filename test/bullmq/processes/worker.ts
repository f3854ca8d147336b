// A worker process for the multi-process inbox tests. Its callback records each successful run in Redis (the
// "effect"), fails ids marked "flaky" on their first two attempts, and hangs on ids marked "hang" in the process that
// started them first (so the test can SIGKILL it mid-job, and only another process can finish them). Prints "ready"
// once its BullMQ worker is connected.
import { Redis } from 'ioredis';
import { inboxFromEnv } from './inbox';

const effects = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
const inbox = inboxFromEnv();
const { worker } = inbox.process(
  {
    async onPayment(n, ctx) {
      if (n.paymentId.includes('-flaky-') && ctx.attempt <= 2) throw new Error(`flaky failure ${ctx.attempt}`);
      if (n.paymentId.includes('-hang-')) {
        await effects.set(`started:${n.paymentId}`, String(process.pid), 'NX');
        // The first worker to start it hangs until killed, on every run it gets: a starved worker whose lock lapsed
        // before the kill can be handed the job back (at-least-once), and must not finish it then.
        if ((await effects.get(`started:${n.paymentId}`)) === String(process.pid)) await new Promise(() => {});
      }
      await effects.hincrby('effects', n.paymentId, 1);
      await effects.hset('done-by', n.paymentId, String(process.pid));
    },
  },
  {
    concurrency: Number(process.env.CONCURRENCY ?? 10),
    backoff: Number(process.env.BACKOFF_MS ?? 1000),
    lockDurationMs: Number(process.env.LOCK_MS ?? 30_000),
    stalledIntervalMs: Number(process.env.STALLED_MS ?? 30_000),
    maxStalledCount: Number(process.env.MAX_STALLED ?? 1),
  },
);
void worker.waitUntilReady().then(() => process.stdout.write('ready\n'));
process.once(
  'SIGTERM',
  () =>
    void inbox
      .close()
      .then(() => effects.quit())
      .then(() => process.exit(0)),
);
