// Downloading a day's report files from Antom's SFTP server into a local folder: which files, and each one's transfer.
import { closeSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { AmsConnectionError, AmsTimeoutError } from '../errors';
import { functionOption, OPTION, optionError, parseOptions } from '../options';
import { REPORT_KINDS, kindFromFileName, type ReportKind } from './columns';
import { DownloadStopped, downloadGuard } from './download-guard';
import { progressReporter, type FetchProgress, type ProgressReporter } from './fetch-progress';
import { hostKeyPolicy } from './host-key';
import { cannotWrite, createPart, endsWithEnd, fdWriter, finishPart, localCopy, removeOwnFile, sameVersion } from './local-files';
import { openSftpSession, type RemoteEntry, type SftpSession } from './sftp-session';
import { lazy } from '../internal/lazy';

export type { FetchProgress } from './fetch-progress';

export interface FetchReportsOptions {
  /** `isftp.alipay.com` (fallback `sftp.alipay.com`). */
  host: string;
  port?: number;
  username: string;
  password?: string;
  /** An OpenSSH or PEM private key (string or Buffer), instead of a password. */
  privateKey?: string | Buffer;
  passphrase?: string;
  /** The ID Alipay assigned you (`customerId`, formerly `merchantIdByAcquirer`): the folder under the root. */
  customerId: string;
  /** The transaction or settlement date of the folder: `20181226` or `2018-12-26`. */
  date: string;
  /** Only these reports. Default: all three kinds. */
  kind?: ReportKind | readonly ReportKind[];
  /** Local directory the files are written to (created if missing). */
  to: string;
  /** The folder holding `<customerId>/<date>/`. Default `/v1/settlements`. */
  remoteRoot?: string;
  /**
   * The server's host key fingerprint as OpenSSH prints it (`SHA256:…`), or several (any of them is accepted). This or
   * `knownHosts` is required: a server offering another key is refused before the password or key is sent. Print it
   * with `ssh-keyscan -p PORT HOST | ssh-keygen -lf -` and check it with Antom.
   */
  hostKeySha256?: string | readonly string[];
  /**
   * The path of an OpenSSH `known_hosts` file: any key it lists for the host (`[host]:port` off port 22, hashed lines
   * too) is accepted, a key marked `@revoked` never is. Read once per call.
   */
  knownHosts?: string;
  /** `'accept-any'`: no host key check at all. For tests only: it is logged as a warning on every call. */
  hostKey?: 'accept-any';
  /** The SSH handshake and login. Default 20 000 ms. */
  readyTimeoutMs?: number;
  /**
   * The largest report file downloaded, in bytes. Default 1 GiB (1 073 741 824). A file listed larger is not
   * downloaded, and a transfer that goes past it is stopped and removed (a warning names the file either way): a
   * server that sends without end would otherwise fill the disk.
   */
  maxFileBytes?: number;
  /**
   * The longest wait for the server (AmsTimeoutError past it): for each SFTP request (opening the subsystem, looking
   * up the folder, listing it), and for the next data of a transfer. Default 60 000 ms.
   */
  idleTimeoutMs?: number;
  /** Told of each file's bytes as they arrive (at most every 100 ms) and of each file's end. Must not throw. */
  onProgress?: (progress: FetchProgress) => void;
  /** Where warnings are logged as well (the client's `logger` fits); console.warn for the `accept-any` one without it. */
  logger?: { warn?(message: string, meta?: Record<string, unknown>): void };
}

export const DEFAULT_MAX_REPORT_FILE_BYTES = 1024 ** 3;
const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

const DATE = /^(\d{4})-?(\d{2})-?(\d{2})$/;

/** A text option that must be there: `host: is required: …`, the same message when it is empty. */
function text(what: string): z.ZodString {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `is required: ${what}` : `must be a string: ${what}`) })
    .min(1, `is required: ${what}`);
}

const optionsSchema = lazy(function buildOptionsSchema() {
  const kind = z.enum(REPORT_KINDS as [ReportKind, ...ReportKind[]], { error: `must be one of ${REPORT_KINDS.join(', ')}` });
  // Never echoed: a password or key given with a wrong type is named by its field only.
  const secret = (what: string) => z.string({ error: `must be ${what}` });
  return z
    .object({
      host: text('the SFTP host, isftp.alipay.com (fallback sftp.alipay.com)'),
      port: z
        .number({ error: 'must be a port number' })
        .int('must be a whole number from 1 to 65535')
        .min(1, 'must be a whole number from 1 to 65535')
        .max(65_535, 'must be a whole number from 1 to 65535')
        .optional(),
      username: text('your SFTP user name'),
      password: secret('the SFTP password, a string').optional(),
      privateKey: z
        .union([z.string(), z.instanceof(Buffer)], { error: 'must be an OpenSSH or PEM private key, a string or Buffer' })
        .optional(),
      passphrase: secret("the private key's passphrase, a string").optional(),
      customerId: text('the ID Alipay assigned you (customerId), the folder under the root').regex(
        /^[A-Za-z0-9_-]+$/,
        'holds characters a folder name cannot: letters, digits, "_" and "-" only',
      ),
      date: text('the date of the folder, YYYYMMDD or YYYY-MM-DD').regex(DATE, 'must be YYYYMMDD or YYYY-MM-DD'),
      kind: z.union([kind, z.array(kind)], { error: `must be one of ${REPORT_KINDS.join(', ')}, or a list of them` }).optional(),
      to: text('the local folder the files are written to'),
      remoteRoot: z.string({ error: 'must be a string, the folder holding <customerId>/<date>/' }).optional(),
      // The pin options are checked by hostKeyPolicy (host-key.ts), the home of the host-key rules, before any connection.
      hostKeySha256: z.custom<string | readonly string[]>().optional(),
      knownHosts: z.custom<string>().optional(),
      hostKey: z.custom<'accept-any'>().optional(),
      readyTimeoutMs: OPTION.timeoutMs.optional(),
      maxFileBytes: OPTION.maxBytes.optional(),
      idleTimeoutMs: OPTION.timeoutMs.optional(),
      onProgress: functionOption<NonNullable<FetchReportsOptions['onProgress']>>("is told of each file's bytes and end").optional(),
      logger: OPTION.logger.optional(),
    })
    .strict();
});

export interface FetchedReport {
  name: string;
  /** Where it is on this machine. */
  path: string;
  remotePath: string;
  size: number;
  /** `skipped`: already here whole (same size and modification time, ending with `<END>`), not downloaded again. */
  status: 'downloaded' | 'skipped';
  /** The file ends with the `<END>` line. A file without it is kept, for inspection, but is not whole. */
  complete: boolean;
}

export interface FetchReportsResult {
  remoteDir: string;
  files: FetchedReport[];
  warnings: string[];
}

/** The folder's name for a checked `date` option. */
function folderDate(date: string): string {
  const m = DATE.exec(date)!;
  return `${m[1]}${m[2]}${m[3]}`;
}

/** A plain file name: no directory separators, no `..`, printable. */
const SAFE_FILE_NAME = /^(?!\.\.?$)[A-Za-z0-9._-]{1,255}$/;

/** A listed report this call deals with. */
interface Planned {
  entry: RemoteEntry;
  path: string;
  remotePath: string;
  /** Already here whole, as listed. */
  skip: boolean;
}

/**
 * Downloads the reports of one day from `<remoteRoot>/<customerId>/<date>/` into `to`, checking that each ends with
 * `<END>`. The server's host key must be pinned (`hostKeySha256` or `knownHosts`); any other key is refused before
 * the login is sent. A file already in `to` with the remote size and modification time and an `<END>` line is not
 * downloaded again (a downloaded file is given the remote time). Files go to `<name>.part` first, created exclusively
 * and never through a link, and are renamed once transferred, so an interrupted run never leaves a partial file under
 * the final name; a transferred file without `<END>` (still being written on the server) is kept, marked
 * `complete: false`, and fetched again next time. A missing date folder (reports not generated yet) is an empty
 * result with a warning. A file larger than `maxFileBytes` (listed so, or sent so) is not kept: a warning names it.
 * @throws AmsConfigError for unusable options, no host key pin, a missing ssh2-sftp-client, or something in `to` that
 *   is in the way (a link or a folder under a report's name); AmsConnectionError when the server cannot be reached,
 *   refuses the login, offers a host key that is not pinned, or a transfer fails; AmsTimeoutError (an
 *   AmsConnectionError) when a request gets no answer, or a transfer no data, for `idleTimeoutMs`.
 */
export async function fetchReports(given: FetchReportsOptions): Promise<FetchReportsResult> {
  const options = parseOptions(optionsSchema(), given, 'fetchReports');
  if (options.password === undefined && options.privateKey === undefined)
    throw optionError('fetchReports', 'password', 'give a password or a privateKey (the SFTP login)');
  const date = folderDate(options.date);
  const port = options.port ?? 22;
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_REPORT_FILE_BYTES;
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const readyTimeoutMs = options.readyTimeoutMs ?? 20_000;
  const kinds: readonly ReportKind[] =
    options.kind === undefined ? REPORT_KINDS : typeof options.kind === 'string' ? [options.kind] : options.kind;
  const remoteDir = `${(options.remoteRoot ?? '/v1/settlements').replace(/\/+$/, '')}/${options.customerId}/${date}`;
  // Before any connection: without a pin there is nothing to connect to safely.
  const hostKey = hostKeyPolicy({ ...options, port });
  const result: FetchReportsResult = { remoteDir, files: [], warnings: [] };
  for (const warning of hostKey.warnings) {
    if (options.logger?.warn) options.logger.warn(warning);
    else console.warn(warning);
    result.warnings.push(warning);
  }

  const session = await openSftpSession({ ...options, port, readyTimeoutMs, idleTimeoutMs, hostKey });
  let failed = true;
  try {
    if (!(await session.exists(remoteDir))) {
      result.warnings.push(`no folder ${remoteDir} on the server: the reports of ${date} are not there (yet)`);
      failed = false;
      return result;
    }
    const listing = await session.list(remoteDir);
    try {
      mkdirSync(options.to, { recursive: true });
    } catch (err) {
      throw cannotWrite(options.to, err);
    }
    const plan: Planned[] = [];
    for (const entry of listing.sort((a, b) => a.name.localeCompare(b.name))) {
      // A name from the server becomes a local path: anything that could leave `to` is skipped, never joined.
      if (!SAFE_FILE_NAME.test(entry.name)) {
        result.warnings.push(`skipped a remote entry whose name is not a plain file name (${JSON.stringify(entry.name.slice(0, 80))})`);
        continue;
      }
      const kind = kindFromFileName(entry.name);
      if (entry.type !== '-' || !kind || !kinds.includes(kind) || !/\.csv$/i.test(entry.name)) continue;
      if (entry.size > maxFileBytes) {
        result.warnings.push(tooLarge(entry.name, maxFileBytes));
        continue;
      }
      const path = join(options.to, entry.name);
      const copy = localCopy(path);
      // Size alone is not enough: a report reissued with the same length but other rows must be fetched again.
      const skip = copy !== undefined && sameVersion(copy, entry) && endsWithEnd(path);
      plan.push({ entry, path, remotePath: `${remoteDir}/${entry.name}`, skip });
    }

    const warn = (message: string): void => void result.warnings.push(message);
    let running = true;
    const progress = progressReporter(options.onProgress, plan.filter((p) => !p.skip).length, (message) => {
      // A promise the callback returned can reject after the result is handed back: then only the logger hears it.
      if (running) warn(message);
      options.logger?.warn?.(message);
    });
    for (const item of plan) {
      const { entry, path, remotePath } = item;
      if (item.skip) {
        result.files.push({ name: entry.name, path, remotePath, size: entry.size, status: 'skipped', complete: true });
        continue;
      }
      const fetched = await downloadOne(session, item, { maxFileBytes, idleTimeoutMs, progress });
      if (fetched === 'too_large') {
        warn(tooLarge(entry.name, maxFileBytes));
        continue;
      }
      if (!fetched.complete) warn(`${entry.name} has no <END> line: it is still being written or was cut short; fetch again later`);
      result.files.push({ name: entry.name, path, remotePath, size: fetched.size, status: 'downloaded', complete: fetched.complete });
    }
    running = false;
    failed = false;
    return result;
  } finally {
    const closing = await session.close();
    if (closing && !failed) result.warnings.push(closing);
  }
}

function tooLarge(name: string, maxFileBytes: number): string {
  return `${name} is larger than maxFileBytes (${maxFileBytes} bytes): not downloaded; raise maxFileBytes to fetch it`;
}

/** Transfers one file to `<name>.part` through a descriptor of its own, then renames it to its name. */
async function downloadOne(
  session: SftpSession,
  { entry, path, remotePath }: Planned,
  limits: { maxFileBytes: number; idleTimeoutMs: number; progress: ProgressReporter },
): Promise<{ size: number; complete: boolean } | 'too_large'> {
  const part = `${path}.part`;
  const fd = createPart(part);
  let finished: { size: number; complete: boolean } | undefined;
  try {
    const progress = limits.progress.file(entry.name, entry.size);
    let received = 0;
    const guard = downloadGuard({
      maxBytes: limits.maxFileBytes,
      idleMs: limits.idleTimeoutMs,
      onBytes: (bytes) => {
        received = bytes;
        progress.bytes(bytes);
      },
    });
    const out = fdWriter(fd);
    // Settles once every byte is written (the client resolves `get` when the remote read ends, which can be before
    // that), or with the first error of either stream: observed at once, awaited below.
    const written = pipeline(guard, out);
    written.catch(() => undefined);
    try {
      await session.download(remotePath, guard);
      await written;
    } catch (err) {
      // Read first: destroying the guard below also ends the file stream, with an error of its own.
      const localError = out.errored;
      guard.destroy(); // whatever failed, the guard's timer stops here
      await written.catch(() => undefined);
      // The client wraps a destination's error in its own: what stopped the transfer is read from the streams.
      const stopped = guard.errored instanceof DownloadStopped ? guard.errored : undefined;
      if (stopped?.reason === 'too_large') {
        progress.end(received);
        return 'too_large';
      }
      if (stopped?.reason === 'stalled') {
        // A server that stopped sending never closes the session either.
        session.cutOff();
        throw new AmsTimeoutError(
          `SFTP download of ${remotePath} stalled: no data for ${limits.idleTimeoutMs} ms (idleTimeoutMs); nothing was kept, fetch again`,
          { cause: err },
        );
      }
      if (localError) throw cannotWrite(part, localError);
      throw new AmsConnectionError(`SFTP download of ${remotePath} failed: ${(err as Error).message}`, { cause: err });
    }
    try {
      finished = finishPart(fd, entry.modifyTime);
    } catch (err) {
      throw cannotWrite(part, err);
    }
    progress.end(received);
  } finally {
    closeSync(fd);
    if (!finished) removeOwnFile(part);
  }
  try {
    // rename replaces whatever is at `path` (a link planted since the plan included) and never follows it.
    renameSync(part, path);
  } catch (err) {
    removeOwnFile(part);
    throw cannotWrite(path, err);
  }
  return finished;
}
