// The inbox's HTTP side: the package's own notification handlers, whose callback stores the job in Redis instead of doing the work.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../clock';
import type { Clock } from '../clock';
import { AmsConfigError } from '../errors';
import { createFetchNotificationHandler, type FetchNotificationHandler } from '../notifications/fetch-handler';
import type { NotificationHeaders } from '../notifications/headers';
import { createNotificationHandler, type NodeNotificationHandler } from '../notifications/node-handler';
import {
  DEFAULT_MAX_BODY_BYTES,
  errorResponse,
  withTimeout,
  type NotificationContext,
  type NotificationHandlerOptions,
  type NotificationResponse,
} from '../notifications/processor';
import { notificationLabel, type AmsNotification } from '../notifications/schemas';
import { inboxJobData, type InboxJobData } from './job';

/** One request on its way through a handler: what the enqueueing callback needs besides the notification. */
interface Delivery {
  /** The request's own pathname (used when no `path` option was given, as the handlers do). */
  urlPath: string | undefined;
  headers: NotificationHeaders;
  /** The raw body as the handler read it; undefined when it was not read (then the handler never reaches the callback). */
  body(): Promise<string | Uint8Array | undefined>;
  /** Set when Redis did not confirm the job: the answer becomes 503 instead of the handler's "callback failed". */
  unavailable: boolean;
  onUnavailable?: () => void;
}

export interface ReceiverOptions {
  /** The handler options as given to the inbox (verification, path, limits, acknowledgement signing, logger). */
  handler: Omit<NotificationHandlerOptions, 'onPayment' | 'onRefund' | 'onCapture' | 'onDispute' | 'onOther' | 'dedupe'>;
  /** Stores one job; rejects when Redis did not confirm. */
  add(data: InboxJobData): Promise<unknown>;
  enqueueTimeoutMs: number;
  /** Stamps each job's receivedAt; default the system clock. */
  clock: Clock | undefined;
  logger: Logger;
}

export interface Receiver {
  nodeHandler: NodeNotificationHandler;
  fetchHandler: FetchNotificationHandler;
}

/** The answer when the job could not be stored: not the acknowledgement, so Alipay sends the notification again. */
export function unavailableResponse(): NotificationResponse {
  return errorResponse(503, 'queue_unavailable', 'the notification could not be stored; try again later', { 'retry-after': '5' });
}

function pathnameOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url, 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

/**
 * Keeps a copy of the Node request body as the handler reads it, up to the handler's own limit, so the job can carry
 * the exact bytes that were verified. The copy listens to the same `data` events, attached at the moment the handler
 * attaches its own (so it never starts the stream itself and misses nothing, however late the handler starts
 * reading). A body a framework already read (express.raw / express.text) is taken as it is, as the handler does.
 */
function captureNodeBody(req: IncomingMessage, limit: number): () => Promise<string | Uint8Array | undefined> {
  const pre = (req as IncomingMessage & { body?: unknown }).body;
  if (typeof pre === 'string' || pre instanceof Uint8Array) return async () => pre;
  if ((req.method ?? '').toUpperCase() !== 'POST' || req.readableEnded) return async () => undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  let complete = false;
  const onData = (chunk: Buffer): void => {
    size += chunk.length;
    if (size > limit) {
      chunks.length = 0;
      stop();
      return;
    }
    chunks.push(chunk);
  };
  const onEnd = (): void => {
    complete = true;
    stop();
  };
  const stop = (): void => {
    req.off('newListener', onNewListener);
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('close', stop);
  };
  const onNewListener = (event: string | symbol): void => {
    if (event !== 'data') return;
    req.off('newListener', onNewListener);
    req.on('data', onData);
    req.on('end', onEnd);
  };
  req.on('newListener', onNewListener);
  req.on('close', stop);
  // The callback runs only after the handler read the whole body and verified it, so 'end' has been seen by then.
  return async () => (complete && size <= limit ? Buffer.concat(chunks, size) : undefined);
}

/**
 * The same for a Fetch Request: its body stream is passed to the handler through a tap that keeps a copy of what
 * the handler reads, up to its limit. (Request.clone() would not do: a handler that stops reading an oversized body
 * cancels its branch, and a tee's cancel waits for the other branch, which nobody reads.)
 */
function captureFetchBody(request: Request, limit: number): { request: Request; body: () => Promise<Uint8Array | undefined> } {
  if (request.method.toUpperCase() !== 'POST' || request.bodyUsed || !request.body) return { request, body: async () => undefined };
  const chunks: Uint8Array[] = [];
  let size = 0;
  let complete = false;
  const tap = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      size += chunk.byteLength;
      if (size <= limit) chunks.push(chunk);
      else chunks.length = 0;
      controller.enqueue(chunk);
    },
    flush() {
      complete = true;
    },
  });
  const tapped = new Request(request, { body: request.body.pipeThrough(tap), duplex: 'half' } as RequestInit);
  return { request: tapped, body: async () => (complete && size <= limit ? Buffer.concat(chunks, size) : undefined) };
}

/**
 * Sends the 503 in place of what the handler is about to write (its generic "callback failed" 500): the handler
 * writes with writeHead + end, so those two are taken over for this one response and put back.
 */
function answerUnavailableOn(res: ServerResponse): void {
  const writeHead = res.writeHead.bind(res);
  const end = res.end.bind(res);
  const r = unavailableResponse();
  res.writeHead = () => res;
  res.end = () => {
    res.writeHead = writeHead;
    res.end = end;
    res.writeHead(r.status, { ...r.headers, 'content-length': String(Buffer.byteLength(r.body)) });
    res.end(r.body);
    return res;
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** The Node and Fetch handlers of the inbox: verification and body reading are the package's handlers, unchanged. */
export function createReceiver(options: ReceiverOptions): Receiver {
  const deliveries = new AsyncLocalStorage<Delivery>();
  const log = options.logger;
  const limit = options.handler.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  async function enqueue(notification: AmsNotification, { key }: NotificationContext): Promise<void> {
    const delivery = deliveries.getStore();
    if (!delivery) throw new Error('ams: inbox callback ran outside a delivery');
    const rawBody = await delivery.body();
    if (rawBody === undefined) throw new Error('ams: inbox could not keep a copy of the request body');
    const path = options.handler.path ?? delivery.urlPath ?? '';
    const data = inboxJobData({
      key,
      path,
      notification,
      rawBody,
      headers: delivery.headers,
      receivedAt: options.clock ? options.clock.now().getTime() : Date.now(),
    });
    try {
      await withTimeout(options.add(data), options.enqueueTimeoutMs);
    } catch (err) {
      delivery.unavailable = true;
      delivery.onUnavailable?.();
      log.error?.(
        err instanceof AmsConfigError
          ? 'ams: inbox refuses to acknowledge: Redis would not keep the notification; answered 503 so Alipay sends it again'
          : 'ams: inbox could not store the notification in Redis; answered 503 so Alipay sends it again',
        { key, notifyType: notificationLabel(notification), error: errorText(err) },
      );
      throw err;
    }
    log.debug?.('ams: notification stored in the inbox; acknowledging', { key, notifyType: notificationLabel(notification) });
  }

  const handlerOptions = {
    ...options.handler,
    dedupe: false,
    onPayment: enqueue,
    onRefund: enqueue,
    onCapture: enqueue,
    onDispute: enqueue,
    onOther: enqueue,
  } as NotificationHandlerOptions;
  const node = createNotificationHandler(handlerOptions);
  const fetchHandlerInner = createFetchNotificationHandler(handlerOptions);

  const nodeHandler: NodeNotificationHandler = (req, res, next) => {
    const r = req as IncomingMessage & { originalUrl?: string };
    const delivery: Delivery = {
      urlPath: pathnameOf(r.originalUrl ?? req.url),
      headers: req.headers,
      body: captureNodeBody(req, limit),
      unavailable: false,
      onUnavailable: () => answerUnavailableOn(res),
    };
    return deliveries.run(delivery, () => node(req, res, next));
  };

  const fetchHandler: FetchNotificationHandler = async (request) => {
    const { request: tapped, body } = captureFetchBody(request, limit);
    const delivery: Delivery = { urlPath: pathnameOf(request.url), headers: request.headers, body, unavailable: false };
    const response = await deliveries.run(delivery, () => fetchHandlerInner(tapped));
    if (!delivery.unavailable) return response;
    const r = unavailableResponse();
    return new Response(r.body, { status: r.status, headers: r.headers });
  };

  return { nodeHandler, fetchHandler };
}
