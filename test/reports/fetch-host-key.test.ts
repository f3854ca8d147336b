// fetchReports connects only to the server it was pinned to: a real OpenSSH sshd, and an impostor (the ssh2 package's own
// server with a key of its own) that records whether any password reached it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AmsConfigError, AmsConnectionError } from '../../src/errors';
import { fetchReports, type FetchReportsOptions } from '../../src/reports';
import { rejectsWith } from '../helpers/expect';
import { startFakeSftpServer, type FakeSftpServer } from './fake-sftp-server';
import { GEN_B_SS, BATCH } from './samples';
import { startSshServer, type SshServer } from './sshd';
import { requireService } from '../helpers/services';

const CUSTOMER = '1022188000000000001';
const REPORT = `settlementSummary_USD_${BATCH}_000.csv`;
let sshd: SshServer;
let impostor: FakeSftpServer;
let dir: string;

const HAVE_SSHD = requireService('sshd', 'the SFTP tests');

beforeAll(async () => {
  if (!HAVE_SSHD) return;
  [sshd, impostor] = await Promise.all([startSshServer({ hostKeyTypes: ['ed25519', 'rsa'] }), startFakeSftpServer()]);
  const day = join(sshd.root, 'v1', 'settlements', CUSTOMER, '20181226');
  mkdirSync(day, { recursive: true });
  writeFileSync(join(day, REPORT), GEN_B_SS);
  dir = mkdtempSync(join(tmpdir(), 'ams-hostkey-'));
}, 60_000);
afterAll(async () => {
  if (!HAVE_SSHD) return;
  await Promise.all([sshd?.stop(), impostor?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Options for the real sshd, with no pin: each test adds its own. */
function real(extra: Partial<FetchReportsOptions>): FetchReportsOptions {
  return {
    host: '127.0.0.1',
    port: sshd.port,
    username: sshd.username,
    privateKey: sshd.privateKey,
    customerId: CUSTOMER,
    date: '20181226',
    to: mkdtempSync(join(dir, 'to-')),
    remoteRoot: join(sshd.root, 'v1', 'settlements'),
    ...extra,
  };
}

/** The same login by password, sent to the impostor's port: what an attacker on the path would see. */
function toImpostor(extra: Partial<FetchReportsOptions>): FetchReportsOptions {
  return { ...real(extra), port: impostor.port, privateKey: undefined, password: 'hunter2-secret' };
}

let files = 0;
function knownHosts(text: string): string {
  const path = join(dir, `known_hosts_${files++}`);
  writeFileSync(path, text);
  return path;
}

const [ed25519, rsa] = [0, 1];

describe.skipIf(!HAVE_SSHD)('fetchReports: the host key is pinned', () => {
  it('without hostKeySha256 or knownHosts it refuses before opening any connection, and says how to get the fingerprint', async () => {
    const before = impostor.connections();
    const err = await rejectsWith(AmsConfigError, fetchReports(toImpostor({})));
    expect(err.field).toBe('hostKeySha256');
    expect(err.message).toContain('hostKeySha256');
    expect(err.message).toContain('knownHosts');
    expect(err.message).toContain(`ssh-keyscan -p ${impostor.port} 127.0.0.1 | ssh-keygen -lf -`);
    expect(err.message).not.toContain('hunter2');
    expect(impostor.connections()).toBe(before);
    expect(impostor.authAttempts).toEqual([]);
  });

  it('an impostor with its own key is refused before the login: it never sees the password', async () => {
    const byFingerprint = await rejectsWith(AmsConnectionError, fetchReports(toImpostor({ hostKeySha256: sshd.hostKeySha256 })));
    expect(byFingerprint.message).toBe(
      `SFTP 127.0.0.1:${impostor.port} as ${sshd.username}: the host key is not the pinned one: the server offered ` +
        `ssh-ed25519 ${impostor.hostKeySha256}, expected ${sshd.hostKeySha256} (hostKeySha256). The login was not sent. ` +
        "If the server's key really changed, check the new fingerprint with Antom before pinning it",
    );
    // The real server's keys, listed for the address the impostor now answers on.
    const file = knownHosts(sshd.hostKeys.map((k) => `[127.0.0.1]:${impostor.port} ${k.publicKey}\n`).join(''));
    const byFile = await rejectsWith(AmsConnectionError, fetchReports(toImpostor({ knownHosts: file })));
    expect(byFile.message).toContain(
      `the server offered ssh-ed25519 ${impostor.hostKeySha256}, expected ssh-ed25519 ${sshd.hostKeySha256}`,
    );
    expect(byFile.message).toContain(`${file} line 1`);
    expect(impostor.connections()).toBeGreaterThanOrEqual(2);
    expect(impostor.authAttempts).toEqual([]);
  });

  it("the impostor does record a password when the key is not checked (hostKey 'accept-any'): the check above is what stops it", async () => {
    const logger = { warn: vi.fn() };
    await rejectsWith(AmsConnectionError, fetchReports(toImpostor({ hostKey: 'accept-any', logger })));
    expect(impostor.authAttempts).toContainEqual({ method: 'password', username: sshd.username, password: 'hunter2-secret' });
    impostor.authAttempts.length = 0;
  });

  it('the right fingerprint connects to the real server', async () => {
    const r = await fetchReports(real({ hostKeySha256: sshd.hostKeySha256 }));
    expect(r.files.map((f) => [f.name, f.status, f.complete])).toEqual([[REPORT, 'downloaded', true]]);
    expect(readFileSync(r.files[0]!.path, 'utf8')).toBe(GEN_B_SS);
  });

  it('a known_hosts file listing the right key connects; one listing another key refuses, naming both', async () => {
    const right = knownHosts(`# ssh-keyscan output\n\n${sshd.knownHostsName} ${sshd.hostKeys[ed25519]!.publicKey} comment\n`);
    expect((await fetchReports(real({ knownHosts: right }))).files).toHaveLength(1);

    const other = impostor.publicKey;
    const wrong = knownHosts(`${sshd.knownHostsName} ${other}\n`);
    const err = await rejectsWith(AmsConnectionError, fetchReports(real({ knownHosts: wrong })));
    expect(err.message).toContain(
      `the server offered ssh-ed25519 ${sshd.hostKeySha256}, expected ssh-ed25519 ${impostor.hostKeySha256} (${wrong} line 1)`,
    );
  });

  it('a hashed entry (ssh-keygen -H) connects, and the hashed file names no host in clear', async () => {
    const file = knownHosts(`${sshd.knownHostsName} ${sshd.hostKeys[ed25519]!.publicKey}\n`);
    const hashed = spawnSync('ssh-keygen', ['-H', '-f', file], { encoding: 'utf8' });
    expect(hashed.status).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^\|1\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+ ssh-ed25519 /);
    expect(text).not.toContain('127.0.0.1');
    expect((await fetchReports(real({ knownHosts: file }))).files).toHaveLength(1);
  });

  it('with several keys for the host any one is accepted, and the server is asked for a key of a listed type', async () => {
    // Only the RSA key listed: by default the server would offer its ed25519 key, which the file does not list.
    const onlyRsa = knownHosts(`${sshd.knownHostsName} ${sshd.hostKeys[rsa]!.publicKey}\n`);
    expect((await fetchReports(real({ knownHosts: onlyRsa }))).files).toHaveLength(1);
    // Two ed25519 keys for the host (a key rolled over, say): the one the server offers is accepted wherever it is listed.
    const several = knownHosts(
      [impostor.publicKey, sshd.hostKeys[rsa]!.publicKey, sshd.hostKeys[ed25519]!.publicKey]
        .map((k) => `${sshd.knownHostsName} ${k}\n`)
        .join(''),
    );
    expect((await fetchReports(real({ knownHosts: several }))).files).toHaveLength(1);
  });

  it('a key marked @revoked is refused even where the file also lists it', async () => {
    const key = sshd.hostKeys[ed25519]!.publicKey;
    const file = knownHosts(`${sshd.knownHostsName} ${key}\n@revoked * ${key}\n`);
    const err = await rejectsWith(AmsConnectionError, fetchReports(real({ knownHosts: file })));
    expect(err.message).toContain(`the host key ssh-ed25519 ${sshd.hostKeySha256} is marked @revoked (${file} line 2)`);
  });

  it('a known_hosts file with no key for this host and port, or that cannot be read, is an AmsConfigError before connecting', async () => {
    const before = impostor.connections();
    const elsewhere = knownHosts(`127.0.0.1 ${impostor.publicKey}\n[127.0.0.1]:1 ${impostor.publicKey}\n`);
    const none = await rejectsWith(AmsConfigError, fetchReports(toImpostor({ knownHosts: elsewhere })));
    expect(none.field).toBe('knownHosts');
    expect(none.message).toContain(`lists no host key for [127.0.0.1]:${impostor.port}`);
    expect(none.message).toContain(`ssh-keyscan -p ${impostor.port} 127.0.0.1 | ssh-keygen -lf -`);
    const missing = await rejectsWith(AmsConfigError, fetchReports(toImpostor({ knownHosts: join(dir, 'no-such-file') })));
    expect(missing.field).toBe('knownHosts');
    expect(missing.message).toMatch(/cannot read knownHosts .*no-such-file \(ENOENT\)/);
    expect(impostor.connections()).toBe(before);
  });

  it('a malformed fingerprint, or accept-any together with a pin, is an AmsConfigError', async () => {
    for (const bad of ['7u/hvlQJXGG9hW5b6diV', 'SHA256:short', 'MD5:aa:bb', '']) {
      const err = await rejectsWith(AmsConfigError, fetchReports(real({ hostKeySha256: bad })));
      expect(err.field).toBe('hostKeySha256');
    }
    const both = await rejectsWith(AmsConfigError, fetchReports(real({ hostKeySha256: sshd.hostKeySha256, hostKey: 'accept-any' })));
    expect(both.field).toBe('hostKey');
  });

  it("hostKey 'accept-any' connects without a check and says so on every call, through the logger or console.warn", async () => {
    const logger = { warn: vi.fn() };
    for (let i = 0; i < 2; i++) {
      const r = await fetchReports(real({ hostKey: 'accept-any', logger }));
      expect(r.files).toHaveLength(1);
      expect(r.warnings[0]).toMatch(/^fetchReports: hostKey 'accept-any': the SFTP server's host key is not checked.*tests only/);
    }
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn.mock.calls[0]![0]).toMatch(/impostor/);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await fetchReports(real({ hostKey: 'accept-any' }));
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/hostKey 'accept-any'/);
    } finally {
      warn.mockRestore();
    }
  });
});
