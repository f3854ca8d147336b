// Which handler answers an authenticated API call: the access rules that follow authentication, the body, then the API's own answer.
import type { ApiAnswer, Reject } from './answers';
import type { ExtraApis } from './apis';
import { cancel } from './cancel';
import { refuseAfterVerifying, type CredentialOptions } from './credentials';
import type { DisputeDesk } from './disputes';
import type { GatewayApi } from './faults';
import { inquireExchangeRate } from './fx';
import { inquiry, pay } from './payments';
import { inquiryRefund, refund } from './refunds';
import type { Authenticated } from './signing';
import type { GatewayContext } from './state';

/** What the answers share: built once per gateway. */
export interface ApiRoutes {
  ctx: GatewayContext;
  credentials: CredentialOptions | undefined;
  /** The cashier page's origin when configured; else the origin the call arrived on. */
  cashierOrigin: string | undefined;
  extra: ExtraApis;
  disputes: DisputeDesk;
}

/** One authenticated call, as the core hands it over. */
export interface ApiCall {
  api: GatewayApi;
  sandbox: boolean;
  url: URL;
  headers: Record<string, string>;
  rawBody: string;
  auth: Authenticated;
  reject: Reject;
}

/** An authenticated call: the credential and access rules that follow authentication, then the API's own answer. */
export function answerApi(routes: ApiRoutes, call: ApiCall): ApiAnswer {
  const { api, sandbox, url, headers, rawBody, auth, reject } = call;
  const { clientId, merchant } = auth;
  const agentToken = headers['agent-token'];
  const denied = refuseAfterVerifying(routes.credentials, {
    clientId,
    api,
    sandboxPath: sandbox,
    agentTokens: merchant.agentTokens,
    agentToken,
  });
  if (denied) return reject(denied.resultCode, denied.message, denied.signed);

  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return reject('PARAM_ILLEGAL', 'the body is not valid JSON', true);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return reject('PARAM_ILLEGAL', 'the body must be a JSON object', true);
  const origin = routes.cashierOrigin ?? url.origin;
  const scope = `${clientId}|${agentToken ?? ''}`;
  const ctx = routes.ctx;
  const fields = body as Record<string, unknown>;
  switch (api) {
    case 'pay':
      return pay(ctx, merchant, scope, agentToken, fields, rawBody, origin, reject);
    case 'inquiryPayment':
      return inquiry(ctx, scope, body, reject);
    case 'cancel':
      return cancel(ctx, scope, body, reject);
    case 'refund':
      return refund(ctx, scope, clientId, body, reject);
    case 'inquiryRefund':
      return inquiryRefund(ctx, scope, body, reject);
    case 'inquireExchangeRate':
      return inquireExchangeRate(fields, ctx.clock.now(), reject);
    case 'acceptDispute':
    case 'supplyDefenseDocument':
    case 'downloadDisputeEvidence':
      return routes.disputes.answer(api, fields, { scope, reject });
    default:
      return routes.extra.answer(api, fields, {
        scope,
        now: ctx.clock.now(),
        rules: { integration: merchant.integration, contractSettlementCurrency: merchant.contractSettlementCurrency },
        origin,
        reject,
        payment: (ref) => ctx.state.lookup(scope, ref).payment,
        pay: (payBody) => pay(ctx, merchant, scope, agentToken, payBody, JSON.stringify(payBody), origin, reject),
      });
  }
}
