// Options validation: one validator and one error style for every options object the package takes, and the option
// fields that several of them share (timeouts, retries, body caps, clock, logger, transport, crypto backend).
import { z } from 'zod';
import { AmsConfigError, AmsValidationError, issuePath, issuesFromZod, type ValidationIssue } from './errors';
import type { Clock, Logger } from './clock';
import { MAX_RESPONSE_BYTES_RANGE, type Transport } from './http/types';
import { lazyFields } from './internal/lazy';
import { safeParse } from './schemas/parse';

/** The option fields several options objects share, validated the same way wherever they appear; each is built when first read. */
export const OPTION = lazyFields({
  /** A client id: sent as a header, so printable ASCII without spaces, 1 to 128 characters. */
  clientId: () =>
    z
      .string()
      .min(1, 'must not be empty')
      .max(128)
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
  /** Per-attempt timeout: 1 ms to 10 minutes. */
  timeoutMs: () => z.number().int().min(1).max(600_000, 'must be at most 600000 (10 minutes)'),
  /** Retries after the first attempt: 0 to 10 (a typo must not mean retrying forever). */
  maxRetries: () => z.number().int().min(0).max(10),
  /** The most response body bytes read per attempt. */
  maxResponseBytes: () => z.number().int().min(MAX_RESPONSE_BYTES_RANGE.min).max(MAX_RESPONSE_BYTES_RANGE.max),
  clock: () =>
    z.custom<Clock>((v) => typeof v === 'object' && v !== null && typeof (v as Clock).now === 'function', {
      error: 'must be an object with a now() method returning a Date',
    }),
  logger: () =>
    z.custom<Logger>((v) => typeof v === 'object' && v !== null, { error: 'must be an object with debug/info/warn/error methods' }),
  transport: () => z.custom<Transport>((v) => typeof v === 'function', { error: 'must be a function (request) => Promise<response>' }),
  cryptoBackend: () => z.enum(['node', 'jsrsasign'], { error: 'must be "node" or "jsrsasign"' }),
  signal: () => z.custom<AbortSignal>((v) => v instanceof AbortSignal, { error: 'must be an AbortSignal' }),
});

/** Every problem with an options object, each naming its field; unknown keys are named too (a typo is not ignored). */
export function optionIssues(schema: z.ZodType, value: unknown): ValidationIssue[] {
  const result = safeParse(schema, value);
  if (result.success) return [];
  return result.error.issues.flatMap((i): ValidationIssue[] => {
    if (i.code !== 'unrecognized_keys') return issuesFromZod([i]);
    const at = i.path.length > 0 ? `${issuePath(i.path)}.` : '';
    const names = i.keys.map((k) => `"${at}${k}"`).join(', ');
    return [{ field: `${at}${i.keys[0]}`, message: `unknown option(s) ${names}; check the spelling`, code: 'unknown_option' }];
  });
}

/** "field: message; …" — how every options error reads. */
function describe(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => (i.code === 'unknown_option' ? i.message : `${i.field || '(root)'}: ${i.message}`)).join('; ');
}

/** Options given when something is built (a client, a handler, a transport): a problem is an AmsConfigError. */
export function parseOptions<S extends z.ZodType>(schema: S, value: unknown, owner: string): z.output<S> {
  if (value === null || typeof value !== 'object') throw new AmsConfigError(`${owner} needs a config object`, { field: 'config' });
  const result = safeParse(schema, value);
  if (result.success) return result.data;
  const issues = optionIssues(schema, value);
  throw new AmsConfigError(`Invalid ${owner} config: ${describe(issues)}`, { field: issues[0]?.field });
}

/** Options given with one call: a problem is an AmsValidationError, raised before anything is sent. */
export function parseCallOptions<S extends z.ZodType>(schema: S, value: unknown, owner: string): z.output<S> {
  const result = safeParse(schema, value);
  if (result.success) return result.data;
  throw new AmsValidationError(optionIssues(schema, value), { context: `Invalid ${owner} options` });
}

/** Option names that were renamed: a key under its old name would otherwise be ignored silently. */
const RENAMED: Readonly<Record<string, string>> = { backend: 'cryptoBackend', now: 'clock' };

/** Refuses an options object that uses an old option name, naming the new one. */
export function refuseRenamedOptions(options: unknown, owner: string, names: readonly (keyof typeof RENAMED)[] = ['backend', 'now']): void {
  // Not an object: nothing to look up here; the caller's own check names what is wrong with it.
  if (typeof options !== 'object' || options === null) return;
  for (const old of names) {
    if (old in options) {
      throw new AmsConfigError(`${owner}: ${old} is not an option; it is called ${RENAMED[old]} (as on AmsClient)`, { field: old });
    }
  }
}
