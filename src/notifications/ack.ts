// The acknowledgement Alipay expects after a notification was handled, optionally signed with the merchant key.
import { z } from 'zod';
import type { Clock } from '../clock';
import { OPTION, parseOptions, required } from '../options';
import { formatRequestTime } from '../rules/time';
import { getCryptoBackend, type CryptoBackend, type CryptoBackendName } from '../signing/backend';
import { buildSignContentBytes } from '../signing/content';
import { formatSignatureHeader, KEY_VERSION_RE } from '../signing/header';
import { loadPrivateKey, type KeyInput } from '../signing/keys';
import { lazy } from '../internal/lazy';

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
  /** The clock used when responseTime is not given; default the system clock. */
  clock?: Clock;
  /** 'node' (default) or 'jsrsasign', or a backend object. */
  cryptoBackend?: CryptoBackendName | CryptoBackend;
}

export interface NotificationAckOptions {
  /**
   * Sign the acknowledgement (`client-id`, `response-time`, `signature` headers). Antom does not require it;
   * some gateways and older in-store integrations want it.
   */
  sign?: NotificationAckSignOptions;
}

const optionsSchema = lazy(function buildOptionsSchema() {
  const sign = z
    .object({
      clientId: required('your client id, which the signed acknowledgement carries', OPTION.clientId),
      // Any value here: loadPrivateKey judges it, naming the format it saw and never echoing the key.
      privateKey: required('your private key (the one whose public half you uploaded to Alipay)', z.custom<KeyInput>()),
      path: OPTION.notifyPath,
      keyVersion: z.string().regex(KEY_VERSION_RE, 'must be a short token such as "1", or null to omit it').nullable().optional(),
      responseTime: z.string({ error: 'must be the response-time header value, a string' }).optional(),
      clock: OPTION.clock.optional(),
      cryptoBackend: OPTION.cryptoBackendOrObject.optional(),
    })
    .strict();
  return z.object({ sign: sign.optional() }).strict();
});

/** A framework-neutral HTTP answer: write `status`, `headers` and `body` as they are. */
export interface NotificationAck {
  status: 200;
  headers: Record<string, string>;
  body: typeof NOTIFICATION_ACK_BODY;
}

/** How a signed acknowledgement is signed: who signs it, for which path, and the signing itself. */
export interface AckSigner {
  clientId: string;
  keyVersion: string | null;
  clock: Clock | undefined;
  sign(content: Uint8Array): string;
}

/** The acknowledgement signed by `signer` for `path`; `responseTime` defaults to the signer's clock, formatted. */
export function signedAck(signer: AckSigner, path: string, responseTime?: string): NotificationAck {
  const time = responseTime ?? formatRequestTime(signer.clock ? signer.clock.now() : new Date());
  const content = buildSignContentBytes({ method: 'POST', path, clientId: signer.clientId, time, body: NOTIFICATION_ACK_BODY });
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'client-id': signer.clientId,
    'response-time': time,
    signature: formatSignatureHeader(signer.sign(content), signer.keyVersion),
  };
  return { status: 200, headers, body: NOTIFICATION_ACK_BODY };
}

/**
 * The acknowledgement: HTTP 200, `content-type: application/json`, and exactly
 * `{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}`.
 * Send it only after the notification has been handled: once acknowledged, Alipay never sends it again.
 */
export function notificationAck(options: NotificationAckOptions = {}): NotificationAck {
  // The unsigned acknowledgement (every delivery a handler acknowledges) has nothing to check.
  if (options !== null && typeof options === 'object' && Object.keys(options).length === 0) return unsignedAck();
  const s = parseOptions(optionsSchema(), options, 'notificationAck').sign;
  if (!s) return unsignedAck();
  const key = loadPrivateKey(s.privateKey, 'sign.privateKey');
  const backend = typeof s.cryptoBackend === 'object' ? s.cryptoBackend : getCryptoBackend(s.cryptoBackend);
  const signer: AckSigner = {
    clientId: s.clientId,
    keyVersion: s.keyVersion === undefined ? '1' : s.keyVersion,
    clock: s.clock,
    sign: (content) => backend.sign(content, key),
  };
  return signedAck(signer, s.path, s.responseTime);
}

function unsignedAck(): NotificationAck {
  return { status: 200, headers: { 'content-type': 'application/json' }, body: NOTIFICATION_ACK_BODY };
}
