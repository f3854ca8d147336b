// createNodeHttpTransport (the default's direct path) over real loopback sockets: every way a request can fail ends
// in one typed TransportFailure, and no abort listener is left on the caller's signal.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { getEventListeners } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmsConfigError, createAxiosTransport, createNodeHttpTransport, TransportFailure } from '../../src/index';
import type { HttpRequest } from '../../src/http/types';
import type { NodeHttpTransportOptions } from '../../src/http/node-transport';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const routes = new Map<string, Handler>();
let server: http.Server;
let origin = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const handler = routes.get(req.url ?? '');
    if (!handler) return void res.writeHead(404).end();
    req.resume();
    req.on('end', () => handler(req, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const send = createNodeHttpTransport();
function request(path: string, signal: AbortSignal, extra: Partial<HttpRequest> = {}): Promise<unknown> {
  return send({ url: origin + path, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":"é"}', signal, ...extra });
}
async function failure(p: Promise<unknown>): Promise<TransportFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TransportFailure);
  return err as TransportFailure;
}
const listeners = (signal: AbortSignal): number => getEventListeners(signal, 'abort').length;

describe('createNodeHttpTransport over real sockets', () => {
  it('returns status, lower-case headers and the exact UTF-8 body, and leaves no listener', async () => {
    let received = '';
    routes.set('/ok', (req, res) => res.writeHead(201, { 'X-Echo': String(req.headers['content-length']) }).end('{"ü":"ß"}'));
    server.once('request', (req: IncomingMessage) => req.on('data', (c: Buffer) => (received += c.toString('utf8'))));
    const signal = new AbortController().signal;
    const res = await request('/ok', signal);
    expect(res).toEqual({
      status: 201,
      headers: expect.objectContaining({ 'x-echo': String(Buffer.byteLength('{"a":"é"}')) }),
      body: '{"ü":"ß"}',
    });
    expect(received).toBe('{"a":"é"}');
    expect(listeners(signal)).toBe(0);
  });

  it('a body cut off before its Content-Length is a connection failure, not a hang', async () => {
    routes.set('/truncated', (_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"result":');
      setTimeout(() => res.socket?.destroy(), 10);
    });
    const signal = new AbortController().signal;
    const err = await failure(request('/truncated', signal));
    expect(err.kind).toBe('connection');
    expect(listeners(signal)).toBe(0);
  });

  it('a reset in the middle of a chunked body is a connection failure', async () => {
    routes.set('/reset-chunked', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"result":');
      setTimeout(() => res.socket?.resetAndDestroy(), 10);
    });
    const signal = new AbortController().signal;
    expect((await failure(request('/reset-chunked', signal))).kind).toBe('connection');
    expect(listeners(signal)).toBe(0);
  });

  it("the caller's abort in the middle of the body is 'aborted'; a TimeoutError reason is 'timeout'", async () => {
    routes.set('/slow-body', (_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"result":'); // and never more
    });
    const caller = new AbortController();
    const pending = request('/slow-body', caller.signal);
    setTimeout(() => caller.abort(new Error('user gave up')), 30);
    expect((await failure(pending)).kind).toBe('aborted');
    expect(listeners(caller.signal)).toBe(0);

    const timer = new AbortController();
    const timed = request('/slow-body', timer.signal);
    setTimeout(() => timer.abort(new DOMException('no answer within 30 ms', 'TimeoutError')), 30);
    expect((await failure(timed)).kind).toBe('timeout');
    expect(listeners(timer.signal)).toBe(0);
  });

  it('a signal that is already aborted sends nothing', async () => {
    let hits = 0;
    routes.set('/never', (_req, res) => {
      hits++;
      res.end('x');
    });
    const c = new AbortController();
    c.abort();
    expect((await failure(request('/never', c.signal))).kind).toBe('aborted');
    expect(hits).toBe(0);
    expect(listeners(c.signal)).toBe(0);
  });

  it('a header node:http refuses is a TransportFailure (thrown synchronously by node:http, still typed)', async () => {
    const signal = new AbortController().signal;
    const err = await failure(request('/ok', signal, { headers: { 'agent-token': 'secret-token-\n-value' } }));
    expect(err.kind).toBe('connection');
    expect(err.message).toBe('connection failed (ERR_INVALID_CHAR)');
    expect((err.cause as Error).message).toBe('ERR_INVALID_CHAR');
    expect(listeners(signal)).toBe(0);
  });

  it("an error whose message quotes a secret reaches the caller as its code only, never node's message", async () => {
    // Node's ERR_HTTP_INVALID_HEADER_VALUE quotes the value; an agent can fail with any message. Neither may pass.
    class LeakyAgent extends http.Agent {
      override createConnection(): Socket {
        throw Object.assign(new Error('Invalid value "secret-token-123" for header "agent-token"'), {
          code: 'ERR_HTTP_INVALID_HEADER_VALUE',
        });
      }
    }
    const leaky = createNodeHttpTransport({ httpAgent: new LeakyAgent() });
    const signal = new AbortController().signal;
    const err = await failure(leaky({ url: origin + '/ok', method: 'POST', headers: {}, body: '', signal }));
    expect(err.kind).toBe('connection');
    expect(err.message).toBe('connection failed (ERR_HTTP_INVALID_HEADER_VALUE)');
    expect((err.cause as Error).message).toBe('ERR_HTTP_INVALID_HEADER_VALUE');
    expect(JSON.stringify(err) + String(err.stack) + String((err.cause as Error).stack)).not.toContain('secret-token');
    expect(listeners(signal)).toBe(0);
  });

  it('a refused connection is a connection failure naming the code', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const err = await failure(
      send({ url: `http://127.0.0.1:${port}/x`, method: 'POST', headers: {}, body: '', signal: new AbortController().signal }),
    );
    expect(err.kind).toBe('connection');
    expect(err.message).toContain('ECONNREFUSED');
  });

  it('an IPv6 literal reaches the agent without its brackets', async () => {
    const hosts: string[] = [];
    // An agent that records where it was asked to connect, then connects to our IPv4 server instead, so the test
    // does not depend on the machine having IPv6.
    class RecordingAgent extends http.Agent {
      override createConnection(options: import('node:net').NetConnectOpts, cb?: (err: Error | null, s: Socket) => void): Socket {
        hosts.push(String((options as { host?: string }).host));
        return super.createConnection({ ...options, host: '127.0.0.1' }, cb as never) as Socket;
      }
    }
    routes.set('/v6', (_req, res) => res.end('six'));
    const port = (server.address() as AddressInfo).port;
    const viaV6 = createNodeHttpTransport({ httpAgent: new RecordingAgent() });
    const res = await viaV6({
      url: `http://[::1]:${port}/v6`,
      method: 'POST',
      headers: {},
      body: '',
      signal: new AbortController().signal,
    });
    expect(res.body).toBe('six');
    expect(hosts).toEqual(['::1']);
  });

  describe('a body past maxResponseBytes drops the connection: too_large, for node:http and axios alike', () => {
    const transports = { 'node:http': createNodeHttpTransport, axios: createAxiosTransport };
    for (const [name, make] of Object.entries(transports)) {
      it(`${name}: a declared Content-Length over the limit, an undeclared endless body, and the request's own limit`, async () => {
        let socketsClosed = 0;
        const flood = (res: ServerResponse): void => {
          const chunk = Buffer.alloc(16 * 1024, 0x62);
          const pump = (): void => {
            while (!res.destroyed && res.write(chunk));
            if (!res.destroyed) res.once('drain', pump);
          };
          res.on('error', () => undefined);
          pump();
        };
        routes.set('/declared', (_req, res) => {
          res.on('close', () => socketsClosed++);
          res.writeHead(200, { 'content-length': String(1024 * 1024 * 1024) });
          flood(res);
        });
        routes.set('/endless', (_req, res) => {
          res.on('close', () => socketsClosed++);
          res.writeHead(200);
          flood(res);
        });
        routes.set('/small', (_req, res) => res.end('x'.repeat(2048)));
        const send = make({ maxResponseBytes: 64 * 1024 });
        const signal = new AbortController().signal;
        for (const path of ['/declared', '/endless']) {
          const err = await failure(send({ url: origin + path, method: 'POST', headers: {}, body: '', signal }));
          expect(err.kind).toBe('too_large');
          expect(err.message).toContain('maxResponseBytes (65536 bytes)');
        }
        // The request's own limit wins over the transport's (the client always sets it).
        const err = await failure(send({ url: origin + '/small', method: 'POST', headers: {}, body: '', signal, maxResponseBytes: 1024 }));
        expect(err.kind).toBe('too_large');
        expect((await send({ url: origin + '/small', method: 'POST', headers: {}, body: '', signal })).body).toHaveLength(2048);
        // The server sees both connections go away: nothing keeps reading (or keeps alive) a hostile stream.
        await new Promise((r) => setTimeout(r, 50));
        expect(socketsClosed).toBe(2);
        expect(listeners(signal)).toBe(0);
      });
    }

    it('a limit that is not a positive whole number is a config error naming it', () => {
      for (const bad of [0, -1, 1.5, Number.NaN, '1024', 512 * 1024 * 1024]) {
        expect(() => createNodeHttpTransport({ maxResponseBytes: bad as number })).toThrow(AmsConfigError);
        expect(() => createAxiosTransport({ maxResponseBytes: bad as number })).toThrow(/maxResponseBytes/);
      }
      expect(() => createNodeHttpTransport({ maxResponseBytes: 512 })).toThrow(
        'Invalid createNodeHttpTransport config: maxResponseBytes: must be at least 1024 (bytes)',
      );
    });

    it('an unknown option or a wrong agent is refused as every options object refuses it', () => {
      const typo = { maxResponseByte: 4096 } as unknown as NodeHttpTransportOptions;
      expect(() => createNodeHttpTransport(typo)).toThrow(
        'Invalid createNodeHttpTransport config: unknown option "maxResponseByte" (did you mean "maxResponseBytes"?)',
      );
      expect(() => createAxiosTransport(typo)).toThrow(
        'Invalid createAxiosTransport config: unknown option "maxResponseByte" (did you mean "maxResponseBytes"?)',
      );
      expect(() => createNodeHttpTransport({ httpAgent: { keepAlive: true } as never })).toThrow(/httpAgent: must be a http\.Agent/);
      expect(() => createAxiosTransport({ axios: {} as never })).toThrow(/axios: must be an axios instance/);
      expect(() => createNodeHttpTransport(null as never)).toThrow(AmsConfigError);
    });
  });
});
