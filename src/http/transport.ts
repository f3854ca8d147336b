// The only module that imports axios: the transport for proxied URLs and for callers who bring an axios instance.
import http from 'node:http';
import https from 'node:https';
import axios, { AxiosError, type AxiosInstance } from 'axios';
import {
  abortedFailure,
  flattenHeaders,
  maxResponseBytesOption,
  tooLargeFailure,
  TransportFailure,
  type HttpRequest,
  type HttpResponse,
  type Transport,
} from './types';

/** Options for the axios transport. */
export interface AxiosTransportOptions {
  /** Bring your own axios instance (proxies, interceptors). Response parsing is turned off per request. */
  axios?: AxiosInstance;
  /** The most body bytes read from a response (default 1 MiB) when the request names no limit of its own. */
  maxResponseBytes?: number;
}

const httpAgent = new http.Agent({ keepAlive: true });
const httpsAgent = new https.Agent({ keepAlive: true });

/**
 * Sends through axios with keep-alive agents, text bodies, no redirects, every status returned. The default transport
 * uses it for URLs the environment routes through a proxy (axios tunnels HTTPS through HTTPS_PROXY); pass it yourself
 * with `{ axios }` to use your instance's interceptors or a proxy set in code.
 */
export function createAxiosTransport(options: AxiosTransportOptions = {}): Transport {
  const instance = options.axios ?? axios.create({ httpAgent, httpsAgent });
  const defaultLimit = maxResponseBytesOption(options.maxResponseBytes);
  return async (req: HttpRequest): Promise<HttpResponse> => {
    const limit = req.maxResponseBytes ?? defaultLimit;
    try {
      const res = await instance.request<string>({
        url: req.url,
        method: req.method,
        headers: req.headers,
        data: req.body,
        signal: req.signal,
        responseType: 'text',
        // Keep the raw text: the signature covers the exact bytes, so nothing may parse or reformat them.
        transformRequest: [(data: unknown) => data],
        transformResponse: [(data: unknown) => data],
        validateStatus: () => true,
        maxRedirects: 0,
        decompress: true,
        // Counted after decompression, so a small compressed bomb is caught too; axios drops the stream past it.
        maxContentLength: limit,
      });
      return { status: res.status, headers: flattenHeaders(res.headers ?? {}), body: typeof res.data === 'string' ? res.data : String(res.data ?? '') };
    } catch (err) {
      throw toFailure(err, req.signal, limit);
    }
  };
}

/**
 * An axios error carries the whole request config (headers with the Signature and Agent-Token) and would print it
 * under inspect(); keep only its code and message so no secret can reach a log through an error's cause.
 */
function sanitized(err: unknown): Error {
  if (err instanceof AxiosError) {
    const e = new Error(`${err.code ?? 'ERR'}: ${err.message}`);
    (e as Error & { code?: string }).code = err.code;
    return e;
  }
  return err instanceof Error ? new Error(`${err.name}: ${err.message}`) : new Error(String(err));
}

function toFailure(err: unknown, signal: AbortSignal, limit: number): TransportFailure {
  const cause = sanitized(err);
  if (signal.aborted) return abortedFailure(signal, cause);
  if (err instanceof AxiosError) {
    if (err.message.startsWith('maxContentLength size of')) return tooLargeFailure(limit);
    const code = err.code ?? 'ERR';
    if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') return new TransportFailure('timeout', `request timed out (${code})`, { cause });
    return new TransportFailure('connection', `connection failed (${code}: ${err.message})`, { cause });
  }
  return new TransportFailure('connection', `connection failed (${cause.message})`, { cause });
}
