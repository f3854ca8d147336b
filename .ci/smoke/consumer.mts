// Type-level smoke test: an ESM consumer compiles against dist/*.d.ts through the exports map.
import { AmsClient, AmsError, signRequest, type PayRequest, type PayResponse } from 'ams-cashier';
import { createRedisNotificationStore } from 'ams-cashier/redis';
import { startAmsGateway } from 'ams-cashier/mocks';
import { parseReport, reconcile, type ReconciliationReport } from 'ams-cashier/reports';

const request: PayRequest = {
  productCode: 'CASHIER_PAYMENT',
  paymentRequestId: 'r',
  order: { referenceOrderId: 'o', orderDescription: 'd', orderAmount: { currency: 'USD', value: '1' } },
  paymentAmount: { currency: 'USD', value: '1' },
  paymentMethod: { paymentMethodType: 'ALIPAY_CN' },
  paymentRedirectUrl: 'https://x.example',
  env: { terminalType: 'WEB' },
};
export async function pay(client: AmsClient): Promise<PayResponse> {
  return client.pay(request);
}
export const fns = [signRequest, createRedisNotificationStore, startAmsGateway, parseReport, reconcile];
export type Report = ReconciliationReport;
export const isAms = (e: unknown): boolean => e instanceof AmsError;
