// The gateway over real HTTP on loopback: a node:http server around the same core the msw handlers use.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultSpec, GatewayApi } from './faults';
import { checkGatewayOptionNames } from './option-names';
import {
  createGatewayCore,
  type DisputeOptions,
  type DisputeRecord,
  type GatewayCore,
  type GatewayOptions,
  type PaymentRecord,
  type WaitForNotificationOptions,
} from './core';
import type { NotificationDelivery } from './notifier';
import { buildGatewayReports, type GatewayReportFile, type GatewayReportsOptions } from './reports';
import { BodyReadError, nodeStreamSource, readBody } from '../src/internal/read-body';

export interface StartGatewayOptions extends GatewayOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Use an existing core (e.g. shared with msw handlers) instead of creating one. */
  core?: GatewayCore;
  /** Largest request body read, in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
}

/** A running gateway. `url` is its origin: pass it as the AmsClient's `baseUrl`. */
export interface AmsGateway {
  /** e.g. http://127.0.0.1:53412 */
  readonly url: string;
  readonly port: number;
  readonly core: GatewayCore;
  /** Configure as `alipayPublicKey` in clients and notification handlers. */
  readonly alipayPublicKey: GatewayCore['alipayPublicKey'];
  readonly alipayPublicKeyPem: string;
  readonly payments: readonly PaymentRecord[];
  readonly deliveries: readonly NotificationDelivery[];
  script(api: GatewayApi, faults: readonly FaultSpec[]): AmsGateway;
  getPayment(id: string): PaymentRecord | undefined;
  readonly disputes: readonly DisputeRecord[];
  /** The buyer disputes a paid payment: DISPUTE_CREATED now, then Antom's schedule (see GatewayCore.dispute). */
  dispute(paymentId: string, options?: DisputeOptions): Promise<DisputeRecord>;
  /** The card scheme decides now: DISPUTE_JUDGED. */
  judgeDispute(disputeId: string, judgedResult?: DisputeRecord['judgedResult']): Promise<DisputeRecord>;
  /** The buyer withdraws the dispute: DISPUTE_CANCELLED. */
  cancelDispute(disputeId: string): Promise<DisputeRecord>;
  waitForNotification(filter?: WaitForNotificationOptions): Promise<NotificationDelivery>;
  /** The reconciliation reports (transaction details, settlement details, summary) for one day's payments and refunds. */
  reports(options: GatewayReportsOptions): GatewayReportFile[];
  /** Stops the server (open connections are destroyed), notification timers and hanging requests. */
  close(): Promise<void>;
}

/** The request body through the package's one body reader; undefined when it is over the limit. */
async function readRequest(req: IncomingMessage, limit: number): Promise<string | undefined> {
  try {
    return (await readBody(nodeStreamSource(req), { maxBytes: limit, declaredBytes: Number(req.headers['content-length']) })).toString(
      'utf8',
    );
  } catch (err) {
    if (err instanceof BodyReadError && err.reason === 'too_large') return undefined;
    throw err;
  }
}

/** Starts the gateway on loopback (port 0 by default): `{ url, close() }` plus the core's accessors. */
export async function startAmsGateway(options: StartGatewayOptions = {}): Promise<AmsGateway> {
  checkGatewayOptionNames(options, 'startAmsGateway', ['port', 'host', 'core', 'maxBodyBytes']);
  const { port = 0, host = '127.0.0.1', core: shared, maxBodyBytes = 1024 * 1024, ...gatewayOptions } = options;
  const core = shared ?? createGatewayCore(gatewayOptions);
  let origin = '';

  const listener = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    try {
      const body = await readRequest(req, maxBodyBytes);
      if (body === undefined) {
        // The rest of the body is never read: once the answer is out, the connection goes.
        res.writeHead(413, { 'content-type': 'text/plain', connection: 'close' }).end('request body too large', () => req.socket.destroy());
        return;
      }
      const reply = await core.handle({
        method: req.method ?? 'GET',
        url: origin + (req.url ?? '/'),
        headers: req.headers,
        body,
        signal: gone.signal,
      });
      if (reply.reset) {
        req.socket.destroy();
        return;
      }
      if (res.destroyed) return;
      res.writeHead(reply.status, { ...reply.headers, 'content-length': String(Buffer.byteLength(reply.body)) });
      res.end(reply.body);
    } catch (err) {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`gateway error: ${err instanceof Error ? err.message : String(err)}`);
      } else res.destroy();
    }
  };

  const server: Server = createServer((req, res) => void listener(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;

  let closing: Promise<void> | undefined;
  const gateway: AmsGateway = {
    url: origin,
    port: address.port,
    core,
    alipayPublicKey: core.alipayPublicKey,
    alipayPublicKeyPem: core.alipayPublicKeyPem,
    get payments() {
      return core.payments;
    },
    get deliveries() {
      return core.deliveries;
    },
    script(api, faults) {
      core.script(api, faults);
      return gateway;
    },
    getPayment: (id) => core.getPayment(id),
    get disputes() {
      return core.disputes;
    },
    dispute: (paymentId, o) => core.dispute(paymentId, o),
    judgeDispute: (disputeId, judgedResult) => core.judgeDispute(disputeId, judgedResult),
    cancelDispute: (disputeId) => core.cancelDispute(disputeId),
    waitForNotification: (filter) => core.waitForNotification(filter),
    reports: (o) => buildGatewayReports(core.payments, core.refunds, o),
    close() {
      closing ??= new Promise<void>((resolve) => {
        core.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
  return gateway;
}
