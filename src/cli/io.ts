// What the CLI commands need from the outside world (output, stdin, files, clock), and the CLI's error kinds.
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { AmsError } from '../errors';

/**
 * Exit codes shared by every subcommand: 0 ok, 1 a check or verification failed, 2 unusable input, 70 a bug in
 * ams-cashier (sysexits' EX_SOFTWARE).
 */
export const EXIT = Object.freeze({ OK: 0, FAIL: 1, USAGE: 2, INTERNAL: 70 } as const);
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The command could not run as asked: bad arguments, a missing or unreadable file, input that is not usable. */
export class CliUsageError extends AmsError {
  override name = 'CliUsageError';
  /** The subcommand whose usage to point at, if any. */
  readonly command: string | undefined;
  constructor(message: string, options?: { command?: string; cause?: unknown }) {
    super(message, options);
    this.command = options?.command;
  }
}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** All of stdin; called at most once per run. */
  readStdin(): Promise<Buffer>;
  /** Base for relative paths. */
  cwd: string;
  now(): Date;
  /** Environment variables (commands that take settings from the environment); default none. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The real process: stdout, stderr, stdin, the working directory and the system clock. */
export function processIo(): CliIo {
  return {
    out: (text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
      return Buffer.concat(chunks);
    },
    cwd: process.cwd(),
    now: () => new Date(),
    env: process.env,
  };
}

/** Reads a file named on the command line; a missing or unreadable file is a usage error naming the option. */
export function readFileArg(io: CliIo, path: string, what: string): Buffer {
  const full = resolve(io.cwd, path);
  try {
    return readFileSync(full);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliUsageError(`${what}: file "${path}" not found`);
    if (code === 'EISDIR') throw new CliUsageError(`${what}: "${path}" is a directory, not a file`);
    if (code === 'EACCES') throw new CliUsageError(`${what}: no permission to read "${path}"`);
    throw new CliUsageError(`${what}: cannot read "${path}" (${code ?? 'error'})`);
  }
}

/**
 * A key is read from a file, or from stdin with `-`; never from the argument itself, which would land in shell
 * history. A value that looks like key material is refused without echoing any of it.
 */
export async function readKeyArg(io: CliIo, spec: string, option: string, stdin: StdinGuard): Promise<Buffer> {
  if (spec === '-') return stdin.take(option);
  let exists = false;
  try {
    exists = statSync(resolve(io.cwd, spec)).isFile();
  } catch {
    exists = false;
  }
  if (!exists && looksLikeKeyMaterial(spec)) {
    throw new CliUsageError(
      `${option} takes a file path, or - to read the key from stdin; the value given looks like key material itself. ` +
        'Keys never go on the command line (it lands in shell history and process lists): put the key in a file, ' +
        'and remove that command from your shell history.',
    );
  }
  return readFileArg(io, spec, option);
}

export function looksLikeKeyMaterial(value: string): boolean {
  return value.includes('-----BEGIN') || /^[A-Za-z0-9+/=\s\\n]{64,}$/.test(value);
}

/** Hands stdin to one option only: `--key - --body -` cannot both be read from one stream. */
export class StdinGuard {
  #taken: string | undefined;
  constructor(private readonly io: CliIo) {}
  async take(option: string): Promise<Buffer> {
    if (this.#taken !== undefined) throw new CliUsageError(`${option} and ${this.#taken} cannot both read stdin (-): give one of them as a file`);
    this.#taken = option;
    return this.io.readStdin();
  }
}

/** A body, file or stdin, as exact bytes: nothing is trimmed or re-encoded. */
export async function readBytesArg(io: CliIo, spec: string, option: string, stdin: StdinGuard): Promise<Buffer> {
  return spec === '-' ? stdin.take(option) : readFileArg(io, spec, option);
}
