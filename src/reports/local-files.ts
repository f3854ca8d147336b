// The report files fetchReports keeps on this machine: never written or read through a link, partial until renamed.
import { closeSync, constants, fstatSync, futimesSync, lstatSync, openSync, readSync, rmSync, write } from 'node:fs';
import { Writable } from 'node:stream';
import { AmsConfigError } from '../errors';
import { END } from './columns';

/** A local file or folder that cannot be written: the caller's `to` (or the disk) is at fault, not the server. */
export function cannotWrite(path: string, err: unknown): AmsConfigError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? (err instanceof Error ? err.name : 'error');
  return new AmsConfigError(`fetchReports: cannot write ${path} (${code}): to must be a writable folder with room for the reports`, {
    field: 'to',
  });
}

/**
 * A symbolic link where a report (or its partial download) goes. It is left where it is and nothing is written:
 * fetchReports never makes links, so someone else put it there, and writing through it could land anywhere.
 */
function linkInTheWay(path: string): AmsConfigError {
  return new AmsConfigError(
    `fetchReports: ${path} is a symbolic link: a report is never written or read through a link (it could point anywhere ` +
      'on this machine), and it was left as it is; remove it, and find out who put it in to',
    { field: 'to' },
  );
}

/** Removes a partial download: a file only (never a folder someone put in its place), and never throws. */
export function removeOwnFile(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // a folder, or no permission: left as it is
  }
}

/** A report already in `to`: its size and modification time (ms). */
export interface LocalCopy {
  size: number;
  mtimeMs: number;
}

/**
 * What is at a report's final path: undefined when nothing. A link or anything but a plain file is an
 * AmsConfigError before any transfer (a link is never followed to judge a file whole).
 */
export function localCopy(path: string): LocalCopy | undefined {
  let stat;
  try {
    stat = lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw cannotWrite(path, err);
  }
  if (stat.isSymbolicLink()) throw linkInTheWay(path);
  if (!stat.isFile()) throw cannotWrite(path, { code: stat.isDirectory() ? 'EISDIR' : 'EEXIST' });
  return { size: stat.size, mtimeMs: stat.mtimeMs };
}

const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

/** True when the last non-blank line of the open file is `<END>`: the file was written to its end. */
function fdEndsWithEnd(fd: number): boolean {
  const size = fstatSync(fd).size;
  const length = Math.min(size, 256);
  const buf = Buffer.alloc(length);
  readSync(fd, buf, 0, length, size - length);
  // The last line alone, as the reader takes it: `…,<END>` or `x<END>` ends no report.
  const text = buf.toString('utf8').trimEnd();
  return text.slice(text.lastIndexOf('\n') + 1).trim() === END;
}

/** True when the last non-blank line of the plain file at `path` (not a link) is `<END>`; false when unreadable. */
export function endsWithEnd(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | NO_FOLLOW);
  } catch {
    return false; // not whole as far as we can tell: downloaded again, and renamed over it
  }
  try {
    return fdEndsWithEnd(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Creates `part` for a download: exclusively (O_CREAT|O_EXCL) and without following a link (O_NOFOLLOW), so nothing
 * that was there is ever written through. A plain file there is the leftover of an interrupted run: removed first. A
 * link there is an AmsConfigError and stays; so is a folder (EISDIR).
 */
export function createPart(part: string): number {
  const flags = constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | NO_FOLLOW;
  for (let attempt = 0; ; attempt++) {
    try {
      return openSync(part, flags, 0o666);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw cannotWrite(part, err);
      const stat = lstatSync(part, { throwIfNoEntry: false });
      if (stat?.isSymbolicLink()) throw linkInTheWay(part);
      if (stat && !stat.isFile()) throw cannotWrite(part, { code: stat.isDirectory() ? 'EISDIR' : 'EEXIST' });
      removeOwnFile(part);
    }
  }
}

/** A stream writing into an open file descriptor, which it never closes (its owner does). */
export function fdWriter(fd: number): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      const from = (offset: number): void => {
        if (offset >= chunk.length) return done();
        write(fd, chunk, offset, chunk.length - offset, null, (err, written) => (err ? done(err) : from(offset + written)));
      };
      from(0);
    },
  });
}

/**
 * Finishes a transferred part through its descriptor: gives it the remote modification time (so that the next run
 * knows it has this very version) and says its size and whether it ends with `<END>`.
 */
export function finishPart(fd: number, remoteModifyTimeMs: number): { size: number; complete: boolean } {
  if (Number.isFinite(remoteModifyTimeMs) && remoteModifyTimeMs > 0) {
    const seconds = remoteModifyTimeMs / 1000;
    futimesSync(fd, seconds, seconds);
  }
  return { size: fstatSync(fd).size, complete: fdEndsWithEnd(fd) };
}

/** Whether a local copy is the remote file as listed: same size and same modification second. */
export function sameVersion(copy: LocalCopy, remote: { size: number; modifyTime: number }): boolean {
  if (!Number.isFinite(remote.modifyTime) || remote.modifyTime <= 0) return false;
  return copy.size === remote.size && Math.floor(copy.mtimeMs / 1000) === Math.floor(remote.modifyTime / 1000);
}
