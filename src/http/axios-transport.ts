// The transport through axios: for proxied URLs and for callers who bring their own axios instance.
import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import type { AxiosInstance, AxiosStatic } from 'axios';
import { z } from 'zod';
import { lazy } from '../internal/lazy';
import { OPTION, parseOptions } from '../options';
import {
  abortedFailure,
  flattenHeaders,
  DEFAULT_MAX_RESPONSE_BYTES,
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

const optionsSchema = lazy(function buildAxiosTransportOptions() {
  return z
    .object({
      axios: z
        .custom<AxiosInstance>((v) => typeof v === 'function' && typeof (v as AxiosInstance).request === 'function', {
          error: 'must be an axios instance (axios.create({ … }))',
        })
        .optional(),
      maxResponseBytes: OPTION.maxResponseBytes.optional(),
    })
    .strict();
});

// axios and its dependencies take longer to load than the rest of the package together, and the default transport
// needs them only for proxied URLs: they load when an axios transport without an instance of its own is created,
// synchronously (require, not import()), so the load never eats into a request's timeout.
let ownInstance: AxiosInstance | undefined;
function defaultInstance(): AxiosInstance {
  if (!ownInstance) {
    const axios = createRequire(import.meta.url)('axios') as AxiosStatic;
    ownInstance = axios.create({ httpAgent: new http.Agent({ keepAlive: true }), httpsAgent: new https.Agent({ keepAlive: true }) });
  }
  return ownInstance;
}

/**
 * Sends through axios with keep-alive agents, text bodies, no redirects, every status returned. The default transport
 * uses it for URLs the environment routes through a proxy (axios tunnels HTTPS through HTTPS_PROXY); pass it yourself
 * with `{ axios }` to use your instance's interceptors or a proxy set in code.
 */
export function createAxiosTransport(given?: AxiosTransportOptions): Transport {
  const options: AxiosTransportOptions = given === undefined ? {} : parseOptions(optionsSchema(), given, 'createAxiosTransport');
  const defaultLimit = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const instance = options.axios ?? defaultInstance();
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
      return {
        status: res.status,
        headers: flattenHeaders(res.headers ?? {}),
        body: typeof res.data === 'string' ? res.data : String(res.data ?? ''),
      };
    } catch (err) {
      throw toFailure(err, req.signal, limit);
    }
  };
}

/** What axios's own `isAxiosError` checks: a flag, so an error from any copy of axios (ESM, CommonJS) is recognised. */
interface AxiosErrorLike extends Error {
  isAxiosError: true;
  code?: string;
}
function isAxiosError(err: unknown): err is AxiosErrorLike {
  return err instanceof Error && (err as Partial<AxiosErrorLike>).isAxiosError === true;
}

/**
 * An axios error carries the whole request config (headers with the Signature and Agent-Token) and would print it
 * under inspect(); keep only its code and message so no secret can reach a log through an error's cause.
 */
function sanitized(err: unknown): Error {
  if (isAxiosError(err)) {
    const e = new Error(`${err.code ?? 'ERR'}: ${err.message}`);
    (e as Error & { code?: string }).code = err.code;
    return e;
  }
  return err instanceof Error ? new Error(`${err.name}: ${err.message}`) : new Error(String(err));
}

function toFailure(err: unknown, signal: AbortSignal, limit: number): TransportFailure {
  const cause = sanitized(err);
  if (signal.aborted) return abortedFailure(signal, cause);
  if (isAxiosError(err)) {
    if (err.message.startsWith('maxContentLength size of')) return tooLargeFailure(limit);
    const code = err.code ?? 'ERR';
    if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') return new TransportFailure('timeout', `request timed out (${code})`, { cause });
    return new TransportFailure('connection', `connection failed (${code}: ${err.message})`, { cause });
  }
  return new TransportFailure('connection', `connection failed (${cause.message})`, { cause });
}
