// fetchReports' local files, against a real OpenSSH sshd: never written or judged through a planted link, and a report
// reissued with the same size is fetched again (the modification time is compared too).
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmsConfigError } from '../../src/errors';
import { fetchReports, type FetchReportsOptions } from '../../src/reports';
import { rejectsWith } from '../helpers/expect';
import { BATCH, GEN_B_SS } from './samples';
import { startSshServer, type SshServer } from './sshd';
import { requireService } from '../helpers/services';

const CUSTOMER = '1022188000000000001';
const NAME = `settlementSummary_USD_${BATCH}_000.csv`;
/** The remote file's modification time, whole seconds as SFTP carries it. */
const ISSUED = 1_545_800_000;
let server: SshServer;
let base: string;
let remoteFile: string;

const HAVE_SSHD = requireService('sshd', 'the SFTP tests');

beforeAll(async () => {
  if (!HAVE_SSHD) return;
  server = await startSshServer();
  const day = join(server.root, 'v1', 'settlements', CUSTOMER, '20181226');
  mkdirSync(day, { recursive: true });
  remoteFile = join(day, NAME);
  base = mkdtempSync(join(tmpdir(), 'ams-fetch-local-'));
}, 60_000);
afterAll(async () => {
  if (!HAVE_SSHD) return;
  await server?.stop();
  if (base) rmSync(base, { recursive: true, force: true });
});

/** Puts `content` on the server as the day's summary, modified at `mtime` (seconds). */
function issue(content: string, mtime: number): void {
  writeFileSync(remoteFile, content);
  utimesSync(remoteFile, mtime, mtime);
}

function options(to: string): FetchReportsOptions {
  return {
    host: '127.0.0.1',
    port: server.port,
    username: server.username,
    privateKey: server.privateKey,
    hostKeySha256: server.hostKeySha256,
    customerId: CUSTOMER,
    date: '20181226',
    to,
    remoteRoot: join(server.root, 'v1', 'settlements'),
  };
}

describe.skipIf(!HAVE_SSHD)('fetchReports: which local copy counts as the report', () => {
  it('a report reissued with the same size but other content and time is fetched again; the same version is skipped', async () => {
    const to = mkdtempSync(join(base, 'reissue-'));
    issue(GEN_B_SS, ISSUED);
    const first = await fetchReports(options(to));
    expect(first.files.map((f) => f.status)).toEqual(['downloaded']);
    // The download carries the remote time: that is how the next run knows it has this very version.
    expect(Math.floor(statSync(join(to, NAME)).mtimeMs / 1000)).toBe(ISSUED);
    expect((await fetchReports(options(to))).files.map((f) => f.status)).toEqual(['skipped']);

    const reissued = GEN_B_SS.replace(',725,USD,', ',726,USD,');
    expect(reissued.length).toBe(GEN_B_SS.length);
    expect(reissued).not.toBe(GEN_B_SS);
    issue(reissued, ISSUED + 3600);
    const again = await fetchReports(options(to));
    expect(again.files.map((f) => [f.status, f.complete])).toEqual([['downloaded', true]]);
    expect(readFileSync(join(to, NAME), 'utf8')).toBe(reissued);
    expect(Math.floor(statSync(join(to, NAME)).mtimeMs / 1000)).toBe(ISSUED + 3600);
  });

  it('a local copy of the same size but another time (edited here, say) is fetched again', async () => {
    const to = mkdtempSync(join(base, 'edited-'));
    issue(GEN_B_SS, ISSUED);
    writeFileSync(join(to, NAME), GEN_B_SS.replace(',1450,USD,', ',9999,USD,'));
    const r = await fetchReports(options(to));
    expect(r.files.map((f) => f.status)).toEqual(['downloaded']);
    expect(readFileSync(join(to, NAME), 'utf8')).toBe(GEN_B_SS);
  });

  it('the leftover .part of an interrupted run is replaced, not appended to', async () => {
    const to = mkdtempSync(join(base, 'leftover-'));
    issue(GEN_B_SS, ISSUED);
    writeFileSync(join(to, `${NAME}.part`), 'half a file from yesterday\n');
    const r = await fetchReports(options(to));
    expect(r.files.map((f) => [f.status, f.complete])).toEqual([['downloaded', true]]);
    expect(readFileSync(join(to, NAME), 'utf8')).toBe(GEN_B_SS);
    expect(existsSync(join(to, `${NAME}.part`))).toBe(false);
  });
});

describe.skipIf(!HAVE_SSHD)('fetchReports never writes or reads through a link planted in to', () => {
  // A link is someone else's doing (fetchReports never makes one): the run stops with an AmsConfigError naming it,
  // before anything is written, and the link stays for whoever looks into it. Skipping the file with a warning would
  // leave the day's reports silently short; following the link would write wherever it points.
  it('a link at the .part path, to a file outside to: the file is untouched, the run is an AmsConfigError naming the link', async () => {
    const to = mkdtempSync(join(base, 'part-link-'));
    const outside = mkdtempSync(join(base, 'outside-'));
    const victim = join(outside, 'precious.txt');
    writeFileSync(victim, 'do not overwrite\n');
    const part = join(to, `${NAME}.part`);
    symlinkSync(victim, part);
    issue(GEN_B_SS, ISSUED);
    const err = await rejectsWith(AmsConfigError, fetchReports(options(to)));
    expect(err.field).toBe('to');
    expect(err.message).toContain(`${part} is a symbolic link: a report is never written or read through a link`);
    expect(readFileSync(victim, 'utf8')).toBe('do not overwrite\n');
    expect(readlinkSync(part)).toBe(victim);
    expect(existsSync(join(to, NAME))).toBe(false);
  });

  it('a dangling link at the .part path: nothing is created where it points', async () => {
    const to = mkdtempSync(join(base, 'dangling-'));
    const target = join(mkdtempSync(join(base, 'outside-')), 'created-by-the-download.csv');
    symlinkSync(target, join(to, `${NAME}.part`));
    issue(GEN_B_SS, ISSUED);
    await rejectsWith(AmsConfigError, fetchReports(options(to)));
    expect(existsSync(target)).toBe(false);
  });

  it('a link at the final path to a forged whole report of the same size and time is never taken for the report', async () => {
    const to = mkdtempSync(join(base, 'final-link-'));
    const forged = join(mkdtempSync(join(base, 'outside-')), 'forged.csv');
    const forgery = GEN_B_SS.replace(',1450,USD,', ',1451,USD,');
    writeFileSync(forged, forgery);
    utimesSync(forged, ISSUED, ISSUED);
    issue(GEN_B_SS, ISSUED);
    expect(forgery.length).toBe(GEN_B_SS.length);
    symlinkSync(forged, join(to, NAME));
    const err = await rejectsWith(AmsConfigError, fetchReports(options(to)));
    expect(err.message).toContain(`${join(to, NAME)} is a symbolic link`);
    expect(readFileSync(forged, 'utf8')).toBe(forgery);
    expect(lstatSync(join(to, NAME)).isSymbolicLink()).toBe(true);
  });
});
