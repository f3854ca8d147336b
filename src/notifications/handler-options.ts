// The notification handlers' options: their types, their defaults, and the one check that turns them into settings.
import type { Logger } from '../clock';
import type { Clock } from '../clock';
import { AmsConfigError } from '../errors';
import { unknownNamesMessage } from '../internal/suggest';
import { OPTION } from '../options';
import type { CryptoBackend, CryptoBackendName } from '../signing/backend';
import { KEY_VERSION_RE } from '../signing/header';
import { loadPrivateKey, type KeyInput } from '../signing/keys';
import type { AckSigner } from './ack';
import { createMemoryNotificationStore, type NotificationStore } from './dedupe';
import type { NotificationClient } from './party';
import type { CaptureNotification, DisputeNotification, OtherNotification, PaymentNotification, RefundNotification } from './schemas';
import { checkTolerance, resolveVerifier, type Verifier } from './verify';

/** What a callback learns besides the notification. */
export interface NotificationContext {
  /** The dedupe key (`notifyType:paymentId`, …): use it as an idempotency key in your own storage too. */
  key: string;
  /** The path the signature was verified against (the `path` option, or the request's own). */
  path: string;
}

/** A callback may return anything; only a throw / rejection matters (it means "not handled, send it again"). */
export type NotificationCallback<N> = (notification: N, context: NotificationContext) => unknown;

interface HandlerOptionsBase {
  /**
   * The path Alipay called, without host: the path of the `paymentNotifyUrl` you gave Alipay. The signature
   * covers this path, so behind a proxy or gateway that rewrites paths (for example public `/api/alipay/notify`
   * forwarded as `/notify`) pass the public one. When omitted, the path of the incoming request is used (its
   * pathname, without query): right only when nothing between Alipay and this server changes the path.
   */
  path?: string;
  /**
   * The client id(s) whose notifications this handler takes, checked against the client-id header. Default the
   * client's id when `client` is given; required with `alipayPublicKey` (one Alipay key serves many merchants).
   */
  clientId?: string | readonly string[];
  /** Required. Runs for PAYMENT_RESULT and PAYMENT_PENDING; throw to refuse the acknowledgement (Alipay retries). */
  onPayment: NotificationCallback<PaymentNotification>;
  /** Runs for REFUND_RESULT. Without it, refunds go to onOther; without both, they are acknowledged and logged (warn). */
  onRefund?: NotificationCallback<RefundNotification>;
  /** Runs for CAPTURE_RESULT. Without it, captures go to onOther; without both, they are acknowledged and logged (warn). */
  onCapture?: NotificationCallback<CaptureNotification>;
  /**
   * Runs for dispute notifications (notifyDispute: no notifyType; `kind: 'dispute'`): act on `outcome`, and on
   * `respond` before `respondBy`. Without it, disputes go to onOther; without both, they are acknowledged and logged
   * (warn) — Alipay would otherwise resend them for a day while nobody looks.
   */
  onDispute?: NotificationCallback<DisputeNotification>;
  /**
   * Runs for any other notification — other notifyTypes and bodies without one (authorizations, vaulting) — and for
   * refunds, captures and disputes without their own callback. A verified notification with no callback at all is
   * acknowledged (Alipay would only resend it) and logged at warn level with its dedupe key.
   */
  onOther?: NotificationCallback<OtherNotification | RefundNotification | CaptureNotification | DisputeNotification>;
  /**
   * Duplicate suppression: the same notification can arrive several times (Alipay retries until acknowledged,
   * and a slow acknowledgement crosses a retry). Default: an in-memory store (one process). With several
   * instances, pass a shared store (e.g. Redis); `false` disables it and every delivery runs the callback.
   * The default store belongs to this handler alone: two handlers (say Node and Fetch) do not share it.
   */
  dedupe?: NotificationStore | false;
  /** Off by default; reject a request-time further than this from now. */
  toleranceMs?: number;
  /** Default: the client's logger, else warnings and errors to the console. Pass `{}` to silence. */
  logger?: Logger;
  /** Larger bodies are answered 413 without being read further. Default 1 MiB. */
  maxBodyBytes?: number;
  /**
   * How long reading the body may take, in ms (default 10 000). A body still unfinished then (a stalled or
   * deliberately slow sender) is answered 408 and the connection released; the callback never runs.
   */
  bodyTimeoutMs?: number;
  /**
   * Sign the acknowledgement (Antom does not need it). `true` uses the client's id and private key; or give them.
   */
  signAck?: boolean | { clientId: string; privateKey: KeyInput; keyVersion?: string | null };
  /** The clock for toleranceMs and the ack's response-time; default the client's clock, else the system's. */
  clock?: Clock;
  /** Only with alipayPublicKey; a client brings its own. */
  cryptoBackend?: CryptoBackendName | CryptoBackend;
}

/** Options of createNotificationHandler / createFetchNotificationHandler: give `client` or `alipayPublicKey`. */
export type NotificationHandlerOptions = HandlerOptionsBase &
  ({ client: NotificationClient; alipayPublicKey?: never } | { alipayPublicKey: KeyInput; client?: never });

const KNOWN_OPTIONS = new Set([
  'path',
  'clientId',
  'onPayment',
  'onRefund',
  'onCapture',
  'onDispute',
  'onOther',
  'dedupe',
  'toleranceMs',
  'logger',
  'maxBodyBytes',
  'bodyTimeoutMs',
  'signAck',
  'clock',
  'cryptoBackend',
  'client',
  'alipayPublicKey',
]);

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

const consoleLogger: Logger = {
  warn: (message, meta) => console.warn(message, meta ?? {}),
  error: (message, meta) => console.error(message, meta ?? {}),
};

const PREFIX = 'notification handler: ';

function config(message: string, field: string): never {
  throw new AmsConfigError(`${PREFIX}${message}`, { field });
}

/** The handler's settings, checked once when the handler is built. */
export interface HandlerSettings {
  path: string | undefined;
  verifier: Verifier;
  store: NotificationStore | undefined;
  toleranceMs: number | undefined;
  logger: Logger;
  maxBodyBytes: number;
  bodyTimeoutMs: number;
  ack: AckSigner | undefined;
  onPayment: NotificationCallback<PaymentNotification>;
  onRefund: NotificationCallback<RefundNotification> | undefined;
  onCapture: NotificationCallback<CaptureNotification> | undefined;
  onDispute: NotificationCallback<DisputeNotification> | undefined;
  onOther: NotificationCallback<OtherNotification | RefundNotification | CaptureNotification | DisputeNotification> | undefined;
}

function ackSigner(o: HandlerOptionsBase, verifier: Verifier): AckSigner | undefined {
  const party = verifier.party;
  if (o.signAck === true) {
    if (!party) config('signAck: true needs client; otherwise give { clientId, privateKey }', 'signAck');
    return { clientId: party.clientId, keyVersion: party.keyVersion, clock: verifier.clock, sign: (content) => party.sign(content) };
  }
  if (o.signAck && typeof o.signAck === 'object') {
    // Checked here, not at the first delivery: a signed ack that cannot be built would answer every notification 500.
    const { clientId, privateKey, keyVersion } = o.signAck;
    if (typeof clientId !== 'string' || clientId === '')
      config('signAck.clientId is required: your client id, which the signed acknowledgement carries', 'signAck.clientId');
    // Sent as the acknowledgement's client-id header: a value a header cannot carry would fail every delivery.
    if (!OPTION.clientId.safeParse(clientId).success)
      config(
        'signAck.clientId must be printable ASCII without spaces, at most 128 characters (it is sent as a header)',
        'signAck.clientId',
      );
    if (keyVersion !== undefined && keyVersion !== null && !(typeof keyVersion === 'string' && KEY_VERSION_RE.test(keyVersion))) {
      config('signAck.keyVersion must be a short token such as "1", or null to omit it', 'signAck.keyVersion');
    }
    const key = loadPrivateKey(privateKey, 'signAck.privateKey');
    const backend = verifier.cryptoBackend;
    return {
      clientId,
      keyVersion: keyVersion === undefined ? '1' : keyVersion,
      clock: verifier.clock,
      sign: (content) => backend.sign(content, key),
    };
  }
  if (o.signAck !== undefined && o.signAck !== false)
    config('signAck must be true (with client), false, or { clientId, privateKey, keyVersion? }', 'signAck');
  return undefined;
}

export function resolveHandlerOptions(options: NotificationHandlerOptions): HandlerSettings {
  if (options === null || typeof options !== 'object') config('an options object is required', 'options');
  const unknown = Object.keys(options).filter((k) => !KNOWN_OPTIONS.has(k));
  if (unknown.length > 0) config(unknownNamesMessage('option', unknown, [...KNOWN_OPTIONS]), unknown[0]!);
  const o = options as HandlerOptionsBase & { client?: NotificationClient; alipayPublicKey?: KeyInput };
  if (typeof o.onPayment !== 'function') config('onPayment is required: a function that handles a payment notification', 'onPayment');
  if (o.onRefund !== undefined && typeof o.onRefund !== 'function') config('onRefund must be a function', 'onRefund');
  if (o.onCapture !== undefined && typeof o.onCapture !== 'function') config('onCapture must be a function', 'onCapture');
  if (o.onDispute !== undefined && typeof o.onDispute !== 'function') config('onDispute must be a function', 'onDispute');
  if (o.onOther !== undefined && typeof o.onOther !== 'function') config('onOther must be a function', 'onOther');
  if (o.path !== undefined && (typeof o.path !== 'string' || !o.path.startsWith('/'))) {
    config('path must be the notify path without host, starting with "/" (for example "/alipay/notify")', 'path');
  }
  const verifier = resolveVerifier(o, PREFIX);
  const maxBodyBytes = o.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes <= 0) config('maxBodyBytes must be a positive integer', 'maxBodyBytes');
  const bodyTimeoutMs = o.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  if (!OPTION.timeoutMs.safeParse(bodyTimeoutMs).success) {
    config('bodyTimeoutMs must be a whole number of milliseconds from 1 to 600000', 'bodyTimeoutMs');
  }
  if (o.dedupe !== undefined && o.dedupe !== false) {
    const d = o.dedupe as Partial<NotificationStore> | null;
    if (!d || typeof d.claim !== 'function' || typeof d.complete !== 'function' || typeof d.release !== 'function') {
      config('dedupe must be false or a store with claim, complete and release', 'dedupe');
    }
  }
  return {
    path: o.path,
    verifier,
    store: o.dedupe === false ? undefined : (o.dedupe ?? createMemoryNotificationStore()),
    toleranceMs: checkTolerance(o.toleranceMs),
    logger: o.logger ?? verifier.party?.logger ?? consoleLogger,
    maxBodyBytes,
    bodyTimeoutMs,
    ack: ackSigner(o, verifier),
    onPayment: o.onPayment,
    onRefund: o.onRefund,
    onCapture: o.onCapture,
    onDispute: o.onDispute,
    onOther: o.onOther,
  };
}
