// What the README's code fragments take as given (.ci/strict-types.mjs): a client, ids and the merchant's own code.
declare const client: import('ams-cashier').AmsClient;
declare const AmsClient: typeof import('ams-cashier').AmsClient;
declare const cashierRedirect: typeof import('ams-cashier').cashierRedirect;
declare const createNotificationHandler: typeof import('ams-cashier').createNotificationHandler;
declare const matchNotification: typeof import('ams-cashier').matchNotification;
declare const http: typeof import('node:http');
declare const readFileSync: typeof import('node:fs').readFileSync;

declare const clientId: string;
declare const privateKey: string;
declare const alipayPublicKey: string;
declare const merchantPublicKey: string;
declare const requestTime: string;
declare const body: string;
declare const paymentRequestId: string;
declare const paymentId: string;
declare const refundRequestId: string;
declare const referenceOrderId: string;
declare const captureRequestId: string;
declare const declarationRequestId: string;
declare const disputeId: string;
declare const merchantCustomsCode: string;
declare const merchantCustomsName: string;
declare const amount: { currency: string; value: string };
declare const request: import('ams-cashier').PayRequest;
declare const res: import('express').Response;
declare const myOrders: import('ams-cashier/reports').LedgerEntry[];
declare const onPayment: (n: import('ams-cashier').PaymentNotification) => Promise<void>;

/** The merchant's own order store and jobs. */
interface Order {
  id: string;
  paymentRequestId: string;
  amount: { currency: string; value: string };
}
declare const orders: {
  byRequestId(paymentRequestId: string): Promise<Order>;
  markPaid(id: string, amount?: { currency: string; value: string }): Promise<void>;
  note(id: string, what: string): Promise<void>;
  captured(captureId: string): Promise<void>;
};
declare const refunds: { record(refundRequestId: string, status: string | undefined): Promise<void> };
declare const disputes: { record(...facts: unknown[]): Promise<void> };
declare const alerts: { page(text: string): Promise<void> };
declare function ship(paymentRequestId: string): void;
declare function shipOrder(paymentRequestId: string, options: { idempotencyKey: string }): Promise<void>;
declare function fulfil(notification: unknown, options: { idempotencyKey: string }): Promise<void>;
declare function recordRefund(notification: unknown, key: string): Promise<void>;
declare function markCaptured(notification: unknown): Promise<void>;
declare function log(notification: unknown): Promise<void>;
declare function alert(key: string, error: unknown): void;
