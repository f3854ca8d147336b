// AmsClient: validated configuration, private keys held privately, and one method per AMS call.
import { KeyObject } from 'node:crypto';
import { callAms, type CallContext, type RequestOptions } from './api/call';
import type { Region } from './api/endpoint';
import {
  assertNoIssues,
  assertValidDeclareRequest,
  assertValidPaymentSessionRequest,
  captureRequestIssues,
  consultRequestIssues,
  inquiryDeclarationRequestIssues,
  retrievePaymentSessionRequestIssues,
} from './api/requests';
import {
  CaptureRequest as CaptureRequestSchema,
  CaptureResponse as CaptureResponseSchema,
  type CaptureRequest,
  type CaptureResponse,
} from './schemas/capture';
import {
  ConsultRequest as ConsultRequestSchema,
  ConsultResponse as ConsultResponseSchema,
  type ConsultRequest,
  type ConsultResponse,
} from './schemas/consult';
import {
  DeclareResponse as DeclareResponseSchema,
  InquiryDeclarationRequest as InquiryDeclarationRequestSchema,
  InquiryDeclarationResponse as InquiryDeclarationResponseSchema,
  type DeclareRequest,
  type DeclareResponse,
  type InquiryDeclarationRequest,
  type InquiryDeclarationResponse,
} from './schemas/customs';
import {
  PaymentSessionResponse as PaymentSessionResponseSchema,
  RetrievePaymentSessionRequest as RetrievePaymentSessionRequestSchema,
  RetrievePaymentSessionResponse as RetrievePaymentSessionResponseSchema,
  type PaymentSessionRequest,
  type PaymentSessionResponse,
  type RetrievePaymentSessionRequest,
  type RetrievePaymentSessionResponse,
} from './schemas/session';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { acceptDisputeCall, downloadDisputeEvidenceCall, inquireExchangeRateCall, supplyDefenseDocumentCall } from './api/disputes';
import type {
  AcceptDisputeRequest,
  AcceptDisputeResponse,
  DownloadDisputeEvidenceRequest,
  DownloadDisputeEvidenceResponse,
  SupplyDefenseDocumentRequest,
  SupplyDefenseDocumentResponse,
} from './schemas/disputes';
import type { InquireExchangeRateRequest, InquireExchangeRateResponse } from './schemas/exchange-rate';
import { callGeneric, type GenericRequestOptions, type GenericResponse } from './api/generic';
import { assertValidPayRequest, type PayRules } from './api/pay';
import { parseOrThrow } from './schemas/parse';
import { awaitPayment, paymentRefBody, refundRefBody, type AwaitPaymentOptions, type AwaitPaymentResult } from './api/lifecycle';
import { NOTIFICATION_PARTY, type NotificationParty } from './notifications/party';
import { verifyNotification, type ClientVerifyNotificationInput, type RawBody } from './notifications/verify';
import { notificationLabel, notificationUnknownValues, type AmsNotification } from './notifications/schemas';
import { warnUnknownValues } from './internal/unknown-values';
import type { PayRequest } from './schemas/pay';
import { toPayResult, type PayResult } from './api/pay-result';
import {
  CancelResponse as CancelResponseSchema,
  InquiryPaymentResponse as InquiryPaymentResponseSchema,
  InquiryRefundResponse as InquiryRefundResponseSchema,
  RefundRequest as RefundRequestSchema,
  RefundResponse as RefundResponseSchema,
  type CancelResponse,
  type InquiryPaymentResponse,
  type InquiryRefundResponse,
  type PaymentRef,
  type RefundRef,
  type RefundRequest,
  type RefundResponse,
} from './schemas/lifecycle';
import { PayResponse as PayResponseSchema } from './schemas/pay';
import { runDoctor, type DoctorOptions } from './doctor/probe';
import type { DoctorReport } from './doctor/report';
import { resolveClientConfig, type AmsClientConfig } from './client-config';

/** The AMS client. Construct once and reuse: keys are parsed here, once. */
export class AmsClient {
  readonly clientId: string;
  readonly sandbox: boolean;
  readonly region: Region | undefined;
  readonly baseUrl: string | undefined;
  /** The origin every call goes to (from region and accelerated, or baseUrl). */
  readonly origin: string;
  readonly keyVersion: string | null;
  /** The rules `pay()` applies on top of the schema: integration and contract currency. */
  readonly #rules: PayRules;
  readonly #ctx: CallContext;
  readonly #privateKey: KeyObject;
  readonly #alipayPublicKey: KeyObject;

  constructor(config: AmsClientConfig) {
    const s = resolveClientConfig(config);
    this.clientId = s.clientId;
    this.sandbox = s.sandbox;
    this.region = s.region;
    this.baseUrl = s.baseUrl;
    this.origin = s.origin;
    this.keyVersion = s.keyVersion;
    this.#rules = s.rules;
    this.#ctx = s.ctx;
    this.#privateKey = s.privateKey;
    this.#alipayPublicKey = s.alipayPublicKey;
  }

  /** What notification verifiers and signed acknowledgements need; the private key only signs, it is not handed out. */
  [NOTIFICATION_PARTY](): NotificationParty {
    const ctx = this.#ctx;
    const key = this.#privateKey;
    return {
      clientId: ctx.clientId,
      alipayPublicKey: ctx.alipayPublicKey,
      cryptoBackend: ctx.cryptoBackend,
      clock: ctx.clock,
      logger: ctx.logger,
      keyVersion: ctx.keyVersion,
      sign: (content) => ctx.cryptoBackend.sign(content, key),
    };
  }

  /** Per-attempt timeout in ms. */
  get timeoutMs(): number {
    return this.#ctx.timeoutMs;
  }

  /** Retries after the first attempt. */
  get maxRetries(): number {
    return this.#ctx.maxRetries;
  }

  /**
   * Creates a cashier payment (`productCode: 'CASHIER_PAYMENT'`). Resolves with the verified response on `S`
   * and on `U` + `PAYMENT_IN_PROCESS` (the normal answer: send the buyer to `redirectActionForm` / `normalUrl`).
   * `order.extendInfo` may be the JSON string or its object (sent as the string). Throws AmsValidationError before
   * any network call (schema, currencies and your contract, chinaExtraTransInfo for a direct merchant), AmsApiError
   * on `F`, AmsUnknownResultError when the result stays unknown after retries (inquire with the same
   * paymentRequestId).
   */
  async pay(request: PayRequest, options?: RequestOptions): Promise<PayResult> {
    const body = assertValidPayRequest(request, this.#ctx.clock.now(), this.#rules);
    const res = await callAms(
      this.#ctx,
      {
        api: 'pay',
        body,
        ids: { paymentRequestId: body.paymentRequestId },
        responseSchema: PayResponseSchema(),
        acceptUnknownCodes: ['PAYMENT_IN_PROCESS'],
      },
      options,
    );
    return toPayResult(res, body.paymentRequestId);
  }

  /**
   * Asks for a payment's state by `{ paymentRequestId }` or `{ paymentId }` (exactly one).
   * `paymentStatus` is SUCCESS, FAIL, PROCESSING, CANCELLED or PENDING. ORDER_NOT_EXIST → AmsApiError.
   */
  async inquiryPayment(ref: PaymentRef, options?: RequestOptions): Promise<InquiryPaymentResponse> {
    const body = paymentRefBody(ref, 'inquiryPayment');
    return callAms(this.#ctx, { api: 'inquiryPayment', body, ids: body, responseSchema: InquiryPaymentResponseSchema() }, options);
  }

  /** Cancels an unfinished payment so the buyer can no longer pay it, by `{ paymentRequestId }` or `{ paymentId }`. */
  async cancel(ref: PaymentRef, options?: RequestOptions): Promise<CancelResponse> {
    const body = paymentRefBody(ref, 'cancel');
    return callAms(this.#ctx, { api: 'cancel', body, ids: body, responseSchema: CancelResponseSchema() }, options);
  }

  /**
   * Refunds all or part of a successful payment. `refundRequestId` is the idempotency key: retrying with it never
   * refunds twice. `refundAmount.value` is in minor units. REFUND_AMOUNT_EXCEED and other F codes → AmsApiError.
   */
  async refund(request: RefundRequest, options?: RequestOptions): Promise<RefundResponse> {
    const body = parseOrThrow(RefundRequestSchema(), request, 'Invalid refund request');
    return callAms(
      this.#ctx,
      {
        api: 'refund',
        body,
        ids: { refundRequestId: body.refundRequestId, paymentId: body.paymentId },
        responseSchema: RefundResponseSchema(),
      },
      options,
    );
  }

  /** Asks for a refund's state by `{ refundRequestId }` or `{ refundId }` (exactly one). */
  async inquiryRefund(ref: RefundRef, options?: RequestOptions): Promise<InquiryRefundResponse> {
    const body = refundRefBody(ref, 'inquiryRefund');
    return callAms(this.#ctx, { api: 'inquiryRefund', body, ids: body, responseSchema: InquiryRefundResponseSchema() }, options);
  }

  /**
   * Waits for a payment's final state the way Alipay prescribes: inquire on a schedule (2, 3, 3, 5, 5, 5, 5, 5, 5 s),
   * stop at SUCCESS / FAIL / CANCELLED, and when the schedule runs out with the payment still PROCESSING (the buyer
   * has not paid), cancel it (unless `cancelOnTimeout: false`) and return the state after the cancel. A PENDING
   * payment is never cancelled: it comes back as `{ paymentStatus: 'PENDING', cancelled: false }`, and the payment
   * notification (or a later inquiry) brings the result. Abortable with `signal` (AmsAbortError).
   */
  async awaitPaymentResult(input: PaymentRef & AwaitPaymentOptions): Promise<AwaitPaymentResult> {
    const { schedule, scheduleMs, cancelOnTimeout, notFoundGraceInquiries, signal, ...ref } = input;
    const body = paymentRefBody(ref, 'awaitPaymentResult') as PaymentRef;
    return awaitPayment(
      {
        inquire: (s) => this.inquiryPayment(body, { signal: s }),
        cancel: (s) => this.cancel(body, { signal: s }),
        sleep: (ms, s) => this.#ctx.clock.sleep(ms, s),
      },
      { schedule, scheduleMs, cancelOnTimeout, notFoundGraceInquiries, signal },
    );
  }

  /**
   * Creates a payment session for Antom's web checkout: pass `paymentSessionData` unchanged as `sessionData` to
   * `@alipay/ams-checkout` (`CHECKOUT_PAYMENT`: `AMSCheckoutPage`, or redirect the buyer to `normalUrl`;
   * `ELEMENT_PAYMENT`: `AMSElement`; `CASHIER_PAYMENT`: `AMSCashierPayment`). The value is opaque here. The payment it
   * leads to is announced by the payment notification, as for `pay`. `paymentRequestId` is the idempotency key: `U`
   * is retried with the same body. Checked before sending: the schema, a session expiry within 1 hour, and, when a
   * payment method is given, the same ALIPAY_CN rules as `pay()`.
   */
  async createPaymentSession(request: PaymentSessionRequest, options?: RequestOptions): Promise<PaymentSessionResponse> {
    const body = assertValidPaymentSessionRequest(request, this.#ctx.clock.now(), this.#rules);
    return callAms(
      this.#ctx,
      {
        api: 'createPaymentSession',
        body,
        ids: { paymentRequestId: body.paymentRequestId },
        responseSchema: PaymentSessionResponseSchema(),
      },
      options,
    );
  }

  /**
   * A payment session's order after the buyer paid (`/v1/payments/retrievePaymentSession`), by the session's
   * `paymentRequestId`: the final quantities, prices and discounts of the Checkout Page or Payment Element. Read-only,
   * so always safe to retry. It says nothing about whether the payment succeeded: that is the notification's `outcome`
   * or `inquiryPayment`.
   */
  async retrievePaymentSession(request: RetrievePaymentSessionRequest, options?: RequestOptions): Promise<RetrievePaymentSessionResponse> {
    const body = assertNoIssues(
      RetrievePaymentSessionRequestSchema(),
      request,
      retrievePaymentSessionRequestIssues(request),
      'retrievePaymentSession',
    );
    return callAms(
      this.#ctx,
      {
        api: 'retrievePaymentSession',
        body,
        ids: { paymentRequestId: body.paymentRequestId },
        responseSchema: RetrievePaymentSessionResponseSchema(),
      },
      options,
    );
  }

  /**
   * Which payment methods can take `paymentAmount` on `env.terminalType`: `paymentOptions[]` with `enabled`,
   * `disableReason` and limits (unknown fields kept). Read-only, so always safe to retry.
   */
  async consult(request: ConsultRequest, options?: RequestOptions): Promise<ConsultResponse> {
    const body = assertNoIssues(ConsultRequestSchema(), request, consultRequestIssues(request), 'consult');
    return callAms(this.#ctx, { api: 'consult', body, ids: {}, responseSchema: ConsultResponseSchema() }, options);
  }

  /**
   * Captures an authorized card payment (`paymentFactor.captureMode: 'MANUAL'`), within 7 days of the authorization.
   * `captureRequestId` is the idempotency key: a `U` is retried with the same body, never capturing twice. `S` =
   * captured; `F` → AmsApiError (e.g. an amount over the authorization); still `U` → AmsUnknownResultError: wait for
   * the CAPTURE_RESULT notification or inquire the payment (its `transactions[]` list the capture).
   */
  async capture(request: CaptureRequest, options?: RequestOptions): Promise<CaptureResponse> {
    const body = assertNoIssues(CaptureRequestSchema(), request, captureRequestIssues(request), 'capture');
    return callAms(
      this.#ctx,
      {
        api: 'capture',
        body,
        ids: { captureRequestId: body.captureRequestId, paymentId: body.paymentId },
        responseSchema: CaptureResponseSchema(),
      },
      options,
    );
  }

  /**
   * Declares a successful ALIPAY_CN payment to Chinese customs (amount in CNY, `declarationRequestId` ≤ 32 characters,
   * the idempotency key). The answer's `S` says only that Antom took the declaration, **not** what customs decided:
   * poll `inquiryDeclarationRequests` for `declarationRequestStatus` (no notification is sent for customs).
   */
  async declare(request: DeclareRequest, options?: RequestOptions): Promise<DeclareResponse> {
    const body = assertValidDeclareRequest(request);
    return callAms(
      this.#ctx,
      {
        api: 'declare',
        body,
        ids: { declarationRequestId: body.declarationRequestId, paymentId: body.paymentId },
        responseSchema: DeclareResponseSchema(),
      },
      options,
    );
  }

  /** The state of 1–10 declarations: `declarationRecords[]`, and `declarationRequestsNotFound[]` for unknown ids. */
  async inquiryDeclarationRequests(request: InquiryDeclarationRequest, options?: RequestOptions): Promise<InquiryDeclarationResponse> {
    const body = assertNoIssues(
      InquiryDeclarationRequestSchema(),
      request,
      inquiryDeclarationRequestIssues(request),
      'inquiryDeclarationRequests',
    );
    return callAms(
      this.#ctx,
      { api: 'inquiryDeclarationRequests', body, ids: {}, responseSchema: InquiryDeclarationResponseSchema() },
      options,
    );
  }

  // Disputes and exchange rates: after the payment. None of these calls has a request id of yours; the disputeId of
  // the dispute notification names what acceptDispute and supplyDefenseDocument act on, so retrying them (U, a lost
  // answer) can never act twice: a repeat is answered F REPEAT_REQUEST, and the next dispute notification says what
  // Antom recorded.

  /**
   * Accepts a dispute (`disputeId` from its DISPUTE_CREATED notification): you take the liability and the disputed
   * amount goes back to the buyer; a DISPUTE_ACCEPTED notification follows. Before `defenseDueTime` only, else
   * `F TIME_EXCEEDS_LIMIT`. `F REPEAT_REQUEST`: already accepted or defended (maybe by an earlier attempt whose
   * answer was lost: the notifications say which).
   */
  async acceptDispute(request: AcceptDisputeRequest, options?: RequestOptions): Promise<AcceptDisputeResponse> {
    return callAms(this.#ctx, acceptDisputeCall(request), options);
  }

  /**
   * Defends a dispute with your document (`disputeEvidence`: the file in base64, at most 1 000 000 characters, checked
   * before sending), before `defenseDueTime`. Resolving means Antom took the document, not that you won: a
   * DEFENSE_SUPPLIED notification follows, then DISPUTE_JUDGED with the result (`outcome` `won` or `lost`).
   */
  async supplyDefenseDocument(request: SupplyDefenseDocumentRequest, options?: RequestOptions): Promise<SupplyDefenseDocumentResponse> {
    return callAms(this.#ctx, supplyDefenseDocumentCall(request), options);
  }

  /**
   * Downloads Antom's prefilled defense template (`DISPUTE_EVIDENCE_TEMPLATE`) or the document you supplied
   * (`DISPUTE_EVIDENCE_FILE`), base64 in `disputeEvidence` with its `disputeEvidenceFormat`. The answer is bounded by
   * `maxResponseBytes` like every other (the default 1 MiB holds Antom's largest, 1 000 000 characters).
   */
  async downloadDisputeEvidence(
    request: DownloadDisputeEvidenceRequest,
    options?: RequestOptions,
  ): Promise<DownloadDisputeEvidenceResponse> {
    return callAms(this.#ctx, downloadDisputeEvidenceCall(request), options);
  }

  /**
   * The exchange rates a payment would get, asked before the payment: `quotes[]` (`quoteCurrencyPair`, `quotePrice`,
   * its validity) and `paymentQuotes[]` (a rate to multiply by). Read-only, so always safe to retry; an empty
   * `quotes` is a valid answer (no rate for that pair).
   */
  async inquireExchangeRate(request: InquireExchangeRateRequest, options?: RequestOptions): Promise<InquireExchangeRateResponse> {
    return callAms(this.#ctx, inquireExchangeRateCall(request), options);
  }

  /**
   * Any AMS API by its path as the docs write it (`/v1/payments/…`, `/v1/customs/…`, `/v1/vaults/…`): the same
   * signing, sandbox path rule, response verification, retries with the same body and typed errors as the modelled
   * methods. `options.schema` (any Standard Schema: zod ≥ 3.24, valibot, arktype) validates and types the verified
   * answer, and its output is what the call resolves with (a field it refuses: AmsValidationError naming it); without
   * it the answer is the JSON as sent, typed as `{ result }` plus unknown fields. The package reads `result` itself:
   * resolves on `S` only; `F` → AmsApiError, a `U` that stays unknown → AmsUnknownResultError. Retrying is safe only
   * when the body carries the API's idempotency id.
   */
  async request<S extends StandardSchemaV1 | undefined = undefined>(
    path: string,
    body: Record<string, unknown>,
    options: GenericRequestOptions<S> = {},
  ): Promise<GenericResponse<S>> {
    return callGeneric(this.#ctx, path, body, options);
  }

  /**
   * Proves the credentials against the gateway without touching any payment: one signed `inquiryPayment` for a
   * paymentRequestId that cannot exist, no retry. A verified `F ORDER_NOT_EXIST` means Alipay accepted the signature,
   * knows the client id here and signs with the configured Alipay key; anything else becomes a failing check with
   * its fix. Resolves with `{ ok, checks: [{ name, ok, message, fix }] }`; for health endpoints and deploy checks.
   */
  async doctor(options?: DoctorOptions): Promise<DoctorReport> {
    return runDoctor(this.#ctx, options);
  }

  /**
   * Verifies a notification Alipay POSTed to your notify URL with this client's Alipay public key and client id,
   * then parses it into a typed notification. `rawBody` must be the bytes as received (see RAW_BODY_HINT).
   */
  verifyNotification<B extends RawBody>(input: ClientVerifyNotificationInput<B>): AmsNotification {
    const notification = verifyNotification({ ...input, client: this });
    warnUnknownValues(
      this.#ctx,
      this.#ctx.logger?.warn?.bind(this.#ctx.logger),
      notificationLabel(notification),
      notificationUnknownValues(notification),
    );
    return notification;
  }

  /** What the client shows of itself: never keys or tokens. */
  toJSON(): Record<string, unknown> {
    return {
      clientId: this.clientId,
      sandbox: this.sandbox,
      region: this.region,
      baseUrl: this.baseUrl,
      origin: this.origin,
      keyVersion: this.keyVersion,
      integration: this.#rules.integration,
      contractSettlementCurrency: this.#rules.contractSettlementCurrency,
      agentToken: this.#ctx.agentToken === undefined ? undefined : '<redacted>',
    };
  }

  // Node's util.inspect hands over its own inspect: the client needs no node:util of its own (an import cost).
  [Symbol.for('nodejs.util.inspect.custom')](
    _depth: number,
    options: object,
    inspect: (value: unknown, options: object) => string,
  ): string {
    return `AmsClient ${inspect(this.toJSON(), options)}`;
  }
}
