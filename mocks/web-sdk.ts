// What Antom's web SDK (@alipay/ams-checkout) expects of the gateway: its session format (four `&&`-joined segments,
// the last base64 JSON), the hosts it calls and the pages it loads. Read from the package's code (1.47.2).
import type { Region } from '../src/api/endpoint';

/**
 * The region segment the SDK reads (`sessionData.split('&&')[1]`) to pick its RPC host, by the client's region:
 * `SG` → imgs-sea-global.alipay.com, `US` → imgs-na-global.alipay.com, `DE` → imgs-de-global.alipay.com
 * (`hostSignMap` in the package's config/request.js).
 */
export const SDK_REGION_CODES: Readonly<Record<Region, string>> = Object.freeze({ NA: 'US', SEA: 'SG', EU: 'DE' });

/** The region code for the gateway's `region` option (default SEA); TypeError for a region Antom does not have. */
export function sdkRegionCode(region: Region = 'SEA'): string {
  if (!Object.hasOwn(SDK_REGION_CODES, region)) throw new TypeError(`region must be one of ${Object.keys(SDK_REGION_CODES).join(', ')}`);
  return SDK_REGION_CODES[region];
}

/** The RPC host the SDK calls for a region code (production and sandbox alike). */
export const SDK_RPC_HOSTS: Readonly<Record<string, string>> = Object.freeze({
  SG: 'imgs-sea-global.alipay.com',
  US: 'imgs-na-global.alipay.com',
  DE: 'imgs-de-global.alipay.com',
});

/**
 * Where AMSCheckoutPage points its iframe: `https://checkout.antom.com` + this path in production and sandbox, or
 * the whole URL when its `environment` option is one (what `npm start -- --checkout` uses).
 */
export const CHECKOUT_PAGE_PATH = '/checkout-page/pages/payment/index.html';

/** The component SDKs' RPC endpoint on their RPC host: a JSON array of one object, the call named by `Operation-Type`. */
export const MGW_PATH = '/mgw.htm';

/** The hosts the SDK loads its pages from (production and sandbox): Element and Checkout Page, the component apps. */
export const SDK_PAGE_HOSTS = Object.freeze(['checkout.antom.com', 'ac.alipay.com'] as const);

/**
 * The payment pages the component SDKs frame: AMSElement's (`/elements/<sdk version>/pages/element_payment/…`) and
 * AMSCashierPayment's / AMSCheckout's (`/page/antom-web-checkout/src/component-app/<scene>_<category>/<scene
 * version>/index.<sdk version>.html`).
 */
export const COMPONENT_PAGE_PATHS: readonly RegExp[] = Object.freeze([
  /^\/elements\/[0-9A-Za-z.-]{1,32}\/pages\/element_payment\/index\.html$/,
  /^\/page\/antom-web-checkout\/src\/component-app\/[A-Z_]{1,64}\/[0-9.]{1,16}\/index\.[0-9A-Za-z.-]{1,32}\.html$/,
]);

/** The scenes whose payment pages offer every category; CASHIER_PAYMENT (AMSCashierPayment) is the APM page. */
export function paymentMethodCategoryType(productScene: string): 'ALL' | 'APM' {
  return productScene === 'CASHIER_PAYMENT' ? 'APM' : 'ALL';
}

/** What the last segment holds: what the component SDKs read (the Checkout Page never decodes it). */
export interface SessionPayload {
  paymentSessionConfig: { productScene: string; productSceneVersion: '1.0'; paymentMethodCategoryType: 'ALL' | 'APM' };
  clientId: string;
}

/**
 * `<key>&&<region code>&&<number>&&<base64 JSON>`. The key is what the gateway finds the session by; the number is
 * a sequence the SDK never reads (Antom's own samples carry a small number there, its meaning unpublished).
 */
export function encodeSessionData(key: string, regionCode: string, seq: number, payload: SessionPayload): string {
  return [key, regionCode, String(seq), Buffer.from(JSON.stringify(payload)).toString('base64')].join('&&');
}

/**
 * The key of a session string as the SDKs send it back: the whole string (AMSElement, the Checkout Page) or its
 * first three segments (AMSCashierPayment, AMSCheckout). Undefined for anything else.
 */
export function sessionKeyOf(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 4096) return undefined;
  const parts = value.split('&&');
  if (parts.length !== 3 && parts.length !== 4) return undefined;
  return parts[0] || undefined;
}

/** Whether `value` is `issued`, or its first three segments: how the two kinds of SDK send a session back. */
export function sameSession(value: string, issued: string): boolean {
  return value === issued || value === issued.split('&&').slice(0, 3).join('&&');
}
