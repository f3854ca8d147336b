// The per-call `extraFields` escape: fields Antom documents after this version, merged into the signed body, never over a checked one.
import type { z } from 'zod';
import { AmsValidationError, type ValidationIssue } from '../errors';
import { showValue } from '../rules/show';
import { CaptureRequest } from '../schemas/capture';
import { ConsultRequest } from '../schemas/consult';
import { DeclareRequest, InquiryDeclarationRequest } from '../schemas/customs';
import { AcceptDisputeRequest, DownloadDisputeEvidenceRequest, SupplyDefenseDocumentRequest } from '../schemas/disputes';
import { InquireExchangeRateRequest } from '../schemas/exchange-rate';
import { PaymentRefSchema, RefundRefSchema, RefundRequest } from '../schemas/lifecycle';
import { PayRequest } from '../schemas/pay';
import { PaymentSessionRequest } from '../schemas/session';

/** The request schema of each modelled API (built when first asked for): a field it knows must be given in the request, where it is checked. */
const REQUEST_SCHEMAS: Readonly<Record<string, () => z.ZodType>> = {
  pay: PayRequest,
  createPaymentSession: PaymentSessionRequest,
  consult: ConsultRequest,
  capture: CaptureRequest,
  refund: RefundRequest,
  inquiryPayment: PaymentRefSchema,
  cancel: PaymentRefSchema,
  inquiryRefund: RefundRefSchema,
  acceptDispute: AcceptDisputeRequest,
  supplyDefenseDocument: SupplyDefenseDocumentRequest,
  downloadDisputeEvidence: DownloadDisputeEvidenceRequest,
  inquireExchangeRate: InquireExchangeRateRequest,
  declare: DeclareRequest,
  inquiryDeclarationRequests: InquiryDeclarationRequest,
};

function knownFields(api: string): ReadonlySet<string> {
  const schema = REQUEST_SCHEMAS[api]?.() as { shape?: Record<string, unknown> } | undefined;
  return new Set(Object.keys(schema?.shape ?? {}));
}

/** At most this many extra fields, and this much JSON: a forgotten loop must not build a huge signed body. */
const MAX_EXTRA_FIELDS = 50;
const MAX_EXTRA_JSON = 64 * 1024;

/**
 * The body with `extraFields` added at its top level, or the body itself when there are none. A key the request
 * already has, or one the API's schema knows (it belongs in the request, where it is checked), or a key that is not
 * a plain name, is refused with an AmsValidationError before anything is sent.
 */
export function withExtraFields(api: string, body: unknown, extra: Record<string, unknown> | undefined): unknown {
  if (extra === undefined) return body;
  // One snapshot of the fields, checked and merged: a getter or a Proxy cannot show one value to the check and
  // another to the body.
  let entries: Array<[string, unknown]>;
  try {
    entries = Object.entries(extra);
  } catch {
    throw new AmsValidationError([{ field: 'extraFields', message: 'could not be read (a throwing getter or Proxy)' }], {
      context: `Invalid ${api} options`,
    });
  }
  const issues: ValidationIssue[] = [];
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    issues.push({ field: 'extraFields', message: 'can only be added to a JSON object body' });
  // Names are compared as a lenient parser on the other side might read them: case and underscores aside.
  const taken = new Set([...Object.keys(body ?? {}), ...knownFields(api)].map(loose));
  if (entries.length > MAX_EXTRA_FIELDS) issues.push({ field: 'extraFields', message: `at most ${MAX_EXTRA_FIELDS} fields` });
  for (const [key, value] of entries.slice(0, MAX_EXTRA_FIELDS)) {
    const at = `extraFields.${key.slice(0, 40)}`;
    if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(key)) issues.push({ field: at, message: `${showValue(key)} is not an AMS field name` });
    else if (Object.hasOwn(body as object, key))
      issues.push({ field: at, message: 'the request already has it: a value given twice would not be the one that was checked' });
    else if (taken.has(loose(key)))
      issues.push({ field: at, message: `${api} knows this field (or one spelled like it): give it in the request, where it is checked` });
    else if (value === undefined) issues.push({ field: at, message: 'is undefined: leave it out' });
  }
  const snapshot = Object.fromEntries(entries);
  let size = 0;
  try {
    size = JSON.stringify(snapshot).length;
  } catch {
    issues.push({ field: 'extraFields', message: 'must be JSON-serializable (no cycles, no BigInt)' });
  }
  if (size > MAX_EXTRA_JSON) issues.push({ field: 'extraFields', message: `is ${size} characters of JSON; at most ${MAX_EXTRA_JSON}` });
  if (issues.length > 0) throw new AmsValidationError(issues, { context: `Invalid ${api} options` });
  // The serialized snapshot is what is merged: what was measured is what is sent.
  return { ...(body as object), ...(JSON.parse(JSON.stringify(snapshot)) as Record<string, unknown>) };
}

function loose(name: string): string {
  return name.toLowerCase().replace(/_/g, '');
}
