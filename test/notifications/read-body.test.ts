// The one raw-body reader: whole bodies, the byte cap, the timeout, the abort and the declared length, for Node and web streams.
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BodyReadError, nodeStreamSource, readBody, webStreamSource } from '../../src/internal/read-body';

async function refusal(p: Promise<unknown>): Promise<BodyReadError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BodyReadError);
  return err as BodyReadError;
}

describe('readBody', () => {
  it('reads a Node stream and a web stream to one Buffer, byte for byte (strings as UTF-8)', async () => {
    const node = await readBody(nodeStreamSource(Readable.from([Buffer.from('ab'), 'cé', new Uint8Array([0xff])])), { maxBytes: 10 });
    expect(node).toEqual(Buffer.concat([Buffer.from('abcé'), Buffer.from([0xff])]));
    const web = await readBody(webStreamSource(new Blob(['he', 'llo']).stream()), { maxBytes: 5 });
    expect(web.toString()).toBe('hello');
  });

  it('refuses one byte over the cap, and a declared length over it before reading anything', async () => {
    const over = await refusal(readBody(nodeStreamSource(Readable.from([Buffer.alloc(4), Buffer.alloc(2)])), { maxBytes: 5 }));
    expect([over.reason, over.limit]).toEqual(['too_large', 5]);
    expect((await readBody(nodeStreamSource(Readable.from([Buffer.alloc(5)])), { maxBytes: 5 })).length).toBe(5);
    let started = false;
    const declared = await refusal(readBody(() => ((started = true), () => undefined), { maxBytes: 5, declaredBytes: 6 }));
    expect([declared.reason, started]).toEqual(['too_large', false]);
  });

  it('times out on a stalled body and stops the source without destroying it', async () => {
    const stalled = new PassThrough();
    stalled.write('partial');
    const e = await refusal(readBody(nodeStreamSource(stalled), { maxBytes: 100, timeoutMs: 30 }));
    expect([e.reason, e.limit]).toEqual(['timeout', 30]);
    expect(stalled.destroyed).toBe(false);
    expect(stalled.listenerCount('data')).toBe(0);
    expect(stalled.isPaused()).toBe(true);
  });

  it('stops on abort, also when aborted before it starts', async () => {
    const ac = new AbortController();
    const p = readBody(nodeStreamSource(new PassThrough()), { maxBytes: 100, signal: ac.signal });
    ac.abort();
    expect((await refusal(p)).reason).toBe('aborted');
    expect((await refusal(readBody(nodeStreamSource(new PassThrough()), { maxBytes: 100, signal: ac.signal }))).reason).toBe('aborted');
  });

  it("passes the source's own error through", async () => {
    const broken = new PassThrough();
    const p = readBody(nodeStreamSource(broken), { maxBytes: 100 });
    broken.destroy(new Error('ECONNRESET'));
    await expect(p).rejects.toThrow('ECONNRESET');
  });
});
