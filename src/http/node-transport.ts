// A transport on bare node:http / node:https with keep-alive: the default's direct path, and the benchmarks' floor.
// The option types by name: a default import in the published .d.ts would need esModuleInterop from every user.
import type { Agent as HttpAgent, ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { z } from 'zod';
import { lazy } from '../internal/lazy';
import { OPTION, parseOptions } from '../options';
import {
  abortedFailure,
  DEFAULT_MAX_RESPONSE_BYTES,
  flattenHeaders,
  RELEASES_SIGNAL,
  tooLargeFailure,
  TransportFailure,
  type HttpRequest,
  type HttpResponse,
  type Transport,
} from './types';

export interface NodeHttpTransportOptions {
  /** Agents to use; default keep-alive agents shared by every transport made here. */
  httpAgent?: HttpAgent;
  httpsAgent?: HttpsAgent;
  /** The most body bytes read from a response (default 1 MiB) when the request names no limit of its own. */
  maxResponseBytes?: number;
}

/**
 * node:http or node:https (the module object itself, whose `request` is looked up on every call, as a test double
 * such as msw replaces it), with the keep-alive agent every transport made here shares by default.
 */
interface Stack {
  module: { request(options: RequestOptions, onResponse: (res: IncomingMessage) => void): ClientRequest };
  agent: HttpAgent;
}

const optionsSchema = lazy(function buildNodeTransportOptions() {
  const agent = <A extends HttpAgent>(which: string) =>
    z.custom<A>((v) => typeof v === 'object' && v !== null && typeof (v as HttpAgent).destroy === 'function', {
      error: `must be a ${which}.Agent (for example new ${which}.Agent({ keepAlive: true }))`,
    });
  return z
    .object({
      httpAgent: agent<HttpAgent>('http').optional(),
      httpsAgent: agent<HttpsAgent>('https').optional(),
      maxResponseBytes: OPTION.maxResponseBytes.optional(),
    })
    .strict();
});

let plain: Stack | undefined;
let secure: Stack | undefined;

/**
 * Loads node:http or node:https on the first request to such a URL, not at import: a process that only verifies
 * notifications never loads them, and importing the package does not pay for them (bench/README.md, import overhead).
 */
async function loadStack(tls: boolean): Promise<Stack> {
  if (tls) {
    const { default: https } = await import('node:https');
    return (secure ??= { module: https, agent: new https.Agent({ keepAlive: true }) });
  }
  const { default: http } = await import('node:http');
  return (plain ??= { module: http, agent: new http.Agent({ keepAlive: true }) });
}

/**
 * Sends each request with node:http(s) directly: 0.2–0.4 ms less per request than axios on loopback. It ignores
 * proxy settings in the environment (the default transport sends proxied URLs through axios instead); pass it as
 * `transport: createNodeHttpTransport()` to go direct always, or with your own agents.
 */
export function createNodeHttpTransport(given?: NodeHttpTransportOptions): Transport {
  // The default transport makes one with no options: no schema to build for that.
  const options: NodeHttpTransportOptions = given === undefined ? {} : parseOptions(optionsSchema(), given, 'createNodeHttpTransport');
  const defaultLimit = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const send = (stack: Stack, tls: boolean, req: HttpRequest): Promise<HttpResponse> =>
    new Promise((resolve, reject) => {
      const { signal } = req;
      if (signal.aborted) return reject(abortedFailure(signal));
      let request: ClientRequest | undefined;
      // One listener instead of http.request's `signal` option, which wires a stream-abort helper per request;
      // destroying the request errors it (and its response), and fail() reports the signal's reason.
      const onAbort = (): void => void request?.destroy(new Error('aborted'));
      const fail = (err: unknown): void => {
        signal.removeEventListener('abort', onAbort);
        reject(signal.aborted ? abortedFailure(signal, causeOf(err)) : failureOf(err));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        const { hostname, port, path } = targetOf(req.url);
        request = stack.module.request(
          {
            method: req.method,
            hostname,
            port,
            path,
            agent: (tls ? options.httpsAgent : options.httpAgent) ?? stack.agent,
            headers: { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) },
          },
          (res) => {
            const limit = req.maxResponseBytes ?? defaultLimit;
            const chunks: Buffer[] = [];
            let size = 0;
            // A body past the limit (a hostile or broken peer, a proxy's endless stream) drops the connection at
            // once: nothing more is read, and the attempt fails like any broken exchange.
            const tooLarge = (): void => {
              signal.removeEventListener('abort', onAbort);
              res.removeAllListeners('data');
              res.on('error', () => undefined);
              request?.destroy();
              reject(tooLargeFailure(limit));
            };
            if (Number(res.headers['content-length']) > limit) return tooLarge();
            res.on('data', (c: Buffer) => {
              size += c.length;
              if (size > limit) tooLarge();
              else chunks.push(c);
            });
            // A body cut off mid-way (reset, truncated chunked encoding) errors here; without this the promise
            // would hang even after the timeout, since the request itself has already finished.
            res.on('error', fail);
            res.on('end', () => {
              signal.removeEventListener('abort', onAbort);
              // An AMS answer nearly always arrives in one chunk: decode it without copying.
              const body = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
              resolve({ status: res.statusCode ?? 0, headers: flattenHeaders(res.headers), body });
            });
          },
        );
        request.on('error', fail);
        request.end(req.body, 'utf8');
      } catch (err) {
        // A URL or header value node:http refuses throws synchronously: still a TransportFailure, per the contract.
        request?.destroy();
        fail(err);
      }
    });
  const transport = (req: HttpRequest): Promise<HttpResponse> => {
    const tls = /^https:/i.test(req.url);
    const stack = tls ? secure : plain;
    return stack ? send(stack, tls, req) : loadStack(tls).then((loaded) => send(loaded, tls, req));
  };
  // Every path above removes its abort listener before it settles.
  RELEASES_SIGNAL.add(transport);
  return transport;
}

/**
 * What went wrong, without the request (its headers carry the Signature) and without node's message, which for a
 * refused header value quotes the value (an Agent-Token): the error code and, for socket errors, where.
 */
function causeOf(err: unknown): Error | undefined {
  if (!(err instanceof Error)) return undefined;
  const { code, syscall, address, port } = err as NodeJS.ErrnoException & { address?: string; port?: number };
  const where = syscall ? ` (${syscall}${address ? ` ${address}${port ? `:${port}` : ''}` : ''})` : '';
  const cause = new Error(`${code ?? err.name}${where}`);
  if (code) (cause as NodeJS.ErrnoException).code = code;
  return cause;
}

/** Maps a socket error the way the axios transport does: an OS-level ETIMEDOUT is a timeout, the rest connection. */
function failureOf(err: unknown): TransportFailure {
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? 'ERR';
  const cause = causeOf(err);
  if (code === 'ETIMEDOUT') return new TransportFailure('timeout', `request timed out (${code})`, { cause });
  return new TransportFailure('connection', `connection failed (${code})`, { cause });
}

/** Where a URL points, as http.request takes it (IPv6 literals without their brackets). */
function targetOf(href: string): { hostname: string; port: string; path: string } {
  const url = new URL(href);
  return {
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port,
    path: url.pathname + url.search,
  };
}
