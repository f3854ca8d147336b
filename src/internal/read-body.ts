// The one raw-body reader (notification handlers, CLI stdin): a byte cap, a timeout and an abort, into one Buffer.

/** Why a body was not read to its end. */
export type BodyReadFailure = 'too_large' | 'timeout' | 'aborted';

/** A body that was refused: over `maxBytes`, slower than `timeoutMs`, or aborted. Callers turn it into their answer. */
export class BodyReadError extends Error {
  override readonly name = 'BodyReadError';
  constructor(
    readonly reason: BodyReadFailure,
    /** The byte cap (too_large) or the time limit in ms (timeout). */
    readonly limit: number,
  ) {
    super(
      reason === 'too_large'
        ? `the body exceeds ${limit} bytes`
        : reason === 'timeout'
          ? `the body did not arrive within ${limit} ms`
          : 'reading the body was aborted',
    );
  }
}

/** Where chunks go while a body flows. */
export interface ChunkSink {
  data(chunk: Uint8Array | string): void;
  end(): void;
  error(err: unknown): void;
}

/**
 * Starts a body flowing into `sink` and returns what stops it. Stopping pauses or cancels the source but never
 * destroys it: an HTTP handler still has to write its answer on that connection.
 */
export type BodySource = (sink: ChunkSink) => () => void;

/** A Node readable (an IncomingMessage, process.stdin) as a BodySource; stopping detaches and pauses it. */
export function nodeStreamSource(stream: NodeJS.ReadableStream): BodySource {
  return (sink) => {
    const onData = (chunk: Uint8Array | string): void => sink.data(chunk);
    const onEnd = (): void => sink.end();
    const onError = (err: unknown): void => sink.error(err);
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    return () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.pause();
    };
  };
}

/** A web ReadableStream (a Fetch Request's body) as a BodySource; stopping cancels the stream. */
export function webStreamSource(stream: ReadableStream<Uint8Array>): BodySource {
  return (sink) => {
    const reader = stream.getReader();
    let stopped = false;
    void (async () => {
      try {
        for (;;) {
          const next = await reader.read();
          if (stopped) return;
          if (next.done) return sink.end();
          sink.data(next.value);
        }
      } catch (err) {
        if (!stopped) sink.error(err);
      }
    })();
    return () => {
      stopped = true;
      void reader.cancel().catch(() => undefined);
    };
  };
}

export interface ReadBodyOptions {
  /** More bytes than this stop the read with `too_large`; nothing past the cap is kept. */
  maxBytes: number;
  /** The whole body must arrive within this many ms, else `timeout`. Default: no limit. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** The length the sender declared (Content-Length), when it did: over maxBytes is refused before reading. */
  declaredBytes?: number | undefined;
}

/** Reads a body to its end into one Buffer, or rejects with BodyReadError (or the source's own error). */
export function readBody(source: BodySource, options: ReadBodyOptions): Promise<Buffer> {
  const { maxBytes, timeoutMs, signal, declaredBytes } = options;
  if (signal?.aborted) return Promise.reject(new BodyReadError('aborted', 0));
  if (declaredBytes !== undefined && Number.isFinite(declaredBytes) && declaredBytes > maxBytes)
    return Promise.reject(new BodyReadError('too_large', maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    // Assigned once the source starts; `finish` may run before that (a source that fails at once).
    let stop: (() => void) | undefined = undefined;
    let timer: NodeJS.Timeout | undefined;
    const onAbort = (): void => finish(new BodyReadError('aborted', 0));
    // Every way out goes through here once: the timer, the abort listener and the source are all released.
    const finish = (outcome: Buffer | Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      stop?.();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    // A body that never ends (a stalled or deliberately slow sender) must not hold the reader and its memory.
    if (timeoutMs !== undefined) timer = setTimeout(() => finish(new BodyReadError('timeout', timeoutMs)), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    stop = source({
      data(chunk) {
        if (done) return;
        const buf =
          typeof chunk === 'string'
            ? Buffer.from(chunk)
            : Buffer.isBuffer(chunk)
              ? chunk
              : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        size += buf.length;
        if (size > maxBytes) finish(new BodyReadError('too_large', maxBytes));
        else chunks.push(buf);
      },
      end: () => finish(Buffer.concat(chunks, size)),
      error: (err) => finish(err instanceof Error ? err : new Error(String(err))),
    });
    // The source may have finished synchronously, before `stop` was known.
    if (done) stop();
  });
}
