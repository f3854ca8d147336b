// ams-cashier/mocks/msw: the gateway as msw 2 request handlers on Alipay's origins (and any baseUrl), sandbox and production paths.
import { createRequire } from 'node:module';
import type { HttpHandler } from 'msw';
import { ACCELERATED_ORIGINS, REGION_ORIGINS } from '../src/api/endpoint';
import { AmsConfigError } from '../src/errors';
import { CASHIER_PATH } from './cashier';
import { createGatewayCore, type GatewayCore, type GatewayOptions, type GatewayReply } from './core';
import { checkGatewayOptionNames } from './option-names';

export interface AmsHandlersOptions extends GatewayOptions {
  /** Extra origins to answer on (a local baseUrl such as http://127.0.0.1:8080), besides open-na / open-sea. */
  baseUrl?: string | readonly string[];
  /** Share the state of an existing gateway core (e.g. one behind startAmsGateway) instead of creating one. */
  core?: GatewayCore;
}

/** The handlers, plus the gateway behind them (state, script, public key). Spread into setupServer / server.use. */
export type AmsHandlers = HttpHandler[] & { gateway: GatewayCore };

type Msw = typeof import('msw');
let msw: Msw | undefined;

/**
 * msw is an optional peer: only these handlers need it (the loopback gateway does not), so it is loaded on first use.
 * msw 2 recognises handlers by their `kind`, not by class identity, so its CommonJS build serves ESM callers too.
 */
function loadMsw(): Msw {
  if (msw) return msw;
  try {
    msw = createRequire(import.meta.url)('msw') as Msw;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'MODULE_NOT_FOUND' || !String((err as Error).message).includes("'msw'")) throw err;
    throw new AmsConfigError(
      'createAmsHandlers needs msw, which is not installed: run `npm install -D msw@^2` ' +
        '(startAmsGateway, the loopback gateway, works without it)',
      { field: 'msw', cause: err },
    );
  }
  return msw;
}

/** Turns a gateway reply into what msw sends: a Response, or a network error for `reset`. */
export function toMswResponse(reply: GatewayReply): Response {
  const { HttpResponse } = loadMsw();
  if (reply.reset) return HttpResponse.error();
  return new HttpResponse(reply.body, { status: reply.status, headers: reply.headers });
}

/**
 * msw 2 handlers for every API the gateway answers (pay and its lifecycle, sessions, consult, capture, customs) on
 * https://open-na.alipay.com and https://open-sea.alipay.com (and every `baseUrl`), sandbox and production paths,
 * plus the cashier page on the same origins. Example: `setupServer(...createAmsHandlers({ clientId, merchantPublicKey }))`; the returned array's
 * `gateway` gives the public key to configure as `alipayPublicKey`, `script()`, payments and notifications.
 */
export function createAmsHandlers(options: AmsHandlersOptions = {}): AmsHandlers {
  checkGatewayOptionNames(options, 'createAmsHandlers', ['baseUrl', 'core']);
  const { http } = loadMsw();
  const { baseUrl, core: shared, ...gatewayOptions } = options;
  const gateway = shared ?? createGatewayCore(gatewayOptions);
  const extra = baseUrl === undefined ? [] : typeof baseUrl === 'string' ? [baseUrl] : [...baseUrl];
  const origins = [
    ...new Set([...Object.values(REGION_ORIGINS), ...Object.values(ACCELERATED_ORIGINS), ...extra.map((u) => new URL(u).origin)]),
  ];

  const resolver = async ({ request }: { request: Request }): Promise<Response> => {
    const reply = await gateway.handle({
      method: request.method,
      url: request.url,
      headers: request.headers,
      // Bytes, not request.text(): text() drops a leading BOM, and the signature covers the bytes as sent.
      body: request.method === 'GET' || request.method === 'HEAD' ? '' : Buffer.from(await request.arrayBuffer()).toString('utf8'),
      signal: request.signal,
    });
    return toMswResponse(reply);
  };

  const handlers: HttpHandler[] = [];
  for (const origin of origins) {
    handlers.push(
      http.post(`${origin}/ams/api/v1/:family/:api`, resolver),
      http.post(`${origin}/ams/sandbox/api/v1/:family/:api`, resolver),
      http.get(`${origin}${CASHIER_PATH}`, resolver),
      http.post(`${origin}${CASHIER_PATH}/:action`, resolver),
    );
  }
  return Object.assign(handlers, { gateway });
}
