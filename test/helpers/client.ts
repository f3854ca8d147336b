// Builds test clients with a fixed clock, instant (recorded) sleeps and a recording logger.
import { AmsClient, type AmsClientConfig } from '../../src/index';
import { recordLogLine } from '../setup/log-sink';
import { alipay, merchant } from './keys';

export const FIXED_NOW = new Date('2026-11-22T00:00:00.000Z');

export interface Recorded {
  logs: Array<{ level: string; message: string; meta?: Record<string, unknown> }>;
  sleeps: number[];
}

export function testClient(overrides: Partial<AmsClientConfig> = {}): { client: AmsClient; rec: Recorded } {
  const rec: Recorded = { logs: [], sleeps: [] };
  const log = (level: string) => (message: string, meta?: Record<string, unknown>) => {
    rec.logs.push({ level, message, meta });
    recordLogLine(`${level} ${message} ${JSON.stringify(meta ?? {})}`);
  };
  const client = new AmsClient({
    clientId: 'SANDBOX_5Y055A2Y2F6K05235',
    privateKey: merchant.privatePkcs8Base64,
    alipayPublicKey: alipay.publicBase64,
    region: 'NA',
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    clock: {
      now: () => FIXED_NOW,
      sleep: async (ms) => {
        rec.sleeps.push(ms);
      },
    },
    ...overrides,
  });
  return { client, rec };
}

/** A valid CASHIER_PAYMENT request, as in the cashier guide. */
export function payRequest(overrides: Record<string, unknown> = {}) {
  return {
    productCode: 'CASHIER_PAYMENT' as const,
    paymentRequestId: 'pr-0001',
    order: {
      referenceOrderId: 'order-1',
      orderDescription: 'Two pencils',
      orderAmount: { currency: 'USD', value: '100' },
      extendInfo: JSON.stringify({ chinaExtraTransInfo: { businessType: '4', goodsInfo: 'pencil^2', totalQuantity: '2' } }),
    },
    paymentAmount: { currency: 'USD', value: '100' },
    paymentMethod: { paymentMethodType: 'ALIPAY_CN' },
    paymentRedirectUrl: 'https://merchant.example/return',
    paymentNotifyUrl: 'https://merchant.example/notify',
    env: { terminalType: 'WEB' as const },
    settlementStrategy: { settlementCurrency: 'USD' },
    ...overrides,
  };
}
