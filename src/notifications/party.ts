// The narrow view of an AmsClient that verifying and acknowledging notifications need; notifications never import the client.
import type { KeyObject } from 'node:crypto';
import type { Logger } from '../clock';
import type { Clock } from '../clock';
import { AmsConfigError } from '../errors';
import type { CryptoBackend } from '../signing/backend';

/** The key under which a client hands out its NotificationParty; a symbol, so it is not part of the client's named API. */
export const NOTIFICATION_PARTY: unique symbol = Symbol('ams-cashier.notificationParty');

/** What a notification verifier and a signed acknowledgement need from the merchant's client. */
export interface NotificationParty {
  /** The client id notifications must carry (the `client-id` header). */
  readonly clientId: string;
  /** Alipay's public key, which notifications are verified with. */
  readonly alipayPublicKey: KeyObject;
  readonly cryptoBackend: CryptoBackend;
  readonly clock: Clock;
  readonly logger: Logger | undefined;
  /** The merchant key version a signed acknowledgement names (`null`: none). */
  readonly keyVersion: string | null;
  /** Signs content with the merchant's private key (for a signed acknowledgement); the key itself stays in the client. */
  sign(content: Uint8Array): string;
}

/** Anything that hands out a NotificationParty: an AmsClient. */
export interface NotificationClient {
  [NOTIFICATION_PARTY](): NotificationParty;
}

/** Whether `value` hands out a NotificationParty (an AmsClient). */
export function isNotificationClient(value: unknown): value is NotificationClient {
  return typeof (value as Partial<NotificationClient> | null | undefined)?.[NOTIFICATION_PARTY] === 'function';
}

/** The party of `client`, or a configuration error naming `field` when it is not a client. */
export function partyOf(client: unknown, field = 'client'): NotificationParty {
  if (!isNotificationClient(client)) throw new AmsConfigError(`${field} must be an AmsClient`, { field });
  return client[NOTIFICATION_PARTY]();
}
