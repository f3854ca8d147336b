// Test helper: the ssh2 package's own SSH server on loopback, for what OpenSSH will not do: an impostor with a host key
// of its own that records every login attempt, and an SFTP server that goes silent at a chosen request.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, utils, type Connection, type SFTPWrapper } from 'ssh2';
import { fingerprintOf } from './sshd';

const { STATUS_CODE } = utils.sftp;

/** Where the server stops answering. */
export type SilentAt =
  /** The SFTP subsystem is accepted but never answers INIT. */
  | 'INIT'
  /** INIT is answered; this request (and any later one) never is. */
  | 'LSTAT'
  | 'OPENDIR'
  | 'READDIR'
  | 'OPEN'
  | 'READ'
  /** Every request is answered, but the client's goodbye never reaches the server: the session is never closed. */
  | 'end';

export interface FakeSftpOptions {
  /** Accept any password login. Default false: every login attempt is refused (and recorded). */
  acceptLogin?: boolean;
  /** Files served, by absolute path; their folders exist too. */
  files?: Record<string, string>;
  /** The modification time of every file, in seconds. */
  mtime?: number;
  silentAt?: SilentAt;
}

export interface AuthAttempt {
  method: string;
  username: string;
  password?: string;
}

export interface FakeSftpServer {
  port: number;
  /** `ssh-ed25519 AAAA…`, as a known_hosts line holds it. */
  publicKey: string;
  hostKeySha256: string;
  /** TCP connections accepted. */
  connections(): number;
  /** Every login attempt that reached the server, with the password when there was one. */
  authAttempts: AuthAttempt[];
  /** The SFTP requests received, by type, in order (INIT included). */
  requests: string[];
  stop(): Promise<void>;
}

function keyPair(): { privateKey: string; publicKey: string; sha256: string } {
  const pair = utils.generateKeyPairSync('ed25519');
  const dir = mkdtempSync(join(tmpdir(), 'ams-fake-sftp-'));
  try {
    writeFileSync(join(dir, 'key.pub'), `${pair.public}\n`);
    // The fingerprint as OpenSSH itself computes it, not as the code under test does.
    return { privateKey: pair.private, publicKey: pair.public.trim(), sha256: fingerprintOf(join(dir, 'key.pub')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The attributes of a folder or a file. */
function attrs(size: number | undefined, mtime: number) {
  return { mode: size === undefined ? 0o040755 : 0o100644, uid: 0, gid: 0, size: size ?? 4096, atime: mtime, mtime };
}

/** Serves `files` read-only over SFTP; a request of the `silentAt` type (and every later one) gets no answer. */
function serveSftp(sftp: SFTPWrapper, options: FakeSftpOptions, requests: string[], goSilent: () => void): void {
  const files = new Map(Object.entries(options.files ?? {}).map(([path, text]) => [path, Buffer.from(text)]));
  const mtime = options.mtime ?? 1_545_782_400;
  const isFolder = (path: string): boolean => path === '/' || [...files.keys()].some((f) => f.startsWith(`${path.replace(/\/$/, '')}/`));
  const handles = new Map<string, { path: string; listed?: boolean }>();
  let nextHandle = 0;
  let silent = false;
  const open = (path: string): Buffer => {
    const handle = Buffer.from(String(nextHandle++));
    handles.set(handle.toString(), { path });
    return handle;
  };
  /** Records the request; true when it must go unanswered. */
  const unanswered = (type: string): boolean => {
    requests.push(type);
    if (type === options.silentAt) silent = true;
    return silent;
  };
  requests.push('INIT');
  sftp.on('LSTAT', (id, path) => {
    if (unanswered('LSTAT')) return;
    const file = files.get(path);
    if (file) sftp.attrs(id, attrs(file.length, mtime));
    else if (isFolder(path)) sftp.attrs(id, attrs(undefined, mtime));
    else sftp.status(id, STATUS_CODE.NO_SUCH_FILE);
  });
  sftp.on('OPENDIR', (id, path) => {
    if (unanswered('OPENDIR')) return;
    if (isFolder(path)) sftp.handle(id, open(path));
    else sftp.status(id, STATUS_CODE.NO_SUCH_FILE);
  });
  sftp.on('READDIR', (id, handle) => {
    if (unanswered('READDIR')) return;
    const dir = handles.get(handle.toString());
    if (!dir) return sftp.status(id, STATUS_CODE.FAILURE);
    if (dir.listed) return sftp.status(id, STATUS_CODE.EOF);
    dir.listed = true;
    const prefix = `${dir.path.replace(/\/$/, '')}/`;
    const names = [...files.entries()]
      .filter(([path]) => path.startsWith(prefix) && !path.slice(prefix.length).includes('/'))
      .map(([path, body]) => {
        const filename = path.slice(prefix.length);
        return { filename, longname: `-rw-r--r-- 1 0 0 ${body.length} Dec 26 2018 ${filename}`, attrs: attrs(body.length, mtime) };
      });
    sftp.name(id, names);
  });
  sftp.on('OPEN', (id, path) => {
    if (unanswered('OPEN')) return;
    if (files.has(path)) sftp.handle(id, open(path));
    else sftp.status(id, STATUS_CODE.NO_SUCH_FILE);
  });
  sftp.on('READ', (id, handle, offset, length) => {
    if (unanswered('READ')) return;
    const body = files.get(handles.get(handle.toString())?.path ?? '');
    if (!body) return sftp.status(id, STATUS_CODE.FAILURE);
    if (offset >= body.length) return sftp.status(id, STATUS_CODE.EOF);
    sftp.data(id, body.subarray(offset, offset + length));
  });
  sftp.on('FSTAT', (id, handle) => {
    if (unanswered('FSTAT')) return;
    const body = files.get(handles.get(handle.toString())?.path ?? '');
    sftp.attrs(id, attrs(body?.length, mtime));
  });
  sftp.on('CLOSE', (id, handle) => {
    if (unanswered('CLOSE')) return;
    const wasFolder = !files.has(handles.get(handle.toString())?.path ?? '');
    handles.delete(handle.toString());
    sftp.status(id, STATUS_CODE.OK);
    // The folder listing is the last request before the client says goodbye (the test's folder holds no reports).
    if (options.silentAt === 'end' && wasFolder) goSilent();
  });
}

/**
 * Starts the server behind a loopback TCP relay (which the `end` case freezes: the client's goodbye is never passed
 * on, and the server never closes the session).
 */
export async function startFakeSftpServer(options: FakeSftpOptions = {}): Promise<FakeSftpServer> {
  const key = keyPair();
  const authAttempts: AuthAttempt[] = [];
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const clients = new Set<Connection>();
  const upstreams: Array<{ from: Socket; to: Socket }> = [];
  const goSilent = (): void => {
    for (const { from, to } of upstreams) {
      from.unpipe(to);
      from.pause();
    }
  };
  const ssh = new Server({ hostKeys: [key.privateKey] }, (client) => {
    clients.add(client);
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      authAttempts.push({ method: ctx.method, username: ctx.username, ...(ctx.method === 'password' ? { password: ctx.password } : {}) });
      if (options.acceptLogin && ctx.method === 'password') ctx.accept();
      else ctx.reject(['password']);
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        if (options.silentAt === 'INIT') {
          // A plain channel instead of an SFTP server: the subsystem is accepted, its INIT never answered.
          session.on('subsystem', (accept) => {
            requests.push('INIT');
            accept();
          });
          return;
        }
        session.on('sftp', (accept) => serveSftp(accept(), options, requests, goSilent));
      });
    });
  });
  await new Promise<void>((resolve) => ssh.listen(0, '127.0.0.1', resolve));
  const sshPort = (ssh.address() as { port: number }).port;
  let connections = 0;
  const relay: NetServer = createServer({ allowHalfOpen: true }, (inbound) => {
    connections++;
    const outbound = connect({ host: '127.0.0.1', port: sshPort, allowHalfOpen: true });
    sockets.add(inbound).add(outbound);
    for (const s of [inbound, outbound]) s.on('error', () => undefined);
    upstreams.push({ from: inbound, to: outbound });
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  return {
    port: (relay.address() as { port: number }).port,
    publicKey: key.publicKey,
    hostKeySha256: key.sha256,
    connections: () => connections,
    authAttempts,
    requests,
    async stop() {
      for (const s of sockets) s.destroy();
      for (const c of clients) c.end();
      await Promise.all([
        new Promise<void>((resolve) => relay.close(() => resolve())),
        new Promise<void>((resolve) => ssh.close(() => resolve())),
      ]);
    },
  };
}
