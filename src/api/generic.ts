// The generic signed call for AMS APIs this package does not model: path and body checks, ids, response schema.
import { z } from 'zod';
import { AmsValidationError, type CallIds, type ValidationIssue } from '../errors';
import { BaseResponse } from '../schemas/common';
import { foreignSchema } from '../schemas/parse';
import type { CallSpec, RequestOptions } from './call';
import { isAmsPath, type AmsApi } from './endpoint';

/** Options of `client.request`: the per-call options plus the schema that types and validates the answer. */
export interface GenericRequestOptions<S extends z.ZodType | undefined = undefined> extends RequestOptions {
  /**
   * A zod schema for the verified answer (e.g. `z.looseObject({ result: ..., vaultingRequestId: z.string() })`).
   * Without it the answer is the JSON as sent, typed only as far as every AMS answer goes: `{ result }` plus unknown fields.
   */
  schema?: S;
}

/** What `client.request` resolves with: the schema's type, or any AMS answer's. */
export type GenericResponse<S extends z.ZodType | undefined> = S extends z.ZodType ? z.infer<S> : z.infer<ReturnType<typeof BaseResponse>>;

const ID_FIELDS = [
  'paymentRequestId',
  'paymentId',
  'refundRequestId',
  'refundId',
  'captureRequestId',
  'declarationRequestId',
  'disputeId',
] as const;

/**
 * The call for `client.request(path, body, options)`: the body must be a JSON object (it is serialized once and
 * resent unchanged on every retry); the ids it carries label errors and must be echoed unchanged by a signed answer.
 */
export function genericCallSpec(path: string, body: unknown, options: { schema?: z.ZodType | undefined }): CallSpec<z.ZodType> {
  const issues: ValidationIssue[] = [];
  if (!isAmsPath(path)) {
    issues.push({
      field: 'path',
      message:
        'must be an AMS path as the docs write it, /v1/<family>/<api> without /ams/api (e.g. "/v1/vaults/vaultPaymentMethod"); the sandbox prefix is added for you',
      code: 'invalid',
    });
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    issues.push({ field: 'body', message: 'must be a plain object (the JSON request body)', code: 'invalid_type' });
  }
  const schema = options.schema;
  if (schema !== undefined && !(schema instanceof z.ZodType)) {
    issues.push({ field: 'schema', message: 'must be a zod schema (z.looseObject({ result: ... }))', code: 'invalid_type' });
  }
  if (issues.length > 0) throw new AmsValidationError(issues, { context: 'Invalid request() call' });
  const ids: CallIds = {};
  for (const field of ID_FIELDS) {
    const value = (body as Record<string, unknown>)[field];
    if (typeof value === 'string') ids[field] = value;
  }
  return { api: path as AmsApi, body, ids, responseSchema: schema === undefined ? BaseResponse() : foreignSchema(schema) };
}
