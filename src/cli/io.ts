// What the CLI commands need from the outside world (output, stdin, files, clock), and the CLI's error kinds.
import { showValue } from '../rules/show';
import { systemClock, type Clock } from '../clock';
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { AmsError } from '../errors';
import { BodyReadError, nodeStreamSource, readBody } from '../internal/read-body';

/**
 * Exit codes shared by every subcommand: 0 ok, 1 a check or verification failed, 2 unusable input, 70 a bug in
 * ams-cashier (sysexits' EX_SOFTWARE).
 */
export const EXIT = Object.freeze({ OK: 0, FAIL: 1, USAGE: 2, INTERNAL: 70 } as const);
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Where in an input file a problem is, and a stable code for machines (`check --json`). */
export interface CliProblemPlace {
  code?: string;
  line?: number;
  column?: number;
}

/** The command could not run as asked: bad arguments, a missing or unreadable file, input that is not usable. */
export class CliUsageError extends AmsError {
  override name = 'CliUsageError';
  /** The subcommand whose usage to point at, if any. */
  readonly command: string | undefined;
  readonly code: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  /** What to do, when the message alone does not say (the JSON answer's `error.fix`). */
  readonly fix: string | undefined;
  constructor(message: string, options?: { command?: string; cause?: unknown; fix?: string } & CliProblemPlace) {
    super(message, options);
    this.command = options?.command;
    this.code = options?.code ?? 'USAGE';
    this.line = options?.line;
    this.column = options?.column;
    this.fix = options?.fix;
  }
}

/**
 * Input that was read and is refused for what it is — too large, not UTF-8, a YAML alias bomb. Exit 1: the input is
 * wrong in a way the user has to fix, and nothing was signed or checked.
 */
export class CliInputError extends AmsError {
  override name = 'CliInputError';
  readonly code: string;
  readonly fix: string | undefined;
  constructor(message: string, options: { code: string; cause?: unknown; fix?: string }) {
    super(message, options);
    this.code = options.code;
    this.fix = options.fix;
  }
}

/**
 * The command ran and cannot answer for a reason outside its arguments: a server that does not answer, a queue that
 * does not exist. Exit 1, with a stable code and what to do.
 */
export class CliFailure extends AmsError {
  override name = 'CliFailure';
  readonly code: string;
  readonly fix: string;
  constructor(message: string, options: { code: string; fix: string; cause?: unknown }) {
    super(message, options);
    this.code = options.code;
    this.fix = options.fix;
  }
}

/** The most the CLI reads from one file or from stdin: keys are ~2 KiB and AMS bodies well under 1 MiB. */
export const MAX_INPUT_BYTES = 4 * 1024 * 1024;

function tooLarge(what: string, source: string, max = MAX_INPUT_BYTES): CliInputError {
  return new CliInputError(
    `${what}: ${source} is larger than ${max / 1024 / 1024} MiB, the most ams-cashier reads${max === MAX_INPUT_BYTES ? '; give the key, body or config file itself' : ''}`,
    {
      code: 'TOO_LARGE',
    },
  );
}

/** Refuses bytes that are not UTF-8: AMS bodies are UTF-8 JSON, and decoding them lossily would sign other bytes. */
export function requireUtf8(bytes: Buffer, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    // Byte by byte through one streaming decoder: linear, and it stops at the first byte that cannot continue.
    const stream = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    let offset = bytes.length;
    for (let i = 0; i < bytes.length; i++) {
      try {
        stream.decode(bytes.subarray(i, i + 1), { stream: true });
      } catch {
        offset = i;
        break;
      }
    }
    throw new CliInputError(
      `${what}: the bytes are not UTF-8 (first invalid byte at offset ${offset}); AMS bodies are UTF-8 JSON: save the file as UTF-8`,
      {
        code: 'NOT_UTF8',
      },
    );
  }
}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** All of stdin; called at most once per run. */
  readStdin(): Promise<Buffer>;
  /** Base for relative paths. */
  cwd: string;
  clock: Clock;
  /** Environment variables (commands that take settings from the environment); default none. */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * A line of progress for long work, shown in place on a terminal (stderr) and nowhere else; absent when stderr is
   * not a terminal. `done` ends the line.
   */
  progress?: (text: string, done?: boolean) => void;
}

/** The real process: stdout, stderr, stdin, the working directory and the system clock. */
export function processIo(): CliIo {
  return {
    out: (text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    readStdin: async () => {
      try {
        return await readBody(nodeStreamSource(process.stdin), { maxBytes: MAX_INPUT_BYTES });
      } catch (err) {
        // Past the limit the rest is never read: release stdin so the process can end.
        if (err instanceof BodyReadError) process.stdin.destroy();
        throw err;
      }
    },
    cwd: process.cwd(),
    clock: systemClock,
    env: process.env,
    ...(process.stderr.isTTY
      ? {
          progress: (text: string, done?: boolean) => void process.stderr.write(`\r\x1b[K${text}${done ? '\n' : ''}`),
        }
      : {}),
  };
}

/** Reads a file named on the command line; a missing or unreadable file is a usage error naming the option. */
export function readFileArg(io: CliIo, path: string, what: string, maxBytes = MAX_INPUT_BYTES): Buffer {
  const full = resolve(io.cwd, path);
  let fd: number | undefined;
  try {
    fd = openSync(full, 'r');
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    if (stat.isFile() && stat.size > maxBytes) throw tooLarge(what, `${shownPath(path)} (${stat.size} bytes)`, maxBytes);
    // Read at most one byte past the limit: devices and pipes (/dev/zero, a FIFO) have no size to check first.
    const buf = Buffer.allocUnsafe(Math.min(maxBytes + 1, stat.isFile() ? stat.size + 1 : maxBytes + 1));
    let got = 0;
    for (;;) {
      const n = readSync(fd, buf, got, buf.length - got, null);
      if (n === 0) break;
      got += n;
      if (got > maxBytes) throw tooLarge(what, shownPath(path), maxBytes);
      if (got === buf.length) break;
    }
    return Buffer.from(buf.subarray(0, got));
  } catch (err) {
    if (err instanceof CliInputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliUsageError(`${what}: file ${shownPath(path)} not found`);
    if (code === 'EISDIR') throw new CliUsageError(`${what}: ${shownPath(path)} is a directory, not a file`);
    if (code === 'EACCES') throw new CliUsageError(`${what}: no permission to read ${shownPath(path)}`);
    throw new CliUsageError(`${what}: cannot read ${shownPath(path)} (${code ?? 'error'})`);
  } finally {
    if (fd !== undefined) closeSync(fd);
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

/**
 * Whether a value given as a path is a key itself: PEM, or 64+ base64 / base64url characters, also when pasted with
 * the quotes and comma it had in a JSON or .env file.
 */
export function looksLikeKeyMaterial(value: string): boolean {
  return value.includes('-----BEGIN') || /^["'\s,]*[A-Za-z0-9+/=_\-\s\\n]{64,}["'\s,]*$/.test(value);
}

/** A path as it may appear in a message: never key material; otherwise quoted and cut as every bad value is. */
export function shownPath(path: string): string {
  return looksLikeKeyMaterial(path) ? '<key material, not shown>' : showValue(path, 60);
}

/** Hands stdin to one option only: `--key - --body -` cannot both be read from one stream. */
export class StdinGuard {
  #taken: string | undefined;
  constructor(private readonly io: CliIo) {}
  async take(option: string): Promise<Buffer> {
    if (this.#taken !== undefined)
      throw new CliUsageError(`${option} and ${this.#taken} cannot both read stdin (-): give one of them as a file`);
    this.#taken = option;
    let bytes: Buffer;
    try {
      bytes = await this.io.readStdin();
    } catch (err) {
      if (err instanceof BodyReadError && err.reason === 'too_large') throw tooLarge(option, 'stdin');
      throw err;
    }
    if (bytes.length > MAX_INPUT_BYTES) throw tooLarge(option, 'stdin');
    return bytes;
  }
}

/** A body, file or stdin, as exact bytes: nothing is trimmed or re-encoded. */
export async function readBytesArg(io: CliIo, spec: string, option: string, stdin: StdinGuard): Promise<Buffer> {
  return spec === '-' ? stdin.take(option) : readFileArg(io, spec, option);
}
