// fetchReports against a real OpenSSH sshd on loopback: downloads a day's reports, checks <END>, skips whole files.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmsConfigError, AmsConnectionError } from '../../src/errors';
import { fetchReports, parseReports, reconcile } from '../../src/reports';
import { BATCH, GEN_A_SD, GEN_A_TD, GEN_B_SS, sampleLedger } from './samples';
import { rejectsWith } from '../helpers/expect';
import { startSshServer, type SshServer } from './sshd';

let server: SshServer;
let local: string;
const CUSTOMER = '1022188000000000001';

beforeAll(async () => {
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

describe('fetchReports over SFTP', () => {
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
      `SFTP 127.0.0.1:${server.port} as ${server.username}: the host key is not SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`,
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
  });
});
