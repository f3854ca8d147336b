// The one JSON shape every command prints with --json, success and failure alike (docs/cli-output.schema.json).
import { AmsConfigError, AmsError, AmsSignatureError, AmsValidationError } from '../errors';
import { json } from './format';
import { CliFailure, CliInputError, CliUsageError, EXIT, type ExitCode } from './io';

/** Why a command did not say ok: a stable code for machines, the message a person reads, and what to do. */
export interface CliErrorInfo {
  code: string;
  message: string;
  fix: string;
  /** Where in an input file, when the problem has a place (`check`'s invalid JSON or YAML). */
  line?: number;
  column?: number;
}

/**
 * `{ ok, command, …payload, error? }`: `error` is there exactly when `ok` is false, both when the command could not
 * run (unusable input: only the error) and when it ran and its verdict is no (the payload, then the error).
 */
export function envelope(command: string, ok: boolean, payload: object, error?: CliErrorInfo): string {
  if (ok === (error !== undefined)) throw new Error('envelope: error must be given exactly when ok is false');
  // ok and command last in the spread so no payload field can overwrite them.
  return json({ ...payload, ok, command, ...(error ? { error } : {}) });
}

/** What to do about each kind of unusable input, when the error itself does not say. */
const FIXES: Readonly<Record<string, string>> = {
  TOO_LARGE: 'Give the key, body or config file itself: ams-cashier reads at most 4 MiB of one input.',
  NOT_UTF8: 'Save the file as UTF-8.',
  YAML_ALIAS_LIMIT: 'Write the values out: a config needs no YAML aliases.',
  INVALID_JSON: 'Fix the JSON at the line and column given.',
  INVALID_YAML: 'Fix the YAML at the line and column given.',
  CONFIG: 'Fix the option, variable or file the message names.',
  VALIDATION: 'Fix the fields the message names.',
  SIGNATURE: 'Give the Signature header value as received (algorithm=RSA256,keyVersion=…,signature=…).',
  INTERNAL: 'A bug in ams-cashier: please report it with the command you ran (without keys).',
};

/**
 * A thrown error as the command's answer: its exit code and, for --json, the error object. The same mapping decides
 * the exit code of the text mode (run.ts), so the two modes never disagree. Not ours is a bug, named without its
 * message or stack (the input may hold keys).
 */
export function describeFailure(err: unknown, command: string): { exit: ExitCode; error: CliErrorInfo } {
  const usage = `Run ams-cashier ${command} --help for the options and an example.`;
  if (err instanceof CliUsageError) {
    const at = err.line !== undefined ? { line: err.line, ...(err.column !== undefined ? { column: err.column } : {}) } : {};
    return { exit: EXIT.USAGE, error: { code: err.code, message: err.message, fix: err.fix ?? FIXES[err.code] ?? usage, ...at } };
  }
  if (err instanceof CliFailure) return { exit: EXIT.FAIL, error: { code: err.code, message: err.message, fix: err.fix } };
  if (err instanceof CliInputError)
    return { exit: EXIT.FAIL, error: { code: err.code, message: err.message, fix: err.fix ?? FIXES[err.code] ?? usage } };
  if (err instanceof AmsConfigError) return { exit: EXIT.USAGE, error: { code: 'CONFIG', message: err.message, fix: FIXES.CONFIG! } };
  if (err instanceof AmsValidationError)
    return { exit: EXIT.USAGE, error: { code: 'VALIDATION', message: err.message, fix: FIXES.VALIDATION! } };
  if (err instanceof AmsSignatureError)
    return { exit: EXIT.USAGE, error: { code: 'SIGNATURE', message: err.message, fix: FIXES.SIGNATURE! } };
  if (err instanceof AmsError) return { exit: EXIT.FAIL, error: { code: err.name, message: err.message, fix: usage } };
  return {
    exit: EXIT.INTERNAL,
    error: {
      code: 'INTERNAL',
      message: `unexpected error (${err instanceof Error ? err.name : typeof err}); please report it with the command you ran (without keys)`,
      fix: FIXES.INTERNAL!,
    },
  };
}
