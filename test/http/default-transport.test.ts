// The default transport over real sockets: direct with node:http, or through the environment's proxy via axios.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAmsGateway, type AmsGateway } from '../../mocks/index';
import { AmsClient, AmsConnectionError, AmsHttpError, createNodeHttpTransport, TransportFailure } from '../../src/index';
import { createDefaultTransport } from '../../src/http/index';
import { payRequest } from '../helpers/client';
import { alipay, merchant } from '../helpers/keys';
import { clearProxyEnv } from '../setup/no-proxy-env';

const CLIENT = 'SANDBOX_PROXY_ROUTING';

/** A plain forward proxy for http:// targets: records each absolute-form request line and relays it. */
function startForwardProxy(): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '/');
    const upstream = http.request(
      {
        hostname: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: req.method,
        headers: { ...req.headers, host: target.host },
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end('upstream failed'));
    req.pipe(upstream);
  });
  // HTTPS targets arrive as CONNECT host:port; this proxy records the tunnel request and refuses it.
  server.on('connect', (req: IncomingMessage, socket: import('node:net').Socket) => {
    seen.push(`CONNECT ${req.url}`);
    socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        seen,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    }),
  );
}

let gw: AmsGateway;
let proxy: Awaited<ReturnType<typeof startForwardProxy>>;
/** Answers every request with 200 "ok" and records its User-Agent. */
const capture = { url: '', agents: [] as Array<string | undefined>, server: undefined as http.Server | undefined };
/** A port held open by a plain TCP listener that closes every connection: nothing speaks TLS there. */
let capturePortForHttps = 0;
let tlsless: net.Server;

beforeAll(async () => {
  gw = await startAmsGateway({ clientId: CLIENT, merchantPublicKey: merchant.publicSpkiPem, alipayPrivateKey: alipay.privatePem });
  proxy = await startForwardProxy();
  capture.server = http.createServer((req, res) => {
    capture.agents.push(req.headers['user-agent']);
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
  });
  await new Promise<void>((r) => capture.server!.listen(0, '127.0.0.1', r));
  capture.url = `http://127.0.0.1:${(capture.server.address() as AddressInfo).port}/ams/api/v1/payments/pay`;
  tlsless = net.createServer((socket) => socket.destroy());
  await new Promise<void>((r) => tlsless.listen(0, '127.0.0.1', r));
  capturePortForHttps = (tlsless.address() as AddressInfo).port;
});
afterAll(async () => {
  capture.server?.closeAllConnections();
  await new Promise((r) => capture.server?.close(r));
  await new Promise((r) => tlsless.close(r));
  await proxy.close();
  await gw.close();
});
afterEach(() => {
  // The setup file started this file with no proxy variables; leave it that way for the next test.
  clearProxyEnv();
  proxy.seen.length = 0;
});

const client = (transport?: ReturnType<typeof createDefaultTransport>) =>
  new AmsClient({
    clientId: CLIENT,
    privateKey: merchant.privatePkcs8Pem,
    alipayPublicKey: gw.alipayPublicKey,
    baseUrl: gw.url,
    ...(transport ? { transport } : {}),
  });

describe('default transport', () => {
  it('goes direct when no proxy is configured', async () => {
    clearProxyEnv();
    const res = await client().pay(payRequest({ paymentRequestId: 'px-direct-1' }));
    expect(res.result.resultCode).toBe('PAYMENT_IN_PROCESS');
    expect(proxy.seen).toEqual([]);
    expect(gw.getPayment('px-direct-1')).toBeDefined();
  });

  it('sends through HTTP_PROXY (axios) and the signed answer still verifies', async () => {
    clearProxyEnv();
    process.env['HTTP_PROXY'] = proxy.url;
    const c = client();
    const res = await c.pay(payRequest({ paymentRequestId: 'px-proxied-1' }));
    expect(res.result.resultCode).toBe('PAYMENT_IN_PROCESS');
    const inquiry = await c.inquiryPayment({ paymentRequestId: 'px-proxied-1' });
    expect(inquiry.paymentRequestId).toBe('px-proxied-1');
    expect(proxy.seen).toEqual([
      `POST ${gw.url}/ams/sandbox/api/v1/payments/pay`,
      `POST ${gw.url}/ams/sandbox/api/v1/payments/inquiryPayment`,
    ]);
  });

  it('honours NO_PROXY the way axios does', async () => {
    clearProxyEnv();
    process.env['HTTP_PROXY'] = proxy.url;
    process.env['NO_PROXY'] = '127.0.0.1';
    const res = await client().pay(payRequest({ paymentRequestId: 'px-noproxy-1' }));
    expect(res.result.resultCode).toBe('PAYMENT_IN_PROCESS');
    expect(proxy.seen).toEqual([]);
  });

  it('reads the environment once per URL: a proxy set after the first call is not used by that client', async () => {
    clearProxyEnv();
    const c = client();
    await c.pay(payRequest({ paymentRequestId: 'px-late-1' }));
    process.env['HTTP_PROXY'] = proxy.url;
    await c.pay(payRequest({ paymentRequestId: 'px-late-2' }));
    expect(proxy.seen).toEqual([]);
    // A new client reads it.
    await client().pay(payRequest({ paymentRequestId: 'px-late-3' }));
    expect(proxy.seen).toHaveLength(1);
  });

  it('a proxy that is down is a typed, retried connection failure', async () => {
    clearProxyEnv();
    // A proxy that accepts and drops every connection (the port stays ours, so no other test can take it).
    const dropper = net.createServer((socket) => socket.destroy());
    await new Promise<void>((r) => dropper.listen(0, '127.0.0.1', r));
    process.env['HTTP_PROXY'] = `http://127.0.0.1:${(dropper.address() as AddressInfo).port}`;
    const c = new AmsClient({
      clientId: CLIENT,
      privateKey: merchant.privatePkcs8Pem,
      alipayPublicKey: gw.alipayPublicKey,
      baseUrl: gw.url,
      maxRetries: 1,
      clock: { now: () => new Date(), sleep: async () => {} },
    });
    const err = await c.pay(payRequest({ paymentRequestId: 'px-down-1' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsConnectionError);
    expect((err as AmsConnectionError).attempts).toBe(2);
    expect(gw.getPayment('px-down-1')).toBeUndefined();
    await new Promise((r) => dropper.close(r));
  });

  // Which client sent a request: axios announces itself in User-Agent; the direct path sends none.
  async function senderOf(url: string): Promise<'node:http' | 'axios' | 'nothing'> {
    const send = createDefaultTransport();
    const before = capture.agents.length;
    await send({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', signal: new AbortController().signal });
    const ua = capture.agents[before];
    return capture.agents.length === before ? 'nothing' : ua === undefined ? 'node:http' : /^axios\//.test(ua) ? 'axios' : 'nothing';
  }

  it('the direct path is bare node:http, not axios (the 0.2–0.4 ms per call the default exists to save)', async () => {
    clearProxyEnv();
    expect(await senderOf(capture.url)).toBe('node:http');
    process.env['HTTP_PROXY'] = proxy.url;
    expect(await senderOf(capture.url)).toBe('axios');
    expect(proxy.seen).toEqual([`POST ${capture.url}`]);
  });

  it('reads lower-case http_proxy too', async () => {
    clearProxyEnv();
    process.env['http_proxy'] = proxy.url;
    expect(await senderOf(capture.url)).toBe('axios');
    expect(proxy.seen).toEqual([`POST ${capture.url}`]);
  });

  it('NO_PROXY / no_proxy send the URL direct, and through node:http rather than axios', async () => {
    for (const noProxy of ['NO_PROXY', 'no_proxy']) {
      clearProxyEnv();
      process.env['HTTP_PROXY'] = proxy.url;
      process.env[noProxy] = '127.0.0.1';
      expect(await senderOf(capture.url), noProxy).toBe('node:http');
    }
    expect(proxy.seen).toEqual([]);
  });

  it('an https endpoint goes through HTTPS_PROXY (a CONNECT tunnel) and ignores HTTP_PROXY', async () => {
    const httpsUrl = `https://127.0.0.1:${capturePortForHttps}/ams/api/v1/payments/pay`;
    const request = { url: httpsUrl, method: 'POST' as const, headers: {}, body: '{}' };
    clearProxyEnv();
    process.env['HTTPS_PROXY'] = proxy.url;
    // This proxy refuses the tunnel; axios reports the proxy's 403 as the answer. What matters here is the route.
    const refused = await createDefaultTransport()({ ...request, signal: new AbortController().signal });
    expect(refused.status).toBe(403);
    expect(proxy.seen).toEqual([`CONNECT 127.0.0.1:${capturePortForHttps}`]);
    // Through a client, the refusal is a typed AmsHttpError carrying the proxy's status (as the README says).
    const viaClient = new AmsClient({
      clientId: CLIENT,
      privateKey: merchant.privatePkcs8Pem,
      alipayPublicKey: gw.alipayPublicKey,
      baseUrl: `https://127.0.0.1:${capturePortForHttps}`,
    });
    const err = await viaClient.pay(payRequest({ paymentRequestId: 'px-https-1' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmsHttpError);
    expect((err as AmsHttpError).httpStatus).toBe(403);
    proxy.seen.length = 0;
    clearProxyEnv();
    process.env['HTTP_PROXY'] = proxy.url;
    // Nothing listens for TLS there: a direct attempt fails on its own, and the proxy must not see it.
    await expect(createDefaultTransport()({ ...request, signal: new AbortController().signal })).rejects.toBeInstanceOf(TransportFailure);
    expect(proxy.seen).toEqual([]);
  });

  it('createNodeHttpTransport() ignores the proxy environment', async () => {
    clearProxyEnv();
    process.env['HTTP_PROXY'] = proxy.url;
    const res = await client(createNodeHttpTransport()).pay(payRequest({ paymentRequestId: 'px-node-1' }));
    expect(res.result.resultCode).toBe('PAYMENT_IN_PROCESS');
    expect(proxy.seen).toEqual([]);
  });
});
