// The known_hosts reader: plain, bracketed and hashed host names, patterns, markers, and the lines it will not read.
import { spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { utils } from 'ssh2';
import { afterAll, describe, expect, it } from 'vitest';
import { AmsConfigError } from '../../src/errors';
import { hostKeyPolicy } from '../../src/reports/host-key';
import { knownKeysFor, parseKnownHosts, sha256Fingerprint, sshKeyType } from '../../src/reports/known-hosts';
import { thrown } from '../helpers/expect';
import { fingerprintOf } from './sshd';
import { requireService } from '../helpers/services';

/** `ssh-ed25519 AAAA…` (or rsa): a fresh public key as a known_hosts line holds it, and its wire bytes. */
function publicKey(type: 'ed25519' | 'rsa' = 'ed25519'): { line: string; blob: Buffer } {
  const pair = type === 'rsa' ? utils.generateKeyPairSync('rsa', { bits: 2048 }) : utils.generateKeyPairSync('ed25519');
  const line = pair.public.trim();
  return { line, blob: Buffer.from(line.split(' ')[1]!, 'base64') };
}

const A = publicKey();
const B = publicKey();
const R = publicKey('rsa');
const dir = mkdtempSync(join(tmpdir(), 'ams-known-hosts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The keys of `text` trusted for host:port, as the lines they came from. */
function trusted(text: string, host: string, port: number): number[] {
  return knownKeysFor(parseKnownHosts(text), host, port).trusted.map((k) => k.line);
}

/** A hashed host field as ssh-keygen -H writes it. */
function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('parseKnownHosts and knownKeysFor', () => {
  it('reads plain lines: a host on port 22 by its name, on another port as [host]:port, several names per line', () => {
    const text = [
      `sftp.alipay.com,isftp.alipay.com ${A.line} first`,
      `[isftp.alipay.com]:2222 ${B.line}`,
      `[isftp.alipay.com]:22 ${R.line}`,
    ].join('\n');
    expect(trusted(text, 'isftp.alipay.com', 22)).toEqual([1, 3]);
    expect(trusted(text, 'ISFTP.Alipay.com', 22)).toEqual([1, 3]);
    expect(trusted(text, 'isftp.alipay.com', 2222)).toEqual([2]);
    expect(trusted(text, 'isftp.alipay.com', 2223)).toEqual([]);
    expect(trusted(text, 'alipay.com', 22)).toEqual([]);
    const keys = knownKeysFor(parseKnownHosts(text), 'isftp.alipay.com', 2222);
    expect(keys.lookupName).toBe('[isftp.alipay.com]:2222');
    expect(keys.trusted[0]).toEqual({ keyType: 'ssh-ed25519', key: B.blob, line: 2 });
  });

  it.skipIf(!requireService('sshd', 'the ssh-keygen cross-checks'))(
    'reads hashed names, made here and by ssh-keygen -H, for port 22 and for [host]:port',
    () => {
      const text = `${hashed('isftp.alipay.com')} ${A.line}\n${hashed('[isftp.alipay.com]:2222')} ${B.line}\n`;
      expect(trusted(text, 'isftp.alipay.com', 22)).toEqual([1]);
      expect(trusted(text, 'isftp.alipay.com', 2222)).toEqual([2]);
      expect(trusted(text, 'sftp.alipay.com', 22)).toEqual([]);

      const file = join(dir, 'hashed');
      writeFileSync(file, `isftp.alipay.com ${A.line}\n[10.0.0.7]:2222 ${B.line}\n`);
      expect(spawnSync('ssh-keygen', ['-H', '-f', file]).status).toBe(0);
      const byOpenSsh = readFileSync(file, 'utf8');
      expect(byOpenSsh).not.toMatch(/alipay|10\.0\.0\.7/);
      expect(trusted(byOpenSsh, 'isftp.alipay.com', 22)).toEqual([1]);
      expect(trusted(byOpenSsh, '10.0.0.7', 2222)).toEqual([2]);
      expect(trusted(byOpenSsh, '10.0.0.7', 22)).toEqual([]);
    },
  );

  it('reads patterns: * and ?, and a matching !pattern rules its line out', () => {
    const text = [`*.alipay.com ${A.line}`, `!evil.alipay.com,*.alipay.com ${B.line}`, `sftp?.example ${R.line}`].join('\n');
    expect(trusted(text, 'isftp.alipay.com', 22)).toEqual([1, 2]);
    expect(trusted(text, 'evil.alipay.com', 22)).toEqual([1]);
    expect(trusted(text, 'sftp1.example', 22)).toEqual([3]);
    expect(trusted(text, 'sftp12.example', 22)).toEqual([]);
    // A dot in a pattern is a dot, not any character.
    expect(trusted(`isftp.alipay.com ${A.line}`, 'isftpXalipay.com', 22)).toEqual([]);
  });

  it('skips comments, blank lines, CRLF endings and leading spaces without a note', () => {
    const text = `# comment\r\n\r\n   \r\n  isftp.alipay.com ${A.line}  # trailing comment\r\n`;
    const file = parseKnownHosts(text);
    expect(file.notes).toEqual([]);
    expect(file.entries.map((e) => [e.line, e.keyType])).toEqual([[4, 'ssh-ed25519']]);
  });

  it('a @revoked key is refused for every host; a @cert-authority line trusts nothing and says why', () => {
    const text = [
      `isftp.alipay.com ${A.line}`,
      `@revoked other.example ${A.line}`,
      `@cert-authority *.alipay.com ${B.line}`,
      `isftp.alipay.com ${R.line}`,
    ].join('\n');
    const keys = knownKeysFor(parseKnownHosts(text), 'isftp.alipay.com', 22);
    expect(keys.trusted.map((k) => k.line)).toEqual([1, 4]);
    expect(keys.revoked.map((k) => [k.line, k.key.equals(A.blob)])).toEqual([[2, true]]);
    expect(keys.notes).toEqual(["line 3: a @cert-authority key, not used (host certificates are not checked); list the host's own key"]);
  });

  it('names every line it cannot read, and reads the rest', () => {
    const [type, base64] = A.line.split(' ');
    const text = [
      `@trusted isftp.alipay.com ${A.line}`,
      'isftp.alipay.com ssh-ed25519',
      'isftp.alipay.com 2048 65537 1234567',
      `isftp.alipay.com ${type} not*base64`,
      `isftp.alipay.com ssh-rsa ${base64}`,
      `isftp.alipay.com ${type} ${Buffer.from('nonsense').toString('base64')}`,
      `isftp.alipay.com ${B.line}`,
    ].join('\n');
    const file = parseKnownHosts(text);
    expect(file.notes).toEqual([
      'line 1: unknown marker @trusted, line ignored',
      'line 2: not "hosts key-type key", line ignored',
      'line 3: an SSH protocol 1 key, line ignored',
      'line 4: the key is not base64 of an SSH public key, line ignored',
      'line 5: the line says ssh-rsa but the key is ssh-ed25519, line ignored',
      'line 6: the key is not base64 of an SSH public key, line ignored',
    ]);
    expect(file.entries.map((e) => e.line)).toEqual([7]);
  });

  it('sshKeyType reads the type inside a key; sha256Fingerprint is what ssh-keygen -l prints', () => {
    expect(sshKeyType(A.blob)).toBe('ssh-ed25519');
    expect(sshKeyType(R.blob)).toBe('ssh-rsa');
    expect(sshKeyType(Buffer.from([0, 0, 0, 200, 65]))).toBeUndefined();
    expect(sshKeyType(Buffer.alloc(2))).toBeUndefined();
    expect(sha256Fingerprint(R.blob)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    if (!requireService('sshd', 'the ssh-keygen cross-checks')) return;
    const file = join(dir, 'key.pub');
    writeFileSync(file, `${R.line}\n`);
    expect(sha256Fingerprint(R.blob)).toBe(fingerprintOf(file));
  });
});

describe('known-hosts.ts is pure', () => {
  it('imports nothing but node:crypto, and touches no file, clock or process: the caller reads the file', () => {
    const source = readFileSync(new URL('../../src/reports/known-hosts.ts', import.meta.url), 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '');
    expect([...source.matchAll(/from '([^']+)'/g)].map((m) => m[1])).toEqual(['node:crypto']);
    expect(source).not.toMatch(/\b(process|Date|performance|setTimeout|console|require)\b/);
  });
});

describe('hostKeyPolicy', () => {
  function file(text: string): string {
    const path = join(dir, `kh-${Math.random().toString(36).slice(2)}`);
    writeFileSync(path, text);
    return path;
  }

  it('asks the server for the key types the file lists for the host, in ssh2 order; a fingerprint pin asks for any', () => {
    const onlyRsa = hostKeyPolicy({ host: 'h.example', port: 2222, knownHosts: file(`[h.example]:2222 ${R.line}\n`) });
    expect(onlyRsa.algorithms).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    const both = hostKeyPolicy({ host: 'h.example', port: 22, knownHosts: file(`h.example ${R.line}\nh.example ${A.line}\n`) });
    expect(both.algorithms).toEqual(['ssh-ed25519', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    expect(hostKeyPolicy({ host: 'h.example', port: 22, hostKeySha256: sha256Fingerprint(A.blob) }).algorithms).toBeUndefined();
  });

  it('accepts any of several fingerprints, with or without the base64 padding, and refuses others naming both', () => {
    const policy = hostKeyPolicy({
      host: 'h.example',
      port: 22,
      hostKeySha256: [sha256Fingerprint(B.blob), `${sha256Fingerprint(A.blob)}=`],
    });
    expect(policy.refuse(A.blob)).toBeUndefined();
    expect(policy.refuse(B.blob)).toBeUndefined();
    expect(policy.refuse(R.blob)).toBe(
      `the host key is not the pinned one: the server offered ssh-rsa ${sha256Fingerprint(R.blob)}, expected ` +
        `${sha256Fingerprint(B.blob)} (hostKeySha256) or ${sha256Fingerprint(A.blob)} (hostKeySha256)`,
    );
  });

  it('a file with only cert-authority lines for the host is an AmsConfigError that says why', () => {
    const err = thrown(AmsConfigError, () =>
      hostKeyPolicy({ host: 'h.example', port: 22, knownHosts: file(`@cert-authority h.example ${A.line}\n`) }),
    );
    expect(err.field).toBe('knownHosts');
    expect(err.message).toContain('lists no host key for h.example; line 1: a @cert-authority key, not used');
    expect(err.message).toContain('ssh-keyscan -p 22 h.example | ssh-keygen -lf -');
  });

  it('hostKey takes only accept-any', () => {
    const err = thrown(AmsConfigError, () => hostKeyPolicy({ host: 'h', port: 22, hostKey: 'trust-me' as 'accept-any' }));
    expect(err.field).toBe('hostKey');
  });
});
