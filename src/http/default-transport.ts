// The transport a client gets when it is given none: bare node:http, or axios where the environment names a proxy.
import { createNodeHttpTransport } from './node-transport';
import { createAxiosTransport } from './axios-transport';
import { RELEASES_SIGNAL, type HttpRequest, type HttpResponse, type Transport } from './types';

/**
 * Sends each request with node:http directly (keep-alive, nothing between the signed string and the socket), unless
 * the environment routes that URL through a proxy (`HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY`, minus `NO_PROXY`):
 * those requests go through axios, which tunnels through the proxy. The rule is the resolver axios itself uses
 * (proxy-from-env), so every URL axios would proxy goes to axios; axios bypasses a few more on its own (CIDR ranges
 * in NO_PROXY), which then go direct through axios: slower, never wrong.
 *
 * Why not axios for everything: its request pipeline costs 0.2–0.4 ms per call over a bare node:http POST, which
 * alone broke the loopback budget of ≤ 1.25× the hand-written floor (bench/README.md). The environment is read once
 * per URL, on the first call to it; a proxy set in process.env later is not seen by an existing client.
 */
export function createDefaultTransport(): Transport {
  const direct = createNodeHttpTransport();
  let proxied: Transport | undefined;
  const viaProxy = new Map<string, boolean>();
  const send = (req: HttpRequest, useProxy: boolean): Promise<HttpResponse> => {
    // Remembered because a URL's route is decided once (above), not for speed: the lookup costs about 5 µs.
    // The bound guards against a caller that builds URLs without end.
    if (!viaProxy.has(req.url) && viaProxy.size < 64) viaProxy.set(req.url, useProxy);
    if (!useProxy) return direct(req);
    proxied ??= createAxiosTransport();
    return proxied(req);
  };
  const transport = (req: HttpRequest): Promise<HttpResponse> => {
    const known = viaProxy.get(req.url);
    if (known !== undefined) return send(req, known);
    if (!namesAProxy(req.url)) return send(req, false);
    return import('proxy-from-env').then(({ getProxyForUrl }) => send(req, getProxyForUrl(req.url) !== ''));
  };
  // Both routes let go of the signal when they settle: node:http above, and axios's http adapter, which removes its
  // abort listener when the request is done.
  RELEASES_SIGNAL.add(transport);
  return transport;
}

/**
 * Whether the environment names a proxy for this URL's scheme (`<scheme>_proxy` or `all_proxy`, either case): the
 * variables without which proxy-from-env answers "direct" whatever NO_PROXY says. Only then is proxy-from-env loaded
 * to decide, so a process that never goes through a proxy never loads it (the doctor asks the same way).
 */
export function namesAProxy(url: string): boolean {
  const scheme = url.slice(0, Math.max(0, url.indexOf(':'))).toLowerCase();
  const env = process.env;
  return [`${scheme}_proxy`, 'all_proxy'].some((name) => Boolean(env[name] || env[name.toUpperCase()]));
}
