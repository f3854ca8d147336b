// The gateway's answers for the APIs beyond pay: payment sessions (mocks/sessions.ts), consult, capture and customs declarations.
import { formatRequestTime } from '../src/rules/time';
import type { PayRules } from '../src/api/pay';
import { captureRequestIssues, consultRequestIssues, declareRequestIssues, inquiryDeclarationRequestIssues } from '../src/api/requests';
import type { ValidationIssue } from '../src/errors';
import { ALIPAY_CN_PAYMENT_CURRENCIES, CURRENCY_VIOLATIONS } from '../src/rules/currencies';
import { describeIssues, result, type ApiAnswer, type Reject } from './answers';
import { cnyAmountOf } from './fx';
import type { Notifier } from './notifier';
import { createSession, retrieveSession, type SessionStore } from './sessions';
import type { CaptureRecord } from './state';

/** The APIs answered here; the rest of the gateway answers pay and its lifecycle. */
export const EXTRA_APIS = [
  'createPaymentSession',
  'retrievePaymentSession',
  'consult',
  'capture',
  'declare',
  'inquiryDeclarationRequests',
] as const;
export type ExtraApi = (typeof EXTRA_APIS)[number];

/** What the answers need of the payment side of the gateway, for one verified request. */
export interface ExtraApiContext {
  /** `clientId|agentToken`: records are visible only to the merchant (and ISV) that made them. */
  scope: string;
  now: Date;
  /** The merchant's integration and contract, as pay() applies them. */
  rules: PayRules;
  /** The gateway's own origin: where a session's cashier page lives. */
  origin: string;
  reject: Reject;
  /** A payment of this merchant, by `{ paymentId }` or `{ paymentRequestId }`. */
  payment(ref: { paymentId?: string; paymentRequestId?: string }): PaymentView | undefined;
  /** Creates (or finds, for the same paymentRequestId) the payment exactly as `pay` does, with its answer. */
  pay(body: Record<string, unknown>): ApiAnswer;
}

/** What the answers read of a payment. */
export interface PaymentView {
  paymentId: string;
  clientId: string;
  status: string;
  paymentAmount: { currency: string; value: string };
  normalUrl: string;
  paymentNotifyUrl: string | undefined;
}

/**
 * How a declaration moves, one step per inquiry: the values are illustrative (Antom's AMS list is unconfirmed; Alipay+
 * shows WAITING_FOR_PROCESSING). A declaration is never "decided" by the declare call itself.
 */
export const DECLARATION_STATUSES = ['WAITING_FOR_PROCESSING', 'PROCESSING', 'SUCCESS'] as const;

interface DeclarationRecord {
  fingerprint: string;
  record: Record<string, unknown>;
  answer: Record<string, unknown>;
  step: number;
}

const ok = (message = 'success') => result('S', 'SUCCESS', message);
const CURRENCY_CODES = new Set<string>(Object.values(CURRENCY_VIOLATIONS));

/** PARAM_ILLEGAL (or CURRENCY_NOT_SUPPORT for the currency rules), signed, like the real gateway. */
function refuse(ctx: ExtraApiContext, issues: readonly ValidationIssue[]): ApiAnswer | undefined {
  if (issues.length === 0) return undefined;
  const currency = issues.every((i) => CURRENCY_CODES.has(i.code ?? ''));
  return ctx.reject(
    currency ? 'CURRENCY_NOT_SUPPORT' : 'PARAM_ILLEGAL',
    currency ? describeIssues(issues, Infinity) : `Illegal parameter: ${describeIssues(issues, Infinity)}`,
    true,
  );
}

/** The methods that can take an amount in `currency`: ALIPAY_CN for its payment currencies only, CARD always. */
export function paymentOptions(currency: string): Array<Record<string, unknown> & { paymentMethodType: string; enabled: boolean }> {
  const cn = (ALIPAY_CN_PAYMENT_CURRENCIES as readonly string[]).includes(currency);
  return [
    {
      paymentMethodType: 'ALIPAY_CN',
      paymentMethodCategory: 'WALLET',
      paymentMethodRegion: ['CN'],
      enabled: cn,
      ...(cn ? {} : { disableReason: 'CHANNEL_NOT_SUPPORT_CURRENCY' }),
      supportedCurrencies: [...ALIPAY_CN_PAYMENT_CURRENCIES],
    },
    { paymentMethodType: 'CARD', paymentMethodCategory: 'CARD', paymentMethodRegion: ['GLOBAL'], enabled: true },
  ];
}

/** The state and answers of the APIs beyond pay. One per gateway. */
export class ExtraApis {
  /** The gateway's captures (shared with inquiryPayment, which lists them in transactions[]). */
  readonly #captures: Map<string, CaptureRecord>;
  /** Sends notifyCapture to the payment's paymentNotifyUrl, signed and retried. */
  readonly #notifier: Notifier;
  readonly #declarations = new Map<string, DeclarationRecord>();
  /** Payment sessions (shared with the web SDK's pages and RPCs) and the region code they carry. */
  readonly #sessions: SessionStore;
  #seq = 0;

  constructor(captures: Map<string, CaptureRecord>, notifier: Notifier, sessions: SessionStore) {
    this.#captures = captures;
    this.#notifier = notifier;
    this.#sessions = sessions;
  }

  answer(api: ExtraApi, body: Record<string, unknown>, ctx: ExtraApiContext): ApiAnswer {
    switch (api) {
      case 'createPaymentSession':
        return createSession(body, ctx, this.#sessions, (issues) => refuse(ctx, issues));
      case 'retrievePaymentSession':
        return retrieveSession(body, ctx, this.#sessions, (issues) => refuse(ctx, issues));
      case 'consult':
        return this.#consult(body, ctx);
      case 'capture':
        return this.#capture(body, ctx);
      case 'declare':
        return this.#declare(body, ctx);
      case 'inquiryDeclarationRequests':
        return this.#inquireDeclarations(body, ctx);
    }
  }

  /** ALIPAY_CN is enabled for its payment currencies only; CARD always. */
  #consult(body: Record<string, unknown>, ctx: ExtraApiContext): ApiAnswer {
    const refused = refuse(ctx, consultRequestIssues(body));
    if (refused) return refused;
    const currency = (body.paymentAmount as { currency: string }).currency;
    return { signed: true, body: { result: ok(), paymentOptions: paymentOptions(currency) } };
  }

  /**
   * A capture takes part or all of a successful (authorized) payment: in its currency, and never more in total
   * than the payment's amount. The same captureRequestId gets the same answer; with other fields, REPEAT_REQ_INCONSISTENT.
   * A capture taken is announced by CAPTURE_RESULT to the payment's notify URL.
   */
  #capture(body: Record<string, unknown>, ctx: ExtraApiContext): ApiAnswer {
    const refused = refuse(ctx, captureRequestIssues(body));
    if (refused) return refused;
    const req = body as { captureRequestId: string; paymentId: string; captureAmount: { currency: string; value: string } };
    const key = `${ctx.scope}|${req.captureRequestId}`;
    const fingerprint = JSON.stringify([req.paymentId, req.captureAmount.currency, req.captureAmount.value]);
    const prior = this.#captures.get(key);
    if (prior) {
      if (prior.fingerprint !== fingerprint)
        return ctx.reject(
          'REPEAT_REQ_INCONSISTENT',
          `captureRequestId ${req.captureRequestId} was used before with another payment or amount`,
          true,
        );
      return { signed: true, body: prior.answer };
    }
    const payment = ctx.payment({ paymentId: req.paymentId });
    if (!payment) return ctx.reject('ORDER_NOT_EXIST', `no payment ${req.paymentId}`, true);
    if (payment.status !== 'SUCCESS')
      return ctx.reject(
        'ORDER_STATUS_INVALID',
        `payment ${req.paymentId} is ${payment.status}: only an authorized (successful) payment can be captured`,
        true,
      );
    if (payment.paymentAmount.currency !== req.captureAmount.currency) {
      return ctx.reject(
        'CURRENCY_NOT_SAME',
        `captureAmount is in ${req.captureAmount.currency}, the payment in ${payment.paymentAmount.currency}`,
        true,
      );
    }
    let captured = 0n;
    for (const c of this.#captures.values()) if (c.paymentId === req.paymentId) captured += BigInt(c.captureAmount.value);
    const value = BigInt(req.captureAmount.value);
    if (captured + value > BigInt(payment.paymentAmount.value)) {
      return ctx.reject(
        'CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT',
        `capturing ${value} would take ${captured + value} of the ${payment.paymentAmount.value} authorized (minor units)`,
        true,
      );
    }
    const answer = {
      result: ok(),
      captureRequestId: req.captureRequestId,
      captureId: `CAP${String(++this.#seq).padStart(6, '0')}${req.paymentId.slice(-8)}`,
      paymentId: req.paymentId,
      captureAmount: { ...req.captureAmount },
      captureTime: formatRequestTime(ctx.now),
    };
    const { captureRequestId, captureId, paymentId, captureAmount, captureTime } = answer;
    this.#captures.set(key, { captureRequestId, captureId, paymentId, captureAmount, captureTime, fingerprint, answer });
    const { result: _result, ...fields } = answer;
    if (payment.paymentNotifyUrl) {
      // An unusable notify URL is recorded in the delivery; the capture itself stands.
      void this.#notifier
        .deliver({
          kind: 'capture',
          notifyType: 'CAPTURE_RESULT',
          url: payment.paymentNotifyUrl,
          clientId: payment.clientId,
          paymentId: payment.paymentId,
          body: JSON.stringify({ notifyType: 'CAPTURE_RESULT', result: ok('success.'), ...fields }),
        })
        .catch(() => {});
    }
    return { signed: true, body: answer };
  }

  /**
   * A declaration is taken for a successful payment, in CNY, for at most the payment's customsDeclarationAmount (its
   * amount in CNY); its answer says only that it was taken. Its status then moves one step per inquiry through
   * DECLARATION_STATUSES.
   */
  #declare(body: Record<string, unknown>, ctx: ExtraApiContext): ApiAnswer {
    const refused = refuse(ctx, declareRequestIssues(body));
    if (refused) return refused;
    const req = body as {
      declarationRequestId: string;
      paymentId: string;
      declarationAmount: { currency: string; value: string };
      customs: Record<string, unknown>;
      merchantCustomsInfo: Record<string, unknown>;
      splitOrder: boolean | string;
      subOrderId?: string;
      suborderId?: string;
      buyerCertificate?: unknown;
    };
    const key = `${ctx.scope}|${req.declarationRequestId}`;
    const fingerprint = JSON.stringify([
      req.paymentId,
      req.declarationAmount.value,
      req.customs['customsCode'],
      String(req.splitOrder),
      req.subOrderId ?? req.suborderId ?? null,
    ]);
    const prior = this.#declarations.get(key);
    if (prior) {
      if (prior.fingerprint !== fingerprint)
        return ctx.reject(
          'REPEAT_REQ_INCONSISTENT',
          `declarationRequestId ${req.declarationRequestId} was used before with other fields`,
          true,
        );
      return { signed: true, body: prior.answer };
    }
    const payment = ctx.payment({ paymentId: req.paymentId });
    if (!payment) return ctx.reject('ORDER_NOT_EXIST', `no payment ${req.paymentId}`, true);
    if (payment.status !== 'SUCCESS')
      return ctx.reject(
        'ORDER_STATUS_INVALID',
        `payment ${req.paymentId} is ${payment.status}: only a successful payment can be declared`,
        true,
      );
    const declarable = cnyAmountOf(payment.paymentAmount);
    if (declarable && BigInt(req.declarationAmount.value) > BigInt(declarable.value)) {
      return ctx.reject(
        'PARAM_ILLEGAL',
        `Illegal parameter: declarationAmount ${req.declarationAmount.value} exceeds the payment's customsDeclarationAmount ${declarable.value} CNY`,
        true,
      );
    }
    const n = String(++this.#seq).padStart(6, '0');
    const customsPaymentId = `CP${n}${req.paymentId.slice(-8)}`;
    const customsOrderId = req.subOrderId ?? req.suborderId ?? `CO${n}`;
    const answer = {
      result: ok(),
      customsPaymentId,
      customsOrderId,
      ...(req.buyerCertificate ? { identityCheckResult: 'CHECK_PASSED' } : {}),
      clearingChannel: 'CUP',
    };
    const record = {
      declarationRequestId: req.declarationRequestId,
      customsPaymentId,
      customsOrderId,
      customs: req.customs,
      merchantCustomsInfo: req.merchantCustomsInfo,
      declarationAmount: { ...req.declarationAmount },
      splitOrder: req.splitOrder === true || req.splitOrder === 'true',
    };
    this.#declarations.set(key, { fingerprint, record, answer, step: 0 });
    return { signed: true, body: answer };
  }

  #inquireDeclarations(body: Record<string, unknown>, ctx: ExtraApiContext): ApiAnswer {
    const refused = refuse(ctx, inquiryDeclarationRequestIssues(body));
    if (refused) return refused;
    const records: Record<string, unknown>[] = [];
    const notFound: string[] = [];
    for (const id of body.declarationRequestIds as string[]) {
      const d = this.#declarations.get(`${ctx.scope}|${id}`);
      if (!d) {
        notFound.push(id);
        continue;
      }
      const status = DECLARATION_STATUSES[Math.min(d.step, DECLARATION_STATUSES.length - 1)]!;
      d.step += 1;
      const done = status === 'SUCCESS';
      records.push({
        ...d.record,
        declarationRequestStatus: status,
        lastModifiedTime: formatRequestTime(ctx.now),
        ...(done
          ? {
              customsDeclarationResultCode: 'SUCCESS',
              customsDeclarationResultDesc: 'accepted by customs (embedded gateway)',
              customsDeclarationReturnTime: formatRequestTime(ctx.now),
            }
          : {}),
      });
    }
    return { signed: true, body: { result: ok(), declarationRecords: records, declarationRequestsNotFound: notFound } };
  }
}
