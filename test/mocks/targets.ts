// Drives the embedded gateway two ways — msw handlers and the loopback HTTP server — behind one test-facing shape.
import { setupServer } from 'msw/node';
import { AmsClient, type AmsClientConfig } from '../../src/index';
import { startAmsGateway, type GatewayCore, type GatewayOptions } from '../../mocks/index';
import { createAmsHandlers } from '../../mocks/msw';
import { alipay, merchant } from '../helpers/keys';

export const CLIENT_ID = 'SANDBOX_5Y055A2Y2F6K05235';
export type TargetKind = 'msw' | 'http';

export interface Target {
  kind: TargetKind;
  gateway: GatewayCore;
  /** The origin the client calls (Alipay's NA origin under msw, the loopback URL otherwise). */
  origin: string;
  client(overrides?: Partial<AmsClientConfig>): { client: AmsClient; sleeps: number[] };
  close(): Promise<void>;
}

/**
 * One msw server for the whole file. Loopback traffic is let through (the HTTP gateway and local merchants);
 * anything else unhandled is an error, so no test can reach the internet.
 */
export function loopbackFriendlyMsw() {
  const server = setupServer();
  server.listen({
    onUnhandledRequest(request, print) {
      if (new URL(request.url).hostname !== '127.0.0.1') print.error();
    },
  });
  return server;
}

export async function startTarget(kind: TargetKind, server: ReturnType<typeof setupServer>, options: GatewayOptions = {}): Promise<Target> {
  const gatewayOptions: GatewayOptions = {
    clientId: CLIENT_ID,
    merchantPublicKey: merchant.publicSpkiPem,
    alipayPrivateKey: alipay.privatePem,
    maxHangMs: 3000,
    ...options,
  };
  const make =
    (gateway: GatewayCore, endpoint: Partial<AmsClientConfig>) =>
    (overrides: Partial<AmsClientConfig> = {}) => {
      const sleeps: number[] = [];
      const client = new AmsClient({
        clientId: CLIENT_ID,
        privateKey: merchant.privatePkcs8Pem,
        alipayPublicKey: gateway.alipayPublicKey,
        timeoutMs: 2000,
        clock: { now: () => new Date(), sleep: async (ms) => void sleeps.push(ms) },
        ...endpoint,
        ...overrides,
      });
      return { client, sleeps };
    };
  if (kind === 'msw') {
    const handlers = createAmsHandlers(gatewayOptions);
    server.use(...handlers);
    return {
      kind,
      gateway: handlers.gateway,
      origin: 'https://open-na.alipay.com',
      client: make(handlers.gateway, { region: 'NA' }),
      close: async () => {
        handlers.gateway.close();
        server.resetHandlers();
      },
    };
  }
  const gw = await startAmsGateway(gatewayOptions);
  return { kind, gateway: gw.core, origin: gw.url, client: make(gw.core, { baseUrl: gw.url }), close: () => gw.close() };
}

/** A valid CASHIER_PAYMENT request. */
export function payRequest(id: string, value = '1999', extra: Record<string, unknown> = {}) {
  return {
    productCode: 'CASHIER_PAYMENT' as const,
    paymentRequestId: id,
    order: {
      referenceOrderId: `order-${id}`,
      orderDescription: 'T-shirt',
      orderAmount: { currency: 'USD', value },
      extendInfo: '{"chinaExtraTransInfo":{"businessType":"4","goodsInfo":"T-shirt^1","totalQuantity":"1"}}',
    },
    paymentAmount: { currency: 'USD', value },
    paymentMethod: { paymentMethodType: 'ALIPAY_CN' },
    paymentRedirectUrl: 'http://127.0.0.1:9/return',
    env: { terminalType: 'WEB' as const },
    settlementStrategy: { settlementCurrency: 'USD' },
    ...extra,
  };
}

/** What an outcome looks like once ids and times are removed: comparable across targets. */
export async function outcome(p: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    const r = (await p) as Record<string, unknown> & { result: { resultStatus: string; resultCode: string } };
    return {
      ok: true,
      result: `${r.result.resultStatus}/${r.result.resultCode}`,
      ...(r.paymentStatus ? { paymentStatus: r.paymentStatus } : {}),
      ...(r.refundStatus ? { refundStatus: r.refundStatus } : {}),
      ...(r.paymentAmount ? { paymentAmount: r.paymentAmount } : {}),
      ...(r.refundAmount ? { refundAmount: r.refundAmount } : {}),
      ...(r.redirectActionForm ? { redirectMethod: (r.redirectActionForm as { method: string }).method } : {}),
    };
  } catch (err) {
    const e = err as Error & { resultCode?: string; reason?: string; httpStatus?: number };
    return {
      ok: false,
      error: e.name,
      ...(e.resultCode ? { resultCode: e.resultCode } : {}),
      ...(e.reason ? { reason: e.reason } : {}),
      ...(e.httpStatus ? { httpStatus: e.httpStatus } : {}),
    };
  }
}
