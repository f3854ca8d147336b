// The download guard: passes bytes through up to its limit, fails past it, and fails when the source goes silent.
import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it, vi } from 'vitest';
import { DownloadStopped, downloadGuard } from '../../src/reports/download-guard';

function sink(): { stream: Writable; bytes: () => number } {
  let n = 0;
  const stream = new Writable({
    write(chunk: Buffer, _e, done) {
      n += chunk.length;
      done();
    },
  });
  return { stream, bytes: () => n };
}

describe('downloadGuard', () => {
  it('lets a file of exactly the limit through, byte for byte', async () => {
    const out = sink();
    await pipeline(Readable.from([Buffer.alloc(600), Buffer.alloc(400)]), downloadGuard({ maxBytes: 1000, idleMs: 1000 }), out.stream);
    expect(out.bytes()).toBe(1000);
  });

  it('fails with too_large at the first byte past the limit, and passes none of that chunk on', async () => {
    const out = sink();
    const err = await pipeline(
      Readable.from([Buffer.alloc(600), Buffer.alloc(401)]),
      downloadGuard({ maxBytes: 1000, idleMs: 1000 }),
      out.stream,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadStopped);
    expect((err as DownloadStopped).reason).toBe('too_large');
    expect(out.bytes()).toBe(600);
  });

  it('fails with stalled when no chunk comes for idleMs, at the start or between chunks', async () => {
    for (const first of [[], [Buffer.alloc(10)]]) {
      const source = new PassThrough();
      for (const c of first) source.write(c);
      const started = Date.now();
      const err = await pipeline(source, downloadGuard({ maxBytes: 1000, idleMs: 50 }), sink().stream).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DownloadStopped);
      expect((err as DownloadStopped).reason).toBe('stalled');
      expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    }
  });

  it('a source that keeps sending within idleMs is never cut off', async () => {
    const source = new PassThrough();
    const out = sink();
    const done = pipeline(source, downloadGuard({ maxBytes: 10_000, idleMs: 80 }), out.stream);
    for (let i = 0; i < 6; i++) {
      source.write(Buffer.alloc(100));
      await new Promise((r) => setTimeout(r, 30));
    }
    source.end();
    await done;
    expect(out.bytes()).toBe(600);
  });

  it('leaves no timer behind once it ends, fails, or is destroyed from outside', async () => {
    vi.useFakeTimers();
    try {
      const destroyed = downloadGuard({ maxBytes: 10, idleMs: 1000 });
      expect(vi.getTimerCount()).toBe(1);
      destroyed.destroy();
      expect(vi.getTimerCount()).toBe(0);

      const failed = downloadGuard({ maxBytes: 10, idleMs: 1000 });
      failed.on('error', () => undefined);
      failed.write(Buffer.alloc(11));
      await vi.advanceTimersByTimeAsync(0);
      expect(failed.errored).toBeInstanceOf(DownloadStopped);
      expect(vi.getTimerCount()).toBe(0);

      const ended = downloadGuard({ maxBytes: 10, idleMs: 1000 });
      ended.resume();
      ended.end(Buffer.alloc(5));
      await vi.advanceTimersByTimeAsync(0);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
