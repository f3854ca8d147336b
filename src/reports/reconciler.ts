// The reconciliation engine: rows fed one at a time (summaries, settlement items, then transaction details); findings kept bounded.
import { Batch, rowRef, type RowRef } from './batch';
import type { ReportKind } from './columns';
import { fingerprint, KeySet } from './key-set';
import { DISPUTE_TYPES, LedgerIndex, requestIdOf } from './ledger';
import type { Duplicate, FindingList, LedgerEntry, RowError, RowPlace } from './reconcile-types';
import { LEDGER_TYPES, REQUEST_ID_TYPES, rowProblems, TYPE_PATTERN, typeProblem } from './row-checks';
import { reportError, type ReportRow } from './rows';
import { isCorrectionRow } from './summary-check';
import { AMOUNT_UNITS, minorUnits, type AmountUnit } from './units';

/** A row as findings keep it until its batch's unit is known. */
export interface RawRef extends RowRef {
  batch: Batch;
}

export type Deferred<T> = { raw: RawRef } & T;

/** A transaction-details status under which money moved; any other status (FAIL, PROCESSING, unknown) is not money. */
const MOVED_STATUS = /^SUCC/i;
/** The pseudo-batch of transaction-details rows, when they are what the ledger is matched against. */
export const DETAILS_BATCH = '(transaction details)';
/** A day holds a handful of settlement batches: far more is not a settlement, and each batch costs memory. */
export const MAX_BATCHES = 10_000;
/** How many reissuable transaction-details rows are remembered so a later copy can replace them. */
const MAX_UNDO = 1_000_000;

export interface EngineOptions {
  ledger: readonly LedgerEntry[] | undefined;
  /** The unit every amount is read in, when given; otherwise decided per batch. */
  unit: AmountUnit | undefined;
  /** The most findings kept per list. */
  keep: number;
  /** No settlement details were given: the ledger is matched against the transaction details. */
  detailsArePrimary: boolean;
  /** Four random 32-bit words for the duplicate fingerprints (drawn by the caller: the engine reads no randomness). */
  seed: readonly [number, number, number, number];
}

/** What an earlier transaction-details row left, to be taken back when a reissue of it says something else. */
type Undo = { kind: 'claim'; entry: LedgerEntry } | { kind: 'notMoved' | 'notInLedger'; key: string };

/** The key a report row is known by: in the newest reports transactionId is the payment's id for every type. */
export function rowKey(row: ReportRow): string {
  return `${row.transactionId ?? ''}|${row.transactionType ?? ''}|${row.transactionRequestId ?? ''}`;
}

/**
 * What a transaction-details row says (status and amount) as one seeded word: a copy has the same, a changed row
 * another. Seeded, like the keys, so that nobody who writes a report can make a changed row pass for a copy.
 */
function digest(row: ReportRow, seed: readonly [number, number]): number {
  const a = row.amounts['transactionAmountValue'];
  return fingerprint(`${row.values['status'] ?? ''}|${a?.value ?? ''}|${a?.currency ?? ''}`, seed[0], seed[1])[1];
}

function emptyCounts(): Record<FindingList, number> {
  return {
    summaryMismatches: 0,
    adjustments: 0,
    notInLedger: 0,
    unsettled: 0,
    amountMismatches: 0,
    duplicates: 0,
    rowErrors: 0,
    batchErrors: 0,
    notMoved: 0,
  };
}

/** Feeds rows in, in order (all summaries and settlement items before any transaction details), then reads the state. */
export class Reconciler {
  readonly options: EngineOptions;
  readonly units: readonly AmountUnit[];
  readonly ledger: LedgerIndex | undefined;
  readonly batches = new Map<string, Batch>();
  readonly detailsBatch: Batch;
  readonly counts = emptyCounts();
  readonly duplicates: Duplicate[] = [];
  readonly adjustments: Array<Deferred<{ report: 'settlementSummary' | 'settlementItems'; type: string }>> = [];
  readonly notInLedger = new Map<string, Deferred<{ report: ReportKind }>>();
  readonly rowErrors: Array<Deferred<Pick<RowError, 'report' | 'problem' | 'column' | 'message'>>> = [];
  readonly notMoved = new Map<string, Deferred<{ status: string }>>();
  readonly matches = new Map<LedgerEntry, Deferred<{ entry: LedgerEntry }>>();
  readonly inDetails = new Set<LedgerEntry>();
  latest: number | undefined;
  readonly #itemKeys: KeySet;
  readonly #requestKeys: KeySet;
  readonly #detailKeys: KeySet;
  readonly #digestSeed: readonly [number, number];
  readonly #undo = new Map<string, Undo>();
  #undoFull = false;
  readonly #fileNames: string[] = [];
  #findingSeq = 0;

  constructor(options: EngineOptions) {
    this.options = options;
    this.units = options.unit ? [options.unit] : AMOUNT_UNITS;
    this.ledger = options.ledger ? new LedgerIndex(options.ledger) : undefined;
    this.detailsBatch = new Batch(DETAILS_BATCH, this.units, options.keep);
    const [a, b, c, d] = options.seed;
    this.#itemKeys = new KeySet([a, b]);
    this.#requestKeys = new KeySet([b, c]);
    this.#detailKeys = new KeySet([c, d]);
    this.#digestSeed = [d, a];
  }

  /** Registers a file; its index is what duplicate detection remembers rows by. */
  file(name: string): number {
    this.#fileNames.push(name);
    return this.#fileNames.length - 1;
  }

  #place(file: number, line: number): RowPlace {
    return { file: this.#fileNames[file], line };
  }

  summary(row: ReportRow): void {
    this.#noteTime(row);
    const batch = this.#batch(row);
    batch.addSummary(row);
    const type = row.summaryType ?? '';
    const unknown = typeProblem(type, 'summaryType', 'against the items');
    if (unknown) this.#rowError(this.#raw(row, batch), 'settlementSummary', unknown);
    else if (isCorrectionRow(row))
      this.#keep('adjustments', this.adjustments, { raw: this.#raw(row, batch), report: 'settlementSummary', type });
  }

  item(row: ReportRow, file: number): void {
    this.#noteTime(row);
    const batch = this.#batch(row);
    batch.addItem(row);
    const raw = this.#raw(row, batch);
    const type = row.transactionType ?? '';
    const problems = rowProblems(row, true);
    for (const p of problems) this.#rowError(raw, 'settlementItems', p);
    if (row.transactionId || row.transactionRequestId) {
      const first = this.#itemKeys.add(rowKey(row), { file, line: row.line });
      if (first) {
        this.#duplicate('settlementItems', row, this.#place(first.file, first.line));
        return;
      }
      // One request id settled twice under two Antom ids is a second payment of one order, ledger or not.
      if (row.transactionRequestId && REQUEST_ID_TYPES.has(type)) {
        const again = this.#requestKeys.add(`${type}|${row.transactionRequestId}`, { file, line: row.line });
        if (again) {
          this.#duplicate('settlementItems', row, this.#place(again.file, again.line));
          return;
        }
      }
    }
    if (!LEDGER_TYPES.has(type)) {
      // A dispute the merchant recorded (from its dispute notification) is matched like a transaction; one it did not
      // record stays a batch-level row, as every other dispute row.
      const dispute = DISPUTE_TYPES.has(type) ? this.ledger?.find(row) : undefined;
      if (dispute) this.#match(row, raw, false, 'settlementItems');
      else if (TYPE_PATTERN.test(type)) this.#keep('adjustments', this.adjustments, { raw, report: 'settlementItems', type });
      return;
    }
    this.#match(
      row,
      raw,
      problems.some((p) => p.problem === 'missing_id'),
      'settlementItems',
    );
  }

  /**
   * A transaction-details row. Reports are reissued (T+2 with fuller fee data): a row whose key was seen is a copy
   * when it says the same (ignored), and replaces the earlier row when it says something else, which takes back what
   * the earlier one claimed or was reported as.
   */
  detail(row: ReportRow, file: number): void {
    const type = row.transactionType ?? '';
    const isTransaction = LEDGER_TYPES.has(type);
    const primary = this.options.detailsArePrimary;
    const batch = primary ? this.detailsBatch : (this.batches.get(row.settlementBatchId ?? '') ?? this.#onlyBatch());
    const raw = this.#raw(row, batch);
    const key = rowKey(row);
    if (row.transactionId || row.transactionRequestId) {
      const tag = digest(row, this.#digestSeed);
      const earlier = this.#detailKeys.add(key, { file, line: row.line, tag });
      if (earlier) {
        if (earlier.tag === tag) return;
        this.#detailKeys.update(key, { file, line: row.line, tag });
        if (!this.#takeBack(key)) {
          this.#rowError(raw, 'transactionItems', {
            problem: 'reissue',
            column: undefined,
            message: 'a reissue of a row that says something else, beyond what can be taken back here: reconcile fewer files at once',
          });
          return;
        }
      }
    }
    const entry = isTransaction ? this.ledger?.find(row) : undefined;
    if (entry) this.inDetails.add(entry);
    const status = row.values['status'] ?? '';
    if (status !== '' && !MOVED_STATUS.test(status)) {
      this.#keepKeyed('notMoved', this.notMoved, key, { raw, status });
      this.#remember(key, { kind: 'notMoved', key });
      return;
    }
    if (primary) {
      batch.addDetail(row);
      const problems = rowProblems(row, false);
      for (const p of problems) this.#rowError(raw, 'transactionItems', p);
      if (isTransaction)
        this.#match(
          row,
          raw,
          problems.some((p) => p.problem === 'missing_id'),
          'transactionItems',
          key,
        );
      return;
    }
    // Settled rows were matched (or reported) from the settlement details.
    if (this.ledger && !entry && isTransaction && (row.transactionId || row.transactionRequestId) && !this.#itemKeys.has(key)) {
      this.#keepKeyed('notInLedger', this.notInLedger, key, { raw, report: 'transactionItems' });
      this.#remember(key, { kind: 'notInLedger', key });
    }
  }

  #batch(row: ReportRow): Batch {
    const id = row.settlementBatchId ?? '';
    let batch = this.batches.get(id);
    if (!batch) {
      if (this.batches.size >= MAX_BATCHES)
        throw reportError(
          row.file ?? '(report)',
          row.line,
          'settlementBatchId',
          `more than ${MAX_BATCHES} settlement batches in one reconciliation: not a day's settlement (reconcile a day at a time)`,
        );
      this.batches.set(id, (batch = new Batch(id, this.units, this.options.keep)));
    }
    return batch;
  }

  /** The one settlement batch, for transaction details that name none; else the details' own pseudo-batch. */
  #onlyBatch(): Batch {
    return this.batches.size === 1 ? this.batches.values().next().value! : this.detailsBatch;
  }

  #raw(row: ReportRow, batch: Batch): RawRef {
    return { ...rowRef(row), batch };
  }

  #noteTime(row: ReportRow): void {
    const t = row.times['settlementTime'] ?? row.times['settlementInitiatedDate'];
    const ms = t !== undefined ? Date.parse(t) : NaN;
    if (Number.isFinite(ms) && (this.latest === undefined || ms > this.latest)) this.latest = ms;
  }

  #keep<T>(list: FindingList, store: T[], finding: T): void {
    this.counts[list]++;
    if (store.length < this.options.keep) store.push(finding);
  }

  /** A finding that a reissue may take back, kept by its row key (the first `keep` of them; all are counted). */
  #keepKeyed<T>(list: FindingList, store: Map<string, T>, key: string, finding: T): void {
    this.counts[list]++;
    // A key already there (a row that could not be taken back) is told apart rather than overwritten.
    const k = store.has(key) ? `${key}#${++this.#findingSeq}` : key;
    if (store.size < this.options.keep) store.set(k, finding);
  }

  #remember(key: string, undo: Undo): void {
    if (this.#undo.size >= MAX_UNDO) this.#undoFull = true;
    else this.#undo.set(key, undo);
  }

  /** Takes back what an earlier transaction-details row of this key produced; false when that is not known. */
  #takeBack(key: string): boolean {
    const undo = this.#undo.get(key);
    if (!undo) return !this.#undoFull;
    this.#undo.delete(key);
    if (undo.kind === 'claim') {
      this.ledger!.unclaim(undo.entry);
      this.matches.delete(undo.entry);
    } else {
      const store = undo.kind === 'notMoved' ? this.notMoved : this.notInLedger;
      store.delete(undo.key);
      this.counts[undo.kind]--;
    }
    return true;
  }

  #rowError(raw: RawRef, report: ReportKind, p: Pick<RowError, 'problem' | 'column' | 'message'>): void {
    this.#keep('rowErrors', this.rowErrors, { raw, report, ...p });
  }

  #duplicate(report: ReportKind, row: ReportRow, first: RowPlace, entry?: LedgerEntry): void {
    this.#keep('duplicates', this.duplicates, {
      report,
      key: rowKey(row),
      transactionRequestId: row.transactionRequestId ?? (entry && requestIdOf(entry)),
      occurrences: [first, { file: row.file, line: row.line }],
    });
  }

  /** Matches a transaction row with the ledger entry it is about; an entry is claimed by one row at most. */
  #match(row: ReportRow, raw: RawRef, idsMissing: boolean, report: ReportKind, detailKey?: string): void {
    if (!this.ledger) return;
    const entry = idsMissing ? undefined : this.ledger.find(row);
    if (!entry) {
      this.#keepKeyed('notInLedger', this.notInLedger, detailKey ?? `${raw.file ?? ''}:${raw.line}`, { raw, report });
      if (detailKey !== undefined) this.#remember(detailKey, { kind: 'notInLedger', key: detailKey });
      return;
    }
    const first = this.ledger.claim(entry, row);
    if (first) {
      this.#duplicate(report, row, first, entry);
      return;
    }
    this.matches.set(entry, { raw, entry });
    if (detailKey !== undefined) this.#remember(detailKey, { kind: 'claim', entry });
    const amount = raw.transaction;
    if (!amount || amount.currency !== entry.amount.currency) return;
    for (const unit of this.units) {
      const v = minorUnits(amount, unit);
      if (v !== undefined && (v < 0n ? -v : v).toString() === entry.amount.value)
        raw.batch.noteLedgerHit(unit, report === 'transactionItems');
    }
  }
}
