// Test helper: a real redis-server on a free loopback port (no persistence, or an AOF in a temporary dir), started and stopped by the tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireService } from '../helpers/services';

const BIN = process.env.REDIS_SERVER_BIN || 'redis-server';

/** Whether the redis-server binary is there: the suite-wide rule for real services (test/helpers/services.ts). */
export function requireRedisServer(): boolean {
  return requireService('redis-server', 'the Redis tests');
}

/** A free 127.0.0.1 port (the OS picks one; it may be taken again before use, so callers retry). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** One PING over a raw socket: true on +PONG, false on anything else (refused, loading, timeout). */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let data = '';
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 500);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      data += chunk.toString('utf8');
      if (data.includes('\r\n')) done(data.startsWith('+PONG'));
    });
    socket.on('error', () => done(false));
  });
}

export interface RedisServer {
  readonly port: number;
  /** The process is running and answered PING. */
  readonly running: boolean;
  /** Stops the server (SIGTERM, or SIGKILL for a crash) and waits until it exited and the port refuses connections. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and dir: empty without persistence, with what the AOF kept when it is on. */
  restart(): Promise<void>;
}

export interface RedisServerOptions {
  /** Default false (`appendonly no`, no RDB either): nothing survives a restart. */
  appendonly?: boolean;
  /** With appendonly: Redis's default `everysec`, or `always` (fsync before each answer). */
  appendfsync?: 'always' | 'everysec' | 'no';
  /** More redis-server arguments, e.g. `['--rename-command', 'CONFIG', '']` for a Redis that forbids CONFIG. */
  args?: string[];
}

const live = new Set<ChildProcess>();
const dirs = new Set<string>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function argsFor(port: number, options: RedisServerOptions, dir: string): string[] {
  // A dir of its own even without persistence: a test that turns the AOF on at run time must not write into the repo.
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--daemonize', 'no', '--dir', dir];
  if (options.appendonly) args.push('--appendonly', 'yes', '--appendfsync', options.appendfsync ?? 'everysec');
  else args.push('--appendonly', 'no');
  return [...args, ...(options.args ?? [])];
}

async function launch(port: number, args: string[]): Promise<ChildProcess> {
  const child = spawn(BIN, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `exited with ${code ?? signal}`;
    live.delete(child);
  });
  child.once('error', (err) => {
    exited = err.message;
  });
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (exited) throw new Error(`redis-server on port ${port} ${exited}:\n${output}`);
    if (await ping(port)) return child;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server on port ${port} did not answer PING within 10 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Starts a redis-server on a free 127.0.0.1 port; retries on another port if the chosen one was taken meanwhile. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  let child: ChildProcess | undefined;
  let port = 0;
  let lastError: unknown;
  // Its files (the AOF) live in a directory of its own, kept across restart() and removed when the test process exits.
  const dir = mkdtempSync(join(tmpdir(), 'ams-redis-'));
  dirs.add(dir);
  for (let attempt = 0; attempt < 5 && !child; attempt++) {
    port = await freePort();
    try {
      child = await launch(port, argsFor(port, options, dir));
    } catch (err) {
      lastError = err;
    }
  }
  if (!child) throw lastError instanceof Error ? lastError : new Error(String(lastError));
  let current: ChildProcess | undefined = child;

  return {
    port,
    get running() {
      return current !== undefined && current.exitCode === null && current.signalCode === null;
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      const c = current;
      current = undefined;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
      c.kill(signal);
      const timer = setTimeout(() => c.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
    async restart() {
      if (current) throw new Error('redis-server is still running');
      current = await launch(port, argsFor(port, options, dir));
    },
  };
}
