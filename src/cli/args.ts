// Argument parsing on node:util parseArgs, with unknown options and missing values turned into usage errors.
import { parseArgs, type ParseArgsConfig } from 'node:util';
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
