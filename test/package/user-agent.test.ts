// Every request names the package and Node in its User-Agent, on the wire, unless the client overrides it.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmsConfigError, VERSION } from '../../src/index';
import { defaultUserAgent } from '../../src/version';
import { payRequest, testClient } from '../helpers/client';
import pkg from '../../package.json';

const seen: IncomingHttpHeaders[] = [];
const server = createServer((req, res) => {
  seen.push(req.headers);
  req.resume();
  req.on('end', () => res.writeHead(404, { 'content-type': 'text/plain' }).end('no such api'));
});
let baseUrl = '';

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

describe('User-Agent', () => {
  it('VERSION is the version in package.json', () => {
    expect(VERSION).toBe(pkg.version);
  });

  it('defaults to ams-cashier/<version> node/<version> on the wire', async () => {
    seen.length = 0;
    const { client } = testClient({ region: undefined, baseUrl, maxRetries: 0 });
    await expect(client.pay(payRequest())).rejects.toThrow();
    expect(seen).toHaveLength(1);
    expect(seen[0]!['user-agent']).toBe(`ams-cashier/${pkg.version} node/${process.versions.node}`);
    expect(defaultUserAgent('22.1.0')).toBe(`ams-cashier/${pkg.version} node/22.1.0`);
  });

  it('the userAgent option replaces it', async () => {
    seen.length = 0;
    const { client } = testClient({ region: undefined, baseUrl, maxRetries: 0, userAgent: 'shop-backend/3.2 (ops@shop.example)' });
    await expect(client.pay(payRequest())).rejects.toThrow();
    expect(seen[0]!['user-agent']).toBe('shop-backend/3.2 (ops@shop.example)');
  });

  it('a userAgent that cannot be a header value is a config error naming the option', () => {
    expect(() => testClient({ userAgent: 'shop\r\nX-Evil: 1' })).toThrow(AmsConfigError);
    expect(() => testClient({ userAgent: 'shop\r\nX-Evil: 1' })).toThrow(/userAgent: must be printable ASCII/);
    expect(() => testClient({ userAgent: '' })).toThrow(/userAgent: must not be empty/);
  });
});
