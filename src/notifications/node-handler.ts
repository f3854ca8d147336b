// The notification handler as a Node (req, res) listener: bare http.createServer, Express, Connect and similar.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyReadError, nodeStreamSource, readBody } from '../internal/read-body';
import {
  bodyTimeoutResponse,
  createNotificationProcessor,
  errorResponse,
  tooLargeResponse,
  type NotificationHandlerOptions,
  type NotificationResponse,
} from './processor';

/** A Node request listener; also a valid Express handler (it always answers and never calls `next`). */
export type NodeNotificationHandler = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => Promise<void>;

type MaybeFramework = IncomingMessage & { body?: unknown; originalUrl?: string; _body?: unknown };

function pathnameOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const q = url.search(/[?#]/);
  return q === -1 ? url : url.slice(0, q);
}

/** Reads the body up to `limit` bytes and for at most `timeoutMs`: the body, or the answer that refuses it. */
async function readRequestBody(req: IncomingMessage, limit: number, timeoutMs: number): Promise<Buffer | NotificationResponse> {
  try {
    return await readBody(nodeStreamSource(req), { maxBytes: limit, timeoutMs, declaredBytes: Number(req.headers['content-length']) });
  } catch (err) {
    if (err instanceof BodyReadError) return err.reason === 'too_large' ? tooLargeResponse(limit) : bodyTimeoutResponse(timeoutMs);
    throw err;
  }
}

function write(req: IncomingMessage, res: ServerResponse, r: NotificationResponse, done: () => void): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(r.status, { ...r.headers, 'content-length': String(Buffer.byteLength(r.body)) });
  // 'connection: close' answers (413, 408) leave a body unread: once the answer is out, drop the socket rather than
  // wait for (or keep alive) a sender that is still trickling bytes.
  const close = r.headers['connection'] === 'close';
  res.end(r.body, () => {
    if (close) req.socket.destroy();
    done();
  });
}

/**
 * A Node `(req, res)` listener that verifies a notification, runs your callback, and acknowledges only after the
 * callback returned. Anything short of that is answered without the acknowledgement, so Alipay sends it again.
 *
 * - Bare Node: `http.createServer(createNotificationHandler({ path: '/alipay/notify', client, onPayment }))`.
 * - Express: `app.post('/alipay/notify', express.raw({ type: '*' + '/*' }), handler)`. The handler reads the body
 *   itself when no parser ran, uses `req.body` when it is a Buffer or string (express.raw / express.text), and
 *   answers 500 with an explanation when express.json() (or another parser) already turned it into an object.
 *
 * Status codes: 200 acknowledged (handled now, a duplicate handled before, or verified with no callback for its kind:
 * logged at warn level); 400 signed but not a valid notification; 401 signature check failed (missing/malformed
 * headers, wrong signature, other client id, stale); 405 not POST; 408 body not received within bodyTimeoutMs; 413 body
 * over maxBodyBytes; 500 callback threw, or the raw body was unavailable; 503 the same notification is being handled by
 * another delivery, or the dedupe store failed.
 */
export function createNotificationHandler(options: NotificationHandlerOptions): NodeNotificationHandler {
  const processor = createNotificationProcessor(options);
  return async (req, res) => {
    let response: NotificationResponse;
    try {
      const r = req as MaybeFramework;
      const method = req.method;
      let rawBody: unknown;
      let refused: NotificationResponse | undefined;
      if ((method ?? '').toUpperCase() === 'POST') {
        const pre = r.body;
        if (typeof pre === 'string' || pre instanceof Uint8Array) rawBody = pre;
        // A parser consumed the stream (body-parser marks _body): whatever it left is all there is.
        else if (req.readableEnded || r._body === true) rawBody = pre;
        else {
          const read = await readRequestBody(req, processor.maxBodyBytes, processor.bodyTimeoutMs);
          if (Buffer.isBuffer(read)) rawBody = read;
          else refused = read;
        }
      }
      response =
        refused ?? (await processor.process({ method, urlPath: pathnameOf(r.originalUrl ?? req.url), headers: req.headers, rawBody }));
    } catch {
      response = errorResponse(500, 'internal', 'the notification could not be read');
    }
    write(req, res, response, () => processor.written(response));
  };
}
