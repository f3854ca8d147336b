// The bench's fixed inputs: test keys, a valid cashier pay request, Alipay's U/PAYMENT_IN_PROCESS answer, a notification.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';

const keyDir = fileURLToPath(new URL('../test/vectors/keys/', import.meta.url));
const keyFile = (name: string): string => readFileSync(keyDir + name, 'utf8');

export const keys = {
  merchantPkcs8Pem: keyFile('merchant_private_pkcs8.pem'),
  merchantPkcs8Base64: keyFile('merchant_private_pkcs8.base64.txt'),
  alipayPrivatePem: keyFile('alipay_private.pem'),
  alipayPublicBase64: keyFile('alipay_public.base64.txt'),
};

/** Parsed once, as a hand-written client would do: the floor the package is compared with. */
export const keyObjects: { merchantPrivate: KeyObject; merchantPublic: KeyObject; alipayPrivate: KeyObject; alipayPublic: KeyObject } =
  (() => {
    const merchantPrivate = createPrivateKey(keys.merchantPkcs8Pem);
    const alipayPrivate = createPrivateKey(keys.alipayPrivatePem);
    return {
      merchantPrivate,
      merchantPublic: createPublicKey(merchantPrivate),
      alipayPrivate,
      alipayPublic: createPublicKey(alipayPrivate),
    };
  })();

export const CLIENT_ID = 'SANDBOX_5Y055A2Y2F6K05235';
export const PAY_PATH = '/ams/sandbox/api/v1/payments/pay';
export const NOTIFY_PATH = '/alipay/notify';
export const REQUEST_TIME = '2026-11-22T08:00:00+00:00';

/**
 * A valid CASHIER_PAYMENT request (the tests' own, test/helpers/client.ts, written out here so that neither the bench nor
 * its gateway loads the sources), with a fresh id per call so the gateway sees new payments.
 */
export function payRequest(paymentRequestId: string) {
  return {
    productCode: 'CASHIER_PAYMENT' as const,
    paymentRequestId,
    order: {
      referenceOrderId: `order-${paymentRequestId}`,
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
  };
}

/**
 * The paymentRequestId of every call through the pre-signed in-process transport: the client refuses a signed
 * answer that echoes another id than it sent (a replay), and one signature can only cover one id.
 */
export const PRESIGNED_ID = 'pr-bench-0001';

/** The serialized request body the signing cases sign (the same bytes on both sides). */
export const PAY_BODY = JSON.stringify(payRequest(PRESIGNED_ID));

/** Alipay's normal answer to a cashier pay: U + PAYMENT_IN_PROCESS with the cashier URL, echoing the request's id. */
export function inProcessBody(paymentRequestId: string): string {
  return IN_PROCESS_HEAD + JSON.stringify(paymentRequestId) + IN_PROCESS_TAIL;
}

/** A createPaymentSession answer (S) for this paymentRequestId, as the loopback gateway sends it. */
export function sessionBody(paymentRequestId: string): string {
  return JSON.stringify({
    result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
    paymentSessionData: Buffer.from(`session-data-for-${paymentRequestId}`).toString('base64').repeat(8),
    paymentSessionId: `SESSION_${paymentRequestId}`.slice(0, 64),
    paymentSessionExpiryTime: '2026-11-22T09:00:01+08:00',
    normalUrl: 'https://open-sea-global.alipay.com/api/open/checkout?paymentId=20261122194010800100188000000000001',
  });
}

/** The answer to PRESIGNED_ID, built once. */
export const IN_PROCESS_BODY = JSON.stringify({
  result: { resultCode: 'PAYMENT_IN_PROCESS', resultStatus: 'U', resultMessage: 'payment in process' },
  paymentRequestId: PRESIGNED_ID,
  paymentId: '20261122194010800100188000000000001',
  paymentCreateTime: '2026-11-22T08:00:01+08:00',
  paymentAmount: { currency: 'USD', value: '100' },
  normalUrl: 'https://open-sea-global.alipay.com/api/open/cashier?paymentId=20261122194010800100188000000000001',
  redirectActionForm: {
    method: 'GET',
    redirectUrl: 'https://open-sea-global.alipay.com/api/open/cashier?paymentId=20261122194010800100188000000000001',
  },
});

const [IN_PROCESS_HEAD, IN_PROCESS_TAIL] = IN_PROCESS_BODY.split(JSON.stringify(PRESIGNED_ID)) as [string, string];

/** Signs as Alipay does (the test Alipay key) and returns the Signature header value. */
export function alipaySignatureHeader(path: string, clientId: string, time: string, body: string): string {
  const sig = sign('sha256', Buffer.from(`POST ${path}\n${clientId}.${time}.${body}`, 'utf8'), keyObjects.alipayPrivate).toString('base64');
  return `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(sig)}`;
}

/** The response headers of a signed pay answer with a fixed Response-Time (for the in-process transport). */
export function presignedPayHeaders(path: string, clientId: string): Record<string, string> {
  const responseTime = '2026-11-22T08:00:01+00:00';
  return {
    'content-type': 'application/json; charset=UTF-8',
    'client-id': clientId,
    'response-time': responseTime,
    signature: alipaySignatureHeader(path, clientId, responseTime, IN_PROCESS_BODY),
  };
}

/** A notifyPayment PAYMENT_RESULT as Alipay posts it, with its headers, signed once. */
export const notification = (() => {
  const body = JSON.stringify({
    notifyType: 'PAYMENT_RESULT',
    result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
    paymentRequestId: 'pr-bench-0001',
    paymentId: '20261122194010800100188000000000001',
    paymentAmount: { currency: 'USD', value: '100' },
    paymentCreateTime: '2026-11-22T08:00:01+08:00',
    paymentTime: '2026-11-22T08:01:10+08:00',
  });
  const requestTime = '2026-11-22T08:01:11+08:00';
  return {
    rawBody: Buffer.from(body, 'utf8'),
    headers: {
      'content-type': 'application/json',
      'client-id': CLIENT_ID,
      'request-time': requestTime,
      signature: alipaySignatureHeader(NOTIFY_PATH, CLIENT_ID, requestTime, body),
    } as Record<string, string>,
  };
})();

/** The base64 signature inside a Signature header value, as a hand-written client would dig it out. */
export function rawSignatureOf(header: string): Buffer {
  const at = header.indexOf('signature=');
  return Buffer.from(decodeURIComponent(header.slice(at + 'signature='.length)), 'base64');
}
