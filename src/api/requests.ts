// Request checks for the APIs beyond pay (sessions, consult, capture, declare, inquiryDeclarationRequests). Pure.
import { parseRequestTime } from '../rules/time';
import type { z } from 'zod';
import { AmsValidationError, type ValidationIssue } from '../errors';
import { CaptureRequest } from '../schemas/capture';
import { ConsultRequest } from '../schemas/consult';
import { DeclareRequest, InquiryDeclarationRequest } from '../schemas/customs';
import { PaymentSessionRequest, RetrievePaymentSessionRequest } from '../schemas/session';
import { collectIssues } from '../schemas/parse';
import { addPaymentMethodIssues, withWireExtendInfo, type PayRules } from './pay';

/** How far ahead `paymentSessionExpiryTime` may be: Antom accepts 0–1 hour after the session is created. */
export const MAX_SESSION_EXPIRY_MS = 60 * 60_000;

const SESSION_SOURCE =
  'Antom API reference, createPaymentSession: paymentSessionExpiryTime "must be within 1 hour after the payment session is created"';
const CUSTOMS_SOURCE =
  'Antom API reference, declare: declarationAmount is in CNY ("China customs only"); suborderId (subOrderId) is required when splitOrder is true';

function field(obj: unknown, key: string): unknown {
  return obj !== null && typeof obj === 'object' ? (obj as Record<string, unknown>)[key] : undefined;
}

/**
 * Every problem with a createPaymentSession request: the schema, the payment-method rules `pay` applies (for
 * ALIPAY_CN: settlement currency, the currency matrix and contract, chinaExtraTransInfo for a direct merchant —
 * only when a payment method is given), the extendInfo content, and a session expiry within 1 hour of `now`.
 */
export function paymentSessionRequestIssues(input: unknown, now: Date, rules: PayRules = {}): ValidationIssue[] {
  return inspectSession(input, now, rules).issues;
}

/** The issues, and order.extendInfo as it will be sent (serialized once, while it is checked). */
function inspectSession(input: unknown, now: Date, rules: PayRules): { issues: ValidationIssue[]; extendInfoText?: string | undefined } {
  const { issues, add } = collectIssues(PaymentSessionRequest(), input);
  if (input === null || typeof input !== 'object') return { issues };
  const extendInfoText = addPaymentMethodIssues(input, rules, add);
  const expiry = field(input, 'paymentSessionExpiryTime');
  const at = typeof expiry === 'string' ? parseRequestTime(expiry) : undefined;
  if (at !== undefined) {
    if (at <= now.getTime()) add({ field: 'paymentSessionExpiryTime', message: 'is in the past', code: 'expired', source: SESSION_SOURCE });
    else if (at - now.getTime() > MAX_SESSION_EXPIRY_MS)
      add({
        field: 'paymentSessionExpiryTime',
        message: 'must be at most 1 hour after the call (leave it out for the default, 1 hour)',
        code: 'too_late',
        source: SESSION_SOURCE,
      });
  }
  return { issues, extendInfoText };
}

/** Throws AmsValidationError listing every problem; returns the body as sent (order.extendInfo as a string). */
export function assertValidPaymentSessionRequest(input: unknown, now: Date, rules: PayRules = {}): PaymentSessionRequest {
  const { issues, extendInfoText } = inspectSession(input, now, rules);
  if (issues.length > 0) throw new AmsValidationError(issues, { context: 'Invalid createPaymentSession request' });
  return withWireExtendInfo(input as PaymentSessionRequest, extendInfoText);
}

/** Every problem with a retrievePaymentSession request: one paymentRequestId of at most 64 characters. */
export function retrievePaymentSessionRequestIssues(input: unknown): ValidationIssue[] {
  return collectIssues(RetrievePaymentSessionRequest(), input).issues;
}

/** Every problem with a consult request (schema only: consult reads, it creates nothing). */
export function consultRequestIssues(input: unknown): ValidationIssue[] {
  return collectIssues(ConsultRequest(), input).issues;
}

/** Every problem with a capture request. Whether the amount fits the authorization only Antom knows (CAPTURE_AMOUNT_EXCEED…). */
export function captureRequestIssues(input: unknown): ValidationIssue[] {
  return collectIssues(CaptureRequest(), input).issues;
}

/** Every problem with a declare request: the schema, a CNY amount, and the sub-order id a split order needs. */
export function declareRequestIssues(input: unknown): ValidationIssue[] {
  const { issues, add } = collectIssues(DeclareRequest(), input);
  if (input === null || typeof input !== 'object') return issues;
  const currency = field(field(input, 'declarationAmount'), 'currency');
  if (typeof currency === 'string' && currency !== 'CNY') {
    add({
      field: 'declarationAmount.currency',
      message: `must be CNY (China customs declares in CNY), got ${currency}: use the payment's customsDeclarationAmount`,
      code: 'currency',
      source: CUSTOMS_SOURCE,
    });
  }
  const sub = field(input, 'subOrderId');
  const alias = field(input, 'suborderId');
  if (sub !== undefined && alias !== undefined && sub !== alias) {
    add({
      field: 'suborderId',
      message: 'differs from subOrderId: they are one field spelt two ways; give one of them, or the same value in both',
      code: 'conflict',
    });
  }
  const split = field(input, 'splitOrder');
  if ((split === true || split === 'true') && sub === undefined && alias === undefined) {
    add({
      field: 'subOrderId',
      message:
        'is required when splitOrder is true (as subOrderId or suborderId): the sub-order id that matches your customs and logistics data',
      code: 'required',
      source: CUSTOMS_SOURCE,
    });
  }
  return issues;
}

/** Throws AmsValidationError listing every problem; returns the body as sent (splitOrder a boolean, the sub-order id under both keys). */
export function assertValidDeclareRequest(input: unknown): z.output<ReturnType<typeof DeclareRequest>> {
  const issues = declareRequestIssues(input);
  if (issues.length > 0) throw new AmsValidationError(issues, { context: 'Invalid declare request' });
  const { suborderId, subOrderId, ...body } = DeclareRequest().parse(input);
  const id = suborderId ?? subOrderId;
  // Both keys carry the sub-order id: Antom's declare reference (English and Chinese) and its Python SDK name it
  // `suborderId`; its Java, Go, PHP and .NET SDKs send `subOrderId`, so that is what the server is known to receive.
  return id === undefined ? body : { ...body, suborderId: id, subOrderId: id };
}

/** Every problem with an inquiryDeclarationRequests request: 1–10 ids of at most 32 characters. */
export function inquiryDeclarationRequestIssues(input: unknown): ValidationIssue[] {
  return collectIssues(InquiryDeclarationRequest(), input).issues;
}

/** Throws AmsValidationError when `issues` is not empty; returns the parsed body. */
export function assertNoIssues<S extends z.ZodType>(schema: S, input: unknown, issues: ValidationIssue[], api: string): z.output<S> {
  if (issues.length > 0) throw new AmsValidationError(issues, { context: `Invalid ${api} request` });
  return schema.parse(input);
}
