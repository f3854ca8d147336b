// The one error hierarchy: every failure the package reports is an AmsError carrying what a person needs to act.

/** Root of every error this package throws on purpose. `instanceof AmsError` catches them all. */
export class AmsError extends Error {
  override name = 'AmsError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The client, a key or a CLI configuration cannot be used as given. Never includes key material. */
export class AmsConfigError extends AmsError {
  override name = 'AmsConfigError';
  /** The configuration field at fault, when there is one (`privateKey`, `region`, …). */
  readonly field: string | undefined;
  constructor(message: string, options?: { field?: string; cause?: unknown }) {
    super(message, options);
    this.field = options?.field;
  }
}

/** One problem with one input field; `field` is a dotted path such as `order.orderAmount.value`. */
export interface ValidationIssue {
  field: string;
  message: string;
  code?: string;
  /** Where the rule comes from (the guide's sentence or the API reference), for rules beyond the schema. */
  source?: string;
}

/** Input (a request, an amount, a rules input) is invalid. Lists every problem at once, each with its field. */
/** "field: message; …" — how every list of issues reads; an unknown option's message names its field itself. */
export function describeIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => (i.code === 'unknown_option' ? i.message : `${i.field || '(root)'}: ${i.message}`)).join('; ');
}

export class AmsValidationError extends AmsError {
  override name = 'AmsValidationError';
  readonly issues: readonly ValidationIssue[];
  constructor(issues: readonly ValidationIssue[], options?: { context?: string; cause?: unknown }) {
    const list = describeIssues(issues);
    super(`${options?.context ? `${options.context}: ` : ''}${list || 'invalid input'}`, options);
    this.issues = issues;
  }
  /** The distinct fields at fault, in the order reported. */
  get fields(): string[] {
    return [...new Set(this.issues.map((i) => i.field))];
  }
}

/** Why a signature check failed. Stable strings: switch on them. */
export type SignatureFailureReason = 'missing_header' | 'malformed' | 'mismatch' | 'stale' | 'raw_body_required' | 'client_mismatch';

/** A response or notification failed verification, or a Signature header could not be parsed. */
export class AmsSignatureError extends AmsError {
  override name = 'AmsSignatureError';
  readonly reason: SignatureFailureReason;
  /** What was checked when it failed: a header name (`signature`, `client-id`, `request-time`), or `body`. */
  readonly check: string | undefined;
  constructor(message: string, options: { reason: SignatureFailureReason; check?: string; cause?: unknown }) {
    super(message, options);
    this.reason = options.reason;
    this.check = options.check;
  }
}

export type ResultStatus = 'S' | 'F' | 'U';

/** The ids a call was about, as sent: whichever of them the call had. */
export interface CallIds {
  paymentRequestId?: string | undefined;
  paymentId?: string | undefined;
  refundRequestId?: string | undefined;
  refundId?: string | undefined;
  captureRequestId?: string | undefined;
  declarationRequestId?: string | undefined;
  disputeId?: string | undefined;
}

/** "[paymentRequestId X]" for messages: the ids a person needs to inquire. */
function describeIds(ids: CallIds): string {
  const parts = (
    ['paymentRequestId', 'paymentId', 'refundRequestId', 'refundId', 'captureRequestId', 'declarationRequestId', 'disputeId'] as const
  )
    .filter((k) => ids[k] !== undefined)
    .map((k) => `${k} ${ids[k]}`);
  return parts.length ? ` [${parts.join(', ')}]` : '';
}

interface ApiErrorFields extends CallIds {
  resultCode: string;
  resultStatus: ResultStatus;
  resultMessage: string;
  httpStatus: number;
  api?: string | undefined;
  raw?: unknown;
}

/** Alipay answered with a final failure (`resultStatus` F), e.g. `PARAM_ILLEGAL`, `ORDER_NOT_EXIST`. Not retried. */
export class AmsApiError extends AmsError {
  override name = 'AmsApiError';
  readonly resultCode: string;
  readonly resultStatus: ResultStatus;
  readonly resultMessage: string;
  readonly httpStatus: number;
  readonly paymentRequestId: string | undefined;
  readonly paymentId: string | undefined;
  readonly refundRequestId: string | undefined;
  readonly refundId: string | undefined;
  /** The dispute an acceptDispute, supplyDefenseDocument or downloadDisputeEvidence call was about. */
  readonly disputeId: string | undefined;
  readonly api: string | undefined;
  /** The verified response body, as parsed. */
  readonly raw: unknown;
  constructor(fields: ApiErrorFields) {
    super(
      `${fields.api ? `${fields.api}: ` : ''}${fields.resultCode} (${fields.resultStatus}): ${fields.resultMessage}${describeIds(fields)}`,
    );
    this.resultCode = fields.resultCode;
    this.resultStatus = fields.resultStatus;
    this.resultMessage = fields.resultMessage;
    this.httpStatus = fields.httpStatus;
    this.paymentRequestId = fields.paymentRequestId;
    this.paymentId = fields.paymentId;
    this.refundRequestId = fields.refundRequestId;
    this.refundId = fields.refundId;
    this.disputeId = fields.disputeId;
    this.api = fields.api;
    this.raw = fields.raw;
  }
}

/** The HTTP exchange produced something that is not an AMS answer: non-JSON, truncated, an HTML error page. */
export class AmsHttpError extends AmsError {
  override name = 'AmsHttpError';
  readonly httpStatus: number;
  /** The first few hundred characters of the body, for diagnosis. */
  readonly bodySnippet: string;
  constructor(message: string, options: { httpStatus: number; bodySnippet?: string; cause?: unknown }) {
    super(message, options);
    this.httpStatus = options.httpStatus;
    this.bodySnippet = options.bodySnippet ?? '';
  }
}

/** The request could not be delivered or no answer arrived (reset, refused, DNS), after all retries. */
export class AmsConnectionError extends AmsError {
  override name = 'AmsConnectionError';
  readonly attempts: number;
  constructor(message: string, options?: { attempts?: number; cause?: unknown }) {
    super(message, options);
    this.attempts = options?.attempts ?? 1;
  }
}

/** No answer within `timeoutMs`, after all retries. The payment may or may not exist: inquire. */
export class AmsTimeoutError extends AmsConnectionError {
  override name = 'AmsTimeoutError';
}

/**
 * The caller's own AbortSignal fired. `cause` is the signal's reason. When `mayHaveReachedAlipay` is true a request
 * was already on its way, so the payment (or refund) may exist: inquire with the same id before retrying.
 */
export class AmsAbortError extends AmsError {
  override name = 'AmsAbortError';
  /** Attempts that were sent (fully or in part) before the abort. */
  readonly attempts: number;
  readonly mayHaveReachedAlipay: boolean;
  constructor(message: string, options: { attempts: number; mayHaveReachedAlipay: boolean; cause?: unknown }) {
    super(
      `${message}; ${options.mayHaveReachedAlipay ? 'a request may already have reached Alipay: inquire with the same id before retrying' : 'nothing was sent to Alipay'}`,
      { cause: options.cause },
    );
    this.attempts = options.attempts;
    this.mayHaveReachedAlipay = options.mayHaveReachedAlipay;
  }
}

/**
 * The outcome is still unknown after every retry (a `U` result other than PAYMENT_IN_PROCESS).
 * The payment may exist: call `inquiryPayment` with the same `paymentRequestId`, and cancel if it stays unresolved.
 */
export class AmsUnknownResultError extends AmsError {
  override name = 'AmsUnknownResultError';
  readonly resultCode: string;
  readonly resultMessage: string;
  readonly paymentRequestId: string | undefined;
  readonly paymentId: string | undefined;
  readonly refundRequestId: string | undefined;
  readonly refundId: string | undefined;
  readonly disputeId: string | undefined;
  readonly attempts: number;
  readonly api: string | undefined;
  constructor(fields: CallIds & { resultCode: string; resultMessage: string; attempts: number; api?: string | undefined }) {
    const ids = describeIds(fields);
    super(
      `${fields.api ? `${fields.api}: ` : ''}result still unknown after ${fields.attempts} attempt(s): ${fields.resultCode}: ${fields.resultMessage}` +
        (ids ? ` — inquire${ids.replace(/^ \[|\]$/g, ' ').trimEnd()} before retrying or cancelling` : ''),
    );
    this.resultCode = fields.resultCode;
    this.resultMessage = fields.resultMessage;
    this.paymentRequestId = fields.paymentRequestId;
    this.paymentId = fields.paymentId;
    this.refundRequestId = fields.refundRequestId;
    this.refundId = fields.refundId;
    this.disputeId = fields.disputeId;
    this.attempts = fields.attempts;
    this.api = fields.api;
  }
}

/** Turns zod issues into our issues (dotted field paths). */
export function issuesFromZod(
  zodIssues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string; code?: string }>,
  prefix = '',
): ValidationIssue[] {
  return zodIssues.map((i) => {
    const path = issuePath(i.path);
    return { field: [prefix, path].filter(Boolean).join('.'), message: i.message, ...(i.code ? { code: i.code } : {}) };
  });
}

/** A zod path as every message writes it: `transactions[0].transactionStatus`. */
export function issuePath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
    .join('.')
    .replace(/\.\[/g, '[');
}
