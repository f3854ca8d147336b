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
  /** The host key fingerprint as OpenSSH prints it (SHA256:…): the first of hostKeys. */
  hostKeySha256: string;
  /** Every host key the server has, in the order asked for: its type, its public line and fingerprint. */
  hostKeys: HostKey[];
  /** `[127.0.0.1]:port` (or `127.0.0.1` on 22), as known_hosts names this server. */
  knownHostsName: string;
  /** A directory standing for the server's /: remote paths are `${root}/v1/settlements/…` (no chroot). */
  root: string;
  /** The listening sshd; each session runs in processes below it. */
  pid: number;
  stop(): Promise<void>;
}

export interface HostKey {
  /** `ssh-ed25519`, `ssh-rsa`. */
  type: string;
  /** The public key as a known_hosts line holds it after the host: `ssh-ed25519 AAAA…`. */
  publicKey: string;
  sha256: string;
}

export type HostKeyType = 'ed25519' | 'rsa';

function keygen(path: string, type: HostKeyType = 'ed25519'): void {
  const size = type === 'rsa' ? ['-b', '2048'] : [];
  const r = spawnSync('ssh-keygen', ['-q', '-t', type, ...size, '-N', '', '-C', 'ams-cashier-test', '-f', path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.error?.message ?? r.stderr}`);
}

/** The fingerprint ssh-keygen prints for a public key file. */
export function fingerprintOf(publicKeyFile: string): string {
  const fp = spawnSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', publicKeyFile], { encoding: 'utf8' });
  const found = /SHA256:[A-Za-z0-9+/]+/.exec(fp.stdout)?.[0];
  if (!found) throw new Error(`no host key fingerprint: ${fp.stderr}`);
  return found;
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

/**
 * Starts sshd in the foreground (-D -e) with its own config; only the current user, only by the throwaway key. It has
 * one host key of each type asked for (default: one ed25519 key).
 */
export async function startSshServer({ hostKeyTypes = ['ed25519'] }: { hostKeyTypes?: HostKeyType[] } = {}): Promise<SshServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ams-sshd-'));
  const hostKeys: HostKey[] = hostKeyTypes.map((type) => {
    const file = join(dir, `host_key_${type}`);
    keygen(file, type);
    const [keyType, base64] = readFileSync(`${file}.pub`, 'utf8').split(' ');
    return { type: keyType!, publicKey: `${keyType} ${base64}`, sha256: fingerprintOf(`${file}.pub`) };
  });
  keygen(join(dir, 'user_key'));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'user_key.pub')), { mode: 0o600 });
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
      ...hostKeyTypes.map((type) => `HostKey ${join(dir, `host_key_${type}`)}`),
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
        hostKeySha256: hostKeys[0]!.sha256,
        hostKeys,
        knownHostsName: `[127.0.0.1]:${port}`,
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
