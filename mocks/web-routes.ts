// The routes Antom's web SDK loads from the gateway (on loopback, or on Antom's hosts routed there): the Checkout
// Page, the component payment pages and the RPC endpoint. None is signed: the session string is their credential.
import { handleCheckoutPageRequest, isCheckoutPagePath } from './checkout-page';
import { handleComponentPageRequest, isComponentPagePath } from './component-page';
import { handleMgwRequest } from './mgw';
import type { GatewayContext } from './state';
import type { GatewayReply, GatewayRequest } from './types';
import { MGW_PATH } from './web-sdk';

/** The reply for a web SDK route, or undefined when the path is not one. */
export async function handleWebSdkRequest(
  ctx: GatewayContext,
  req: GatewayRequest,
  url: URL,
  headers: Record<string, string>,
): Promise<GatewayReply | undefined> {
  if (url.pathname === MGW_PATH) return handleMgwRequest(ctx, req, headers);
  if (isCheckoutPagePath(url.pathname)) return handleCheckoutPageRequest(ctx, req, url);
  if (isComponentPagePath(url.pathname)) return handleComponentPageRequest(req);
  return undefined;
}
