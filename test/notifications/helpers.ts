// Test helpers for notifications: the cashier guide's bodies, a stand-in "Alipay" that signs them, loopback servers, a recording logger.
import { readFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { alipay, rawSign } from '../helpers/keys';
import { recordLogLine } from '../setup/log-sink';
import type { NotificationHandlerOptions, PaymentNotification } from '../../src/index';

/** JSON for a log line; errors and cycles made printable rather than thrown. */
function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value ?? {}, (_k, v: unknown) => (v instanceof Error ? `${v.name}: ${v.message}` : v));
  } catch {
    return String(value);
  }
}

export const CLIENT_ID = 'SANDBOX_5Y055A2Y2F6K05235';
export const PATH = '/alipay/notify';
export const TIME = '2026-11-22T00:00:00+00:00';
export const ACK = '{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');

/** the cashier guide's notifyPayment bodies, byte for byte. */
export const usdBody = fixture('notify-payment.usd.body.json');
export const cnyBody = fixture('notify-payment.cny-settled-usd.body.json');

/** A notifyRefund body in Antom's documented shape. */
export const refundBody =
  '{"notifyType":"REFUND_RESULT","refundAmount":{"currency":"USD","value":"100"},"refundId":"2020051812345678900001",' +
  '"refundRequestId":"refund-req-0001","refundStatus":"SUCCESS","refundTime":"2020-05-18T20:30:00+08:00",' +
  '"result":{"resultCode":"SUCCESS","resultMessage":"success.","resultStatus":"S"}}';

/** A notifyType this package does not model. */
/** A notifyType the package does not model (sent after updateAmount): it reaches onOther with every field. */
export const otherBody =
  '{"notifyType":"UPDATE_AMOUNT_RESULT","updateRequestId":"upd-1","paymentId":"pay-1","result":{"resultCode":"SUCCESS","resultStatus":"S"}}';

/** notifyCapture as Antom documents it. */
export const captureBody =
  '{"notifyType":"CAPTURE_RESULT","captureRequestId":"capreq-1","captureId":"cap-1","paymentId":"pay-1",' +
  '"captureAmount":{"currency":"USD","value":"1999"},"captureTime":"2026-11-22T08:00:00+08:00","result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}';

/** notifyAuthorization: no notifyType either (authorizationNotifyType says what it is); not modelled, so kind other. */
export const authorizationBody =
  '{"authorizationNotifyType":"AUTHCODE_CREATED","authCode":"auth-1","authState":"state-1","result":{"resultCode":"SUCCESS","resultStatus":"S"}}';

/** A dispute notification as Antom's notifyDispute reference has it: no notifyType at all (disputeNotificationType says what it is). */
export const disputeBody =
  '{"disputeId":"dsp-1","paymentId":"pay-1","paymentRequestId":"pr-1","disputeNotificationType":"DISPUTE_CREATED",' +
  '"disputeAmount":{"currency":"USD","value":"1999"},"disputeTime":"2026-11-22T08:00:00+08:00","defenseDueTime":"2026-12-03T08:00:00+08:00",' +
  '"disputeReasonCode":"4853","disputeSource":"Mastercard","disputeType":"CHARGEBACK","defendable":true}';

export interface SignArgs {
  body: string | Uint8Array;
  path?: string;
  clientId?: string;
  time?: string;
  /** The PEM that plays Alipay; default the test Alipay key. */
  key?: string;
  method?: string;
}

/** Signs like Alipay does, independently of the package: base64 RSA-SHA256 over "POST <path>\n<client-id>.<time>.<body>". */
export function alipayHeaders({
  body,
  path = PATH,
  clientId = CLIENT_ID,
  time = TIME,
  key = alipay.privatePem,
  method = 'POST',
}: SignArgs): Record<string, string> {
  const content = Buffer.concat([
    Buffer.from(`${method} ${path}\n${clientId}.${time}.`, 'utf8'),
    typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body),
  ]);
  const signature = rawSign(content, key);
  return {
    'content-type': 'application/json; charset=UTF-8',
    'client-id': clientId,
    'request-time': time,
    signature: `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(signature)}`,
  };
}

export interface LogLine {
  level: string;
  message: string;
  meta?: Record<string, unknown>;
}

export function recordingLogger(): {
  logger: Record<'debug' | 'info' | 'warn' | 'error', (m: string, meta?: Record<string, unknown>) => void>;
  logs: LogLine[];
} {
  const logs: LogLine[] = [];
  const at = (level: string) => (message: string, meta?: Record<string, unknown>) => {
    logs.push({ level, message, ...(meta ? { meta } : {}) });
    recordLogLine(`${level} ${message} ${safeJson(meta)}`);
  };
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, logs };
}

export interface Running {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** A real HTTP server on a free loopback port. */
export async function listen(handler: RequestListener | Server): Promise<Running> {
  const server = typeof handler === 'function' ? createServer(handler) : handler;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** A promise the test resolves when it wants, to hold a callback in flight. */
export function gate(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

/** Resolves when `check` holds, polling; fails after a while. */
export async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * The handler options every handler test starts from (test "Alipay" key, recording logger, collected payments),
 * with the test's own overrides; pass it to createNotificationHandler or createFetchNotificationHandler.
 */
export function handlerSetup(extra: Record<string, unknown> = {}) {
  const rec = recordingLogger();
  const payments: PaymentNotification[] = [];
  const options = {
    path: PATH,
    alipayPublicKey: alipay.publicBase64,
    clientId: CLIENT_ID,
    logger: rec.logger,
    onPayment: (n: PaymentNotification) => {
      payments.push(n);
    },
    ...extra,
  } as NotificationHandlerOptions;
  return { options, payments, logs: rec.logs };
}
