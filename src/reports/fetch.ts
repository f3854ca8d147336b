// Downloading a day's report files from Antom's SFTP server (ssh2-sftp-client, an optional peer loaded only here).
import { createHash } from 'node:crypto';
import { closeSync, createWriteStream, mkdirSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import type SftpClientType from 'ssh2-sftp-client';
import { AmsConfigError, AmsConnectionError, AmsTimeoutError } from '../errors';
import { showValue } from '../rules/show';
import { DownloadStopped, downloadGuard } from './download-guard';
import { REPORT_KINDS, kindFromFileName, type ReportKind } from './columns';

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
   * The server's host key fingerprint as OpenSSH prints it (`SHA256:…`); the connection is refused when it differs.
   * Without it any host key is accepted, as by ssh2 itself.
   */
  hostKeySha256?: string;
  /** Connection timeout. Default 20 000 ms. */
  readyTimeoutMs?: number;
  /**
   * The largest report file downloaded, in bytes. Default 1 GiB (1 073 741 824). A file listed larger is not
   * downloaded, and a transfer that goes past it is stopped and removed (a warning names the file either way): a
   * server that sends without end would otherwise fill the disk.
   */
  maxFileBytes?: number;
  /** The longest a transfer may wait for its next data before it fails (AmsTimeoutError). Default 60 000 ms. */
  idleTimeoutMs?: number;
}

export const DEFAULT_MAX_REPORT_FILE_BYTES = 1024 ** 3;
const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

function positiveWhole(value: unknown, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new AmsConfigError(`fetchReports: ${field} must be a whole number of at least 1, not ${showValue(value, 20)}`, { field });
  }
  return value;
}

/** A local file or folder that cannot be written: the caller's `to` (or the disk) is at fault, not the server. */
function cannotWrite(path: string, err: unknown): AmsConfigError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? (err instanceof Error ? err.name : 'error');
  return new AmsConfigError(`fetchReports: cannot write ${path} (${code}): to must be a writable folder with room for the reports`, {
    field: 'to',
  });
}

/** An SFTP request other than the transfer: its failure is the server's or the connection's. */
async function remote<T>(what: string, request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (err) {
    throw new AmsConnectionError(`SFTP ${what} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** Removes a partial download: a file only (never a folder someone put in its place), and never throws. */
function removeOwnFile(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // a folder, or no permission: left as it is
  }
}

export interface FetchedReport {
  name: string;
  /** Where it is on this machine. */
  path: string;
  remotePath: string;
  size: number;
  /** `skipped`: already here whole (same size, ending with `<END>`), not downloaded again. */
  status: 'downloaded' | 'skipped';
  /** The file ends with the `<END>` line. A file without it is kept, for inspection, but is not whole. */
  complete: boolean;
}

export interface FetchReportsResult {
  remoteDir: string;
  files: FetchedReport[];
  warnings: string[];
}

type SftpClientCtor = new (
  name?: string,
  callbacks?: { error?: (err: Error) => void; end?: () => void; close?: () => void },
) => SftpClientType;

function loadClient(): SftpClientCtor {
  const require = createRequire(import.meta.url);
  try {
    return require('ssh2-sftp-client') as SftpClientCtor;
  } catch {
    throw new AmsConfigError('fetchReports needs the ssh2-sftp-client package: npm install ssh2-sftp-client', {
      field: 'ssh2-sftp-client',
    });
  }
}

/** True when the last non-blank line of the file is `<END>`: the file was written to its end. */
export function endsWithEnd(path: string): boolean {
  const size = statSync(path).size;
  const fd = openSync(path, 'r');
  try {
    const length = Math.min(size, 256);
    const buf = Buffer.alloc(length);
    readSync(fd, buf, 0, length, size - length);
    return buf.toString('utf8').trimEnd().endsWith('<END>');
  } finally {
    closeSync(fd);
  }
}

function folderDate(date: string): string {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(date);
  if (!m)
    throw new AmsConfigError(`date must be YYYYMMDD or YYYY-MM-DD, not ${JSON.stringify(String(date).slice(0, 20))}`, { field: 'date' });
  return `${m[1]}${m[2]}${m[3]}`;
}

function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** A plain file name: no directory separators, no `..`, printable. */
const SAFE_FILE_NAME = /^(?!\.\.?$)[A-Za-z0-9._-]{1,255}$/;

/**
 * Downloads the reports of one day from `<remoteRoot>/<customerId>/<date>/` into `to`, checking that each ends with
 * `<END>`. A file already in `to` with the remote size and an `<END>` line is not downloaded again. Files go to
 * `<name>.part` first and are renamed once transferred, so an interrupted run never leaves a partial file under the
 * final name; a transferred file without `<END>` (still being written on the server) is kept, marked
 * `complete: false`, and fetched again next time. A missing date folder (reports not generated yet) is an empty
 * result with a warning.
 * A file larger than `maxFileBytes` (listed so, or sent so) is not kept: a warning names it.
 * @throws AmsConfigError for unusable options or a missing ssh2-sftp-client; AmsConnectionError when the server
 *   cannot be reached, refuses the login or the host key, or a transfer fails; AmsTimeoutError (an
 *   AmsConnectionError) when a transfer gets no data for `idleTimeoutMs`.
 */
export async function fetchReports(options: FetchReportsOptions): Promise<FetchReportsResult> {
  for (const field of ['host', 'username', 'customerId', 'to'] as const) {
    if (typeof options[field] !== 'string' || options[field] === '')
      throw new AmsConfigError(`fetchReports: ${field} is required`, { field });
  }
  if (options.password === undefined && options.privateKey === undefined)
    throw new AmsConfigError('fetchReports: give a password or a privateKey', { field: 'password' });
  if (!/^[A-Za-z0-9_-]+$/.test(options.customerId))
    throw new AmsConfigError('fetchReports: customerId holds characters a folder name cannot', { field: 'customerId' });
  const date = folderDate(options.date);
  const maxFileBytes = positiveWhole(options.maxFileBytes, DEFAULT_MAX_REPORT_FILE_BYTES, 'maxFileBytes');
  const idleTimeoutMs = positiveWhole(options.idleTimeoutMs, DEFAULT_IDLE_TIMEOUT_MS, 'idleTimeoutMs');
  const kinds = options.kind === undefined ? REPORT_KINDS : typeof options.kind === 'string' ? [options.kind] : options.kind;
  const remoteDir = `${(options.remoteRoot ?? '/v1/settlements').replace(/\/+$/, '')}/${options.customerId}/${date}`;
  const Client = loadClient();
  // The client's default listeners print to the console when a connection ends or fails unexpectedly; here every
  // failure is already a typed error of the call that met it.
  const quiet = (): void => undefined;
  const sftp = new Client('ams-cashier', { error: quiet, end: quiet, close: quiet });
  const expected = options.hostKeySha256;
  let hostKeyRefused = false;
  const result: FetchReportsResult = { remoteDir, files: [], warnings: [] };
  let stalled = false;
  try {
    try {
      await sftp.connect({
        host: options.host,
        port: options.port ?? 22,
        username: options.username,
        ...(options.password !== undefined ? { password: options.password } : {}),
        ...(options.privateKey !== undefined ? { privateKey: options.privateKey } : {}),
        ...(options.passphrase !== undefined ? { passphrase: options.passphrase } : {}),
        readyTimeout: options.readyTimeoutMs ?? 20_000,
        // A server that stops answering mid-session (during a listing, say) is noticed and the session closed.
        keepaliveInterval: 10_000,
        keepaliveCountMax: 3,
        ...(expected ? { hostVerifier: (key: Buffer) => (fingerprint(key) === expected ? true : ((hostKeyRefused = true), false)) } : {}),
      });
    } catch (err) {
      // ssh2's messages name the stage (authentication, handshake, timeout), never the password or key.
      const why = hostKeyRefused ? `the host key is not ${expected}` : (err as Error).message.replace(/^connect: /, '');
      throw new AmsConnectionError(`SFTP ${options.host}:${options.port ?? 22} as ${options.username}: ${why}`, { cause: err });
    }
    if (!(await remote(`looking for ${remoteDir}`, sftp.exists(remoteDir)))) {
      result.warnings.push(`no folder ${remoteDir} on the server: the reports of ${date} are not there (yet)`);
      return result;
    }
    const listing = await remote(`listing ${remoteDir}`, sftp.list(remoteDir));
    try {
      mkdirSync(options.to, { recursive: true });
    } catch (err) {
      throw cannotWrite(options.to, err);
    }
    for (const entry of listing.sort((a, b) => a.name.localeCompare(b.name))) {
      // A name from the server becomes a local path: anything that could leave `to` is skipped, never joined.
      if (!SAFE_FILE_NAME.test(entry.name)) {
        result.warnings.push(`skipped a remote entry whose name is not a plain file name (${JSON.stringify(entry.name.slice(0, 80))})`);
        continue;
      }
      const kind = kindFromFileName(entry.name);
      if (entry.type !== '-' || !kind || !kinds.includes(kind) || !/\.csv$/i.test(entry.name)) continue;
      const tooLarge = (): string =>
        `${entry.name} is larger than maxFileBytes (${maxFileBytes} bytes): not downloaded; raise maxFileBytes to fetch it`;
      if (entry.size > maxFileBytes) {
        result.warnings.push(tooLarge());
        continue;
      }
      const remotePath = `${remoteDir}/${entry.name}`;
      const path = join(options.to, entry.name);
      let have: number | undefined;
      try {
        have = statSync(path).size;
      } catch {
        have = undefined;
      }
      if (have === entry.size && endsWithEnd(path)) {
        result.files.push({ name: entry.name, path, remotePath, size: entry.size, status: 'skipped', complete: true });
        continue;
      }
      const part = `${path}.part`;
      const guard = downloadGuard({ maxBytes: maxFileBytes, idleMs: idleTimeoutMs });
      const out = createWriteStream(part);
      // Settles once the file is written and closed (the client resolves `get` when the remote read ends, which can be
      // before that), or with the first error of either stream: observed at once, awaited below.
      const written = pipeline(guard, out);
      written.catch(() => undefined);
      try {
        await sftp.get(remotePath, guard);
        await written;
      } catch (err) {
        // Read first: destroying the guard below also ends the file stream, with an error of its own.
        const localError = out.errored;
        guard.destroy(); // whatever failed, the guard's timer stops here
        await written.catch(() => undefined);
        // Closed before the partial file is removed (events.once would throw the stream's error instead of waiting).
        if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
        // The client wraps a destination's error in its own: what stopped the transfer is read from the streams.
        const stopped = guard.errored instanceof DownloadStopped ? guard.errored : undefined;
        if (stopped?.reason === 'stalled') stalled = true;
        removeOwnFile(part);
        if (stopped?.reason === 'too_large') {
          result.warnings.push(tooLarge());
          continue;
        }
        if (stopped?.reason === 'stalled') {
          throw new AmsTimeoutError(
            `SFTP download of ${remotePath} stalled: no data for ${idleTimeoutMs} ms (idleTimeoutMs); nothing was kept, fetch again`,
            { cause: err },
          );
        }
        if (localError) throw cannotWrite(part, localError);
        throw new AmsConnectionError(`SFTP download of ${remotePath} failed: ${(err as Error).message}`, { cause: err });
      }
      try {
        renameSync(part, path);
      } catch (err) {
        removeOwnFile(part);
        throw cannotWrite(path, err);
      }
      const complete = endsWithEnd(path);
      if (!complete) result.warnings.push(`${entry.name} has no <END> line: it is still being written or was cut short; fetch again later`);
      result.files.push({ name: entry.name, path, remotePath, size: statSync(path).size, status: 'downloaded', complete });
    }
    return result;
  } finally {
    // end() waits for the server to close the session, which a server that stopped answering never does: cut it off.
    const connection = (sftp as unknown as { client?: { destroy?: () => void } }).client;
    if (stalled && typeof connection?.destroy === 'function') connection.destroy();
    else await sftp.end().catch(() => undefined);
  }
}
