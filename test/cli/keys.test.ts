// `ams-cashier keys generate / inspect` and the top-level dispatcher through the built bin; no key material is printed.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPrivateKey, loadPublicKey } from '../../src/index';
import { describeKey } from '../../src/signing/index';
import { keyFile, keyPath, merchant } from '../helpers/keys';
import { useBuiltCli } from './helpers';
import { runCli } from '../../src/cli/run';
import type { CliIo } from '../../src/cli/io';

const cli = useBuiltCli();

const merchantFingerprint = () => describeKey(merchant.publicSpkiBase64).fingerprint;

describe('ams-cashier keys generate', () => {
  it('writes a PKCS#8 private key and a bare base64 public key, mode 0600, and refuses to overwrite', () => {
    const out = join(cli.tmp(), 'new-keys');
    const r = cli.run(['keys', 'generate', '--out', out, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { files: { path: string; kind: string }[]; fingerprint: string; bits: number };
    expect(result.bits).toBe(2048);
    const priv = readFileSync(join(out, 'app_private_key.pem'), 'utf8');
    const pub = readFileSync(join(out, 'app_public_key.txt'), 'utf8');
    expect(priv).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(pub.trim()).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(describeKey(priv)).toMatchObject({ type: 'private', format: 'pkcs8-private', bits: 2048 });
    expect(describeKey(pub)).toMatchObject({ type: 'public', format: 'spki-public', encoding: 'base64' });
    expect(describeKey(loadPublicKey(pub)).fingerprint).toBe(describeKey(loadPrivateKey(priv)).fingerprint);
    expect(result.fingerprint).toBe(describeKey(pub).fingerprint);
    if (process.platform !== 'win32') {
      expect(statSync(join(out, 'app_private_key.pem')).mode & 0o777).toBe(0o600);
      expect(statSync(join(out, 'app_public_key.txt')).mode & 0o777).toBe(0o600);
    }
    expect(r.stdout).not.toContain(pub.trim().slice(40, 80));
    expect(r.stdout).not.toContain(priv.split('\n')[1]!.slice(0, 40));

    const again = cli.run(['keys', 'generate', '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/refusing to overwrite/);
    expect(readFileSync(join(out, 'app_private_key.pem'), 'utf8')).toBe(priv);
  });

  it('text output says what to upload; missing --out is exit 2', () => {
    const r = cli.run(['keys', 'generate', '--out', join(cli.tmp(), 'k')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/app_public_key\.txt +public, SPKI, bare base64 \(to upload\), mode 0600/);
    expect(cli.run(['keys', 'generate']).code).toBe(2);
  });
});

describe('ams-cashier keys inspect', () => {
  it.each([
    ['merchant_private_pkcs1.pem', /type: +private key[\s\S]*format: +PKCS#1 private key[\s\S]*encoding: +PEM/],
    ['merchant_private_pkcs8.base64.txt', /format: +PKCS#8 private key[\s\S]*encoding: +bare base64/],
    ['merchant_private_pkcs8.der', /encoding: +DER/],
    ['merchant_public_spki.base64.txt', /type: +public key[\s\S]*SPKI public key/],
    ['merchant_cert.pem', /X\.509 certificate/],
  ])('%s: exit 0, the same fingerprint for both halves, no material', (name, shape) => {
    const r = cli.run(['keys', 'inspect', keyPath(name)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(shape);
    expect(r.stdout).toContain(`SHA256:${merchantFingerprint()}`);
    expect(r.stdout).toMatch(/usable for AMS: yes/);
    expect(r.stdout).not.toMatch(/BEGIN|MII/);
  });

  it('reads stdin with -, and --json gives the facts', () => {
    const r = cli.run(['keys', 'inspect', '-', '--json'], { stdin: keyFile('alipay_public.base64.txt') });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ file: '-', usable: true, type: 'public', algorithm: 'RSA', bits: 2048 });
  });

  it('a weak or EC key is exit 1 with the reason; not a key or a missing file is exit 2', () => {
    const weak = cli.run(['keys', 'inspect', keyPath('weak_1024_private.pem')]);
    expect(weak.code).toBe(1);
    expect(weak.stdout).toMatch(/RSA 1024 bits[\s\S]*usable for AMS: NO — .*1024 bits; AMS needs 2048/);
    const ec = cli.run(['keys', 'inspect', keyPath('ec_private_pkcs8.pem')]);
    expect(ec.code).toBe(1);
    expect(ec.stdout).toMatch(/usable for AMS: NO/);
    const dir = cli.tmp();
    writeFileSync(join(dir, 'notes.txt'), 'hello, this is not a key\n');
    const notKey = cli.run(['keys', 'inspect', join(dir, 'notes.txt')]);
    expect(notKey.code).toBe(2);
    expect(notKey.stdout).toMatch(/not a key/);
    expect(cli.run(['keys', 'inspect', join(dir, 'missing.pem')]).code).toBe(2);
    expect(cli.run(['keys', 'inspect']).code).toBe(2);
    expect(cli.run(['keys', 'rotate']).code).toBe(2);
  });

  it('--help shows examples', () => {
    const r = cli.run(['keys', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Examples:\n {2}ams-cashier keys generate --out/);
    expect(cli.run(['keys', 'inspect', '--help']).stdout).toMatch(/keys inspect/);
  });

  it('no subcommand is exit 2 with the usage on stderr and nothing on stdout', () => {
    const r = cli.run(['keys']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/ams-cashier keys generate --out/);
  });
});

describe('ams-cashier (dispatcher)', () => {
  it('no command is exit 2 with usage on stderr; --help is exit 0; an unknown command is exit 2', () => {
    const none = cli.run([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/Usage: ams-cashier <command>/);
    const help = cli.run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/check <config\.json\|yaml>/);
    expect(cli.run(['help', 'verify']).stdout).toMatch(/Usage: ams-cashier verify/);
    expect(cli.run(['frobnicate']).code).toBe(2);
  });

  it('a bug inside a command is exit 70, named without a stack trace or the input, apart from exit 2', async () => {
    const errors: string[] = [];
    const io: CliIo = {
      // The command itself works; writing its result "breaks": the stand-in for a bug in ams-cashier.
      out: () => {
        throw new TypeError('Cannot read properties of undefined (reading secret-input)');
      },
      err: (t) => errors.push(t),
      readStdin: async () => Buffer.alloc(0),
      cwd: cli.tmp(),
      clock: { now: () => new Date() },
    };
    const code = await runCli(['keys', 'generate', '--out', join(cli.tmp(), 'bug-keys')], io);
    expect(code).toBe(70);
    expect(errors.join('\n')).toBe(
      'ams-cashier keys: unexpected error (TypeError); please report it with the command you ran (without keys)',
    );
  });

  it('the built bin starts with a node shebang', () => {
    expect(readFileSync(cli.bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });
});
