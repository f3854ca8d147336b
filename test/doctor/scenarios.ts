// One embedded gateway on loopback that answers every doctor verdict, and the servers for the network failures.
import { createServer as createHttpsServer } from 'node:https';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startAmsGateway, type AmsGateway, type GatewayEvent } from '../../mocks/index';
import { alipay, keyFile, merchant, other } from '../helpers/keys';

/** Each client id stands for one way credentials go wrong (or right). */
export const CLIENT = {
  ok: 'SANDBOX_DOCTOR_OK',
  wrongKey: 'SANDBOX_DOCTOR_WRONG_KEY',
  noKey: 'SANDBOX_DOCTOR_NO_KEY',
  unknown: 'SANDBOX_DOCTOR_UNKNOWN',
  wrongEnvironment: 'SANDBOX_DOCTOR_LIVE_ONLY',
  inactive: 'SANDBOX_DOCTOR_INACTIVE',
} as const;

export interface DoctorWorld {
  gateway: AmsGateway;
  /** The APIs the gateway was asked for, in order. */
  received(): string[];
  /** The origin of a loopback HTTPS server with a self-signed certificate. */
  tlsOrigin: string;
  /** An origin where nothing listens. */
  refusedOrigin: string;
  /** An origin that answers every request with HTTP 407, as a proxy wanting credentials does. */
  proxyAuthOrigin: string;
  close(): Promise<void>;
}

function listen(server: Server | ReturnType<typeof createHttpsServer>): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function close(server: Server | ReturnType<typeof createHttpsServer>): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

export async function startDoctorWorld(options: { clockSkewMs?: number } = {}): Promise<DoctorWorld> {
  const skew = options.clockSkewMs ?? 0;
  const gateway = await startAmsGateway({
    alipayPrivateKey: alipay.privatePem,
    merchants: {
      [CLIENT.ok]: merchant.publicSpkiPem,
      [CLIENT.wrongKey]: other.publicPem,
      [CLIENT.noKey]: merchant.publicSpkiPem,
      [CLIENT.wrongEnvironment]: merchant.publicSpkiPem,
      [CLIENT.inactive]: merchant.publicSpkiPem,
    },
    credentials: {
      [CLIENT.noKey]: { keyVersions: ['2'] },
      [CLIENT.wrongEnvironment]: { registeredIn: 'live' },
      [CLIENT.inactive]: { productActivated: false },
    },
    ...(skew ? { clock: { now: () => new Date(Date.now() + skew) } } : {}),
  });
  const events: GatewayEvent[] = [];
  gateway.core.on((e) => void events.push(e));

  // The certificate is the merchant test key's self-signed certificate: no client trusts it.
  const tls = createHttpsServer({ key: merchant.privatePkcs8Pem, cert: keyFile('merchant_cert.pem') }, (_req, res) => res.end('{}'));
  const tlsPort = await listen(tls);
  const gone = createServer();
  const refusedPort = await listen(gone);
  await close(gone);
  const proxy = createServer((req, res) => {
    req.resume();
    res
      .writeHead(407, { 'proxy-authenticate': 'Basic realm="corp"', 'content-type': 'text/html' })
      .end('<html><body>407 Proxy Authentication Required</body></html>');
  });
  const proxyPort = await listen(proxy);

  return {
    gateway,
    received: () => events.filter((e) => e.type === 'request.received').map((e) => e.api ?? '?'),
    tlsOrigin: `https://127.0.0.1:${tlsPort}`,
    refusedOrigin: `http://127.0.0.1:${refusedPort}`,
    proxyAuthOrigin: `http://127.0.0.1:${proxyPort}`,
    async close() {
      await Promise.all([gateway.close(), close(tls), close(proxy)]);
    },
  };
}
