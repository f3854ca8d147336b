// The notification handlers' options: their types, their defaults, and the one check that turns them into settings.
import { z } from 'zod';
import type { Logger } from '../clock';
import type { Clock } from '../clock';
import { functionOption, OPTION, optionError, parseOptions } from '../options';
import type { CryptoBackend, CryptoBackendName } from '../signing/backend';
import { KEY_VERSION_RE } from '../signing/header';
import { loadPrivateKey, type KeyInput } from '../signing/keys';
import type { AckSigner } from './ack';
import { createMemoryNotificationStore, isNotificationStore, type NotificationStore } from './dedupe';
import type { NotificationClient } from './party';
import type { CaptureNotification, DisputeNotification, OtherNotification, PaymentNotification, RefundNotification } from './schemas';
import { resolveVerifier, verifierOptionFields, type Verifier } from './verify';
import { lazy } from '../internal/lazy';

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

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

const consoleLogger: Logger = {
  warn: (message, meta) => console.warn(message, meta ?? {}),
  error: (message, meta) => console.error(message, meta ?? {}),
};

const OWNER = 'notification handler';

type SignAckKeys = { clientId: string; privateKey: KeyInput; keyVersion?: string | null | undefined };

const ownFields = lazy(function buildOwnFields() {
  // Optional keys, required by the refinement below: inside `true | { … }` a missing key would otherwise be reported
  // as "signAck: invalid" instead of naming signAck.clientId.
  const signAckKeys = z
    .object({
      clientId: OPTION.clientId.optional(),
      privateKey: z.custom<KeyInput>().optional(),
      keyVersion: z.string().regex(KEY_VERSION_RE, 'must be a short token such as "1", or null to omit it').nullable().optional(),
    })
    .strict()
    .superRefine((v, ctx) => {
      if (v.clientId === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['clientId'],
          message: 'is required: your client id, which the signed acknowledgement carries',
        });
      if (v.privateKey === undefined)
        ctx.addIssue({ code: 'custom', path: ['privateKey'], message: 'is required: your private key, which signs the acknowledgement' });
    });
  return {
    path: OPTION.notifyPath.optional(),
    onPayment: functionOption<NotificationCallback<PaymentNotification>>('handles a payment notification'),
    onRefund: functionOption<NotificationCallback<RefundNotification>>('handles a refund notification').optional(),
    onCapture: functionOption<NotificationCallback<CaptureNotification>>('handles a capture notification').optional(),
    onDispute: functionOption<NotificationCallback<DisputeNotification>>('handles a dispute notification').optional(),
    onOther: functionOption<NonNullable<HandlerOptionsBase['onOther']>>('handles any other notification').optional(),
    dedupe: z
      .custom<NotificationStore | false>((v) => v === false || isNotificationStore(v), {
        error: 'must be false or a store with claim, complete and release (createMemoryNotificationStore, createRedisNotificationStore)',
      })
      .optional(),
    toleranceMs: OPTION.toleranceMs.optional(),
    logger: OPTION.logger.optional(),
    maxBodyBytes: OPTION.maxBytes.optional(),
    bodyTimeoutMs: OPTION.timeoutMs.optional(),
    signAck: z
      .union([z.boolean(), signAckKeys], { error: 'must be true (with client), false, or { clientId, privateKey, keyVersion? }' })
      .optional(),
  };
});

/** The handler's own option fields (the verifier's are verify.ts'); the inbox takes them too, but the callbacks and dedupe. */
export function handlerOwnFields(): ReturnType<typeof ownFields> {
  return ownFields();
}

const handlerSchema = lazy(function buildHandlerSchema() {
  return z.object({ ...verifierOptionFields(), ...handlerOwnFields() }).strict();
});

type ParsedHandlerOptions = z.output<ReturnType<typeof handlerSchema>>;

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

function ackSigner(signAck: boolean | SignAckKeys | undefined, verifier: Verifier): AckSigner | undefined {
  const party = verifier.party;
  if (signAck === true) {
    if (!party) throw optionError(OWNER, 'signAck', 'true needs client; otherwise give { clientId, privateKey }');
    return { clientId: party.clientId, keyVersion: party.keyVersion, clock: verifier.clock, sign: (content) => party.sign(content) };
  }
  if (!signAck) return undefined;
  // Checked here, not at the first delivery: a signed ack that cannot be built would answer every notification 500.
  const { clientId, privateKey, keyVersion } = signAck;
  const key = loadPrivateKey(privateKey, 'signAck.privateKey');
  const backend = verifier.cryptoBackend;
  return {
    clientId,
    keyVersion: keyVersion === undefined ? '1' : keyVersion,
    clock: verifier.clock,
    sign: (content) => backend.sign(content, key),
  };
}

/** The handler's settings from its options: every option checked (parseOptions), once, when the handler is built. */
export function resolveHandlerOptions(options: NotificationHandlerOptions): HandlerSettings {
  const o: ParsedHandlerOptions = parseOptions(handlerSchema(), options, OWNER);
  const verifier = resolveVerifier(o, OWNER);
  return {
    path: o.path,
    verifier,
    store: o.dedupe === false ? undefined : (o.dedupe ?? createMemoryNotificationStore()),
    toleranceMs: o.toleranceMs,
    logger: o.logger ?? verifier.party?.logger ?? consoleLogger,
    maxBodyBytes: o.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    bodyTimeoutMs: o.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS,
    ack: ackSigner(o.signAck as boolean | SignAckKeys | undefined, verifier),
    onPayment: o.onPayment,
    onRefund: o.onRefund,
    onCapture: o.onCapture,
    onDispute: o.onDispute,
    onOther: o.onOther,
  };
}
