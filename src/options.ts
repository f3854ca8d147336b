// Options validation: one validator and one error style for every options object the package takes, and the option
// fields that several of them share (timeouts, TTLs, retries, byte caps, client ids, notify path, clock, logger,
// transport, crypto backend).
import { z } from 'zod';
import { AmsConfigError, AmsValidationError, describeIssues, issuePath, issuesFromZod, type ValidationIssue } from './errors';
import type { Clock, Logger } from './clock';
import { MAX_RESPONSE_BYTES_RANGE, type Transport } from './http/types';
import { unknownNamesMessage } from './internal/suggest';
import { lazyFields } from './internal/lazy';
import { safeParse } from './schemas/parse';
import type { CryptoBackend, CryptoBackendName } from './signing/backend';

/** The longest TTL an option takes: 365 days, in ms (a whole number: Redis's PX takes no fraction). */
export const MAX_TTL_MS = 365 * 24 * 3600_000;

/** One client id or a non-empty list of them, each as `OPTION.clientId` takes it. */
function isClientIds(v: unknown): boolean {
  const list = Array.isArray(v) ? (v as unknown[]) : [v];
  return list.length > 0 && list.every((id) => OPTION.clientId.safeParse(id).success);
}

/** A crypto backend given as an object: what `getCryptoBackend` would return. */
function isCryptoBackend(v: unknown): boolean {
  const b = v as Partial<CryptoBackend> | null;
  return (
    typeof b === 'object' &&
    b !== null &&
    ['sign', 'verify', 'signAsync', 'verifyAsync'].every((m) => typeof b[m as keyof CryptoBackend] === 'function')
  );
}

/** Why a notify path is refused, or undefined when it is one: Alipay signs the path alone, starting with "/". */
export function notifyPathProblem(path: string): string | undefined {
  if (path === '') return 'is required: the notify path without host, for example "/alipay/notify"';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path))
    return 'give the path only, without scheme and host (Alipay signs the path alone), for example "/alipay/notify"';
  if (!path.startsWith('/')) return 'must start with "/": the notify path without host, for example "/alipay/notify"';
  return undefined;
}

/** The option fields several options objects share, validated the same way wherever they appear; each is built when first read. */
export const OPTION = lazyFields({
  /** A client id: sent as a header, so printable ASCII without spaces, 1 to 128 characters. */
  clientId: () =>
    z
      .string()
      .min(1, 'must not be empty')
      .max(128)
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
  /** A timeout (per attempt, a body read, an SFTP wait): 1 ms to 10 minutes. */
  timeoutMs: () =>
    z
      .number({ error: 'must be a number of milliseconds' })
      .int('must be a whole number of milliseconds')
      .min(1, 'must be at least 1 (ms)')
      .max(600_000, 'must be at most 600000 (10 minutes)'),
  /** A TTL (a dedupe claim, a remembered notification, a kept job): whole milliseconds, 1 ms to 365 days. */
  ttlMs: () =>
    z
      .number({ error: 'must be a number of milliseconds' })
      .int('must be a whole number of milliseconds (Redis PX takes no fraction)')
      .min(1, 'must be at least 1 (ms)')
      .max(MAX_TTL_MS, `must be at most ${MAX_TTL_MS} (365 days)`),
  /** How far a request-time may be from now, in ms; 0 and fractions allowed. */
  toleranceMs: () => z.number({ error: 'must be a number of milliseconds' }).min(0, 'must be a non-negative number of milliseconds'),
  /** A byte cap (a notification body, a report file): a whole number of bytes, at least 1. */
  maxBytes: () =>
    z.number({ error: 'must be a number of bytes' }).int('must be a whole number of bytes').min(1, 'must be at least 1 (bytes)'),
  /** The client id(s) a notification must carry: one, or a non-empty list. */
  clientIds: () =>
    z.custom<string | readonly string[]>(isClientIds, {
      error: 'must be a client id or a non-empty list of them (each printable ASCII without spaces, 1 to 128 characters)',
    }),
  /** The path Alipay calls, without scheme and host: the signature covers it. */
  notifyPath: () =>
    z.string({ error: 'is required: the notify path without host, for example "/alipay/notify"' }).superRefine((path, ctx) => {
      const problem = notifyPathProblem(path);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  /** Retries after the first attempt: 0 to 10 (a typo must not mean retrying forever). */
  maxRetries: () => z.number().int().min(0).max(10),
  /** The most response body bytes read per attempt. */
  maxResponseBytes: () =>
    z
      .number({ error: 'must be a number of bytes' })
      .int('must be a whole number of bytes')
      .min(MAX_RESPONSE_BYTES_RANGE.min, `must be at least ${MAX_RESPONSE_BYTES_RANGE.min} (bytes)`)
      .max(MAX_RESPONSE_BYTES_RANGE.max, `must be at most ${MAX_RESPONSE_BYTES_RANGE.max} (256 MiB)`),
  clock: () =>
    z.custom<Clock>((v) => typeof v === 'object' && v !== null && typeof (v as Clock).now === 'function', {
      error: 'must be an object with a now() method returning a Date',
    }),
  logger: () =>
    z.custom<Logger>((v) => typeof v === 'object' && v !== null, { error: 'must be an object with debug/info/warn/error methods' }),
  transport: () => z.custom<Transport>((v) => typeof v === 'function', { error: 'must be a function (request) => Promise<response>' }),
  cryptoBackend: () => z.enum(['node', 'jsrsasign'], { error: 'must be "node" or "jsrsasign"' }),
  /** Where a backend object is taken as well (notifications): a name, or what `getCryptoBackend` returns. */
  cryptoBackendOrObject: () =>
    z.custom<CryptoBackendName | CryptoBackend>((v) => v === 'node' || v === 'jsrsasign' || isCryptoBackend(v), {
      error: 'must be "node", "jsrsasign" or a backend object with sign, verify, signAsync and verifyAsync',
    }),
  signal: () => z.custom<AbortSignal>((v) => v instanceof AbortSignal, { error: 'must be an AbortSignal' }),
});

/** The option names an object schema knows at `path` (through optional, nullable and default wrappers). */
function knownOptions(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let at: z.ZodType | undefined = schema;
  for (const key of [...path, undefined]) {
    while (at instanceof z.ZodOptional || at instanceof z.ZodNullable || at instanceof z.ZodDefault) at = at.unwrap() as z.ZodType;
    // `true | { … }` (signAck): the object's keys are the options at this path.
    if (at instanceof z.ZodUnion) at = (at.options as z.ZodType[]).find((o) => o instanceof z.ZodObject);
    if (!(at instanceof z.ZodObject)) return [];
    if (key === undefined) return Object.keys(at.shape);
    at = (at.shape as Record<PropertyKey, z.ZodType | undefined>)[key];
  }
  return [];
}

/**
 * Every problem with an options object, each naming its field; unknown keys are named too, with the option each was
 * probably meant to be (`timeoutMS` → "did you mean "timeoutMs"?"), or else the options there are: a typo or an old
 * name is never ignored.
 */
export function optionIssues(schema: z.ZodType, value: unknown): ValidationIssue[] {
  const result = safeParse(schema, value);
  if (result.success) return [];
  return result.error.issues.flatMap((i): ValidationIssue[] => {
    if (i.code !== 'unrecognized_keys') return issuesFromZod([i]);
    const at = i.path.length > 0 ? `${issuePath(i.path)}.` : '';
    const message = unknownNamesMessage('option', i.keys, knownOptions(schema, i.path), { listValid: true, prefix: at });
    return [{ field: `${at}${i.keys[0]}`, message, code: 'unknown_option' }];
  });
}

/** Options given when something is built (a client, a handler, a transport): a problem is an AmsConfigError. */
export function parseOptions<S extends z.ZodType>(schema: S, value: unknown, owner: string): z.output<S> {
  if (value === null || typeof value !== 'object') throw new AmsConfigError(`${owner} needs a config object`, { field: 'config' });
  const result = safeParse(schema, value);
  if (result.success) return result.data;
  const issues = optionIssues(schema, value);
  throw new AmsConfigError(`Invalid ${owner} config: ${describeIssues(issues)}`, { field: issues[0]?.field });
}

/** Options given with one call: a problem is an AmsValidationError, raised before anything is sent. */
export function parseCallOptions<S extends z.ZodType>(schema: S, value: unknown, owner: string): z.output<S> {
  const result = safeParse(schema, value);
  if (result.success) return result.data;
  throw new AmsValidationError(optionIssues(schema, value), { context: `Invalid ${owner} options` });
}

/** A configuration problem found beyond one field's schema (two options that exclude each other), in parseOptions' style. */
export function optionError(owner: string, field: string, message: string): AmsConfigError {
  return new AmsConfigError(`Invalid ${owner} config: ${field}: ${message}`, { field });
}

/** A function option (a callback, a hook): `onPayment: is required: a function that handles …`. */
export function functionOption<F>(does: string): z.ZodCustom<F, F> {
  return z.custom<F>((v) => typeof v === 'function', {
    error: (issue) => (issue.input === undefined ? `is required: a function that ${does}` : `must be a function that ${does}`),
  });
}

/** `schema`, saying what to give when the option is missing: `sign.clientId: is required: your client id`. */
export function required<S extends z.ZodType>(what: string, schema: S): z.ZodPipe<z.ZodCustom<unknown, unknown>, S> {
  return z.custom<unknown>((v) => v !== undefined, { error: `is required: ${what}` }).pipe(schema);
}
