// The public surface of ams-cashier: named exports only; the names users rely on are never renamed or removed.
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

export { loadPrivateKey, loadPublicKey, describeKey, MIN_RSA_BITS } from './signing/keys';
export type { KeyInput, KeyDescription } from './signing/keys';
export { buildSignContent } from './signing/content';
export type { SignContentInput } from './signing/content';
export { parseSignatureHeader, formatSignatureHeader } from './signing/header';
export type { ParsedSignatureHeader } from './signing/header';
export { signRequest, verifySignature } from './signing/sign';
export type { SignRequestInput, VerifySignatureInput } from './signing/sign';
export type { CryptoBackendName } from './signing/backend';

export { resolveEndpoint, REGION_ORIGINS } from './api/endpoint';
export type { GenericRequestOptions, GenericResponse } from './api/generic';
export type { Region, EndpointOptions, AmsApi } from './api/endpoint';
export { formatRequestTime, formatIsoWithOffset, parseRequestTime } from './rules/time';
export type { Clock } from './clock';
export type { Logger, RequestOptions } from './api/call';
export type { Transport, HttpRequest, HttpResponse, TransportFailureKind } from './http/types';
export { TransportFailure } from './http/types';
export { createDefaultTransport } from './http/default-transport';
export { createAxiosTransport } from './http/axios-transport';
export type { AxiosTransportOptions } from './http/axios-transport';
export { createNodeHttpTransport } from './http/node-transport';
export type { NodeHttpTransportOptions } from './http/node-transport';

export { AmsClient } from './client';
export type { AmsClientConfig } from './client';
export type { DoctorCheck, DoctorReport } from './doctor/verdict';
export type { DoctorOptions } from './doctor/probe';
export type { PayRequest, PayResponse } from './schemas/pay';
export type { PayResult } from './api/pay-result';
export type { PaymentSessionRequest, PaymentSessionResponse, ProductScene } from './schemas/session';
export type { ConsultRequest, ConsultResponse, PaymentOption } from './schemas/consult';
export type { CaptureRequest, CaptureResponse } from './schemas/capture';
export type { DeclareRequest, DeclareResponse, InquiryDeclarationRequest, InquiryDeclarationResponse, DeclarationRecord } from './schemas/customs';
export { PayRequest as PayRequestSchema, PayResponse as PayResponseSchema } from './schemas/pay';
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
export { DEFAULT_AWAIT_SCHEDULE_SECONDS } from './api/lifecycle';
export type { AwaitPaymentOptions, AwaitPaymentResult } from './api/lifecycle';

export * from './rules';
export { buildCashierPayment, CASHIER_TERMINAL_TYPES, CASHIER_OS_TYPES } from './rules/payment-builder';
export type {
  CashierPaymentInput,
  CashierPaymentRequest,
  BuildCashierPaymentOptions,
  BuilderInstant,
  MinorUnitAmountInput,
  CashierTerminalType,
  CashierOsType,
} from './rules/payment-builder';
export * from './notifications';
export { cashierRedirect } from './rules/cashier-redirect';
export type { CashierRedirect, CashierRedirectOptions, RedirectActionFormInput, PayAnswerRedirectInput } from './rules/cashier-redirect';
export { RULE_SOURCES } from './rules/sources';
export type { PayRules, Integration } from './api/pay';
export { VERSION } from './version';
