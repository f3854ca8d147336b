// Argument parsing on node:util parseArgs, with unknown options (and the flag each was meant to be) and missing values turned into usage errors.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { withSuggestion } from '../internal/suggest';
import { CliUsageError } from './io';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** parseArgs, strict, with `--help`/`-h` and `--json` always known; errors name the subcommand. */
export function parseCommandArgs(command: string, argv: string[], options: Options, allowPositionals = false): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { help: { type: 'boolean', short: 'h' }, ...options },
      strict: true,
      allowPositionals,
    });
    return { values, positionals };
  } catch (err) {
    const unknown = (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'(-[^']*)'/.exec((err as Error).message) : null;
    if (unknown) {
      const flags = ['help', ...Object.keys(options)].map((name) => `--${name}`);
      throw new CliUsageError(`unknown option ${withSuggestion(unknown[1]!, flags, (f) => f)}`, { command, code: 'UNKNOWN_OPTION' });
    }
    const message = err instanceof Error ? err.message.replace(/\. To specify a positional argument.*$/s, '') : String(err);
    throw new CliUsageError(message, { command });
  }
}

export function stringOpt(parsed: Parsed, name: string): string | undefined {
  const v = parsed.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function requireOpts(command: string, parsed: Parsed, names: readonly string[]): void {
  const missing = names.filter((n) => stringOpt(parsed, n) === undefined || stringOpt(parsed, n) === '');
  if (missing.length > 0) throw new CliUsageError(`missing ${missing.map((n) => `--${n}`).join(', ')}`, { command });
}
