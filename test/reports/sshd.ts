// Test helper: a real OpenSSH sshd on a free loopback port, with a throwaway host key and user key, SFTP only.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../redis/redis-server';

const SSHD = '/usr/sbin/sshd';

export interface SshServer {
  port: number;
  username: string;
  /** The user's private key (OpenSSH format). */
  privateKey: string;
  /** The host key fingerprint as OpenSSH prints it (SHA256:…). */
  hostKeySha256: string;
  /** A directory standing for the server's /: remote paths are `${root}/v1/settlements/…` (no chroot). */
  root: string;
  /** The listening sshd; each session runs in processes below it. */
  pid: number;
  stop(): Promise<void>;
}

function keygen(path: string): void {
  const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'ams-cashier-test', '-f', path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.error?.message ?? r.stderr}`);
}

/** Reads the SSH banner: the server is accepting connections. */
function banner(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 1000);
    socket.on('data', (chunk) => done(chunk.toString('latin1').startsWith('SSH-2.0-')));
    socket.on('error', () => done(false));
  });
}

/** Starts sshd in the foreground (-D -e) with its own config; only the current user, only by the throwaway key. */
export async function startSshServer(): Promise<SshServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ams-sshd-'));
  keygen(join(dir, 'host_key'));
  keygen(join(dir, 'user_key'));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'user_key.pub')), { mode: 0o600 });
  const fp = spawnSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, 'host_key.pub')], { encoding: 'utf8' });
  const hostKeySha256 = /SHA256:[A-Za-z0-9+/]+/.exec(fp.stdout)?.[0];
  if (!hostKeySha256) throw new Error(`no host key fingerprint: ${fp.stderr}`);
  const root = join(dir, 'root');
  mkdirSync(root);
  // sshd refuses to start without its privilege-separation directory.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const username = userInfo().username;
  let lastError = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const config = [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      `AllowUsers ${username}`,
      'StrictModes no',
      'UsePAM no',
      'Subsystem sftp internal-sftp',
    ].join('\n');
    writeFileSync(join(dir, 'sshd_config'), `${config}\n`);
    const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stderr?.on('data', (c: Buffer) => void (output = (output + c.toString('utf8')).slice(-4000)));
    let exited = false;
    child.once('exit', () => void (exited = true));
    child.once('error', (err) => {
      exited = true;
      output += err.message;
    });
    const deadline = Date.now() + 10_000;
    while (!exited && Date.now() < deadline && !(await banner(port))) await new Promise((r) => setTimeout(r, 50));
    if (!exited && (await banner(port))) {
      return {
        port,
        username,
        privateKey: readFileSync(join(dir, 'user_key'), 'utf8'),
        hostKeySha256,
        root,
        pid: child.pid!,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) {
            const gone = new Promise<void>((r) => child.once('exit', () => r()));
            child.kill('SIGTERM');
            await gone;
          }
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    child.kill('SIGKILL');
    lastError = output;
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`sshd did not start: ${lastError}`);
}
