// The notification handler as a Fetch-style function (Request → Response): Next.js route handlers, Hono, Bun, Deno.
import {
  bodyTimeoutResponse,
  createNotificationProcessor,
  errorResponse,
  tooLargeResponse,
  type NotificationHandlerOptions,
  type NotificationResponse,
} from './processor';

export type FetchNotificationHandler = (request: Request) => Promise<Response>;

type BodyRead = { kind: 'body'; body: Uint8Array } | { kind: 'too_large' } | { kind: 'timeout' };

/** Reads the body up to `limit` bytes and for at most `timeoutMs`; the stream is cancelled at whichever comes first. */
async function readBody(request: Request, limit: number, timeoutMs: number): Promise<BodyRead> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) return { kind: 'too_large' };
  if (!request.body) return { kind: 'body', body: new Uint8Array(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), timedOut]);
      if (next === 'timeout') {
        void reader.cancel().catch(() => undefined);
        return { kind: 'timeout' };
      }
      if (next.done) break;
      size += next.value.byteLength;
      if (size > limit) {
        void reader.cancel().catch(() => undefined);
        return { kind: 'too_large' };
      }
      chunks.push(next.value);
    }
  } finally {
    clearTimeout(timer);
  }
  return { kind: 'body', body: Buffer.concat(chunks, size) };
}

function pathnameOf(url: string): string | undefined {
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
}

/**
 * The same pipeline as createNotificationHandler, as `(request: Request) => Promise<Response>`.
 * Next.js (app router): `export const POST = createFetchNotificationHandler({ path: '/api/alipay/notify', client, onPayment })`.
 * Give the handler the untouched Request: if something already called request.json() or request.text(), the body
 * is gone and the answer is a 500 explaining that. Status codes as for createNotificationHandler.
 */
export function createFetchNotificationHandler(options: NotificationHandlerOptions): FetchNotificationHandler {
  const processor = createNotificationProcessor(options);
  return async (request) => {
    let r: NotificationResponse;
    try {
      let rawBody: unknown;
      let refused: NotificationResponse | undefined;
      if (request.method.toUpperCase() === 'POST' && !request.bodyUsed) {
        const read = await readBody(request, processor.maxBodyBytes, processor.bodyTimeoutMs);
        if (read.kind === 'body') rawBody = read.body;
        else refused = read.kind === 'too_large' ? tooLargeResponse(processor.maxBodyBytes) : bodyTimeoutResponse(processor.bodyTimeoutMs);
      }
      r = refused ?? (await processor.process({ method: request.method, urlPath: pathnameOf(request.url), headers: request.headers, rawBody }));
    } catch {
      r = errorResponse(500, 'internal', 'the notification could not be read');
    }
    const response = new Response(r.body, { status: r.status, headers: r.headers });
    processor.written(r);
    return response;
  };
}
