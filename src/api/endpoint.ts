// Where each AMS API lives: origin by region or baseUrl, sandbox or production path. Pure.
import { AmsConfigError } from '../errors';
import { unknownOptionIssue } from '../internal/suggest';

/**
 * Antom's API domains per region (API overview): the standard one, the default, and the accelerated one (Alibaba
 * Cloud's global acceleration, recommended by Antom for calls from far away). Europe has only the accelerated domain
 * for online payments (`open-eu.alipay.com` serves in-store payments only).
 */
export const REGION_ORIGINS = {
  NA: 'https://open-na.alipay.com',
  SEA: 'https://open-sea.alipay.com',
  EU: 'https://open-de-global.alipay.com',
} as const;
export const ACCELERATED_ORIGINS = {
  NA: 'https://open-na-global.alipay.com',
  SEA: 'https://open-sea-global.alipay.com',
  EU: 'https://open-de-global.alipay.com',
} as const;

export type Region = keyof typeof REGION_ORIGINS;
export const REGIONS = Object.keys(REGION_ORIGINS) as [Region, ...Region[]];

/** The modelled APIs under /v1/payments/; any other API is called by its full `/v1/...` path. */
export const AMS_APIS = [
  'pay',
  'inquiryPayment',
  'cancel',
  'refund',
  'inquiryRefund',
  'acceptDispute',
  'supplyDefenseDocument',
  'downloadDisputeEvidence',
  'inquireExchangeRate',
  'consult',
  'capture',
  'createPaymentSession',
  'retrievePaymentSession',
] as const;

export interface EndpointOptions {
  region?: Region | undefined;
  /** The region's accelerated domain (`open-na-global`, `open-sea-global`); EU has only that one. Default false. */
  accelerated?: boolean | undefined;
  sandbox?: boolean | undefined;
  /** Replaces only the origin (scheme, host, port): for proxies and local gateways. */
  baseUrl?: string | undefined;
}

/** The modelled APIs that live outside /v1/payments/, by name: the customs declaration family. */
export const CUSTOMS_APIS = ['declare', 'inquiryDeclarationRequests'] as const;

/** An API the package models, by name, or any AMS API by its full path as the docs write it. */
export type AmsApi = (typeof AMS_APIS)[number] | (typeof CUSTOMS_APIS)[number] | `/v1/${string}`;

/** A full AMS path as the docs write it, `/v1/<family>/<api>` (e.g. `/v1/payments/createPaymentSession`, `/v1/vaults/vaultPaymentMethod`). */
const FULL_PATH_RE = /^\/v1(\/[A-Za-z][A-Za-z0-9_]*){2,3}$/;

/** Whether `path` is a full AMS path such as `/v1/customs/declare` (what `client.request` takes). */
export function isAmsPath(path: unknown): path is `/v1/${string}` {
  return typeof path === 'string' && FULL_PATH_RE.test(path);
}

/** API families that have no sandbox path: the official SDKs call them on the production path from sandbox too. */
const NO_SANDBOX_PATH = /^\/v1\/risk\//;

/**
 * The path that is both signed and sent. `api` is an API name (`pay`, `declare`: its family is known) or a full
 * `/v1/...` path as the AMS docs write it; either way the sandbox rule is the same: `/ams/sandbox/api` in front,
 * except for the risk APIs (`/v1/risk/…`), which keep the production path in sandbox (the Java SDK's
 * `usingSandboxUrl()` is false for them).
 */
export function apiPath(api: AmsApi | (string & {}), sandbox: boolean): string {
  const v1 = api.startsWith('/') ? api : `/v1/${(CUSTOMS_APIS as readonly string[]).includes(api) ? 'customs' : 'payments'}/${api}`;
  return `${sandbox && !NO_SANDBOX_PATH.test(v1) ? '/ams/sandbox/api' : '/ams/api'}${v1}`;
}

/** The origin a region (and the accelerated choice) gives, or undefined for a region that is not one. */
export function regionOrigin(region: string, accelerated = false): string | undefined {
  if (!Object.hasOwn(REGION_ORIGINS, region)) return undefined;
  return (accelerated ? ACCELERATED_ORIGINS : REGION_ORIGINS)[region as Region];
}

/**
 * A baseUrl as it may appear in a message: without user info, query or fragment, which can carry credentials
 * (`?token=…`, `user:pass@`), and cut short.
 */
export function shownUrl(baseUrl: string): string {
  const shown = baseUrl.replace(/[?#].*$/s, '').replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1<credentials>@');
  return `${shown.slice(0, 80)}${shown.length > 80 ? '…' : ''}${/[?#]/.test(baseUrl) ? '?<query not shown>' : ''}`;
}

/** Validates a baseUrl and returns its origin. A path other than "/" is refused: the AMS path rules always apply. */
export function originOf(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new AmsConfigError(`baseUrl "${shownUrl(baseUrl)}" is not an absolute URL (expected e.g. http://127.0.0.1:8080)`, {
      field: 'baseUrl',
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new AmsConfigError(`baseUrl must use http or https, got ${url.protocol}`, { field: 'baseUrl' });
  if (url.username || url.password)
    throw new AmsConfigError('baseUrl must not carry credentials (user:password@); put proxy authentication in a custom transport', {
      field: 'baseUrl',
    });
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash)
    throw new AmsConfigError(
      `baseUrl "${shownUrl(baseUrl)}" has a path, query or fragment; it replaces only the origin, and the signed path is always /ams/…/v1/<family>/<api>`,
      { field: 'baseUrl' },
    );
  return url.origin;
}

const ENDPOINT_OPTIONS = ['region', 'accelerated', 'sandbox', 'baseUrl'];

/** `{ url, path }` for an API name or `/v1/...` path: region → Alipay's origin, baseUrl → that origin, sandbox → /ams/sandbox/api. */
export function resolveEndpoint(options: EndpointOptions, api: AmsApi | (string & {})): { url: string; path: string } {
  // Any API name (letters) is a /v1/payments/ API, as the public surface promises; the client's own calls are typed AmsApi.
  if (typeof api !== 'string' || (!/^[A-Za-z]+$/.test(api) && !FULL_PATH_RE.test(api))) {
    throw new AmsConfigError(
      `"${String(api).slice(0, 80)}" is not an AMS API name (e.g. "pay") or path ` +
        '(e.g. "/v1/payments/inquireExchangeRate", without /ams/api: the sandbox rule adds it)',
      { field: 'api' },
    );
  }
  if (options === null || typeof options !== 'object')
    throw new AmsConfigError('resolveEndpoint needs { region } or { baseUrl } (with sandbox and accelerated when wanted)', {
      field: 'options',
    });
  const unknown = unknownOptionIssue(options, ENDPOINT_OPTIONS);
  if (unknown) throw new AmsConfigError(`Invalid resolveEndpoint options: ${unknown.message}`, { field: unknown.field });
  let origin: string;
  if (options.baseUrl !== undefined) origin = originOf(options.baseUrl);
  else if (options.region !== undefined) {
    origin = regionOrigin(options.region, options.accelerated === true) ?? '';
    if (!origin)
      throw new AmsConfigError(`region must be one of ${REGIONS.join(', ')}, got "${String(options.region).slice(0, 20)}"`, {
        field: 'region',
      });
  } else throw new AmsConfigError(`One of region (${REGIONS.map((r) => `"${r}"`).join(', ')}) or baseUrl is required`, { field: 'region' });
  const path = apiPath(api, options.sandbox === true);
  return { url: origin + path, path };
}
