// The package root: what a merchant uses — the client, its errors, notifications, the buyer's redirect, the builder
// and the rules they call. Primitives live in documented subpaths (ams-cashier/signing, /rules, /notifications,
// /http, /schemas), none of which exports a name of the root's; the names users rely on are never renamed or removed.
export {
  AmsError,
  AmsConfigError,
  AmsValidationError,
  AmsSignatureError,
  AmsApiError,
  AmsHttpError,
  AmsConnectionError,
  AmsTimeoutError,
  AmsUnknownResultError,
  AmsAbortError,
} from './errors';
export type { ValidationIssue, SignatureFailureReason, ResultStatus } from './errors';

export { AmsClient } from './client';
export type { AmsClientConfig } from './client-config';
export type { RequestOptions } from './api/call';
export type { Logger } from './clock';
export type { Clock } from './clock';
export type { CryptoBackendName } from './signing/backend';
export type { PayRules, Integration } from './api/pay';
export type { PayRequest, PayResponse } from './schemas/pay';
export type { PayResult } from './api/pay-result';
export type {
  PaymentSessionRequest,
  PaymentSessionResponse,
  ProductScene,
  RetrievePaymentSessionRequest,
  RetrievePaymentSessionResponse,
} from './schemas/session';
export type { ConsultRequest, ConsultResponse, PaymentOption } from './schemas/consult';
export type { CaptureRequest, CaptureResponse } from './schemas/capture';
export type {
  DeclareRequest,
  DeclareResponse,
  InquiryDeclarationRequest,
  InquiryDeclarationResponse,
  DeclarationRecord,
} from './schemas/customs';
export type {
  PaymentStatus,
  PaymentRef,
  RefundRef,
  RefundRequest,
  RefundResponse,
  CancelResponse,
  InquiryPaymentResponse,
  InquiryRefundResponse,
} from './schemas/lifecycle';
export type {
  AcceptDisputeRequest,
  AcceptDisputeResponse,
  SupplyDefenseDocumentRequest,
  SupplyDefenseDocumentResponse,
  DownloadDisputeEvidenceRequest,
  DownloadDisputeEvidenceResponse,
} from './schemas/disputes';
export type { InquireExchangeRateRequest, InquireExchangeRateResponse, PaymentQuote } from './schemas/exchange-rate';
export type { GenericRequestOptions, GenericResponse } from './api/generic';
export { DEFAULT_AWAIT_SCHEDULE_SECONDS } from './api/lifecycle';
export type { AwaitPaymentOptions, AwaitPaymentResult } from './api/lifecycle';
export type { DoctorCheck, DoctorReport } from './doctor/report';
export type { DoctorOptions } from './doctor/probe';

// Building the request and sending the buyer to the cashier.
export { buildCashierPayment } from './api/payment-builder';
export type {
  CashierPaymentInput,
  CashierPaymentRequest,
  BuildCashierPaymentOptions,
  BuilderInstant,
  MinorUnitAmountInput,
  CashierTerminalType,
  CashierOsType,
} from './api/payment-input';
export { cashierRedirect } from './rules/cashier-redirect';
export type { CashierRedirect, CashierRedirectOptions, RedirectActionFormInput, PayAnswerRedirectInput } from './rules/cashier-redirect';

// The rules a merchant calls: currencies, amounts, chinaExtraTransInfo (the rest: ams-cashier/rules).
export { ALIPAY_CN_PAYMENT_CURRENCIES, ALIPAY_CN_SETTLEMENT_CURRENCIES, checkCurrencies } from './rules/currencies';
export type {
  AlipayCnPaymentCurrency,
  AlipayCnSettlementCurrency,
  CurrencyCheckInput,
  CurrencyCheckResult,
  CurrencyViolation,
} from './rules/currencies';
export { toMinorUnits, fromMinorUnits } from './rules/amounts';
export type { Amount } from './rules/amounts';
export { buildChinaExtraTransInfo } from './rules/china-extra';
export type { ChinaExtraTransInfo, ChinaExtraTransInfoInput, GoodsItem } from './rules/china-extra-shape';
export { buildExtendInfo } from './rules/extend-info';
export type { ExtendInfoInput } from './rules/extend-info';

// Notifications: verify, handle, acknowledge, dedupe, match (the rest: ams-cashier/notifications).
// From their modules, not the subpath's index: that one builds the notification schemas it exports when imported.
export { verifyNotification, verifyNotificationAsync } from './notifications/verify';
export { createNotificationHandler } from './notifications/node-handler';
export { createFetchNotificationHandler } from './notifications/fetch-handler';
export { notificationAck } from './notifications/ack';
export { createMemoryNotificationStore, notificationKey } from './notifications/dedupe';
export { matchNotification, assertNotificationMatches } from './notifications/match';
export type { VerifyNotificationInput, ClientVerifyNotificationInput, RawBody } from './notifications/verify';
export type { NotificationHeaders } from './notifications/headers';
export type {
  AmsNotification,
  PaymentNotification,
  RefundNotification,
  CaptureNotification,
  DisputeNotification,
  DisputeOutcome,
  OtherNotification,
  NotificationKind,
  PaymentOutcome,
  SettledOutcome,
} from './notifications/schemas';
export type { NotificationAck, NotificationAckOptions } from './notifications/ack';
export type { NotificationStore, NotificationClaim } from './notifications/dedupe';
export type { NodeNotificationHandler } from './notifications/node-handler';
export type { FetchNotificationHandler } from './notifications/fetch-handler';
export type { NotificationHandlerOptions, NotificationCallback, NotificationContext } from './notifications/processor';
export type { NotificationExpectation, NotificationMismatch, NotificationMatch, MatchNotificationOptions } from './notifications/match';

// Keys and signing for those who sign themselves (the rest: ams-cashier/signing).
export { loadPrivateKey, loadPublicKey } from './signing/keys';
export type { KeyInput } from './signing/keys';
export { buildSignContent } from './signing/content';
export { parseSignatureHeader } from './signing/header';
export { signRequest, verifySignature } from './signing/sign';
export type { SignRequestInput, VerifySignatureInput } from './signing/sign';
export type { SignContentInput } from './signing/content';
export type { ParsedSignatureHeader } from './signing/header';
export { resolveEndpoint } from './api/endpoint';
export type { Region, EndpointOptions, AmsApi } from './api/endpoint';

// Transports, for users who inject their own (the rest: ams-cashier/http).
export { createNodeHttpTransport } from './http/node-transport';
export { createAxiosTransport } from './http/axios-transport';
export { TransportFailure } from './http/types';
export type { Transport, HttpRequest, HttpResponse } from './http/types';
export type { NodeHttpTransportOptions } from './http/node-transport';
export type { AxiosTransportOptions } from './http/axios-transport';

export { VERSION } from './version';
