// An opt-in transport on bare node:http / node:https with keep-alive: the floor the benchmarks compare against.
import http from 'node:http';
import https from 'node:https';
import { abortedFailure, flattenHeaders, TransportFailure, type HttpRequest, type HttpResponse, type Transport } from './types';

export interface NodeHttpTransportOptions {
  /** Agents to use; default keep-alive agents shared by every transport made here. */
  httpAgent?: http.Agent;
  httpsAgent?: https.Agent;
}

const defaultHttpAgent = new http.Agent({ keepAlive: true });
const defaultHttpsAgent = new https.Agent({ keepAlive: true });

/**
 * Sends each request with node:http(s) directly. ~0.1 ms less CPU per request than the axios default; no proxy
 * support, no interceptors. Pass it as `transport: createNodeHttpTransport()` where that matters.
 */
export function createNodeHttpTransport(options: NodeHttpTransportOptions = {}): Transport {
  const httpAgent = options.httpAgent ?? defaultHttpAgent;
  const httpsAgent = options.httpsAgent ?? defaultHttpsAgent;
  // A client calls a handful of URLs over and over: parse each once.
  const urls = new Map<string, URL>();
  return (req: HttpRequest): Promise<HttpResponse> =>
    new Promise((resolve, reject) => {
      let url = urls.get(req.url);
      if (!url) {
        url = new URL(req.url);
        if (urls.size < 64) urls.set(req.url, url);
      }
      const secure = url.protocol === 'https:';
      const fail = (err: unknown): void => {
        const code = (err as NodeJS.ErrnoException | undefined)?.code ?? 'ERR';
        reject(req.signal.aborted ? abortedFailure(req.signal) : new TransportFailure('connection', `connection failed (${code})`));
      };
      if (req.signal.aborted) return fail(undefined);
      const body = Buffer.from(req.body, 'utf8');
      const request = (secure ? https : http).request(
        url,
        {
          method: req.method,
          agent: secure ? httpsAgent : httpAgent,
          headers: { ...req.headers, 'content-length': String(body.length) },
          signal: req.signal,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', fail);
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, headers: flattenHeaders(res.headers), body: Buffer.concat(chunks).toString('utf8') });
          });
        },
      );
      request.on('error', fail);
      request.end(body);
    });
}
