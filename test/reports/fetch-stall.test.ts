// A server that stops answering at any SFTP request (INIT answered, then silence) fails fetchReports within
// idleTimeoutMs with AmsTimeoutError, and leaves nothing open: the process that called it exits by itself.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmsTimeoutError } from '../../src/errors';
import { fetchReports, type FetchReportsOptions } from '../../src/reports';
import { rejectsWith } from '../helpers/expect';
import { startFakeSftpServer, type FakeSftpServer, type SilentAt } from './fake-sftp-server';
import { GEN_B_SS, BATCH } from './samples';

const CUSTOMER = '1022188000000000001';
const DAY = `/v1/settlements/${CUSTOMER}/20181226`;
const IDLE_MS = 500;
let dir: string;
const servers: FakeSftpServer[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ams-stall-'));
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A server going silent at `silentAt`; its day folder holds one report unless `empty`. */
async function silentServer(silentAt: SilentAt, { empty = false } = {}): Promise<FakeSftpServer> {
  const files: Record<string, string> = empty
    ? { [`${DAY}/readme.txt`]: 'not a report' }
    : { [`${DAY}/settlementSummary_USD_${BATCH}_000.csv`]: GEN_B_SS };
  const server = await startFakeSftpServer({ acceptLogin: true, files, silentAt });
  servers.push(server);
  return server;
}

function options(server: FakeSftpServer): FetchReportsOptions {
  return {
    host: '127.0.0.1',
    port: server.port,
    username: 'merchant',
    password: 'secret',
    hostKeySha256: server.hostKeySha256,
    customerId: CUSTOMER,
    date: '20181226',
    to: mkdtempSync(join(dir, 'to-')),
    idleTimeoutMs: IDLE_MS,
  };
}

interface ChildOutcome {
  outcome: { ok: boolean; name?: string; message?: string; warnings?: string[]; ms: number };
  /** From the outcome line to the process's exit. */
  exitAfterMs: number;
  code: number | null;
}

/** fetchReports in a Node process of its own, which must exit by itself once the call has settled. */
function inChildProcess(opts: FetchReportsOptions): Promise<ChildOutcome> {
  const script = fileURLToPath(new URL('./fetch-child.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(opts)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let settledAt = 0;
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString('utf8');
    if (!settledAt && out.includes('\n')) settledAt = Date.now();
  });
  child.stderr.on('data', (c: Buffer) => void (err += c.toString('utf8')));
  // Longer than ssh2's keepalive (10 s): a socket or timer left behind would hold the process past this.
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(killer);
      if (!settledAt) return reject(new Error(`the child printed nothing (exit ${code}): ${err.slice(-2000)}`));
      resolve({ outcome: JSON.parse(out.split('\n')[0]!), exitAfterMs: Date.now() - settledAt, code });
    });
  });
}

describe('fetchReports bounds every SFTP request by idleTimeoutMs', () => {
  it('INIT answered, then no answer to the next request (the folder look-up): AmsTimeoutError within a couple of seconds', async () => {
    const server = await silentServer('LSTAT');
    const started = Date.now();
    const err = await rejectsWith(AmsTimeoutError, fetchReports(options(server)));
    expect(Date.now() - started).toBeLessThan(IDLE_MS + 1500);
    expect(err.message).toBe(
      `SFTP 127.0.0.1:${server.port} as merchant: looking for ${DAY} got no answer for ${IDLE_MS} ms (idleTimeoutMs): the server stopped answering; cut off`,
    );
    expect(server.requests).toEqual(['INIT', 'LSTAT']);
  });

  for (const [silentAt, what] of [
    ['INIT', /the SFTP subsystem got no answer for 500 ms/],
    ['OPENDIR', /listing .*20181226 got no answer for 500 ms/],
    ['READDIR', /listing .*20181226 got no answer for 500 ms/],
    ['OPEN', /download of .*settlementSummary.* stalled: no data for 500 ms \(idleTimeoutMs\); nothing was kept/],
    ['READ', /download of .*settlementSummary.* stalled: no data for 500 ms \(idleTimeoutMs\); nothing was kept/],
  ] as const) {
    it(`no answer to ${silentAt}: AmsTimeoutError within a couple of seconds, and no partial file`, async () => {
      const server = await silentServer(silentAt);
      const opts = options(server);
      const started = Date.now();
      const err = await rejectsWith(AmsTimeoutError, fetchReports(opts));
      expect(Date.now() - started).toBeLessThan(IDLE_MS + 1500);
      expect(err.message).toMatch(what);
      expect(server.requests.at(-1)).toBe(silentAt);
      expect(readdirSync(opts.to)).toEqual([]);
    });
  }

  it('the process exits by itself after the timeout: the connection, its keepalive and every timer are gone', async () => {
    for (const silentAt of ['INIT', 'LSTAT', 'READ'] as const) {
      const { outcome, exitAfterMs, code } = await inChildProcess(options(await silentServer(silentAt)));
      expect(outcome).toMatchObject({ ok: false, name: 'AmsTimeoutError' });
      expect(outcome.ms).toBeLessThan(IDLE_MS + 1500);
      expect(code).toBe(0);
      expect(exitAfterMs).toBeLessThan(2000);
    }
  }, 60_000);

  it('a server that never closes the session: the result stands, with a warning, and the process exits by itself', async () => {
    const server = await silentServer('end', { empty: true });
    const started = Date.now();
    const r = await fetchReports(options(server));
    expect(Date.now() - started).toBeLessThan(IDLE_MS + 1500);
    expect(r.files).toEqual([]);
    expect(r.warnings).toEqual([
      `the SFTP server did not close the session within ${IDLE_MS} ms (idleTimeoutMs): it was cut off (the files downloaded before are not affected)`,
    ]);
    const child = await inChildProcess(options(await silentServer('end', { empty: true })));
    expect(child.outcome).toMatchObject({ ok: true, warnings: r.warnings });
    expect(child.code).toBe(0);
    expect(child.exitAfterMs).toBeLessThan(2000);
  }, 30_000);
});
