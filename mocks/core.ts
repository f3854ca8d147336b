// The gateway's composition: routes a request to the API, cashier or index handler, authenticates API calls once,
// plays scripted faults, and exposes the state. createAmsHandlers (msw) and startAmsGateway (node:http) wrap handle().
import { apiPath, type AmsApi } from '../src/api/endpoint';
import { sleep, systemClock, type Clock } from '../src/clock';
import { formatRequestTime } from '../src/rules/time';
import { JSON_HEADERS, result, type ApiAnswer, type Reject } from './answers';
import { answerApi, type ApiRoutes } from './routes';
import { ExtraApis } from './apis';
import { DisputeDesk } from './disputes';
import { CASHIER_PATH } from './cashier';
import { handleCashierRequest } from './cashier-routes';
import type { CredentialOptions } from './credentials';
import { alterReply, infrastructureFault } from './fault-replies';
import { FaultScript, GATEWAY_APIS, type FaultSpec, type GatewayApi } from './faults';
import { loadMerchant, normalizeMerchants, type Merchant } from './merchants';
import { NOTIFY_RETRY_SCHEDULE_MS, Notifier, type GatewayNotifyType, type NotificationDelivery } from './notifier';
import { pend, settle } from './payments';
import { applyRewrite, type RewriteSet } from './rewrite';
import { authenticate, GatewaySigner } from './signing';
import { GatewayState, type GatewayContext } from './state';
import { handleWebSdkRequest } from './web-routes';
import { sdkRegionCode } from './web-sdk';
import { checkGatewayOptionNames } from './option-names';
import type {
  DisputeOptions,
  DisputeRecord,
  GatewayEvent,
  GatewayOptions,
  GatewayReply,
  GatewayRequest,
  MerchantConfig,
  PaymentRecord,
  RefundRecord,
  WaitForNotificationOptions,
} from './types';

export type {
  DisputeOptions,
  DisputeRecord,
  GatewayEvent,
  GatewayEventType,
  GatewayOptions,
  GatewayReply,
  GatewayRequest,
  MerchantConfig,
  PaymentRecord,
  PaymentStatus,
  RefundRecord,
  WaitForNotificationOptions,
} from './types';

const API_PATH_RE = /^\/ams\/(sandbox\/)?api\/v1\/[A-Za-z]+\/([A-Za-z]+)$/;

/** Header names lower-cased, repeated values joined, whether they come as a record or a Fetch `Headers`. */
function lowerHeaders(headers: GatewayRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof (headers as Headers).forEach === 'function' && typeof (headers as Headers).get === 'function') {
    (headers as Headers).forEach((value, name) => (out[name.toLowerCase()] = value));
    return out;
  }
  for (const [name, value] of Object.entries(headers as Record<string, string | readonly string[] | undefined>)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = typeof value === 'string' ? value : value.join(', ');
  }
  return out;
}

/**
 * The gateway: verifies, validates and answers AMS calls like Alipay, keeps payment state, serves the cashier
 * page, and delivers signed notifications. Create with `createGatewayCore`; adapters call `handle`.
 */
export class GatewayCore {
  /** The gateway's public key: configure it as `alipayPublicKey` in the AmsClient and notification handlers. */
  readonly alipayPublicKey: GatewaySigner['publicKey'];
  /** The same key as SPKI PEM. */
  readonly alipayPublicKeyPem: string;
  /** Every notification and its delivery attempts, in creation order. */
  readonly deliveries: readonly NotificationDelivery[];
  /** The timeline of what the gateway did. */
  readonly events: GatewayEvent[] = [];

  readonly #signer: GatewaySigner;
  readonly #merchants = new Map<string, Merchant>();
  readonly #state = new GatewayState();
  readonly #listeners = new Set<(event: GatewayEvent) => void>();
  readonly #script = new FaultScript();
  readonly #disputes: DisputeDesk;
  readonly #routes: ApiRoutes;
  readonly #notifier: Notifier;
  readonly #clock: Clock;
  readonly #ctx: GatewayContext;
  readonly #cashierOrigin: string | undefined;
  readonly #maxHangMs: number;
  readonly #credentials: CredentialOptions | undefined;
  readonly #closing = new AbortController();

  constructor(options: GatewayOptions = {}) {
    checkGatewayOptionNames(options, 'createGatewayCore');
    this.#clock = options.clock ?? systemClock;
    this.#signer = new GatewaySigner(options.alipayPrivateKey);
    this.alipayPublicKey = this.#signer.publicKey;
    this.alipayPublicKeyPem = this.#signer.publicKeyPem;
    for (const m of normalizeMerchants(options)) this.addMerchant(m);
    for (const [api, faults] of Object.entries(options.faults ?? {})) this.script(api as GatewayApi, faults ?? []);
    const compression = options.notifyRetryCompression ?? 1;
    if (!(Number.isFinite(compression) && compression >= 1)) throw new TypeError('notifyRetryCompression must be a number ≥ 1');
    this.#cashierOrigin = options.cashierOrigin ? new URL(options.cashierOrigin).origin : undefined;
    this.#maxHangMs = options.maxHangMs ?? 30_000;
    this.#credentials = options.credentials;
    this.#notifier = new Notifier({
      sign: ({ path, clientId, requestTime, body }) => this.#signer.sign(path, clientId, requestTime, body),
      requestTime: () => formatRequestTime(this.#clock.now()),
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      compression,
      schedule: options.notifyRetrySchedule ?? NOTIFY_RETRY_SCHEDULE_MS,
      timeoutMs: options.notifyTimeoutMs ?? 10_000,
      onAttempt: (d, attempt) =>
        this.#emit({
          type: 'notification.attempt',
          paymentId: d.paymentId,
          refundId: d.refundId,
          attempt,
          message: `${d.notifyType} → ${d.url}`,
        }),
    });
    this.deliveries = this.#notifier.deliveries;
    for (const [notifyType, set] of Object.entries(options.notificationRewrite ?? {}))
      this.#notifier.rewrite(notifyType as GatewayNotifyType, set);
    this.#ctx = {
      state: this.#state,
      clock: this.#clock,
      notifier: this.#notifier,
      paymentPending: options.paymentPending === true,
      emit: (event) => this.#emit(event),
    };
    const disputeCompression = options.disputeTimeCompression ?? 1;
    if (!(Number.isFinite(disputeCompression) && disputeCompression >= 1))
      throw new TypeError('disputeTimeCompression must be a number ≥ 1');
    this.#disputes = new DisputeDesk(this.#ctx, disputeCompression);
    this.#routes = {
      ctx: this.#ctx,
      credentials: this.#credentials,
      cashierOrigin: this.#cashierOrigin,
      extra: new ExtraApis(this.#state.captures, this.#notifier, {
        sessions: this.#state.sessions,
        regionCode: sdkRegionCode(options.region),
      }),
      disputes: this.#disputes,
    };
  }

  /** Adds (or replaces) a merchant. */
  addMerchant(merchant: MerchantConfig): void {
    const loaded = loadMerchant(merchant);
    this.#merchants.set(loaded.clientId, loaded);
  }

  /** Queues faults for the next calls of an API: `script('pay', ['U', '503', 'ok'])`. */
  script(api: GatewayApi, faults: readonly FaultSpec[]): this {
    this.#script.add(api, faults);
    return this;
  }

  /**
   * Sets fields (dotted paths, as the `rewrite` fault's `set`) in every later notification of this notifyType, before
   * it is signed; `undefined` stops rewriting it. Throws TypeError for an unknown notifyType or a bad set.
   */
  rewriteNotifications(notifyType: GatewayNotifyType, set: RewriteSet | undefined): this {
    this.#notifier.rewrite(notifyType, set);
    return this;
  }

  /** Drops queued faults (of one API, or all). */
  clearScript(api?: GatewayApi): void {
    this.#script.clear(api);
  }

  /** Faults still queued for an API. */
  pendingFaults(api: GatewayApi): number {
    return this.#script.pending(api);
  }

  /** Every payment, in creation order (live records: read, do not modify). */
  get payments(): readonly PaymentRecord[] {
    return [...this.#state.payments.values()];
  }

  /** Every refund, in creation order. */
  get refunds(): readonly RefundRecord[] {
    return [...this.#state.refunds.values()];
  }

  /** A payment by paymentId or paymentRequestId. */
  getPayment(id: string): PaymentRecord | undefined {
    return this.#state.getPayment(id);
  }

  /** Every dispute, in creation order (live records: read, do not modify). */
  get disputes(): readonly DisputeRecord[] {
    return [...this.#disputes.disputes.values()];
  }

  /**
   * The buyer disputes a paid payment (by paymentId or paymentRequestId): DISPUTE_CREATED goes to the payment's notify
   * URL, then Antom's schedule runs (DEFENSE_DUE_ALERT 24 h before `defenseDueTime`, DISPUTE_ACCEPTED with reason TIMEOUT
   * at it, unless the merchant answers with acceptDispute or supplyDefenseDocument). Resolves after the first attempt.
   */
  async dispute(paymentId: string, options?: DisputeOptions): Promise<DisputeRecord> {
    const p = this.getPayment(paymentId);
    if (!p) throw new TypeError(`no payment ${paymentId}`);
    return this.#disputes.open(p, options);
  }

  /** The card scheme decides now: DISPUTE_JUDGED (default the dispute's `judgedResult`). */
  judgeDispute(disputeId: string, judgedResult?: DisputeRecord['judgedResult']): Promise<DisputeRecord> {
    return this.#disputes.judge(disputeId, judgedResult);
  }

  /** The buyer withdraws the dispute: DISPUTE_CANCELLED. */
  cancelDispute(disputeId: string): Promise<DisputeRecord> {
    return this.#disputes.cancel(disputeId);
  }

  /** Listens to the timeline; returns the unsubscribe function. */
  on(listener: (event: GatewayEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Settles a PROCESSING (or PENDING) payment as if the buyer acted at the cashier (SUCCESS or FAIL) and starts its
   * notification; resolves after the first delivery attempt. `'PENDING'`: the buyer paid and the result is on its
   * way: the payment becomes PENDING and PAYMENT_PENDING is sent; a later SUCCESS or FAIL settles it. Returns the record.
   */
  async completePayment(
    id: string,
    outcome: 'SUCCESS' | 'FAIL' | 'PENDING' = 'SUCCESS',
    resultCode = outcome === 'FAIL' ? 'PROCESS_FAIL' : 'SUCCESS',
  ): Promise<PaymentRecord> {
    const p = this.getPayment(id);
    if (!p) throw new Error(`no payment ${id}`);
    if (outcome === 'PENDING') await pend(this.#ctx, p);
    else await settle(this.#ctx, p, outcome, resultCode);
    return p;
  }

  /** Resolves with the first notification matching the filter that was acknowledged (or attempted). */
  waitForNotification(filter: WaitForNotificationOptions = {}): Promise<NotificationDelivery> {
    const { paymentId, refundId, disputeId, kind, notifyType, until = 'acknowledged', timeoutMs = 10_000 } = filter;
    return this.#notifier.waitFor(
      (d) =>
        (paymentId === undefined || d.paymentId === paymentId || this.getPayment(paymentId)?.paymentId === d.paymentId) &&
        (refundId === undefined || d.refundId === refundId) &&
        (disputeId === undefined || d.disputeId === disputeId) &&
        (kind === undefined || d.kind === kind) &&
        (notifyType === undefined || d.notifyType === notifyType),
      until,
      timeoutMs,
    );
  }

  /** Stops notification timers and in-flight deliveries and ends hanging requests. Idempotent. */
  close(): void {
    this.#closing.abort(new Error('gateway closed'));
    this.#disputes.close();
    this.#notifier.close();
  }

  get closed(): boolean {
    return this.#closing.signal.aborted;
  }

  /** Handles one HTTP request: an AMS API call, the cashier page or one of its actions, or a web SDK route. */
  async handle(req: GatewayRequest): Promise<GatewayReply> {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return { status: 400, headers: { 'content-type': 'text/plain' }, body: 'bad request URL' };
    }
    const headers = lowerHeaders(req.headers);
    const api = API_PATH_RE.exec(url.pathname);
    // An API is known only under its own family (/v1/customs/declare, not /v1/payments/declare): the client's apiPath decides.
    if (api)
      return this.#handleApi(
        req,
        url,
        headers,
        apiPath(api[2] as AmsApi, api[1] !== undefined) === url.pathname ? api[2]! : url.pathname,
        api[1] !== undefined,
      );
    if (url.pathname === CASHIER_PATH || url.pathname.startsWith(`${CASHIER_PATH}/`)) return handleCashierRequest(this.#ctx, req, url);
    const web = await handleWebSdkRequest(this.#ctx, req, url, headers);
    if (web) return web;
    if (url.pathname === '/' && req.method === 'GET') {
      return {
        status: 200,
        headers: JSON_HEADERS,
        body: JSON.stringify({
          gateway: 'ams-cashier embedded gateway',
          apis: GATEWAY_APIS,
          merchants: [...this.#merchants.keys()],
          payments: this.#state.payments.size,
        }),
      };
    }
    return { status: 404, headers: { 'content-type': 'text/plain' }, body: `no route for ${req.method} ${url.pathname}` };
  }

  /**
   * One API call, in Alipay's order: infrastructure faults answer first; then the request is authenticated (once);
   * a scripted `U` answers only an authenticated request, so it cannot hide a signing bug; then the call is answered,
   * a `rewrite` changes the answer before it is signed, and a late fault may alter the signed reply.
   */
  async #handleApi(
    req: GatewayRequest,
    url: URL,
    headers: Record<string, string>,
    apiName: string,
    sandbox: boolean,
  ): Promise<GatewayReply> {
    if (req.method !== 'POST')
      return { status: 405, headers: { allow: 'POST', 'content-type': 'text/plain' }, body: 'AMS APIs are POST only' };
    const path = url.pathname;
    const render = (answer: ApiAnswer) => this.#signer.render(path, headers['client-id'], answer, this.#clock.now());
    if (!(GATEWAY_APIS as readonly string[]).includes(apiName)) {
      return render({ signed: false, body: { result: result('F', 'INVALID_API', `the gateway does not implement ${apiName}`) } });
    }
    const api = apiName as GatewayApi;
    this.#emit({ type: 'request.received', api });
    const fault = this.#script.next(api);
    if (fault.fault !== 'ok') this.#emit({ type: 'fault', api, fault: fault.fault });

    const early = await infrastructureFault(fault, {
      wait: (ms) => this.#wait(ms, req.signal),
      maxHangMs: this.#maxHangMs,
      unsigned: (body) => render({ signed: false, body }),
    });
    if (early) return early;

    const reject: Reject = (resultCode, message, signed) => {
      this.#emit({ type: 'request.rejected', api, resultStatus: 'F', resultCode, message });
      return { signed, body: { result: result('F', resultCode, message) } };
    };
    const auth = await authenticate({ path, sandbox, headers, rawBody: req.body }, this.#merchants, this.#credentials, this.#signer);
    let answer: ApiAnswer;
    if ('refusal' in auth) answer = reject(auth.refusal.resultCode, auth.refusal.message, auth.refusal.signed);
    else {
      this.#emit({ type: 'request.verified', api, message: `${auth.clientId} POST ${path}` });
      if (fault.fault === 'U') {
        return render({
          signed: true,
          body: { result: result('U', fault.resultCode ?? 'UNKNOWN_EXCEPTION', 'An unknown exception occurred (scripted fault)') },
        });
      }
      answer = answerApi(this.#routes, { api, sandbox, url, headers, rawBody: req.body, auth, reject });
    }
    // Before signing: the client verifies the rewritten answer as it would a genuine one.
    if (fault.fault === 'rewrite' && fault.set) answer = { ...answer, body: applyRewrite(answer.body, fault.set) };
    // A rewrite may have changed or removed the result: the timeline records what was sent.
    const status = (answer.body.result ?? {}) as { resultStatus?: unknown; resultCode?: unknown; resultMessage?: unknown };
    const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
    this.#emit({
      type: 'request.answered',
      api,
      resultStatus: text(status.resultStatus),
      resultCode: text(status.resultCode),
      message: text(status.resultMessage),
    });
    return alterReply(fault, await render(answer), (body) => this.#signer.forge(body));
  }

  /** Waits ms, or until the client goes away or the gateway closes; true when cut short. */
  async #wait(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
    const stop = signal ? AbortSignal.any([signal, this.#closing.signal]) : this.#closing.signal;
    try {
      await sleep(ms, stop);
      return false;
    } catch {
      return true;
    }
  }

  #emit(event: Omit<GatewayEvent, 'at'>): void {
    const full: GatewayEvent = { ...event, at: Date.now() };
    // Bounded: a long-running demo gateway must not grow without limit.
    if (this.events.length >= 10_000) this.events.splice(0, 1_000);
    this.events.push(full);
    for (const l of this.#listeners) {
      try {
        l(full);
      } catch {
        // A listener's failure is its own business.
      }
    }
  }
}

/** Creates the gateway core shared by `createAmsHandlers` and `startAmsGateway`. */
export function createGatewayCore(options: GatewayOptions = {}): GatewayCore {
  return new GatewayCore(options);
}
