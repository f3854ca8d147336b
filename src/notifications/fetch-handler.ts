// The notification handler as a Fetch-style function (Request → Response): Next.js route handlers, Hono, Bun, Deno.
import { BodyReadError, readBody, webStreamSource } from '../internal/read-body';
import {
  bodyTimeoutResponse,
  createNotificationProcessor,
  errorResponse,
  tooLargeResponse,
  type NotificationHandlerOptions,
  type NotificationResponse,
} from './processor';

export type FetchNotificationHandler = (request: Request) => Promise<Response>;

/** Reads the body up to `limit` bytes and for at most `timeoutMs`: the body, or the answer that refuses it. */
async function readRequestBody(request: Request, limit: number, timeoutMs: number): Promise<Uint8Array | NotificationResponse> {
  const declaredBytes = Number(request.headers.get('content-length') ?? undefined);
  if (!request.body) return Number.isFinite(declaredBytes) && declaredBytes > limit ? tooLargeResponse(limit) : new Uint8Array(0);
  try {
    return await readBody(webStreamSource(request.body), { maxBytes: limit, timeoutMs, declaredBytes });
  } catch (err) {
    if (err instanceof BodyReadError) return err.reason === 'too_large' ? tooLargeResponse(limit) : bodyTimeoutResponse(timeoutMs);
    throw err;
  }
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
        const read = await readRequestBody(request, processor.maxBodyBytes, processor.bodyTimeoutMs);
        if (read instanceof Uint8Array) rawBody = read;
        else refused = read;
      }
      r =
        refused ??
        (await processor.process({ method: request.method, urlPath: pathnameOf(request.url), headers: request.headers, rawBody }));
    } catch {
      r = errorResponse(500, 'internal', 'the notification could not be read');
    }
    const response = new Response(r.body, { status: r.status, headers: r.headers });
    processor.written(r);
    return response;
  };
}
