// A minimal stand-in for Alipay's gateway on 127.0.0.1, in a child process: checks nothing, signs every answer.
// Run as a child (forked by startLoopback) so the gateway's RSA signing and HTTP parsing do not share the
// client's event loop; both compared sides talk to the same server, so ratios stay side by side.
import { fork, type ChildProcess } from 'node:child_process';
import { sign } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inProcessBody, keyObjects, sessionBody } from './fixtures';

function formatTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/**
 * Serves createPaymentSession with an S session and every other POST with the U/PAYMENT_IN_PROCESS body, echoing the request's paymentRequestId as Alipay does (the
 * client refuses an answer about another id), signed per response with a fresh Response-Time.
 */
function serve(tls: { key: string; cert: string } | undefined): void {
  const handler: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // Nothing else in the request is looked at: this gateway verifies nothing.
      const id = /"paymentRequestId":"([^"]*)"/.exec(Buffer.concat(chunks).toString('utf8'))?.[1] ?? 'unknown';
      const body = Buffer.from(req.url?.endsWith('/createPaymentSession') ? sessionBody(id) : inProcessBody(id), 'utf8');
      const clientId = String(req.headers['client-id'] ?? 'unknown');
      const responseTime = formatTime(new Date());
      const head = Buffer.from(`POST ${req.url ?? '/'}\n${clientId}.${responseTime}.`, 'utf8');
      // Signed off the event loop, as a real gateway's many cores would: the server is not the bottleneck.
      sign('sha256', Buffer.concat([head, body]), keyObjects.alipayPrivate, (err, sig) => {
        if (err) {
          res.writeHead(500).end();
          return;
        }
        res.writeHead(200, {
          'content-type': 'application/json; charset=UTF-8',
          'content-length': body.length,
          'client-id': clientId,
          'response-time': responseTime,
          signature: `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(sig.toString('base64'))}`,
        });
        res.end(body);
      });
    });
  };
  const server = tls
    ? https.createServer({ ...tls, keepAliveTimeout: 60_000 }, handler)
    : http.createServer({ keepAliveTimeout: 60_000 }, handler);
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    process.send?.({ port: address.port });
  });
  process.on('disconnect', () => process.exit(0));
}

export interface Loopback {
  origin: string;
  /** The gateway's process id, to account for its CPU. */
  pid: number | undefined;
  close(): Promise<void>;
}

/**
 * Forks this file as the gateway (inheriting tsx's loader flags) and resolves once it listens. With `tls` (PEM files
 * of a key and a certificate for 127.0.0.1) it serves HTTPS.
 */
export function startLoopback(tls?: { keyFile: string; certFile: string }): Promise<Loopback> {
  const args = tls ? ['--serve', '--tls', tls.keyFile, tls.certFile] : ['--serve'];
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`loopback gateway exited early (${code})`)));
    child.once('message', (msg: { port: number }) => {
      resolve({
        origin: `${tls ? 'https' : 'http'}://127.0.0.1:${msg.port}`,
        pid: child.pid,
        close: () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.disconnect();
          }),
      });
    });
  });
}

if (process.argv.includes('--serve')) {
  const at = process.argv.indexOf('--tls');
  serve(at < 0 ? undefined : { key: readFileSync(process.argv[at + 1]!, 'utf8'), cert: readFileSync(process.argv[at + 2]!, 'utf8') });
}
