// The merchant's ledger in a reconciliation: its entries checked, indexed by request id and Antom id, each claimed once.
import { type ValidationIssue } from '../errors';
import { isMinorUnitValue } from '../rules/amounts';
import { CurrencyCode } from '../schemas/common';
import type { LedgerEntry, RowPlace } from './reconcile-types';
import type { ReportRow } from './rows';

function key(type: string, id: string): string {
  return `${type}|${id}`;
}

/** The merchant's own request id of an entry: the refund's for a refund, else the payment's. */
export function requestIdOf(e: LedgerEntry): string | undefined {
  return e.refundRequestId ?? e.paymentRequestId;
}

/** Antom's id of an entry: the refund's for a refund, the dispute's for a dispute, else the payment's. */
function antomIdOf(e: LedgerEntry): string | undefined {
  return e.refundId ?? e.disputeId ?? e.paymentId;
}

/**
 * The report rows a dispute entry is found by: its disputeId (older reports write it as the row's transactionId) and
 * its paymentId (the newest reports write the payment's id for every type, and no request id for disputes).
 */
export const DISPUTE_TYPES: ReadonlySet<string> = new Set(['DISPUTE', 'DISPUTE_REVERSAL']);

/** How an entry is named for people: its request id, else its Antom id. */
export function ledgerLabel(e: LedgerEntry): string {
  return requestIdOf(e) ?? antomIdOf(e) ?? '?';
}

/** Checks every entry (all problems at once) and upper-cases the types. */
export function readLedger(ledger: Iterable<LedgerEntry>, issues: ValidationIssue[]): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  if (ledger === null || typeof (ledger as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') {
    issues.push({ field: 'ledger', message: 'must be an array (or any iterable) of ledger entries' });
    return entries;
  }
  let i = 0;
  for (const e of ledger) {
    const at = `ledger[${i++}]`;
    if (!e || typeof e !== 'object') {
      issues.push({ field: at, message: 'must be an object' });
      continue;
    }
    if (typeof e.type !== 'string' || e.type === '') issues.push({ field: `${at}.type`, message: 'is missing: PAYMENT, REFUND…' });
    for (const id of ['paymentRequestId', 'refundRequestId', 'paymentId', 'refundId', 'disputeId'] as const)
      if (e[id] !== undefined && (typeof e[id] !== 'string' || e[id] === ''))
        issues.push({ field: `${at}.${id}`, message: 'must be a non-empty string when given' });
    if (!e.paymentRequestId && !e.refundRequestId && !e.paymentId && !e.refundId && !e.disputeId)
      issues.push({ field: at, message: 'has no paymentRequestId, refundRequestId, paymentId, refundId or disputeId to match on' });
    if (!e.amount || !CurrencyCode().safeParse(e.amount.currency).success)
      issues.push({ field: `${at}.amount.currency`, message: 'must be an ISO 4217 code such as "USD"' });
    if (!e.amount || !isMinorUnitValue(e.amount.value))
      issues.push({
        field: `${at}.amount.value`,
        message: `must be a positive integer string in minor units such as "1450" (got ${JSON.stringify(e.amount?.value)?.slice(0, 40)})`,
      });
    entries.push({ ...e, type: String(e.type).toUpperCase() });
  }
  return entries;
}

/** The ledger indexed for matching; an entry is claimed by at most one report row. */
export class LedgerIndex {
  readonly entries: readonly LedgerEntry[];
  /** Keys (type|request id or type|Antom id) that two entries share: each a duplicate in the ledger. */
  readonly duplicates: Array<{ key: string; at: number[] }> = [];
  #byRequest = new Map<string, LedgerEntry>();
  #byId = new Map<string, LedgerEntry>();
  #claimedBy = new Map<LedgerEntry, RowPlace>();

  constructor(entries: readonly LedgerEntry[]) {
    this.entries = entries;
    const seen = new Map<string, number[]>();
    entries.forEach((e, i) => {
      const requestId = requestIdOf(e);
      const id = antomIdOf(e);
      const k = key(e.type, requestId ?? id!);
      const at = seen.get(k);
      if (at) at.push(i);
      else seen.set(k, [i]);
      if (requestId && !this.#byRequest.has(key(e.type, requestId))) this.#byRequest.set(key(e.type, requestId), e);
      if (id && !this.#byId.has(key(e.type, id))) this.#byId.set(key(e.type, id), e);
      if (DISPUTE_TYPES.has(e.type) && e.paymentId && !this.#byId.has(key(e.type, e.paymentId)))
        this.#byId.set(key(e.type, e.paymentId), e);
    });
    for (const [k, at] of seen) if (at.length > 1) this.duplicates.push({ key: k, at });
  }

  /**
   * The entry a row is about: by the merchant's request id, else by Antom's id, but never an entry that carries a
   * different request id (in the newest reports a refund's transactionId is its payment's id, shared by every
   * partial refund of that payment; only the request id tells them apart).
   */
  find(row: ReportRow): LedgerEntry | undefined {
    const type = row.transactionType ?? '';
    const requestId = row.transactionRequestId;
    if (requestId) {
      const byRequest = this.#byRequest.get(key(type, requestId));
      if (byRequest) return byRequest;
    }
    if (!row.transactionId) return undefined;
    const byId = this.#byId.get(key(type, row.transactionId));
    if (!byId) return undefined;
    const theirs = requestIdOf(byId);
    return requestId && theirs && theirs !== requestId ? undefined : byId;
  }

  /** Claims the entry for the row; returns where the row that claimed it first is when it already was claimed. */
  claim(entry: LedgerEntry, row: RowPlace): RowPlace | undefined {
    const first = this.#claimedBy.get(entry);
    if (first) return first;
    this.#claimedBy.set(entry, { file: row.file, line: row.line });
    return undefined;
  }

  /** Gives an entry back (the row that claimed it was replaced by a reissue that does not). */
  unclaim(entry: LedgerEntry): void {
    this.#claimedBy.delete(entry);
  }

  isClaimed(entry: LedgerEntry): boolean {
    return this.#claimedBy.has(entry);
  }
}
