// For the notify-test suites: merchant endpoints on loopback (closed after each test), their bodies, and Alipay's test key pair.
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

export const NOTIFY_PATH = '/ams/notify';
const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const ALIPAY_PRIVATE = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
export const ALIPAY_PUBLIC = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => (s.closeAllConnections(), s.close(() => r())))));
});

/** Serves `listener` on a free loopback port until the test ends; the notify URL. */
export async function serve(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}${NOTIFY_PATH}`;
}

export function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts)));
  });
}

/** Closes the endpoint served last, before the test ends: its URL then has nothing listening. */
export function closeLast(): Promise<void> {
  return new Promise<void>((r) => servers.pop()!.close(() => r()));
}
