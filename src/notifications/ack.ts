// The acknowledgement Alipay expects after a notification was handled, optionally signed with the merchant key.
import type { Clock } from '../clock';
import { formatRequestTime } from '../rules/time';
import { AmsConfigError } from '../errors';
import { getCryptoBackend, type CryptoBackend, type CryptoBackendName } from '../signing/backend';
import { buildSignContentBytes } from '../signing/content';
import { formatSignatureHeader } from '../signing/header';
import { loadPrivateKey, type KeyInput } from '../signing/keys';

/** Byte for byte what Alipay looks for; anything else (or nothing) and it sends the notification again. */
export const NOTIFICATION_ACK_BODY = '{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}';

export interface NotificationAckSignOptions {
  /** Your client id. */
  clientId: string;
  /** Your private key (the one whose public half you uploaded to Alipay). */
  privateKey: KeyInput;
  /** The notify path Alipay called, as for verification. */
  path: string;
  /** Default '1'; `null` omits it. */
  keyVersion?: string | null;
  /** The response-time header value; default now, formatted like a Request-Time. */
  responseTime?: string;
  /** The clock used when responseTime is not given. */
  clock?: Pick<Clock, 'now'>;
  backend?: CryptoBackendName | CryptoBackend;
}

export interface NotificationAckOptions {
  /**
   * Sign the acknowledgement (`client-id`, `response-time`, `signature` headers). Antom does not require it;
   * some gateways and older in-store integrations want it.
   */
  sign?: NotificationAckSignOptions;
}

/** A framework-neutral HTTP answer: write `status`, `headers` and `body` as they are. */
export interface NotificationAck {
  status: 200;
  headers: Record<string, string>;
  body: typeof NOTIFICATION_ACK_BODY;
}

/**
 * The acknowledgement: HTTP 200, `content-type: application/json`, and exactly
 * `{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}`.
 * Send it only after the notification has been handled: once acknowledged, Alipay never sends it again.
 */
export function notificationAck(options: NotificationAckOptions = {}): NotificationAck {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const s = options.sign;
  if (s) {
    if (typeof s.clientId !== 'string' || s.clientId === '') throw new AmsConfigError('sign.clientId is required to sign the acknowledgement', { field: 'clientId' });
    if (typeof s.path !== 'string' || !s.path.startsWith('/')) throw new AmsConfigError('sign.path must be the notify path, starting with "/"', { field: 'path' });
    const key = loadPrivateKey(s.privateKey, 'privateKey');
    const responseTime = s.responseTime ?? formatRequestTime(s.clock ? s.clock.now() : new Date());
    const backend = typeof s.backend === 'object' ? s.backend : getCryptoBackend(s.backend);
    const content = buildSignContentBytes({ method: 'POST', path: s.path, clientId: s.clientId, time: responseTime, body: NOTIFICATION_ACK_BODY });
    headers['client-id'] = s.clientId;
    headers['response-time'] = responseTime;
    headers['signature'] = formatSignatureHeader(backend.sign(content, key), s.keyVersion === undefined ? '1' : s.keyVersion);
  }
  return { status: 200, headers, body: NOTIFICATION_ACK_BODY };
}
