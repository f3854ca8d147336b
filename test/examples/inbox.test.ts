// examples/inbox runs as documented: a receiver process and a worker process on one redis-server; a signed
// notification posted to the receiver is acknowledged there and processed by the worker.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { keyPath } from '../helpers/keys';
import { ACK, CLIENT_ID } from '../notifications/helpers';
import { post, signedPayment } from '../bullmq/helpers';
import { requireRedisServer, startRedisServer, type RedisServer } from '../redis/redis-server';

const HAVE_REDIS = requireRedisServer();
const root = fileURLToPath(new URL('../../', import.meta.url));

/** Spawns an example with tsx; resolves with the first stdout line matching `ready`. */
function start(
  script: string,
  env: Record<string, string>,
  ready: RegExp,
): Promise<{ child: ChildProcess; line: string; lines: string[] }> {
  const child = spawn(`${root}node_modules/.bin/tsx`, [script], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} not ready:\n${err}`)), 30_000);
    let buf = '';
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString('utf8');
      const parts = buf.split('\n');
      buf = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        if (ready.test(line)) {
          clearTimeout(timer);
          resolve({ child, line, lines });
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`${script} exited ${code}:\n${err}`)));
  });
}

describe.skipIf(!HAVE_REDIS)('examples/inbox', () => {
  let server: RedisServer | undefined;
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) c.kill('SIGTERM');
    await server?.stop();
  });

  it('receiver acknowledges, worker processes, in two processes', async () => {
    server = await startRedisServer({ appendonly: true });
    const env = {
      REDIS_URL: `redis://127.0.0.1:${server.port}`,
      AMS_CLIENT_ID: CLIENT_ID,
      AMS_ALIPAY_PUBLIC_KEY_FILE: keyPath('alipay_public.base64.txt'),
      PORT: '0',
    };
    const receiver = await start('examples/inbox/receiver.ts', env, /^receiver: POST /);
    const worker = await start('examples/inbox/worker.ts', env, /^worker: ready$/);
    children.push(receiver.child, worker.child);
    const url = receiver.line.replace(/^receiver: POST /, '').replace(/\/alipay\/notify$/, '');
    const note = signedPayment(`example-${process.pid}`);
    const answer = await post(url, note);
    expect(answer).toMatchObject({ status: 200, body: ACK });
    const end = Date.now() + 20_000;
    while (!worker.lines.some((l) => l.startsWith('worker: paid')) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(worker.lines.filter((l) => l.startsWith('worker: paid'))).toEqual([
      `worker: paid req-${note.id} (PAYMENT_RESULT:${note.id}, attempt 1)`,
    ]);
  }, 60_000);
});
