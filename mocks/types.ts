// The embedded gateway's public types: its options, the request and reply the adapters exchange, its records and events.
import type { KnownPaymentStatus } from '../src/schemas/lifecycle';
import type { Region } from '../src/api/endpoint';
import type { Clock } from '../src/clock';
import type { KeyInput } from '../src/signing/keys';
import type { CredentialOptions } from './credentials';
import type { FaultSpec, GatewayApi } from './faults';
import type { MagicBehaviour } from './magic';
import type { DeliveryAttempt, GatewayNotifyType } from './notifier';
import type { RewriteSet } from './rewrite';

/** One merchant the gateway knows: its client id and the public key it uploaded. */
export interface MerchantConfig {
  /** `SANDBOX_…` ids may call only the sandbox paths, other ids only the production paths. */
  clientId: string;
  /** The merchant's public key (PEM, bare base64 SPKI, KeyObject…): verifies its requests. */
  merchantPublicKey: KeyInput;
  /** The settlement currency of the merchant's contract; when set, other settlement currencies are refused. */
  contractSettlementCurrency?: string;
  /**
   * `'direct'` (default, as Alipay treats a merchant integrated directly): an ALIPAY_CN pay without
   * order.extendInfo.chinaExtraTransInfo is refused `PARAM_ILLEGAL`. `'acquirer'`: it is optional.
   */
  integration?: 'direct' | 'acquirer';
  /** For ISVs: the Agent-Tokens this client may act with. When absent, any (or no) Agent-Token is accepted. */
  agentTokens?: readonly string[];
}

export interface GatewayOptions {
  /** The merchants: a list, or a record of clientId → public key (or → the rest of a MerchantConfig). */
  merchants?: readonly MerchantConfig[] | Readonly<Record<string, KeyInput | Omit<MerchantConfig, 'clientId'>>>;
  /** Shortcut for one merchant, with `merchantPublicKey` (and optionally `contractSettlementCurrency`). */
  clientId?: string;
  merchantPublicKey?: KeyInput;
  contractSettlementCurrency?: string;
  integration?: 'direct' | 'acquirer';
  /** The gateway's own ("Alipay's") private key; a fresh RSA-2048 key is generated when absent. */
  alipayPrivateKey?: KeyInput;
  /** Faults to play per call, in order (see FaultName); more can be added with `script()`. */
  faults?: Partial<Record<GatewayApi, readonly FaultSpec[]>>;
  /** Alipay's notification retry schedule is divided by this (e.g. 1000: 2 min → 120 ms). Default 1 (real time). */
  notifyRetryCompression?: number;
  /** Replaces Alipay's schedule (ms before each attempt, before compression). Default NOTIFY_RETRY_SCHEDULE_MS. */
  notifyRetrySchedule?: readonly number[];
  /** Per-attempt timeout of a notification delivery. Default 10 000 ms. */
  notifyTimeoutMs?: number;
  /** Times written into responses and notifications. Default the system clock. Timers always run in real time. */
  clock?: Clock;
  /** Used to deliver notifications. Default globalThis.fetch (so msw intercepts it when active). */
  fetch?: typeof fetch;
  /**
   * Which of Antom's regions the gateway plays for the web SDK: the region code in paymentSessionData (`SEA` → `SG`,
   * `NA` → `US`, `EU` → `DE`), which picks the host the component SDKs send their RPCs to
   * (imgs-sea-global / imgs-na-global / imgs-de-global.alipay.com). Default `SEA`.
   */
  region?: Region;
  /** Origin of the cashier page in pay responses; default the origin the request arrived on. */
  cashierOrigin?: string;
  /** Upper bound of a `hang` fault, ms. Default 30 000. */
  maxHangMs?: number;
  /** Per client id: uploaded key versions, the environment it is registered in, whether the product is activated. */
  credentials?: CredentialOptions;
  /**
   * Send `PAYMENT_PENDING` (the buyer paid, the result follows) before every `PAYMENT_RESULT`: the payment is PENDING
   * until that first notification attempt is over. Default false. One payment alone: `completePayment(id, 'PENDING')`.
   */
  paymentPending?: boolean;
  /**
   * Per notifyType, fields set (dotted paths, as the `rewrite` fault's `set`) in every notification of that type before
   * it is signed: e.g. `{ REFUND_RESULT: { refundStatus: 'REFUND_NEW', someNewField: 1 } }`. Changed later with
   * `rewriteNotifications()`.
   */
  notificationRewrite?: Partial<Record<GatewayNotifyType, RewriteSet>>;
  /**
   * Divides every wait of a dispute's schedule (the deadline, its alert 24 h before, the judgement): e.g. 1e6 plays
   * 11 days in under a second. The times written in the notifications stay the schedule's. Default 1 (real time).
   */
  disputeTimeCompression?: number;
}

/** How `dispute(paymentId, options)` disputes a paid payment; every field has Antom-like defaults. */
export interface DisputeOptions {
  /** Default the payment's amount; at most that, in its currency. */
  amount?: { currency: string; value: string };
  /** Default `4853` (Mastercard: cardholder dispute). */
  reasonCode?: string;
  reasonMsg?: string;
  /** The card scheme or bank; default `Mastercard`. */
  source?: string;
  /** Default `CHARGEBACK`. */
  type?: 'CHARGEBACK' | 'RETRIEVAL_REQUEST' | 'COMPLIANCE_REQUEST';
  /** Default true; false: supplyDefenseDocument is refused (`NOT_ALLOW_IN_CURRENT_STATUS`), accept it or let it lapse. */
  defendable?: boolean;
  /** Where the notifications go; default the payment's paymentNotifyUrl (Antom: the Dashboard's notification URL). */
  notifyUrl?: string;
  /** From the dispute to its `defenseDueTime`; default 11 days (Antom's sample notification). */
  defendWithinMs?: number;
  /** The judgement a defense gets; default ACCEPT_BY_CUSTOMER (the defense wins). */
  judgedResult?: 'ACCEPT_BY_CUSTOMER' | 'ACCEPT_BY_MERCHANT';
  /** From the defense to its judgement; default 30 days. `judgeDispute()` judges at once. */
  judgedAfterMs?: number;
}

/** A dispute the gateway holds: where it stands and what its notifications say. */
export interface DisputeRecord {
  disputeId: string;
  paymentId: string;
  paymentRequestId: string;
  clientId: string;
  /** `clientId|agentToken` of the payment: only its merchant may answer the dispute. */
  scope: string;
  /** OPEN until answered; DEFENDED then JUDGED; ACCEPTED (by the merchant, or by the deadline: `acceptReason`); CANCELLED by the buyer. */
  status: 'OPEN' | 'DEFENDED' | 'ACCEPTED' | 'JUDGED' | 'CANCELLED';
  disputeAmount: { currency: string; value: string };
  disputeTime: string;
  defenseDueTime: string;
  disputeReasonCode: string;
  disputeReasonMsg: string;
  disputeSource: string;
  disputeType: string;
  defendable: boolean;
  judgedResult: 'ACCEPT_BY_CUSTOMER' | 'ACCEPT_BY_MERCHANT';
  judgedAfterMs: number;
  notifyUrl: string;
  /** The defense document as supplied (base64). */
  evidence: string | undefined;
  /** When the acceptance or defense was taken. */
  resolutionTime: string | undefined;
  acceptReason: 'MERCHANT_ACCEPTED' | 'TIMEOUT' | undefined;
  judgedTime: string | undefined;
}

/** A request as the adapters hand it over. Header names in any case. */
export interface GatewayRequest {
  method: string;
  /** Absolute URL (origin + path + query). */
  url: string;
  headers: Readonly<Record<string, string | readonly string[] | undefined>> | Headers;
  body: string;
  /** Aborted when the client went away (used to end a `hang`). */
  signal?: AbortSignal;
}

/** The answer; `reset: true` means "destroy the connection instead of answering". */
export interface GatewayReply {
  status: number;
  headers: Record<string, string>;
  body: string;
  reset?: boolean;
}

/**
 * The states a gateway payment takes: AMS's. PENDING (the buyer paid, the result is on its way) only with
 * `completePayment(id, 'PENDING')` or the `paymentPending` option.
 */
export type PaymentStatus = KnownPaymentStatus;

export interface PaymentRecord {
  paymentId: string;
  paymentRequestId: string;
  clientId: string;
  agentToken: string | undefined;
  status: PaymentStatus;
  /** SUCCESS, the failure code, PAYMENT_IN_PROCESS or ORDER_IS_CLOSED. */
  resultCode: string;
  resultMessage: string;
  magic: MagicBehaviour;
  /** As requested (`CHECKOUT_PAGE` when a session left the choice to the buyer). */
  paymentMethodType: string;
  paymentAmount: { currency: string; value: string };
  settlementCurrency: string | undefined;
  referenceOrderId: string;
  orderDescription: string;
  paymentRedirectUrl: string;
  paymentNotifyUrl: string | undefined;
  paymentCreateTime: string;
  paymentTime: string | undefined;
  cancelTime: string | undefined;
  redirectUrl: string;
  normalUrl: string;
  parameters: string;
  inquiries: number;
  /** The exact pay request body, as received. */
  requestBody: string;
}

export interface RefundRecord {
  refundId: string;
  /** The merchant's id; empty for the automatic refund of a cancel (no merchant request made it). */
  refundRequestId: string;
  /** `refund`: asked for with the refund API. `cancel`: the full refund a cancel of a paid payment makes by itself. */
  source: 'refund' | 'cancel';
  /** SUCCESS, or FAIL for a refund refused (magic refund amount …4061): a failed refund refunds nothing. */
  status: 'SUCCESS' | 'FAIL';
  paymentId: string;
  clientId: string;
  refundAmount: { currency: string; value: string };
  refundReason: string | undefined;
  refundNotifyUrl: string | undefined;
  refundTime: string;
}

export type GatewayEventType =
  | 'request.received'
  | 'request.verified'
  | 'request.rejected'
  | 'request.answered'
  | 'fault'
  | 'cashier.viewed'
  | 'sdk.rpc'
  | 'payment.created'
  | 'payment.pending'
  | 'payment.succeeded'
  | 'payment.failed'
  | 'payment.cancelled'
  | 'refund.succeeded'
  | 'refund.failed'
  | 'dispute.created'
  | 'dispute.defended'
  | 'dispute.accepted'
  | 'dispute.judged'
  | 'dispute.cancelled'
  | 'notification.attempt';

/** A timeline entry: what the gateway did, when (wall clock, ms since epoch). */
export interface GatewayEvent {
  type: GatewayEventType;
  at: number;
  api?: GatewayApi;
  paymentId?: string;
  refundId?: string;
  disputeId?: string;
  resultStatus?: string;
  resultCode?: string;
  message?: string;
  fault?: string;
  attempt?: DeliveryAttempt;
}

export interface WaitForNotificationOptions {
  paymentId?: string;
  refundId?: string;
  disputeId?: string;
  kind?: 'payment' | 'refund' | 'capture' | 'dispute';
  /**
   * e.g. `PAYMENT_PENDING`, to tell it from the `PAYMENT_RESULT` of the same payment; for a dispute its
   * `disputeNotificationType` (`DISPUTE_JUDGED`).
   */
  notifyType?: GatewayNotifyType;
  /** Default 'acknowledged'. */
  until?: 'acknowledged' | 'attempted';
  /** Default 10 000 ms. */
  timeoutMs?: number;
}
