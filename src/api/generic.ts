// The generic signed call for AMS APIs this package does not model: path and body checks, ids, and the caller's schema.
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { z } from 'zod';
import { AmsValidationError, issuePath, type CallIds, type ValidationIssue } from '../errors';
import { showValue } from '../rules/show';
import { BaseResponse } from '../schemas/common';
import { callAms, type CallContext, type CallSpec, type RequestOptions } from './call';
import { isAmsPath, type AmsApi } from './endpoint';

/** Options of `client.request`: the per-call options plus the schema that types and validates the answer. */
export interface GenericRequestOptions<S extends StandardSchemaV1 | undefined = undefined> extends RequestOptions {
  /**
   * Any Standard Schema (zod ≥ 3.24, valibot, arktype, …) for the verified answer, e.g.
   * `z.object({ vaultingRequestId: z.string(), normalUrl: z.string() })`. The package reads `result` itself, so the
   * schema need not name it; the schema's output (a transform's too) is what the call resolves with. Without it the
   * answer is the JSON as sent, typed only as far as every AMS answer goes: `{ result }` plus unknown fields.
   */
  schema?: S;
}

/** What `client.request` resolves with: the schema's output, or any AMS answer's type. */
export type GenericResponse<S extends StandardSchemaV1 | undefined> = S extends StandardSchemaV1
  ? StandardSchemaV1.InferOutput<S>
  : z.infer<ReturnType<typeof BaseResponse>>;

const ID_FIELDS = [
  'paymentRequestId',
  'paymentId',
  'refundRequestId',
  'refundId',
  'captureRequestId',
  'declarationRequestId',
  'disputeId',
] as const;

/** Whether a value implements Standard Schema v1 (zod's and arktype's schemas are functions or objects alike). */
function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const props = (value as Partial<StandardSchemaV1>)['~standard'];
  return typeof props === 'object' && props !== null && props.version === 1 && typeof props.validate === 'function';
}

/**
 * The call for `client.request(path, body, options)`: the body must be a JSON object (it is serialized once and
 * resent unchanged on every retry); the ids it carries label errors and must be echoed unchanged by a signed answer.
 */
export function genericCallSpec(path: string, body: unknown, options: { schema?: unknown }): CallSpec<ReturnType<typeof BaseResponse>> {
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
  if (options.schema !== undefined && !isStandardSchema(options.schema)) {
    issues.push({
      field: 'schema',
      message: 'must be a Standard Schema (a zod ≥ 3.24, valibot or arktype schema: an object with "~standard" version 1)',
      code: 'invalid_type',
    });
  }
  if (issues.length > 0) throw new AmsValidationError(issues, { context: 'Invalid request() call' });
  const ids: CallIds = {};
  for (const field of ID_FIELDS) {
    const value = (body as Record<string, unknown>)[field];
    if (typeof value === 'string') ids[field] = value;
  }
  return { api: path as AmsApi, body, ids, responseSchema: BaseResponse() };
}

/** A Standard Schema issue's path as a dotted field (`a.b[0].c`), as AmsValidationError names fields everywhere. */
function fieldOf(path: StandardSchemaV1.Issue['path']): string {
  return issuePath((path ?? []).map((p) => (typeof p === 'object' ? p.key : p)));
}

/**
 * Runs the caller's schema on a verified answer. The schema is the caller's code, on the caller's validator's own
 * runtime, once per answer: a failure names each field it reports; a schema that throws is named as such.
 */
async function validateAnswer<S extends StandardSchemaV1>(
  schema: S,
  answer: unknown,
  api: string,
): Promise<StandardSchemaV1.InferOutput<S>> {
  const context = `${api} answered S and the answer verified, but it does not fit the schema given`;
  let result: StandardSchemaV1.Result<StandardSchemaV1.InferOutput<S>>;
  try {
    result = await schema['~standard'].validate(answer);
  } catch (err) {
    throw new AmsValidationError(
      [
        {
          field: 'schema',
          message: `threw ${showValue(err instanceof Error ? `${err.name}: ${err.message}` : err, 200)}`,
          code: 'schema_threw',
        },
      ],
      { context, cause: err },
    );
  }
  if (result.issues !== undefined) {
    const issues = result.issues.map((i): ValidationIssue => ({ field: fieldOf(i.path), message: i.message, code: 'schema' }));
    throw new AmsValidationError(issues.length > 0 ? issues : [{ field: '', message: 'refused by the schema', code: 'schema' }], {
      context,
    });
  }
  return result.value;
}

/**
 * `client.request`: signs and sends the body, verifies the answer and reads its `result` (S resolves, F throws
 * AmsApiError, a lasting U AmsUnknownResultError), then hands the verified answer to the caller's schema, if any.
 */
export async function callGeneric<S extends StandardSchemaV1 | undefined>(
  ctx: CallContext,
  path: string,
  body: unknown,
  options: GenericRequestOptions<S>,
): Promise<GenericResponse<S>> {
  const { schema, ...callOptions } = options;
  const spec = genericCallSpec(path, body, { schema });
  const answer = await callAms(ctx, spec, callOptions);
  if (schema === undefined) return answer as GenericResponse<S>;
  return (await validateAnswer(schema, answer, path)) as GenericResponse<S>;
}
