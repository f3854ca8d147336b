// Every request a page makes stays on this machine: loopback goes through, Antom's web SDK hosts are answered by the
// embedded gateway, anything else is aborted and recorded. Redirects are followed here: playwright routes only the
// first request of a redirect chain, so a Location the browser followed itself could leave the machine.
import type { BrowserContext, Route } from 'playwright-core';
import { SDK_PAGE_HOSTS, SDK_RPC_HOSTS } from '../../mocks/index';

/** Antom's hosts the SDK loads pages from or sends RPCs to; answered by the gateway. */
const ROUTED_HOSTS = new Set<string>([...SDK_PAGE_HOSTS, ...Object.values(SDK_RPC_HOSTS)]);

/** One RPC the SDK sent to /mgw.htm, as it left the browser. */
export interface SdkRpc {
  host: string;
  operationType: string | undefined;
  origin: string | undefined;
  body: unknown;
}

export interface RouteLog {
  rpcs: SdkRpc[];
  /** The SDK's page loads, as `host + path`. */
  pages: string[];
  /** Everything refused (the SDK's telemetry, risk and CDN calls). */
  aborted: string[];
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** The URL a request for `url` is sent to: the gateway for a routed host, itself on loopback, nothing otherwise. */
function target(url: URL, gatewayUrl: string): string | undefined {
  if (url.hostname === '127.0.0.1') return url.href;
  if (ROUTED_HOSTS.has(url.hostname)) return `${gatewayUrl}${url.pathname}${url.search}`;
  return undefined;
}

export async function routeToGateway(context: BrowserContext, gatewayUrl: string): Promise<RouteLog> {
  const log: RouteLog = { rpcs: [], pages: [], aborted: [] };
  await context.route('**/*', async (route: Route) => {
    const request = route.request();
    const url = new URL(request.url());
    if (url.hostname === '127.0.0.1') return route.continue();
    let to = target(url, gatewayUrl);
    if (to === undefined) {
      log.aborted.push(`${url.host}${url.pathname}`);
      return route.abort();
    }
    if (url.pathname === '/mgw.htm' && request.method() === 'POST') {
      const headers = request.headers();
      log.rpcs.push({ host: url.host, operationType: headers['operation-type'], origin: headers['origin'], body: request.postDataJSON() });
    } else if (request.resourceType() === 'document') log.pages.push(`${url.host}${url.pathname}`);
    let method = request.method();
    for (let hop = 0; hop < 5; hop++) {
      const response = await route.fetch({ url: to, method, maxRedirects: 0 });
      const location = response.headers()['location'];
      if (!REDIRECTS.has(response.status()) || !location) return route.fulfill({ response });
      const next = new URL(location, url);
      to = target(next, gatewayUrl);
      if (to === undefined) {
        log.aborted.push(`${next.host}${next.pathname} (redirect)`);
        return route.abort();
      }
      if (response.status() === 303) method = 'GET';
    }
    return route.abort();
  });
  return log;
}
