// The one gateway implementation: request in, response out, plus the state (payments, refunds, notifications).
// createAmsHandlers (msw) and startAmsGateway (node:http) are thin adapters around handle().
import { createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { formatRequestTime } from '../src/rules/time';
import { apiPath } from '../src/api/endpoint';
import { payRequestIssues } from '../src/api/pay';
import { issuesFromZod, type ValidationIssue } from '../src/errors';
import { sleep } from '../src/clock';
import { CURRENCY_EXPONENTS, CURRENCY_VIOLATIONS, fromMinorUnits } from '../src/rules';
import { getCryptoBackend } from '../src/signing/backend';
import { buildSignContentBytes } from '../src/signing/content';
import { formatSignatureHeader, parseSignatureHeader } from '../src/signing/header';
import { loadPrivateKey, loadPublicKey, type KeyInput } from '../src/signing/keys';
import { ExtraApis } from './apis';
import { CASHIER_PATH, renderCashierPage, renderMessagePage } from './cashier';
import { refuseAfterVerifying, refuseBeforeVerifying, registeredInSandbox, type CredentialOptions } from './credentials';
import { FaultScript, GATEWAY_APIS, type FaultObject, type FaultSpec, type GatewayApi } from './faults';
import { magicBehaviour, SETTLING_INQUIRY, type MagicBehaviour } from './magic';
import { NOTIFY_RETRY_SCHEDULE_MS, Notifier, type DeliveryAttempt, type NotificationDelivery } from './notifier';
import { PaymentLookup, RefundLookup, RefundRequest } from './schemas';

/** One merchant the gateway knows: its client id and the public key it uploaded. */
export interface MerchantConfig {
  /** `SANDBOX_…` ids may call only the sandbox paths, other ids only the production paths. */
  clientId: string;
  /** The merchant's public key (PEM, bare base64 SPKI, KeyObject…): verifies its requests. */
  merchantPublicKey: KeyInput;
  /** The settlement currency of the merchant's contract; when set, other settlement currencies are refused. */
  contractSettlementCurrency?: string;
  /**
   * `'direct'` (default, as Alipay treats a merchant integrated directly): an ALIPAY_CN pay without
   * order.extendInfo.chinaExtraTransInfo is refused `PARAM_ILLEGAL`. `'acquirer'`: it is optional.
   */
  integration?: 'direct' | 'acquirer';
  /** For ISVs: the Agent-Tokens this client may act with. When absent, any (or no) Agent-Token is accepted. */
  agentTokens?: readonly string[];
}

export interface GatewayOptions {
  /** The merchants: a list, or a record of clientId → public key (or → the rest of a MerchantConfig). */
  merchants?: readonly MerchantConfig[] | Readonly<Record<string, KeyInput | Omit<MerchantConfig, 'clientId'>>>;
  /** Shortcut for one merchant, with `merchantPublicKey` (and optionally `contractSettlementCurrency`). */
  clientId?: string;
  merchantPublicKey?: KeyInput;
  contractSettlementCurrency?: string;
  integration?: 'direct' | 'acquirer';
  /** The gateway's own ("Alipay's") private key; a fresh RSA-2048 key is generated when absent. */
  alipayPrivateKey?: KeyInput;
  /** Faults to play per call, in order (see FaultName); more can be added with `script()`. */
  faults?: Partial<Record<GatewayApi, readonly FaultSpec[]>>;
  /** Alipay's notification retry schedule is divided by this (e.g. 1000: 2 min → 120 ms). Default 1 (real time). */
  notifyRetryCompression?: number;
  /** Replaces Alipay's schedule (ms before each attempt, before compression). Default NOTIFY_RETRY_SCHEDULE_MS. */
  notifyRetrySchedule?: readonly number[];
  /** Per-attempt timeout of a notification delivery. Default 10 000 ms. */
  notifyTimeoutMs?: number;
  /** Times written into responses and notifications. Default the system clock. Timers always run in real time. */
  clock?: { now(): Date };
  /** Used to deliver notifications. Default globalThis.fetch (so msw intercepts it when active). */
  fetch?: typeof fetch;
  /** Origin of the cashier page in pay responses; default the origin the request arrived on. */
  cashierOrigin?: string;
  /** Upper bound of a `hang` fault, ms. Default 30 000. */
  maxHangMs?: number;
  /** Per client id: uploaded key versions, the environment it is registered in, whether the product is activated. */
  credentials?: CredentialOptions;
}

/** A request as the adapters hand it over. Header names in any case. */
export interface GatewayRequest {
  method: string;
  /** Absolute URL (origin + path + query). */
  url: string;
  headers: Readonly<Record<string, string | readonly string[] | undefined>> | Headers;
  body: string;
  /** Aborted when the client went away (used to end a `hang`). */
  signal?: AbortSignal;
}

/** The answer; `reset: true` means "destroy the connection instead of answering". */
export interface GatewayReply {
  status: number;
  headers: Record<string, string>;
  body: string;
  reset?: boolean;
}

export type PaymentStatus = 'PROCESSING' | 'SUCCESS' | 'FAIL' | 'CANCELLED';

export interface PaymentRecord {
  paymentId: string;
  paymentRequestId: string;
  clientId: string;
  agentToken: string | undefined;
  status: PaymentStatus;
  /** SUCCESS, the failure code, PAYMENT_IN_PROCESS or ORDER_IS_CLOSED. */
  resultCode: string;
  resultMessage: string;
  magic: MagicBehaviour;
  paymentAmount: { currency: string; value: string };
  settlementCurrency: string | undefined;
  referenceOrderId: string;
  orderDescription: string;
  paymentRedirectUrl: string;
  paymentNotifyUrl: string | undefined;
  paymentCreateTime: string;
  paymentTime: string | undefined;
  cancelTime: string | undefined;
  redirectUrl: string;
  normalUrl: string;
  parameters: string;
  inquiries: number;
  /** The exact pay request body, as received. */
  requestBody: string;
}

export interface RefundRecord {
  refundId: string;
  refundRequestId: string;
  paymentId: string;
  clientId: string;
  refundAmount: { currency: string; value: string };
  refundReason: string | undefined;
  refundNotifyUrl: string | undefined;
  refundTime: string;
}

export type GatewayEventType =
  | 'request.received'
  | 'request.verified'
  | 'request.rejected'
  | 'request.answered'
  | 'fault'
  | 'cashier.viewed'
  | 'payment.created'
  | 'payment.succeeded'
  | 'payment.failed'
  | 'payment.cancelled'
  | 'refund.succeeded'
  | 'notification.attempt';

/** A timeline entry: what the gateway did, when (wall clock, ms since epoch). */
export interface GatewayEvent {
  type: GatewayEventType;
  at: number;
  api?: GatewayApi;
  paymentId?: string;
  refundId?: string;
  resultStatus?: string;
  resultCode?: string;
  message?: string;
  fault?: string;
  attempt?: DeliveryAttempt;
}

export interface WaitForNotificationOptions {
  paymentId?: string;
  refundId?: string;
  kind?: 'payment' | 'refund' | 'capture';
  /** Default 'acknowledged'. */
  until?: 'acknowledged' | 'attempted';
  /** Default 10 000 ms. */
  timeoutMs?: number;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=UTF-8' };
const HTML_HEADERS = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };
const API_PATH_RE = /^\/ams\/(sandbox\/)?api\/v1\/[A-Za-z]+\/([A-Za-z]+)$/;
const CURRENCY_CODES = new Set<string>(Object.values(CURRENCY_VIOLATIONS));

/** Illustrative fixed rates (units of the currency per 1 CNY) for grossSettlementAmount of CNY payments. */
const CNY_RATES: Readonly<Record<string, number>> = {
  USD: 0.14, EUR: 0.13, JPY: 21, GBP: 0.11, CAD: 0.19, AUD: 0.21, SGD: 0.19, CHF: 0.12, SEK: 1.5, DKK: 0.95,
  NOK: 1.5, NZD: 0.23, THB: 5, HKD: 1.1,
};

interface ApiAnswer {
  body: Record<string, unknown>;
  /** Unsigned answers (INVALID_SIGNATURE, unknown client) carry no signature headers. */
  signed: boolean;
}

interface Merchant {
  clientId: string;
  key: KeyObject;
  contractSettlementCurrency: string | undefined;
  integration: 'direct' | 'acquirer';
  agentTokens: readonly string[] | undefined;
}

function result(resultStatus: 'S' | 'F' | 'U', resultCode: string, resultMessage: string) {
  return { resultStatus, resultCode, resultMessage };
}

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

function describeIssues(issues: readonly ValidationIssue[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.field || '(body)'} ${i.message}`)
    .join('; ');
}

function newId(prefix: string, seq: number, now: Date): string {
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
  return `${prefix}${stamp}${String(seq).padStart(6, '0')}${randomBytes(12).toString('hex')}`;
}

function normalizeMerchants(options: GatewayOptions): MerchantConfig[] {
  const list: MerchantConfig[] = [];
  const m = options.merchants;
  if (Array.isArray(m)) list.push(...(m as readonly MerchantConfig[]));
  else if (m) {
    for (const [clientId, value] of Object.entries(m as Record<string, KeyInput | Omit<MerchantConfig, 'clientId'>>)) {
      const isConfig = typeof value === 'object' && value !== null && 'merchantPublicKey' in value;
      list.push(isConfig ? { clientId, ...value } : { clientId, merchantPublicKey: value });
    }
  }
  if (options.clientId !== undefined || options.merchantPublicKey !== undefined) {
    if (options.clientId === undefined || options.merchantPublicKey === undefined) {
      throw new TypeError('Gateway options: clientId and merchantPublicKey go together');
    }
    list.push({
      clientId: options.clientId,
      merchantPublicKey: options.merchantPublicKey,
      contractSettlementCurrency: options.contractSettlementCurrency,
      ...(options.integration ? { integration: options.integration } : {}),
    });
  }
  return list;
}

/**
 * The gateway: verifies, validates and answers AMS calls like Alipay, keeps payment state, serves the cashier
 * page, and delivers signed notifications. Create with `createGatewayCore`; adapters call `handle`.
 */
export class GatewayCore {
  /** The gateway's public key: configure it as `alipayPublicKey` in the AmsClient and notification handlers. */
  readonly alipayPublicKey: KeyObject;
  /** The same key as SPKI PEM. */
  readonly alipayPublicKeyPem: string;
  /** Every notification and its delivery attempts, in creation order. */
  readonly deliveries: readonly NotificationDelivery[];
  /** The timeline of what the gateway did. */
  readonly events: GatewayEvent[] = [];

  readonly #privateKey: KeyObject;
  readonly #backend = getCryptoBackend('node');
  readonly #merchants = new Map<string, Merchant>();
  readonly #payments = new Map<string, PaymentRecord>();
  readonly #paymentsByRequest = new Map<string, string>();
  readonly #paymentKeys = new Map<string, string>();
  readonly #refunds = new Map<string, RefundRecord>();
  readonly #refundsByRequest = new Map<string, string>();
  readonly #listeners = new Set<(event: GatewayEvent) => void>();
  readonly #script = new FaultScript();
  readonly #extra = new ExtraApis();
  readonly #notifier: Notifier;
  readonly #clock: { now(): Date };
  readonly #cashierOrigin: string | undefined;
  readonly #maxHangMs: number;
  readonly #credentials: CredentialOptions | undefined;
  readonly #closing = new AbortController();
  #seq = 0;

  constructor(options: GatewayOptions = {}) {
    this.#clock = options.clock ?? { now: () => new Date() };
    this.#privateKey = options.alipayPrivateKey
      ? loadPrivateKey(options.alipayPrivateKey, 'alipayPrivateKey')
      : generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    this.alipayPublicKey = createPublicKey(this.#privateKey);
    this.alipayPublicKeyPem = this.alipayPublicKey.export({ type: 'spki', format: 'pem' }) as string;
    for (const m of normalizeMerchants(options)) this.addMerchant(m);
    for (const [api, faults] of Object.entries(options.faults ?? {})) this.script(api as GatewayApi, faults ?? []);
    const compression = options.notifyRetryCompression ?? 1;
    if (!(Number.isFinite(compression) && compression >= 1)) throw new TypeError('notifyRetryCompression must be a number ≥ 1');
    this.#cashierOrigin = options.cashierOrigin ? new URL(options.cashierOrigin).origin : undefined;
    this.#maxHangMs = options.maxHangMs ?? 30_000;
    this.#credentials = options.credentials;
    this.#notifier = new Notifier({
      sign: ({ path, clientId, requestTime, body }) => this.#sign(path, clientId, requestTime, body),
      requestTime: () => formatRequestTime(this.#clock.now()),
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      compression,
      schedule: options.notifyRetrySchedule ?? NOTIFY_RETRY_SCHEDULE_MS,
      timeoutMs: options.notifyTimeoutMs ?? 10_000,
      onAttempt: (d, attempt) =>
        this.#emit({ type: 'notification.attempt', paymentId: d.paymentId, refundId: d.refundId, attempt, message: `${d.notifyType} → ${d.url}` }),
    });
    this.deliveries = this.#notifier.deliveries;
  }

  /** Adds (or replaces) a merchant. */
  addMerchant(merchant: MerchantConfig): void {
    if (typeof merchant.clientId !== 'string' || merchant.clientId === '') throw new TypeError('merchant clientId must be a non-empty string');
    this.#merchants.set(merchant.clientId, {
      clientId: merchant.clientId,
      key: loadPublicKey(merchant.merchantPublicKey, 'merchantPublicKey'),
      contractSettlementCurrency: merchant.contractSettlementCurrency,
      integration: merchant.integration ?? 'direct',
      agentTokens: merchant.agentTokens,
    });
  }

  /** Queues faults for the next calls of an API: `script('pay', ['U', '503', 'ok'])`. */
  script(api: GatewayApi, faults: readonly FaultSpec[]): this {
    this.#script.add(api, faults);
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
    return [...this.#payments.values()];
  }

  /** Every refund, in creation order. */
  get refunds(): readonly RefundRecord[] {
    return [...this.#refunds.values()];
  }

  /** A payment by paymentId or paymentRequestId. */
  getPayment(id: string): PaymentRecord | undefined {
    const direct = this.#payments.get(id);
    if (direct) return direct;
    for (const p of this.#payments.values()) if (p.paymentRequestId === id) return p;
    return undefined;
  }

  /** Listens to the timeline; returns the unsubscribe function. */
  on(listener: (event: GatewayEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Settles a PROCESSING payment as if the buyer acted at the cashier (SUCCESS or FAIL) and starts its
   * notification; resolves after the first delivery attempt. Returns the record.
   */
  async completePayment(id: string, outcome: 'SUCCESS' | 'FAIL' = 'SUCCESS', resultCode = outcome === 'SUCCESS' ? 'SUCCESS' : 'PROCESS_FAIL'): Promise<PaymentRecord> {
    const p = this.getPayment(id);
    if (!p) throw new Error(`no payment ${id}`);
    await this.#settle(p, outcome, resultCode);
    return p;
  }

  /** Resolves with the first notification matching the filter that was acknowledged (or attempted). */
  waitForNotification(filter: WaitForNotificationOptions = {}): Promise<NotificationDelivery> {
    const { paymentId, refundId, kind, until = 'acknowledged', timeoutMs = 10_000 } = filter;
    return this.#notifier.waitFor(
      (d) =>
        (paymentId === undefined || d.paymentId === paymentId || this.getPayment(paymentId)?.paymentId === d.paymentId) &&
        (refundId === undefined || d.refundId === refundId) &&
        (kind === undefined || d.kind === kind),
      until,
      timeoutMs,
    );
  }

  /** Stops notification timers and in-flight deliveries and ends hanging requests. Idempotent. */
  close(): void {
    this.#closing.abort(new Error('gateway closed'));
    this.#notifier.close();
  }

  get closed(): boolean {
    return this.#closing.signal.aborted;
  }

  /** Handles one HTTP request: an AMS API call, the cashier page or one of its actions. */
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
    if (api) return this.#handleApi(req, url, headers, apiPath(api[2]!, api[1] !== undefined) === url.pathname ? api[2]! : url.pathname, api[1] !== undefined);
    if (url.pathname === CASHIER_PATH || url.pathname.startsWith(`${CASHIER_PATH}/`)) return this.#handleCashier(req, url);
    if (url.pathname === '/' && req.method === 'GET') {
      return {
        status: 200,
        headers: JSON_HEADERS,
        body: JSON.stringify({ gateway: 'ams-cashier embedded gateway', apis: GATEWAY_APIS, merchants: [...this.#merchants.keys()], payments: this.#payments.size }),
      };
    }
    return { status: 404, headers: { 'content-type': 'text/plain' }, body: `no route for ${req.method} ${url.pathname}` };
  }

  // ---------------------------------------------------------------- API calls

  async #handleApi(req: GatewayRequest, url: URL, headers: Record<string, string>, apiName: string, sandbox: boolean): Promise<GatewayReply> {
    if (req.method !== 'POST') return { status: 405, headers: { allow: 'POST', 'content-type': 'text/plain' }, body: 'AMS APIs are POST only' };
    const path = url.pathname;
    if (!(GATEWAY_APIS as readonly string[]).includes(apiName)) {
      return this.#render(path, headers['client-id'], { signed: false, body: { result: result('F', 'INVALID_API', `the gateway does not implement ${apiName}`) } });
    }
    const api = apiName as GatewayApi;
    this.#emit({ type: 'request.received', api });
    const fault = this.#script.next(api);
    if (fault.fault !== 'ok') this.#emit({ type: 'fault', api, fault: fault.fault });

    const early = await this.#earlyFault(fault, path, headers, req.body, req.signal);
    if (early) return early;

    const answer = await this.#answer(api, sandbox, url, headers, req.body);
    const status = answer.body.result as { resultStatus: string; resultCode: string; resultMessage: string };
    this.#emit({ type: 'request.answered', api, resultStatus: status.resultStatus, resultCode: status.resultCode, message: status.resultMessage });
    const reply = await this.#render(path, headers['client-id'], answer);
    return this.#lateFault(fault, reply);
  }

  /** Faults that answer before the call is processed. */
  async #earlyFault(fault: FaultObject, path: string, headers: Record<string, string>, rawBody: string, signal: AbortSignal | undefined): Promise<GatewayReply | undefined> {
    const name = fault.fault;
    const clientId = headers['client-id'];
    if (name === 'U') {
      // A U is an answer from the AMS application, which authenticates first: a request that does not verify gets
      // the real INVALID_SIGNATURE / INVALID_CLIENT answer, so a scripted U cannot hide a signing bug.
      if (!(await this.#authentic(path, headers, rawBody))) return undefined;
      return this.#render(path, clientId, { signed: true, body: { result: result('U', fault.resultCode ?? 'UNKNOWN_EXCEPTION', 'An unknown exception occurred (scripted fault)') } });
    }
    if (/^5\d\d$/.test(name)) {
      return { status: Number(name), headers: { 'content-type': 'text/plain' }, body: `${name} Service Unavailable (scripted fault)` };
    }
    if (name === '429') {
      return {
        status: 429,
        headers: { ...JSON_HEADERS, 'retry-after': String(fault.retryAfterSeconds ?? 1) },
        body: JSON.stringify({ result: result('U', 'REQUEST_TRAFFIC_EXCEED_LIMIT', 'request traffic exceeds the limit (scripted fault)') }),
      };
    }
    if (name === 'reset') return { status: 0, headers: {}, body: '', reset: true };
    if (name === 'hang') {
      await this.#wait(Math.min(fault.ms ?? this.#maxHangMs, this.#maxHangMs), signal);
      return { status: 0, headers: {}, body: '', reset: true };
    }
    if (name === 'unsignedF') {
      return this.#render(path, clientId, { signed: false, body: { result: result('F', fault.resultCode ?? 'PROCESS_FAIL', 'process failed (scripted fault, unsigned)') } });
    }
    if (name === 'html') {
      const status = fault.status ?? 502;
      return {
        status,
        headers: { 'content-type': 'text/html' },
        body: `<html><head><title>${status} Bad Gateway</title></head><body><center><h1>${status} Bad Gateway</h1></center><hr><center>nginx</center></body></html>`,
      };
    }
    if (name === 'delay') {
      const aborted = await this.#wait(fault.ms ?? 1000, signal);
      if (aborted) return { status: 0, headers: {}, body: '', reset: true };
    }
    return undefined;
  }

  /** Faults that alter a processed answer on its way out. */
  #lateFault(fault: FaultObject, reply: GatewayReply): GatewayReply {
    switch (fault.fault) {
      case 'badSignature': {
        const sig = reply.headers['signature'];
        if (!sig) return reply;
        // A well-formed signature of other content: parses fine, never verifies.
        const forged = this.#backend.sign(Buffer.from(`forged ${reply.body}`), this.#privateKey);
        return { ...reply, headers: { ...reply.headers, signature: formatSignatureHeader(forged, '1') } };
      }
      case 'truncated':
        return { ...reply, body: reply.body.slice(0, Math.floor(reply.body.length / 2)) };
      case 'wrongContentType':
        return { ...reply, headers: { ...reply.headers, 'content-type': 'text/plain' } };
      default:
        return reply;
    }
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

  async #render(path: string, clientId: string | undefined, answer: ApiAnswer): Promise<GatewayReply> {
    const body = JSON.stringify(answer.body);
    const headers: Record<string, string> = { ...JSON_HEADERS };
    if (answer.signed && clientId !== undefined) {
      const responseTime = formatRequestTime(this.#clock.now());
      headers['client-id'] = clientId;
      headers['response-time'] = responseTime;
      headers['signature'] = await this.#sign(path, clientId, responseTime, body);
    }
    return { status: 200, headers, body };
  }

  async #sign(path: string, clientId: string, time: string, body: string): Promise<string> {
    const content = buildSignContentBytes({ method: 'POST', path, clientId, time, body });
    return formatSignatureHeader(await this.#backend.signAsync(content, this.#privateKey), '1');
  }

  /** Whether a request carries a valid signature from a known merchant (no side effects, no events). */
  async #authentic(path: string, headers: Record<string, string>, rawBody: string): Promise<boolean> {
    const clientId = headers['client-id'];
    const merchant = clientId === undefined ? undefined : this.#merchants.get(clientId);
    const requestTime = headers['request-time'];
    const signature = headers['signature'];
    if (!merchant || !clientId || !requestTime || !signature) return false;
    try {
      const parsed = parseSignatureHeader(signature);
      return await this.#backend.verifyAsync(buildSignContentBytes({ method: 'POST', path, clientId, time: requestTime, body: rawBody }), parsed.signature, merchant.key);
    } catch {
      return false;
    }
  }

  /** Authentication, then the call itself. */
  async #answer(api: GatewayApi, sandbox: boolean, url: URL, headers: Record<string, string>, rawBody: string): Promise<ApiAnswer> {
    const reject = (resultCode: string, message: string, signed: boolean): ApiAnswer => {
      this.#emit({ type: 'request.rejected', api, resultStatus: 'F', resultCode, message });
      return { signed, body: { result: result('F', resultCode, message) } };
    };
    const clientId = headers['client-id'];
    if (!clientId) return reject('INVALID_CLIENT', 'the Client-Id header is missing', false);
    const merchant = this.#merchants.get(clientId);
    if (!merchant) return reject('INVALID_CLIENT', `client-id "${clientId}" is not known to this gateway (add it to its merchants)`, false);
    const requestTime = headers['request-time'];
    const signature = headers['signature'];
    if (!requestTime) return reject('INVALID_SIGNATURE', 'the Request-Time header is missing', false);
    if (!signature) return reject('INVALID_SIGNATURE', 'the Signature header is missing', false);
    const refused = refuseBeforeVerifying(this.#credentials, { clientId, sandboxPath: sandbox, signature });
    if (refused) return reject(refused.resultCode, refused.message, refused.signed);
    let parsed: ReturnType<typeof parseSignatureHeader>;
    try {
      parsed = parseSignatureHeader(signature);
    } catch (err) {
      return reject('INVALID_SIGNATURE', err instanceof Error ? err.message : 'malformed Signature header', false);
    }
    const content = buildSignContentBytes({ method: 'POST', path: url.pathname, clientId, time: requestTime, body: rawBody });
    if (!(await this.#backend.verifyAsync(content, parsed.signature, merchant.key))) {
      return reject(
        'INVALID_SIGNATURE',
        `the signature does not verify with the public key registered for ${clientId} over "POST ${url.pathname}\\n${clientId}.<request-time>.<body>"`,
        false,
      );
    }
    this.#emit({ type: 'request.verified', api, message: `${clientId} POST ${url.pathname}` });
    const denied = refuseAfterVerifying(this.#credentials, { clientId, api });
    if (denied) return reject(denied.resultCode, denied.message, denied.signed);

    const sandboxClient = registeredInSandbox(this.#credentials, clientId);
    if (sandboxClient !== sandbox) {
      return reject(
        'ACCESS_DENIED',
        sandboxClient
          ? `client-id ${clientId} is a sandbox client: call ${apiPath(api, true)}, not the production path`
          : `client-id ${clientId} is a production client: call ${apiPath(api, false)}, not the sandbox path`,
        true,
      );
    }
    const agentToken = headers['agent-token'];
    if (merchant.agentTokens && (agentToken === undefined || !merchant.agentTokens.includes(agentToken))) {
      return reject('ACCESS_DENIED', agentToken === undefined ? 'this client acts for merchants: the Agent-Token header is required' : 'the Agent-Token is not valid for this client', true);
    }

    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      return reject('PARAM_ILLEGAL', 'the body is not valid JSON', true);
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return reject('PARAM_ILLEGAL', 'the body must be a JSON object', true);
    const origin = this.#cashierOrigin ?? url.origin;
    const scope = `${clientId}|${agentToken ?? ''}`;
    switch (api) {
      case 'pay':
        return this.#pay(merchant, scope, agentToken, body as Record<string, unknown>, rawBody, origin, reject);
      case 'inquiryPayment':
        return this.#inquiry(scope, body, reject);
      case 'cancel':
        return this.#cancel(scope, body, reject);
      case 'refund':
        return this.#refund(scope, clientId, body, reject);
      case 'inquiryRefund':
        return this.#inquiryRefund(scope, body, reject);
      default:
        return this.#extra.answer(api, body as Record<string, unknown>, {
          scope,
          now: this.#clock.now(),
          rules: { integration: merchant.integration, contractSettlementCurrency: merchant.contractSettlementCurrency },
          origin,
          reject,
          payment: (ref) => this.#lookup(scope, ref).payment,
          pay: (payBody) => this.#pay(merchant, scope, agentToken, payBody, JSON.stringify(payBody), origin, reject),
          notify: (p, notification) => {
            if (!p.paymentNotifyUrl) return;
            const body = JSON.stringify(notification);
            // An unusable notify URL is recorded in the delivery; the capture itself stands.
            void this.#notifier.deliver({ kind: 'capture', notifyType: String(notification.notifyType), url: p.paymentNotifyUrl, clientId: p.clientId, paymentId: p.paymentId, body }).catch(() => {});
          },
        });
    }
  }

  // ---------------------------------------------------------------- pay

  #pay(
    merchant: Merchant,
    scope: string,
    agentToken: string | undefined,
    body: Record<string, unknown>,
    rawBody: string,
    origin: string,
    reject: (code: string, message: string, signed: boolean) => ApiAnswer,
  ): ApiAnswer {
    const now = this.#clock.now();
    // The client's own rules, with this merchant's integration and contract: what pay() refuses, Alipay refuses too.
    const issues = payRequestIssues(body, now, { integration: merchant.integration, contractSettlementCurrency: merchant.contractSettlementCurrency });
    const extendInfo = (body.order as { extendInfo?: unknown } | undefined)?.extendInfo;
    // pay() accepts the object form and sends the string; on the wire, AMS takes only the string.
    if (extendInfo !== undefined && typeof extendInfo !== 'string') issues.unshift({ field: 'order.extendInfo', message: 'must be a string holding JSON on the wire' });
    const params = issues.filter((i) => !CURRENCY_CODES.has(i.code ?? ''));
    if (params.length > 0) return reject('PARAM_ILLEGAL', `Illegal parameter: ${describeIssues(params)}`, true);
    if (issues.length > 0) return reject('CURRENCY_NOT_SUPPORT', describeIssues(issues), true);

    const req = body as {
      paymentRequestId: string;
      paymentAmount: { currency: string; value: string };
      order: { referenceOrderId: string; orderDescription: string; orderAmount: { currency: string; value: string } };
      paymentMethod: { paymentMethodType: string };
      paymentRedirectUrl: string;
      paymentNotifyUrl?: string;
      paymentExpiryTime?: string;
      settlementStrategy?: { settlementCurrency: string };
    };
    const settlementCurrency = req.settlementStrategy?.settlementCurrency;

    // The fields a repeat must match; anything else (urls, descriptions) may change between retries.
    const fingerprint = JSON.stringify([
      req.paymentAmount.currency, req.paymentAmount.value, req.order.orderAmount.currency, req.order.orderAmount.value,
      req.order.referenceOrderId, req.paymentMethod.paymentMethodType, settlementCurrency ?? null,
    ]);
    const key = `${scope}|${req.paymentRequestId}`;
    const existingId = this.#paymentsByRequest.get(key);
    if (existingId !== undefined) {
      if (this.#paymentKeys.get(existingId) !== fingerprint) {
        return reject('REPEAT_REQ_INCONSISTENT', `paymentRequestId ${req.paymentRequestId} was used before with a different amount, currency, order or payment method`, true);
      }
      return this.#payAnswer(this.#payments.get(existingId)!);
    }

    const paymentId = newId('', ++this.#seq, now);
    const magic = magicBehaviour(req.paymentAmount.value);
    const redirectUrl = `${origin}${CASHIER_PATH}`;
    // Antom's default is 14 minutes; the guide's sample answer shows 12 hours. The default here is Antom's.
    const expireMs = req.paymentExpiryTime ? Date.parse(req.paymentExpiryTime) : now.getTime() + 14 * 60_000;
    const formParameters = {
      paymentExpireTime: expireMs,
      amountValue: req.paymentAmount.value,
      paymentId,
      callback: req.paymentRedirectUrl,
      paymentMethodType: req.paymentMethod.paymentMethodType,
      amountCurrency: req.paymentAmount.currency,
    };
    const query = new URLSearchParams(Object.entries(formParameters).map(([k, v]) => [k, String(v)]));
    const payment: PaymentRecord = {
      paymentId,
      paymentRequestId: req.paymentRequestId,
      clientId: merchant.clientId,
      agentToken,
      status: magic === 'RISK_REJECT' ? 'FAIL' : 'PROCESSING',
      resultCode: magic === 'RISK_REJECT' ? 'RISK_REJECT' : 'PAYMENT_IN_PROCESS',
      resultMessage: magic === 'RISK_REJECT' ? 'The payment was rejected by risk control (magic amount …4051)' : 'payment in process',
      magic,
      paymentAmount: { currency: req.paymentAmount.currency, value: req.paymentAmount.value },
      settlementCurrency,
      referenceOrderId: req.order.referenceOrderId,
      orderDescription: req.order.orderDescription,
      paymentRedirectUrl: req.paymentRedirectUrl,
      paymentNotifyUrl: req.paymentNotifyUrl,
      paymentCreateTime: formatRequestTime(now),
      paymentTime: undefined,
      cancelTime: undefined,
      redirectUrl,
      normalUrl: `${redirectUrl}?${query.toString()}`,
      parameters: JSON.stringify(formParameters),
      inquiries: 0,
      requestBody: rawBody,
    };
    this.#payments.set(paymentId, payment);
    this.#paymentsByRequest.set(key, paymentId);
    this.#paymentKeys.set(paymentId, fingerprint);
    this.#emit({ type: 'payment.created', api: 'pay', paymentId, message: `${payment.paymentAmount.value} ${payment.paymentAmount.currency} (minor units)` });
    return this.#payAnswer(payment);
  }

  #payAnswer(p: PaymentRecord): ApiAnswer {
    const common = { paymentRequestId: p.paymentRequestId, paymentId: p.paymentId, paymentAmount: p.paymentAmount, paymentCreateTime: p.paymentCreateTime };
    switch (p.status) {
      case 'PROCESSING':
        if (p.magic === 'UNKNOWN_RESULT') {
          return { signed: true, body: { result: result('U', 'UNKNOWN_EXCEPTION', 'An unknown exception occurred (magic amount …4055): inquire the payment') } };
        }
        return {
          signed: true,
          body: {
            result: result('U', 'PAYMENT_IN_PROCESS', 'payment in process'),
            ...common,
            redirectActionForm: { method: 'GET', parameters: p.parameters, redirectUrl: p.redirectUrl },
            normalUrl: p.normalUrl,
          },
        };
      case 'SUCCESS':
        return { signed: true, body: { result: result('S', 'SUCCESS', 'success.'), ...common, paymentTime: p.paymentTime } };
      case 'FAIL':
        return { signed: true, body: { result: result('F', p.resultCode, p.resultMessage), ...common } };
      case 'CANCELLED':
        return { signed: true, body: { result: result('F', 'ORDER_IS_CLOSED', 'the payment was cancelled'), ...common } };
    }
  }

  // ---------------------------------------------------------------- inquiry, cancel

  #lookup(scope: string, body: unknown): { payment?: PaymentRecord; issues?: ValidationIssue[] } {
    const parsed = PaymentLookup.safeParse(body);
    if (!parsed.success) return { issues: issuesFromZod(parsed.error.issues) };
    const { paymentId, paymentRequestId } = parsed.data;
    let payment = paymentId !== undefined ? this.#payments.get(paymentId) : undefined;
    if (paymentId === undefined && paymentRequestId !== undefined) {
      const id = this.#paymentsByRequest.get(`${scope}|${paymentRequestId}`);
      payment = id === undefined ? undefined : this.#payments.get(id);
    }
    if (payment && `${payment.clientId}|${payment.agentToken ?? ''}` !== scope) payment = undefined;
    if (payment && paymentRequestId !== undefined && payment.paymentRequestId !== paymentRequestId) payment = undefined;
    return payment ? { payment } : {};
  }

  #inquiry(scope: string, body: unknown, reject: (code: string, message: string, signed: boolean) => ApiAnswer): ApiAnswer {
    const { payment: p, issues } = this.#lookup(scope, body);
    if (issues) return reject('PARAM_ILLEGAL', `Illegal parameter: ${describeIssues(issues)}`, true);
    if (!p) return reject('ORDER_NOT_EXIST', 'no payment with this paymentRequestId / paymentId', true);
    p.inquiries += 1;
    if (p.magic === 'SETTLES_ON_THIRD_INQUIRY' && p.status === 'PROCESSING' && p.inquiries >= SETTLING_INQUIRY) {
      this.#markSettled(p, 'SUCCESS', 'SUCCESS');
      void this.#notifyPayment(p);
    }
    return {
      signed: true,
      body: {
        result: result('S', 'SUCCESS', 'success.'),
        paymentStatus: p.status,
        paymentResultCode: p.resultCode,
        paymentResultMessage: p.resultMessage,
        paymentRequestId: p.paymentRequestId,
        paymentId: p.paymentId,
        paymentAmount: p.paymentAmount,
        paymentCreateTime: p.paymentCreateTime,
        ...(p.paymentTime ? { paymentTime: p.paymentTime } : {}),
        ...(p.status === 'SUCCESS' ? this.#settlement(p) : {}),
        paymentMethodType: 'ALIPAY_CN',
      },
    };
  }

  #cancel(scope: string, body: unknown, reject: (code: string, message: string, signed: boolean) => ApiAnswer): ApiAnswer {
    const { payment: p, issues } = this.#lookup(scope, body);
    if (issues) return reject('PARAM_ILLEGAL', `Illegal parameter: ${describeIssues(issues)}`, true);
    if (!p) return reject('ORDER_NOT_EXIST', 'no payment with this paymentRequestId / paymentId', true);
    if (p.status === 'SUCCESS') return reject('ORDER_STATUS_INVALID', 'the payment succeeded and cannot be cancelled: refund it instead', true);
    if (p.status === 'FAIL') return reject('ORDER_STATUS_INVALID', 'the payment failed; there is nothing to cancel', true);
    if (p.status === 'PROCESSING') this.#markCancelled(p);
    return { signed: true, body: { result: result('S', 'SUCCESS', 'success.'), paymentId: p.paymentId, paymentRequestId: p.paymentRequestId, cancelTime: p.cancelTime } };
  }

  // ---------------------------------------------------------------- refunds

  #refund(scope: string, clientId: string, body: unknown, reject: (code: string, message: string, signed: boolean) => ApiAnswer): ApiAnswer {
    const parsed = RefundRequest.safeParse(body);
    if (!parsed.success) return reject('PARAM_ILLEGAL', `Illegal parameter: ${describeIssues(issuesFromZod(parsed.error.issues))}`, true);
    const r = parsed.data;
    const fingerprint = JSON.stringify([r.paymentId, r.refundAmount.currency, r.refundAmount.value]);
    const key = `${scope}|${r.refundRequestId}`;
    const existing = this.#refundsByRequest.get(key);
    if (existing !== undefined) {
      const prior = this.#refunds.get(existing)!;
      if (JSON.stringify([prior.paymentId, prior.refundAmount.currency, prior.refundAmount.value]) !== fingerprint) {
        return reject('REPEAT_REQ_INCONSISTENT', `refundRequestId ${r.refundRequestId} was used before with a different payment or amount`, true);
      }
      return this.#refundAnswer(prior);
    }
    const p = this.#payments.get(r.paymentId);
    if (!p || `${p.clientId}|${p.agentToken ?? ''}` !== scope) return reject('ORDER_NOT_EXIST', `no payment ${r.paymentId}`, true);
    if (p.status !== 'SUCCESS') return reject('ORDER_STATUS_INVALID', `the payment is ${p.status}: only a successful payment can be refunded`, true);
    if (r.refundAmount.currency !== p.paymentAmount.currency) {
      return reject('PARAM_ILLEGAL', `Illegal parameter: refundAmount.currency must be the payment currency ${p.paymentAmount.currency}`, true);
    }
    const refunded = this.refunds.filter((x) => x.paymentId === p.paymentId).reduce((sum, x) => sum + BigInt(x.refundAmount.value), 0n);
    const paid = BigInt(p.paymentAmount.value);
    if (refunded + BigInt(r.refundAmount.value) > paid) {
      return reject('REFUND_AMOUNT_EXCEED', `the refunds would total ${refunded + BigInt(r.refundAmount.value)} but ${paid} was paid (${refunded} already refunded), in minor units`, true);
    }
    const now = this.#clock.now();
    const refund: RefundRecord = {
      refundId: newId('R', ++this.#seq, now),
      refundRequestId: r.refundRequestId,
      paymentId: p.paymentId,
      clientId,
      refundAmount: { currency: r.refundAmount.currency, value: r.refundAmount.value },
      refundReason: r.refundReason,
      refundNotifyUrl: r.refundNotifyUrl,
      refundTime: formatRequestTime(now),
    };
    this.#refunds.set(refund.refundId, refund);
    this.#refundsByRequest.set(key, refund.refundId);
    this.#emit({ type: 'refund.succeeded', api: 'refund', paymentId: p.paymentId, refundId: refund.refundId });
    if (refund.refundNotifyUrl) {
      const notification = {
        notifyType: 'REFUND_RESULT',
        result: result('S', 'SUCCESS', 'success.'),
        refundStatus: 'S',
        refundRequestId: refund.refundRequestId,
        refundId: refund.refundId,
        paymentId: refund.paymentId,
        refundAmount: refund.refundAmount,
        refundTime: refund.refundTime,
      };
      void this.#notifier
        .deliver({ kind: 'refund', notifyType: 'REFUND_RESULT', url: refund.refundNotifyUrl, clientId, paymentId: p.paymentId, refundId: refund.refundId, body: JSON.stringify(notification) })
        .catch(() => undefined);
    }
    return this.#refundAnswer(refund);
  }

  #refundAnswer(r: RefundRecord): ApiAnswer {
    return {
      signed: true,
      body: {
        result: result('S', 'SUCCESS', 'success.'),
        refundRequestId: r.refundRequestId,
        refundId: r.refundId,
        paymentId: r.paymentId,
        refundAmount: r.refundAmount,
        refundTime: r.refundTime,
      },
    };
  }

  #inquiryRefund(scope: string, body: unknown, reject: (code: string, message: string, signed: boolean) => ApiAnswer): ApiAnswer {
    const parsed = RefundLookup.safeParse(body);
    if (!parsed.success) return reject('PARAM_ILLEGAL', `Illegal parameter: ${describeIssues(issuesFromZod(parsed.error.issues))}`, true);
    const { refundId, refundRequestId } = parsed.data;
    const id = refundId ?? this.#refundsByRequest.get(`${scope}|${refundRequestId}`);
    const r = id === undefined ? undefined : this.#refunds.get(id);
    const p = r ? this.#payments.get(r.paymentId) : undefined;
    if (!r || !p || `${p.clientId}|${p.agentToken ?? ''}` !== scope || (refundRequestId !== undefined && r.refundRequestId !== refundRequestId)) {
      return reject('ORDER_NOT_EXIST', 'no refund with this refundRequestId / refundId', true);
    }
    return {
      signed: true,
      body: {
        result: result('S', 'SUCCESS', 'success.'),
        refundId: r.refundId,
        refundRequestId: r.refundRequestId,
        paymentId: r.paymentId,
        refundAmount: r.refundAmount,
        refundStatus: 'SUCCESS',
        refundTime: r.refundTime,
      },
    };
  }

  // ---------------------------------------------------------------- state changes and notifications

  #markSettled(p: PaymentRecord, outcome: 'SUCCESS' | 'FAIL', resultCode: string): void {
    p.status = outcome;
    p.resultCode = resultCode;
    p.resultMessage = outcome === 'SUCCESS' ? 'success.' : resultCode === 'USER_BALANCE_NOT_ENOUGH' ? 'The buyer balance is not enough (magic amount …4052)' : 'the payment failed';
    if (outcome === 'SUCCESS') p.paymentTime = formatRequestTime(this.#clock.now());
    this.#emit({ type: outcome === 'SUCCESS' ? 'payment.succeeded' : 'payment.failed', paymentId: p.paymentId, resultCode });
  }

  #markCancelled(p: PaymentRecord): void {
    p.status = 'CANCELLED';
    p.resultCode = 'ORDER_IS_CLOSED';
    p.resultMessage = 'the payment was cancelled';
    p.cancelTime = formatRequestTime(this.#clock.now());
    this.#emit({ type: 'payment.cancelled', paymentId: p.paymentId });
  }

  async #settle(p: PaymentRecord, outcome: 'SUCCESS' | 'FAIL', resultCode: string): Promise<void> {
    if (p.status !== 'PROCESSING') return;
    this.#markSettled(p, outcome, resultCode);
    await this.#notifyPayment(p);
  }

  #settlement(p: PaymentRecord): Record<string, unknown> {
    const settle = p.settlementCurrency;
    if (settle === undefined || settle === p.paymentAmount.currency) return settle === undefined ? {} : { grossSettlementAmount: p.paymentAmount };
    const rate = p.paymentAmount.currency === 'CNY' ? CNY_RATES[settle] : undefined;
    const exponent = CURRENCY_EXPONENTS[settle];
    if (rate === undefined || exponent === undefined) return {};
    const major = Number(fromMinorUnits(p.paymentAmount.value, p.paymentAmount.currency)) * rate;
    return {
      grossSettlementAmount: { currency: settle, value: String(Math.round(major * 10 ** exponent)) },
      settlementQuote: { quoteCurrencyPair: `CNY/${settle}`, quotePrice: String(rate), guaranteed: false },
    };
  }

  /** Starts the notifyPayment for a settled payment; resolves after the first attempt. */
  async #notifyPayment(p: PaymentRecord): Promise<void> {
    if (!p.paymentNotifyUrl) return;
    const ok = p.status === 'SUCCESS';
    const notification = {
      notifyType: 'PAYMENT_RESULT',
      result: ok ? result('S', 'SUCCESS', 'success.') : result('F', p.resultCode, p.resultMessage),
      paymentRequestId: p.paymentRequestId,
      paymentId: p.paymentId,
      paymentAmount: p.paymentAmount,
      paymentCreateTime: p.paymentCreateTime,
      ...(ok ? { paymentTime: p.paymentTime, ...this.#settlement(p) } : {}),
    };
    try {
      await this.#notifier.deliver({ kind: 'payment', notifyType: 'PAYMENT_RESULT', url: p.paymentNotifyUrl, clientId: p.clientId, paymentId: p.paymentId, body: JSON.stringify(notification) });
    } catch {
      // An unusable notify URL is recorded nowhere else; the payment itself stands.
    }
  }

  // ---------------------------------------------------------------- cashier page

  async #handleCashier(req: GatewayRequest, url: URL): Promise<GatewayReply> {
    const html = (status: number, body: string): GatewayReply => ({ status, headers: HTML_HEADERS, body });
    const action = url.pathname.slice(CASHIER_PATH.length);
    if (action === '' && req.method === 'GET') {
      const id = url.searchParams.get('paymentId') ?? '';
      const p = this.#payments.get(id);
      if (!p) return html(404, renderMessagePage('Payment not found', `No payment "${id.slice(0, 80)}" exists on this gateway.`));
      this.#emit({ type: 'cashier.viewed', paymentId: p.paymentId });
      return html(200, renderCashierPage(this.#view(p)));
    }
    if ((action === '/pay' || action === '/cancel') && req.method === 'POST') {
      const id = new URLSearchParams(req.body).get('paymentId') ?? '';
      const p = this.#payments.get(id);
      if (!p) return html(404, renderMessagePage('Payment not found', `No payment "${id.slice(0, 80)}" exists on this gateway.`));
      if (p.status === 'PROCESSING') {
        if (action === '/cancel') this.#markCancelled(p);
        else if (this.#clock.now().getTime() > expiresAtMs(p)) {
          return html(200, renderCashierPage(this.#view(p, 'This payment has expired (paymentExpiryTime, or 14 minutes by default): it can no longer be paid. Cancel it and create a new one.')));
        } else if (p.magic === 'NEVER_SETTLES') return html(200, renderCashierPage(this.#view(p, 'This payment never settles (magic amount …4053): it stays PROCESSING until cancelled.')));
        else if (p.magic === 'FAIL_AT_CASHIER') await this.#settle(p, 'FAIL', 'USER_BALANCE_NOT_ENOUGH');
        else await this.#settle(p, 'SUCCESS', 'SUCCESS');
      }
      return { status: 303, headers: { location: p.paymentRedirectUrl, 'content-type': 'text/plain', 'cache-control': 'no-store' }, body: `See ${p.paymentRedirectUrl}` };
    }
    return html(405, renderMessagePage('Not here', `${req.method} ${url.pathname} is not a cashier action.`));
  }

  #view(p: PaymentRecord, note?: string) {
    return {
      paymentId: p.paymentId,
      paymentRequestId: p.paymentRequestId,
      clientId: p.clientId,
      referenceOrderId: p.referenceOrderId,
      orderDescription: p.orderDescription,
      amount: p.paymentAmount,
      status: p.status,
      qrContent: p.normalUrl,
      expiresAt: Number.isFinite(expiresAtMs(p)) ? new Date(expiresAtMs(p)).toISOString() : undefined,
      note,
    };
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

/** When the cashier stops taking the payment: paymentExpiryTime when the request set one, else Antom's 14 minutes. */
function expiresAtMs(p: PaymentRecord): number {
  return Number((JSON.parse(p.parameters) as { paymentExpireTime: number }).paymentExpireTime);
}

/** Creates the gateway core shared by `createAmsHandlers` and `startAmsGateway`. */
export function createGatewayCore(options: GatewayOptions = {}): GatewayCore {
  return new GatewayCore(options);
}
