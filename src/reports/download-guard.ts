// Bounds one report download: at most so many bytes, and no silence longer than so many ms between chunks.
import { Transform, type TransformCallback } from 'node:stream';

/** Why a guarded download was stopped. */
export class DownloadStopped extends Error {
  constructor(
    readonly reason: 'too_large' | 'stalled',
    message: string,
  ) {
    super(message);
    this.name = 'DownloadStopped';
  }
}

export interface DownloadGuardOptions {
  /** The most bytes let through; one more and the stream fails with reason `too_large`. */
  maxBytes: number;
  /**
   * The longest wait for the next chunk (from the start, then between chunks); past it the stream fails with
   * `stalled`. A destination too slow to take a chunk for that long counts too: no progress either way.
   */
  idleMs: number;
  /** Told the bytes let through so far after each chunk (progress); must not throw. */
  onBytes?: (bytes: number) => void;
}

/**
 * A pass-through stream to put between a download and its file. A server that sends more than it listed (or a file
 * that keeps growing) would otherwise fill the disk, and one that stops sending would hold the download open for
 * ever; either way the guard fails the stream with a DownloadStopped, which the download reports.
 */
export function downloadGuard({ maxBytes, idleMs, onBytes }: DownloadGuardOptions): Transform {
  let seen = 0;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => guard.destroy(new DownloadStopped('stalled', `no data for ${idleMs} ms`)), idleMs);
    // The download's own sockets keep the process alive while it runs; the timer alone must not.
    timer.unref();
  };
  const guard = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      seen += chunk.length;
      if (seen > maxBytes) {
        clearTimeout(timer);
        done(new DownloadStopped('too_large', `more than ${maxBytes} bytes`));
        return;
      }
      arm();
      done(null, chunk);
      onBytes?.(seen);
    },
    flush(done: TransformCallback) {
      clearTimeout(timer);
      done();
    },
    destroy(err: Error | null, done: (error: Error | null) => void) {
      clearTimeout(timer);
      done(err);
    },
  });
  arm();
  return guard;
}
