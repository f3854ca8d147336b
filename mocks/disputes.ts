// Disputes at the gateway: a paid payment disputed on Antom's schedule, the merchant's defense or acceptance, and the notifyDispute notifications that follow.
import { acceptDisputeRequestIssues, downloadDisputeEvidenceRequestIssues, supplyDefenseDocumentRequestIssues } from '../src/api/disputes';
import type { ValidationIssue } from '../src/errors';
import { formatRequestTime, parseRequestTime } from '../src/rules/time';
import { describeIssues, result, type ApiAnswer, type Reject } from './answers';
import { disputeTemplatePdf, evidenceFormatOf } from './evidence';
import type { Notifier } from './notifier';
import { scopeOf, type GatewayContext } from './state';
import type { DisputeOptions, DisputeRecord, PaymentRecord } from './types';

/** The dispute APIs the gateway answers. */
export const DISPUTE_APIS = ['acceptDispute', 'supplyDefenseDocument', 'downloadDisputeEvidence'] as const;
export type DisputeApi = (typeof DISPUTE_APIS)[number];

/**
 * The schedule, as Antom's dispute guide and notifyDispute reference give it: the merchant has until `defenseDueTime`
 * (11 days in the guide's sample notification), DEFENSE_DUE_ALERT comes 24 hours before it, and a dispute neither
 * defended nor accepted by then is accepted for the merchant (DISPUTE_ACCEPTED, `disputeAcceptReason` TIMEOUT, the
 * SDKs' enum). The judgement of a defense takes weeks at the card schemes: 30 days here unless told otherwise.
 */
export const DISPUTE_SCHEDULE_MS = Object.freeze({
  defendWithin: 11 * 24 * 3_600_000,
  alertBefore: 24 * 3_600_000,
  judgedAfter: 30 * 24 * 3_600_000,
});

/** setTimeout's largest delay; a longer wait is taken in steps. */
const MAX_TIMER_MS = 2_147_483_647;

const ok = () => result('S', 'SUCCESS', 'success.');

/** What the desk needs of the gateway, per call. */
export interface DisputeCallContext {
  /** `clientId|agentToken`: a merchant sees its own disputes only. */
  scope: string;
  reject: Reject;
}

/** The gateway's disputes: their state, the answers of the dispute APIs, and the timers of their schedule. */
export class DisputeDesk {
  readonly disputes = new Map<string, DisputeRecord>();
  readonly #ctx: GatewayContext;
  /** Divides every wait of the schedule (not the times written in the notifications). */
  readonly #compression: number;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #closed = false;

  constructor(ctx: GatewayContext, compression: number) {
    this.#ctx = ctx;
    this.#compression = compression;
  }

  get #notifier(): Notifier {
    return this.#ctx.notifier;
  }

  /**
   * Opens a dispute on a SUCCESS payment and sends DISPUTE_CREATED; resolves after its first delivery attempt. Throws
   * TypeError for a payment that is not paid, an amount over it, or no notify URL to send to.
   */
  async open(p: PaymentRecord, options: DisputeOptions = {}): Promise<DisputeRecord> {
    if (this.#closed) throw new TypeError('the gateway is closed');
    if (p.status !== 'SUCCESS') throw new TypeError(`payment ${p.paymentId} is ${p.status}: only a paid (SUCCESS) payment can be disputed`);
    const amount = options.amount ?? p.paymentAmount;
    const within = /^\d{1,32}$/.test(amount.value) && BigInt(amount.value) > 0n && BigInt(amount.value) <= BigInt(p.paymentAmount.value);
    if (amount.currency !== p.paymentAmount.currency || !within)
      throw new TypeError(
        `dispute amount ${amount.value} ${amount.currency} is not within the payment's ${p.paymentAmount.value} ${p.paymentAmount.currency}`,
      );
    const notifyUrl = options.notifyUrl ?? p.paymentNotifyUrl;
    if (!notifyUrl)
      throw new TypeError(
        `payment ${p.paymentId} has no paymentNotifyUrl: give notifyUrl (Antom sends disputes to the notification URL set in its Dashboard)`,
      );
    const defendWithin = positive(options.defendWithinMs, DISPUTE_SCHEDULE_MS.defendWithin, 'defendWithinMs');
    const now = this.#ctx.clock.now();
    const record: DisputeRecord = {
      disputeId: this.#ctx.state.newId('D', now),
      paymentId: p.paymentId,
      paymentRequestId: p.paymentRequestId,
      clientId: p.clientId,
      scope: scopeOf(p),
      status: 'OPEN',
      disputeAmount: { currency: amount.currency, value: amount.value },
      disputeTime: formatRequestTime(now),
      defenseDueTime: formatRequestTime(new Date(now.getTime() + defendWithin)),
      disputeReasonCode: options.reasonCode ?? '4853',
      disputeReasonMsg: options.reasonMsg ?? 'Cardholder dispute: goods or services not as described',
      disputeSource: options.source ?? 'Mastercard',
      disputeType: options.type ?? 'CHARGEBACK',
      defendable: options.defendable ?? true,
      judgedResult: options.judgedResult ?? 'ACCEPT_BY_CUSTOMER',
      judgedAfterMs: positive(options.judgedAfterMs, DISPUTE_SCHEDULE_MS.judgedAfter, 'judgedAfterMs'),
      notifyUrl,
      evidence: undefined,
      resolutionTime: undefined,
      acceptReason: undefined,
      judgedTime: undefined,
    };
    this.disputes.set(record.disputeId, record);
    this.#ctx.emit({ type: 'dispute.created', paymentId: p.paymentId, disputeId: record.disputeId });
    // The alert and the deadline run on their own: each finds the dispute as it is then.
    this.#after(Math.max(0, defendWithin - DISPUTE_SCHEDULE_MS.alertBefore), () => {
      if (record.status === 'OPEN') void this.#notify(record, 'DEFENSE_DUE_ALERT');
    });
    this.#after(defendWithin, () => void this.#timeout(record));
    await this.#notify(record, 'DISPUTE_CREATED');
    return record;
  }

  /** Judges an open or defended dispute now (a card scheme's decision) and sends DISPUTE_JUDGED. */
  async judge(disputeId: string, judgedResult?: DisputeRecord['judgedResult']): Promise<DisputeRecord> {
    const d = this.#get(disputeId);
    if (d.status !== 'OPEN' && d.status !== 'DEFENDED') throw new TypeError(`dispute ${disputeId} is ${d.status}: it cannot be judged`);
    if (judgedResult !== undefined) d.judgedResult = judgedResult;
    d.status = 'JUDGED';
    d.judgedTime = formatRequestTime(this.#ctx.clock.now());
    this.#ctx.emit({ type: 'dispute.judged', paymentId: d.paymentId, disputeId, resultCode: d.judgedResult });
    await this.#notify(d, 'DISPUTE_JUDGED');
    return d;
  }

  /** The buyer withdraws an open or defended dispute: DISPUTE_CANCELLED. */
  async cancel(disputeId: string): Promise<DisputeRecord> {
    const d = this.#get(disputeId);
    if (d.status !== 'OPEN' && d.status !== 'DEFENDED') throw new TypeError(`dispute ${disputeId} is ${d.status}: it cannot be cancelled`);
    d.status = 'CANCELLED';
    this.#ctx.emit({ type: 'dispute.cancelled', paymentId: d.paymentId, disputeId });
    await this.#notify(d, 'DISPUTE_CANCELLED');
    return d;
  }

  answer(api: DisputeApi, body: Record<string, unknown>, call: DisputeCallContext): ApiAnswer {
    const check =
      api === 'acceptDispute'
        ? acceptDisputeRequestIssues
        : api === 'supplyDefenseDocument'
          ? supplyDefenseDocumentRequestIssues
          : downloadDisputeEvidenceRequestIssues;
    const issues: ValidationIssue[] = check(body);
    if (issues.length > 0) return call.reject('PARAM_ILLEGAL', `Illegal parameter: ${describeIssues(issues)}`, true);
    const disputeId = body.disputeId as string;
    const d = this.disputes.get(disputeId);
    if (!d || d.scope !== call.scope)
      return call.reject('PARAM_ILLEGAL', `Illegal parameter: disputeId ${disputeId} is not a dispute of yours`, true);
    if (api === 'downloadDisputeEvidence') return this.#download(d, body.disputeEvidenceType as string, call);
    const refused = this.#refuseResponse(d, api, call);
    if (refused) return refused;
    const now = formatRequestTime(this.#ctx.clock.now());
    d.resolutionTime = now;
    if (api === 'acceptDispute') {
      d.status = 'ACCEPTED';
      d.acceptReason = 'MERCHANT_ACCEPTED';
      this.#ctx.emit({ type: 'dispute.accepted', paymentId: d.paymentId, disputeId });
      void this.#notify(d, 'DISPUTE_ACCEPTED');
    } else {
      d.status = 'DEFENDED';
      d.evidence = body.disputeEvidence as string;
      this.#ctx.emit({ type: 'dispute.defended', paymentId: d.paymentId, disputeId });
      void this.#notify(d, 'DEFENSE_SUPPLIED');
      this.#after(d.judgedAfterMs, () => {
        if (d.status === 'DEFENDED') void this.judge(disputeId).catch(() => undefined);
      });
    }
    return { signed: true, body: { result: ok(), disputeId, disputeResolutionTime: now } };
  }

  /** Stops every timer of every schedule. */
  close(): void {
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  /**
   * Why a response (an acceptance or a defense) is refused, as Antom answers: past the deadline TIME_EXCEEDS_LIMIT; a
   * dispute already answered, judged or withdrawn REPEAT_REQUEST; a defense of a dispute that cannot be defended
   * NOT_ALLOW_IN_CURRENT_STATUS.
   */
  #refuseResponse(d: DisputeRecord, api: DisputeApi, call: DisputeCallContext): ApiAnswer | undefined {
    const due = parseRequestTime(d.defenseDueTime) ?? 0;
    if ((d.status === 'ACCEPTED' && d.acceptReason === 'TIMEOUT') || (d.status === 'OPEN' && this.#ctx.clock.now().getTime() >= due))
      return call.reject('TIME_EXCEEDS_LIMIT', `the defense of dispute ${d.disputeId} was due by ${d.defenseDueTime}`, true);
    if (d.status !== 'OPEN') return call.reject('REPEAT_REQUEST', `dispute ${d.disputeId} is already ${d.status.toLowerCase()}`, true);
    if (api === 'supplyDefenseDocument' && !d.defendable)
      return call.reject('NOT_ALLOW_IN_CURRENT_STATUS', `dispute ${d.disputeId} cannot be defended (defendable: false): accept it`, true);
    return undefined;
  }

  #download(d: DisputeRecord, type: string, call: DisputeCallContext): ApiAnswer {
    if (type === 'DISPUTE_EVIDENCE_TEMPLATE') {
      const pdf = disputeTemplatePdf(d);
      return { signed: true, body: { result: ok(), disputeEvidence: pdf.toString('base64'), disputeEvidenceFormat: 'PDF' } };
    }
    if (d.evidence === undefined)
      return call.reject('PARAM_ILLEGAL', `Illegal parameter: no defense document was supplied for dispute ${d.disputeId}`, true);
    return { signed: true, body: { result: ok(), disputeEvidence: d.evidence, disputeEvidenceFormat: evidenceFormatOf(d.evidence) } };
  }

  /** The deadline passed with no answer: accepted for the merchant. */
  async #timeout(d: DisputeRecord): Promise<void> {
    if (d.status !== 'OPEN') return;
    d.status = 'ACCEPTED';
    d.acceptReason = 'TIMEOUT';
    d.resolutionTime = formatRequestTime(this.#ctx.clock.now());
    this.#ctx.emit({
      type: 'dispute.accepted',
      paymentId: d.paymentId,
      disputeId: d.disputeId,
      message: 'the defense was not supplied in time',
    });
    await this.#notify(d, 'DISPUTE_ACCEPTED');
  }

  #get(disputeId: string): DisputeRecord {
    const d = this.disputes.get(disputeId);
    if (!d) throw new TypeError(`no dispute ${disputeId}`);
    return d;
  }

  /** Runs `fn` after `ms` of the schedule (divided by the compression), in steps setTimeout can take. */
  #after(ms: number, fn: () => void): void {
    if (this.#closed) return;
    const wait = ms / this.#compression;
    const timer = setTimeout(
      () => {
        this.#timers.delete(timer);
        if (wait > MAX_TIMER_MS) this.#after((wait - MAX_TIMER_MS) * this.#compression, fn);
        else fn();
      },
      Math.min(wait, MAX_TIMER_MS),
    );
    this.#timers.add(timer);
  }

  /** notifyDispute for one step, signed and retried like every notification; resolves after its first attempt. */
  async #notify(d: DisputeRecord, type: string): Promise<void> {
    try {
      await this.#notifier.deliver({
        kind: 'dispute',
        notifyType: type,
        url: d.notifyUrl,
        clientId: d.clientId,
        paymentId: d.paymentId,
        disputeId: d.disputeId,
        body: JSON.stringify(disputeNotification(d, type)),
      });
    } catch {
      // An unusable notify URL is recorded in the delivery; the dispute itself stands.
    }
  }
}

/**
 * The body of a notifyDispute, without notifyType, with the fields the reference says each step carries: the
 * amount, reason, source and deadline when created; the deadline again in the alert; the acceptance's reason and time;
 * the judgement's result, time, reason and (when the merchant is liable) the amount charged back.
 */
export function disputeNotification(d: DisputeRecord, type: string): Record<string, unknown> {
  const base = { paymentRequestId: d.paymentRequestId, disputeId: d.disputeId, paymentId: d.paymentId, disputeTime: d.disputeTime };
  const reason = { disputeReasonCode: d.disputeReasonCode, disputeReasonMsg: d.disputeReasonMsg, disputeSource: d.disputeSource };
  switch (type) {
    case 'DISPUTE_CREATED':
      return {
        ...base,
        disputeNotificationType: type,
        disputeAmount: d.disputeAmount,
        defenseDueTime: d.defenseDueTime,
        ...reason,
        disputeType: d.disputeType,
        defendable: d.defendable,
      };
    case 'DEFENSE_DUE_ALERT':
      return { ...base, disputeNotificationType: type, defenseDueTime: d.defenseDueTime };
    case 'DISPUTE_ACCEPTED':
      return { ...base, disputeNotificationType: type, disputeAcceptReason: d.acceptReason, disputeAcceptTime: d.resolutionTime };
    case 'DISPUTE_JUDGED':
      return {
        ...base,
        disputeNotificationType: type,
        disputeJudgedTime: d.judgedTime,
        disputeJudgedResult: d.judgedResult,
        ...(d.judgedResult === 'ACCEPT_BY_MERCHANT' ? { disputeJudgedAmount: d.disputeAmount } : {}),
        ...reason,
      };
    default:
      return { ...base, disputeNotificationType: type };
  }
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`${name} must be a positive number of milliseconds`);
  return value;
}
