// fetchReports' progress: the caller's onProgress told of bytes as they arrive (at most every 100 ms) and of each file's end.
import { performance } from 'node:perf_hooks';

/** One report of how far fetchReports has got. */
export interface FetchProgress {
  /** The name of the report file being downloaded. */
  file: string;
  /** Bytes of this file received so far. */
  bytesDone: number;
  /** This file's size as the server listed it. */
  bytesTotal: number;
  /** Files of this call whose transfer has ended (this one included once its end is reported). */
  filesDone: number;
  /** Files this call downloads: files already here whole, or listed larger than maxFileBytes, are not counted. */
  filesTotal: number;
}

/** The least time between two reports of the same file's bytes; a file's end is always reported. */
export const PROGRESS_INTERVAL_MS = 100;

export interface ProgressReporter {
  /** A file's transfer starts: the reporter of its bytes. */
  file(name: string, bytesTotal: number): { bytes(done: number): void; end(done: number): void };
}

/**
 * Calls `onProgress` safely: a callback that throws (or returns a promise that rejects) never breaks the download;
 * `warn` is told once, with the callback's message.
 */
export function progressReporter(
  onProgress: ((progress: FetchProgress) => void) | undefined,
  filesTotal: number,
  warn: (message: string) => void,
): ProgressReporter {
  let filesDone = 0;
  let warned = false;
  const failed = (err: unknown): void => {
    if (warned) return;
    warned = true;
    warn(`onProgress threw (${err instanceof Error ? err.message : String(err)}): the download went on; fix the callback`);
  };
  const report = (progress: FetchProgress): void => {
    if (!onProgress) return;
    try {
      const returned: unknown = onProgress(progress);
      if (returned instanceof Promise) returned.catch(failed);
    } catch (err) {
      failed(err);
    }
  };
  return {
    file(name, bytesTotal) {
      let last = Number.NEGATIVE_INFINITY;
      return {
        bytes(done) {
          const now = performance.now();
          if (now - last < PROGRESS_INTERVAL_MS) return;
          last = now;
          report({ file: name, bytesDone: done, bytesTotal, filesDone, filesTotal });
        },
        end(done) {
          filesDone++;
          report({ file: name, bytesDone: done, bytesTotal, filesDone, filesTotal });
        },
      };
    },
  };
}
