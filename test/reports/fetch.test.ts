// fetchReports against a real OpenSSH sshd on loopback: downloads a day's reports, checks <END>, skips whole files.
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmsConfigError, AmsConnectionError, AmsTimeoutError } from '../../src/errors';
import { fetchReports, parseReports, reconcile, type FetchProgress } from '../../src/reports';
import { BATCH, GEN_A_SD, GEN_A_TD, GEN_B_SS, sampleLedger } from './samples';
import { rejectsWith } from '../helpers/expect';
import { startSshServer, type SshServer } from './sshd';
import { requireService } from '../helpers/services';

let server: SshServer;
let local: string;
const CUSTOMER = '1022188000000000001';

const HAVE_SSHD = requireService('sshd', 'the SFTP tests');

beforeAll(async () => {
  if (!HAVE_SSHD) return;
  server = await startSshServer();
  const day = join(server.root, 'v1', 'settlements', CUSTOMER, '20181226');
  mkdirSync(day, { recursive: true });
  writeFileSync(join(day, `settlementItems_USD_${BATCH}_000.csv`), GEN_A_SD);
  writeFileSync(join(day, `settlementSummary_USD_${BATCH}_000.csv`), GEN_B_SS);
  writeFileSync(join(day, 'transactionItems_20181226_000.csv'), GEN_A_TD.replace('<END>\n', ''));
  writeFileSync(join(day, 'readme.txt'), 'not a report');
  local = mkdtempSync(join(tmpdir(), 'ams-fetch-'));
}, 60_000);
afterAll(async () => {
  if (!HAVE_SSHD) return;
  // A test that timed out while the server was frozen left its session processes stopped: wake them to let them exit.
  if (server) for (const pid of descendants(server.pid)) process.kill(pid, 'SIGCONT');
  await server?.stop();
  if (local) rmSync(local, { recursive: true, force: true });
});

function options(extra: Partial<Parameters<typeof fetchReports>[0]> = {}) {
  return {
    host: '127.0.0.1',
    port: server.port,
    username: server.username,
    privateKey: server.privateKey,
    customerId: CUSTOMER,
    date: '2018-12-26',
    to: local,
    remoteRoot: join(server.root, 'v1', 'settlements'),
    hostKeySha256: server.hostKeySha256,
    ...extra,
  };
}

describe.skipIf(!HAVE_SSHD)('fetchReports over SFTP', () => {
  it('downloads the reports of the day, says which lack <END>, and they reconcile', async () => {
    const r = await fetchReports(options());
    expect(r.files.map((f) => [f.name, f.status, f.complete])).toEqual([
      [`settlementItems_USD_${BATCH}_000.csv`, 'downloaded', true],
      [`settlementSummary_USD_${BATCH}_000.csv`, 'downloaded', true],
      ['transactionItems_20181226_000.csv', 'downloaded', false],
    ]);
    expect(r.warnings).toEqual([
      'transactionItems_20181226_000.csv has no <END> line: it is still being written or was cut short; fetch again later',
    ]);
    expect(readFileSync(join(local, `settlementItems_USD_${BATCH}_000.csv`), 'utf8')).toBe(GEN_A_SD);
    const reports = await parseReports(r.files.filter((f) => f.complete).map((f) => ({ fileName: f.name, input: readFileSync(f.path) })));
    const result = reconcile({ settlementItems: reports[0]!, settlementSummary: reports[1]!, ledger: sampleLedger() });
    expect(result.ok).toBe(true);
  });

  it('never downloads again a file it already has whole, but fetches an incomplete one again', async () => {
    const before = statSync(join(local, `settlementItems_USD_${BATCH}_000.csv`)).mtimeMs;
    const r = await fetchReports(options({ kind: ['settlementItems', 'transactionItems'] }));
    expect(r.files.map((f) => [f.name, f.status])).toEqual([
      [`settlementItems_USD_${BATCH}_000.csv`, 'skipped'],
      ['transactionItems_20181226_000.csv', 'downloaded'],
    ]);
    expect(statSync(join(local, `settlementItems_USD_${BATCH}_000.csv`)).mtimeMs).toBe(before);
  });

  it('a date without a folder is an empty result with a warning', async () => {
    const r = await fetchReports(options({ date: '20181227' }));
    expect(r.files).toEqual([]);
    expect(r.warnings[0]).toMatch(/^no folder .*\/1022188000000000001\/20181227 on the server/);
  });

  it('refuses a server whose host key is not the expected one', async () => {
    const err = await rejectsWith(
      AmsConnectionError,
      fetchReports(options({ hostKeySha256: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })),
    );
    expect(err.message).toBe(
      `SFTP 127.0.0.1:${server.port} as ${server.username}: the host key is not the pinned one: the server offered ssh-ed25519 ` +
        `${server.hostKeySha256}, expected SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA (hostKeySha256). The login was not sent. ` +
        "If the server's key really changed, check the new fingerprint with Antom before pinning it",
    );
  });

  it('a refused login is an AmsConnectionError that does not quote the password', async () => {
    const err = await rejectsWith(AmsConnectionError, fetchReports(options({ privateKey: undefined, password: 'hunter2-secret' })));
    expect(err.message).toMatch(/authentication/i);
    expect(err.message).not.toContain('hunter2');
  });

  it('bad options are AmsConfigErrors naming the field', async () => {
    expect((await rejectsWith(AmsConfigError, fetchReports(options({ privateKey: undefined })))).field).toBe('password');
    expect((await rejectsWith(AmsConfigError, fetchReports(options({ date: '26/12/2018' })))).field).toBe('date');
    for (const bad of [0, -1, 1.5, Number.NaN, '100']) {
      expect((await rejectsWith(AmsConfigError, fetchReports(options({ maxFileBytes: bad as number })))).field).toBe('maxFileBytes');
      expect((await rejectsWith(AmsConfigError, fetchReports(options({ idleTimeoutMs: bad as number })))).field).toBe('idleTimeoutMs');
    }
  });

  it('a file larger than maxFileBytes is not downloaded: a warning names it and nothing of it is left here', async () => {
    const to = mkdtempSync(join(tmpdir(), 'ams-fetch-cap-'));
    try {
      const day = join(server.root, 'v1', 'settlements', CUSTOMER, '20181226');
      const sizes = readdirSync(day)
        .filter((n) => n.endsWith('.csv'))
        .map((name) => ({ name, size: statSync(join(day, name)).size }))
        .sort((a, b) => a.size - b.size);
      const cap = sizes[0]!.size;
      const over = sizes.filter((f) => f.size > cap).map((f) => f.name);
      expect(over.length).toBe(2);
      const r = await fetchReports(options({ to, maxFileBytes: cap }));
      expect(r.files.map((f) => f.name)).toEqual([sizes[0]!.name]);
      expect(r.warnings.filter((w) => w.includes('maxFileBytes'))).toEqual(
        over.sort().map((name) => `${name} is larger than maxFileBytes (${cap} bytes): not downloaded; raise maxFileBytes to fetch it`),
      );
      expect(readdirSync(to)).toEqual([sizes[0]!.name]);
    } finally {
      rmSync(to, { recursive: true, force: true });
    }
  });

  it('a transfer that stops getting data fails with AmsTimeoutError after idleTimeoutMs, keeps nothing, and does not hang', async () => {
    await largeTransfer('20181228', async (t) => {
      const fetching = fetchReports(options({ to: t.to, date: t.date, idleTimeoutMs: 400 }));
      // Once bytes arrive, the server's session processes are frozen: the transfer goes silent mid-file.
      await t.freezeOnceBytesArrive();
      const started = Date.now();
      const err = await rejectsWith(AmsTimeoutError, fetching);
      expect(err.message).toMatch(/stalled: no data for 400 ms \(idleTimeoutMs\)/);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(readdirSync(t.to)).toEqual([]);
    });
  }, 60_000);

  it('a file that grows past maxFileBytes during its transfer is stopped there, removed, and named in a warning', async () => {
    await largeTransfer('20181229', async (t) => {
      // Listed at 64 MiB, under the 80 MiB cap; it grows to 96 MiB while the server is frozen mid-transfer.
      const fetching = fetchReports(options({ to: t.to, date: t.date, maxFileBytes: 80 * 1024 * 1024 }));
      const frozen = await t.freezeOnceBytesArrive();
      appendFileSync(t.remoteFile, Buffer.alloc(32 * 1024 * 1024, 0x42));
      for (const pid of frozen) process.kill(pid, 'SIGCONT');
      const r = await fetching;
      expect(r.files).toEqual([]);
      expect(r.warnings).toEqual([
        `${t.name} is larger than maxFileBytes (${80 * 1024 * 1024} bytes): not downloaded; raise maxFileBytes to fetch it`,
      ]);
      expect(readdirSync(t.to)).toEqual([]);
    });
  }, 60_000);

  it('a connection lost mid-transfer is an AmsConnectionError (the server, not the local disk), and nothing is kept', async () => {
    await largeTransfer('20181230', async (t) => {
      const fetching = fetchReports(options({ to: t.to, date: t.date }));
      for (const pid of await t.freezeOnceBytesArrive()) process.kill(pid, 'SIGKILL');
      const err = await rejectsWith(AmsConnectionError, fetching);
      expect(err).not.toBeInstanceOf(AmsTimeoutError);
      expect(err.message).toMatch(new RegExp(`^SFTP download of .*${t.name.replace('.', '\\.')} failed: `));
      expect(readdirSync(t.to)).toEqual([]);
    });
  }, 60_000);

  it('onProgress is told of each file that is downloaded (not the ones skipped), with its end, in order', async () => {
    const to = mkdtempSync(join(tmpdir(), 'ams-fetch-progress-'));
    try {
      // A file's end is the call that counts it in filesDone.
      const ends = (calls: FetchProgress[]) =>
        calls.filter((p, i) => p.filesDone !== (calls[i - 1]?.filesDone ?? 0)).map((p) => [p.file, p.bytesDone, p.filesDone, p.filesTotal]);
      const first: FetchProgress[] = [];
      await fetchReports(options({ to, onProgress: (p) => void first.push(p) }));
      expect(ends(first)).toEqual([
        [`settlementItems_USD_${BATCH}_000.csv`, GEN_A_SD.length, 1, 3],
        [`settlementSummary_USD_${BATCH}_000.csv`, GEN_B_SS.length, 2, 3],
        ['transactionItems_20181226_000.csv', GEN_A_TD.length - '<END>\n'.length, 3, 3],
      ]);
      expect(first.every((p) => p.bytesDone <= p.bytesTotal && p.filesTotal === 3)).toBe(true);
      // The two whole files are skipped now: only the one without <END> is fetched again, and counted.
      const second: FetchProgress[] = [];
      await fetchReports(options({ to, onProgress: (p) => void second.push(p) }));
      expect(ends(second)).toEqual([['transactionItems_20181226_000.csv', GEN_A_TD.length - '<END>\n'.length, 1, 1]]);
    } finally {
      rmSync(to, { recursive: true, force: true });
    }
  });

  it('onProgress is told of a large file as its bytes arrive, at most every 100 ms, then of its end', async () => {
    await largeTransfer('20181231', async (t) => {
      const calls: Array<FetchProgress & { at: number }> = [];
      const r = await fetchReports(
        options({ to: t.to, date: t.date, onProgress: (p) => void calls.push({ ...p, at: performance.now() }) }),
      );
      const total = 64 * 1024 * 1024;
      expect(r.files.map((f) => [f.name, f.size])).toEqual([[t.name, total]]);
      expect(calls.every((c) => c.file === t.name && c.bytesTotal === total && c.filesTotal === 1)).toBe(true);
      const last = calls.at(-1)!;
      expect([last.bytesDone, last.filesDone]).toEqual([total, 1]);
      const during = calls.slice(0, -1);
      expect(during.length).toBeGreaterThan(0);
      expect(during.every((c) => c.filesDone === 0 && c.bytesDone > 0 && c.bytesDone < total)).toBe(true);
      for (let i = 1; i < calls.length; i++) expect(calls[i]!.bytesDone).toBeGreaterThanOrEqual(calls[i - 1]!.bytesDone);
      for (let i = 1; i < during.length; i++) expect(during[i]!.at - during[i - 1]!.at).toBeGreaterThanOrEqual(99);
    });
  }, 60_000);

  it('an onProgress that throws, or returns a rejected promise, never breaks the download: one warning says so', async () => {
    for (const onProgress of [
      () => {
        throw new Error('boom');
      },
      () => Promise.reject(new Error('boom')) as unknown as void,
    ]) {
      const to = mkdtempSync(join(tmpdir(), 'ams-fetch-progress-'));
      try {
        const r = await fetchReports(options({ to, onProgress }));
        expect(r.files.map((f) => f.status)).toEqual(['downloaded', 'downloaded', 'downloaded']);
        expect(readFileSync(join(to, `settlementItems_USD_${BATCH}_000.csv`), 'utf8')).toBe(GEN_A_SD);
        // Told once, though the callback failed at every file; a rejection is seen a moment later.
        await new Promise((resolve) => setTimeout(resolve, 10));
        expect(r.warnings.filter((w) => w.startsWith('onProgress'))).toEqual([
          'onProgress threw (boom): the download went on; fix the callback',
        ]);
      } finally {
        rmSync(to, { recursive: true, force: true });
      }
    }
  });

  it('a to that cannot be created, or a folder in the way of a finished file, is an AmsConfigError naming to', async () => {
    const base = mkdtempSync(join(tmpdir(), 'ams-fetch-to-'));
    try {
      writeFileSync(join(base, 'a-file'), 'x');
      const notFolder = await rejectsWith(AmsConfigError, fetchReports(options({ to: join(base, 'a-file', 'sub') })));
      expect(notFolder.field).toBe('to');
      expect(notFolder.message).toMatch(/cannot write .*a-file\/sub \(ENOTDIR\)/);

      const to = join(base, 'day');
      mkdirSync(join(to, `settlementSummary_USD_${BATCH}_000.csv`), { recursive: true });
      const inTheWay = await rejectsWith(AmsConfigError, fetchReports(options({ to, kind: 'settlementSummary' })));
      expect(inTheWay.field).toBe('to');
      expect(readdirSync(to)).toEqual([`settlementSummary_USD_${BATCH}_000.csv`]);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });

  it('a local file that cannot be written is an AmsConfigError naming to, not a crash, and what is in the way stays', async () => {
    const to = mkdtempSync(join(tmpdir(), 'ams-fetch-local-'));
    try {
      // A folder where the partial download would go: opening it for writing fails (EISDIR).
      const blocker = join(to, `settlementSummary_USD_${BATCH}_000.csv.part`);
      mkdirSync(blocker);
      const err = await rejectsWith(AmsConfigError, fetchReports(options({ to, kind: 'settlementSummary' })));
      expect(err.field).toBe('to');
      expect(err.message).toMatch(/cannot write .*\.part \(EISDIR\)/);
      expect(statSync(blocker).isDirectory()).toBe(true);
    } finally {
      rmSync(to, { recursive: true, force: true });
    }
  });
});

/** Every process below `pid` (sshd's session processes), read from /proc. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // the process ended while we looked
    }
  }
  const found: number[] = [];
  const walk = (p: number): void => {
    for (const [child, parent] of parents) {
      if (parent === p) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

/** Writes a file of `mib` MiB without holding it in memory. */
function writeLarge(path: string, mib: number): void {
  const chunk = Buffer.alloc(1024 * 1024, 0x41);
  const fd = openSync(path, 'w');
  try {
    for (let i = 0; i < mib; i++) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

/** Waits until the download's partial file has bytes, then SIGSTOPs sshd's session processes; returns their pids. */
async function freezeSessionOnceBytesArrive(part: string): Promise<number[]> {
  const deadline = Date.now() + 20_000;
  while (!(existsSync(part) && statSync(part).size > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
  const pids = descendants(server.pid);
  for (const pid of pids) process.kill(pid, 'SIGSTOP');
  expect(pids.length).toBeGreaterThan(0);
  return pids;
}

interface LargeTransfer {
  date: string;
  name: string;
  remoteFile: string;
  to: string;
  /** Waits until the download's partial file has bytes, then SIGSTOPs sshd's session processes; returns their pids. */
  freezeOnceBytesArrive(): Promise<number[]>;
}

/** A 64 MiB transaction report alone in its date folder on the server, a fresh local folder, and cleanup after. */
async function largeTransfer(date: string, run: (t: LargeTransfer) => Promise<void>): Promise<void> {
  const day = join(server.root, 'v1', 'settlements', CUSTOMER, date);
  mkdirSync(day, { recursive: true });
  const name = `transactionItems_${date}_000.csv`;
  const remoteFile = join(day, name);
  writeLarge(remoteFile, 64);
  const to = mkdtempSync(join(tmpdir(), 'ams-fetch-large-'));
  const frozen: number[] = [];
  try {
    await run({
      date,
      name,
      remoteFile,
      to,
      async freezeOnceBytesArrive() {
        const pids = await freezeSessionOnceBytesArrive(join(to, `${name}.part`));
        frozen.push(...pids);
        return pids;
      },
    });
  } finally {
    for (const pid of frozen) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // killed by the test, or already gone
      }
    }
    rmSync(to, { recursive: true, force: true });
    rmSync(day, { recursive: true, force: true });
  }
}

// Refused before any connection: no server is needed, and none is reached (port 1 would refuse it anyway).
describe('fetchReports options go through the one validator', () => {
  const offline = (extra: object) =>
    fetchReports({
      host: '127.0.0.1',
      port: 1,
      username: 'u',
      password: 'hunter2-secret',
      customerId: CUSTOMER,
      date: '2018-12-26',
      to: join(tmpdir(), 'ams-fetch-never-written'),
      hostKeySha256: `SHA256:${'A'.repeat(43)}`,
      ...extra,
    });

  it('a mistyped option is refused with a did-you-mean, an old or far one with the options there are', async () => {
    const typo = await rejectsWith(AmsConfigError, offline({ idleTimeoutMS: 1000 }));
    expect([typo.field, typo.message]).toEqual([
      'idleTimeoutMS',
      'Invalid fetchReports config: unknown option "idleTimeoutMS" (did you mean "idleTimeoutMs"?)',
    ]);
    const far = await rejectsWith(AmsConfigError, offline({ colour: 'blue' }));
    expect(far.message).toMatch(/unknown option "colour"; known options: host, port, username, .*\bhostKeySha256\b/);
  });

  it('a bad value names its field and the fix', async () => {
    const cases: Array<[extra: object, field: string, message: RegExp]> = [
      [{ host: '' }, 'host', /host: is required: the SFTP host/],
      [{ username: undefined }, 'username', /username: is required: your SFTP user name/],
      [{ customerId: '../x' }, 'customerId', /customerId: holds characters a folder name cannot/],
      [{ date: '26/12/2018' }, 'date', /date: must be YYYYMMDD or YYYY-MM-DD/],
      [{ port: 65_536 }, 'port', /port: must be a whole number from 1 to 65535/],
      [{ kind: 'settlement' }, 'kind', /kind: must be one of transactionItems, settlementItems, settlementSummary/],
      [{ readyTimeoutMs: 1.5 }, 'readyTimeoutMs', /readyTimeoutMs: must be a whole number of milliseconds/],
      [{ maxFileBytes: 0 }, 'maxFileBytes', /maxFileBytes: must be at least 1/],
      [{ onProgress: 'log' }, 'onProgress', /onProgress: must be a function/],
      [{ password: undefined }, 'password', /password: give a password or a privateKey/],
    ];
    for (const [extra, field, message] of cases) {
      const e = await rejectsWith(AmsConfigError, offline(extra));
      expect(e.field).toBe(field);
      expect(e.message).toMatch(message);
    }
  });

  it('never shows a password or key: under a mistyped name, or of the wrong type', async () => {
    const errors = [
      await rejectsWith(AmsConfigError, offline({ password: undefined, pasword: 'hunter2-secret' })),
      await rejectsWith(AmsConfigError, offline({ password: ['hunter2-secret'] })),
      await rejectsWith(
        AmsConfigError,
        offline({ password: undefined, privateKey: { pem: '-----BEGIN PRIVATE KEY-----\nhunter2-secret' } }),
      ),
      await rejectsWith(AmsConfigError, offline({ passphrase: 42, port: 0 })),
    ];
    expect(errors.map((e) => e.field)).toEqual(['pasword', 'password', 'privateKey', 'port']);
    for (const e of errors) expect(e.message).not.toContain('hunter2');
  });
});
