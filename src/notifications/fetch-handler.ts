// The notification handler as a Fetch-style function (Request → Response): Next.js route handlers, Hono, Bun, Deno.
import { createNotificationProcessor, errorResponse, tooLargeResponse, type NotificationHandlerOptions, type NotificationResponse } from './processor';

export type FetchNotificationHandler = (request: Request) => Promise<Response>;

/** Reads the body up to `limit` bytes; undefined when larger (the stream is cancelled at that point). */
async function readBody(request: Request, limit: number): Promise<Uint8Array | undefined> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) return undefined;
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
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
      let tooLarge = false;
      if (request.method.toUpperCase() === 'POST' && !request.bodyUsed) {
        const read = await readBody(request, processor.maxBodyBytes);
        if (read === undefined) tooLarge = true;
        else rawBody = read;
      }
      r = tooLarge
        ? tooLargeResponse(processor.maxBodyBytes)
        : await processor.process({ method: request.method, urlPath: pathnameOf(request.url), headers: request.headers, rawBody });
    } catch {
      r = errorResponse(500, 'internal', 'the notification could not be read');
    }
    return new Response(r.body, { status: r.status, headers: r.headers });
  };
}
