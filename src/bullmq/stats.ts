// The inbox's numbers a person watches: how much waits, runs, finished and failed, and how old the oldest waiting job is.
import type { Clock } from '../clock';
import type { Queue } from 'bullmq';

export interface InboxStats {
  /** Stored and not yet running: waiting now plus delayed (retries waiting for their backoff). */
  queued: number;
  waiting: number;
  /** Waiting for a backoff to pass before the next attempt. */
  delayed: number;
  /** Running in some worker now. */
  active: number;
  /** Done, still remembered for dedupe (keepCompletedMs). */
  completed: number;
  /** Given up after the last attempt: the dead-letter set. */
  failed: number;
  /** Milliseconds since the oldest job still waiting was stored; 0 when nothing waits. */
  oldestWaitingAgeMs: number;
}

/** The slice of a BullMQ Queue stats reads. */
export type StatsQueue = Pick<Queue, 'getJobCounts' | 'getJobs'>;

/** Counts from one Redis round trip (getJobCounts) plus the oldest waiting job's timestamp. */
export async function readInboxStats(queue: StatsQueue, clock: Clock | undefined): Promise<InboxStats> {
  const counts = await queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed');
  const [oldest] = await queue.getJobs(['waiting'], 0, 0, true);
  const n = (name: string): number => counts[name] ?? 0;
  const waiting = n('waiting') + n('prioritized');
  return {
    queued: waiting + n('delayed'),
    waiting,
    delayed: n('delayed'),
    active: n('active'),
    completed: n('completed'),
    failed: n('failed'),
    oldestWaitingAgeMs:
      oldest && typeof oldest.timestamp === 'number' ? Math.max(0, (clock ? clock.now().getTime() : Date.now()) - oldest.timestamp) : 0,
  };
}
