// The reconciliation engine: rows fed one at a time (summaries, settlement items, then transaction details), findings at the end.
import { Batch, type Unreadable } from './batch';
import { KeySet } from './key-set';
import { LedgerIndex, requestIdOf } from './ledger';
import type {
  Adjustment,
  BatchError,
  Duplicate,
  FindingList,
  ItemRef,
  LedgerEntry,
  Money,
  ReconciledFile,
  ReconciliationReport,
  RowError,
  RowPlace,
} from './reconcile-types';
import { FEE_COLUMNS, type FeeColumn, type ReportKind } from './columns';
import type { ReportAmount, ReportRow } from './rows';
import { EXPECTED_SIGN, LEDGER_TYPES, REQUEST_ID_TYPES, checkSummary, isCorrectionRow } from './summary-check';
import { AMOUNT_UNITS, minorUnits, unitProblem, type AmountUnit } from './units';

/** A row as findings keep it until its batch's unit is known: ids, place and the two amounts as written. */
interface RawRef {
  file: string | undefined;
  line: number;
  batch: Batch;
  transactionType: string | undefined;
  transactionId: string | undefined;
  transactionRequestId: string | undefined;
  transaction: ReportAmount | undefined;
  settlement: ReportAmount | undefined;
}

type Deferred<T> = { raw: RawRef } & T;

/** A transaction-details status under which money moved; any other status (FAIL, PROCESSING, unknown) is not money. */
const MOVED_STATUS = /^SUCC/i;
/** The pseudo-batch of transaction-details rows, when they are what the ledger is matched against. */
const DETAILS_BATCH = '(transaction details)';

export interface EngineOptions {
  ledger: readonly LedgerEntry[] | undefined;
  /** The unit every amount is read in, when given; otherwise decided per batch. */
  unit: AmountUnit | undefined;
  /** The most findings kept per list. */
  keep: number;
  /** No settlement details were given: the ledger is matched against the transaction details. */
  detailsArePrimary: boolean;
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

/** The key a report row is known by: in the newest reports transactionId is the payment's id for every type. */
function rowKey(row: ReportRow): string {
  return `${row.transactionId ?? ''}|${row.transactionType ?? ''}|${row.transactionRequestId ?? ''}`;
}

function money(amount: ReportAmount | undefined, unit: AmountUnit): Money | undefined {
  const v = amount && minorUnits(amount, unit);
  return amount && v !== undefined ? { currency: amount.currency, value: v.toString() } : undefined;
}

/** Feeds rows in, in order (all summaries and settlement items before any transaction details), then `finish`. */
export class Reconciler {
  readonly #options: EngineOptions;
  readonly #units: readonly AmountUnit[];
  readonly #ledger: LedgerIndex | undefined;
  readonly #batches = new Map<string, Batch>();
  readonly #detailsBatch: Batch;
  readonly #itemKeys = new KeySet();
  readonly #detailKeys = new KeySet();
  readonly #fileNames: string[] = [];
  readonly #counts = emptyCounts();
  readonly #duplicates: Duplicate[] = [];
  readonly #adjustments: Array<Deferred<{ report: Adjustment['report']; type: string }>> = [];
  readonly #notInLedger: Array<Deferred<{ report: ReportKind }>> = [];
  readonly #rowErrors: Array<Deferred<Pick<RowError, 'report' | 'problem' | 'column' | 'message'>>> = [];
  readonly #notMoved = new Map<string, Deferred<{ status: string }> | null>();
  readonly #notMovedKept: Array<Deferred<{ status: string; key: string }>> = [];
  readonly #matches: Array<Deferred<{ entry: LedgerEntry }>> = [];
  readonly #inDetails = new Set<LedgerEntry>();
  #latest: number | undefined;

  constructor(options: EngineOptions) {
    this.#options = options;
    this.#units = options.unit ? [options.unit] : AMOUNT_UNITS;
    this.#ledger = options.ledger ? new LedgerIndex(options.ledger) : undefined;
    this.#detailsBatch = new Batch(DETAILS_BATCH, this.#units, options.keep);
  }

  /** Registers a file; its index is what duplicate detection remembers rows by. */
  file(name: string): number {
    this.#fileNames.push(name);
    return this.#fileNames.length - 1;
  }

  summary(row: ReportRow): void {
    this.#noteTime(row);
    this.#batch(row.settlementBatchId ?? '').addSummary(row);
  }

  item(row: ReportRow, file: number): void {
    this.#noteTime(row);
    const batch = this.#batch(row.settlementBatchId ?? '');
    batch.addItem(row);
    const raw = this.#raw(row, batch);
    const type = row.transactionType ?? '';
    const isTransaction = LEDGER_TYPES.has(type);
    const idsMissing = isTransaction && this.#checkRow(row, raw, 'settlementItems');
    if (row.transactionId || row.transactionRequestId) {
      const first = this.#itemKeys.add(rowKey(row), { file, line: row.line });
      if (first) {
        this.#duplicate('settlementItems', row, { file: this.#fileNames[first.file], line: first.line });
        return;
      }
    }
    if (!isTransaction) this.#keep('adjustments', this.#adjustments, { raw, report: 'settlementItems', type });
    else this.#match(row, raw, idsMissing, 'settlementItems');
  }

  detail(row: ReportRow, file: number): void {
    const type = row.transactionType ?? '';
    const isTransaction = LEDGER_TYPES.has(type);
    const primary = this.#options.detailsArePrimary;
    const batch = primary ? this.#detailsBatch : (this.#batches.get(row.settlementBatchId ?? '') ?? this.#onlyBatch());
    const raw = this.#raw(row, batch);
    const key = rowKey(row);
    const hasIds = Boolean(row.transactionId || row.transactionRequestId);
    // A reissued row (the T+2 file with fuller fee data) replaces the earlier one: an earlier "not moved" is taken
    // back; an earlier row that moved money was already matched or reported, and is not counted twice.
    let reissue = hasIds && this.#detailKeys.add(key, { file, line: row.line }) !== undefined;
    if (reissue && this.#retractNotMoved(key)) reissue = false;
    const entry = isTransaction ? this.#ledger?.find(row) : undefined;
    if (entry) this.#inDetails.add(entry);
    const status = row.values['status'] ?? '';
    if (status !== '' && !MOVED_STATUS.test(status)) {
      if (!reissue) this.#noteNotMoved(key, hasIds, { raw, status });
      return;
    }
    if (reissue) return;
    if (primary) {
      batch.addDetail(row);
      const idsMissing = isTransaction && this.#checkRow(row, raw, 'transactionItems');
      if (isTransaction) this.#match(row, raw, idsMissing, 'transactionItems');
      return;
    }
    // Settled rows were matched (or reported) from the settlement details.
    if (this.#ledger && !entry && isTransaction && hasIds && !this.#itemKeys.has(key))
      this.#keep('notInLedger', this.#notInLedger, { raw, report: 'transactionItems' });
  }

  #batch(id: string): Batch {
    let batch = this.#batches.get(id);
    if (!batch) this.#batches.set(id, (batch = new Batch(id, this.#units, this.#options.keep)));
    return batch;
  }

  /** The one settlement batch, for transaction details that name none; else the details' own pseudo-batch. */
  #onlyBatch(): Batch {
    return this.#batches.size === 1 ? this.#batches.values().next().value! : this.#detailsBatch;
  }

  #raw(row: ReportRow, batch: Batch): RawRef {
    return {
      file: row.file,
      line: row.line,
      batch,
      transactionType: row.transactionType,
      transactionId: row.transactionId,
      transactionRequestId: row.transactionRequestId,
      transaction: row.amounts['transactionAmountValue'],
      settlement: row.amounts['settlementAmountValue'],
    };
  }

  #noteTime(row: ReportRow): void {
    const t = row.times['settlementTime'] ?? row.times['settlementInitiatedDate'];
    const ms = t !== undefined ? Date.parse(t) : NaN;
    if (Number.isFinite(ms) && (this.#latest === undefined || ms > this.#latest)) this.#latest = ms;
  }

  #keep<T>(list: FindingList, store: T[], finding: T): void {
    this.#counts[list]++;
    if (store.length < this.#options.keep) store.push(finding);
  }

  /** The rules every transaction row is held to: its ids, and the sign of its amount. True when ids are missing. */
  #checkRow(row: ReportRow, raw: RawRef, report: ReportKind): boolean {
    const type = row.transactionType!;
    let idsMissing = false;
    const needsRequestId = REQUEST_ID_TYPES.has(type) && 'transactionRequestId' in row.values;
    if (!row.transactionId || (needsRequestId && !row.transactionRequestId)) {
      idsMissing = true;
      const missing = [!row.transactionId && 'transactionId', needsRequestId && !row.transactionRequestId && 'transactionRequestId']
        .filter(Boolean)
        .join(' and ');
      this.#keep('rowErrors', this.#rowErrors, {
        raw,
        report,
        problem: 'missing_id',
        column: missing.split(' ')[0],
        message: `a ${type} row without ${missing}: it cannot be matched to anything and is not accounted for`,
      });
    }
    const sign = EXPECTED_SIGN[type];
    const amount = row.amounts['transactionAmountValue'];
    if (sign && amount && /[1-9]/.test(amount.value) && (amount.value.startsWith('-') ? -1 : 1) !== sign)
      this.#keep('rowErrors', this.#rowErrors, {
        raw,
        report,
        problem: 'wrong_sign',
        column: 'transactionAmountValue',
        message: `a ${type} of ${amount.value} ${amount.currency}: a ${type.toLowerCase()} is ${sign > 0 ? 'positive' : 'negative'} in the reports`,
      });
    return idsMissing;
  }

  #duplicate(report: ReportKind, row: ReportRow, first: RowPlace, entry?: LedgerEntry): void {
    this.#keep('duplicates', this.#duplicates, {
      report,
      key: rowKey(row),
      transactionRequestId: row.transactionRequestId ?? (entry && requestIdOf(entry)),
      occurrences: [first, { file: row.file, line: row.line }],
    });
  }

  /** Matches a transaction row with the ledger entry it is about; an entry is claimed by one row at most. */
  #match(row: ReportRow, raw: RawRef, idsMissing: boolean, report: ReportKind): void {
    if (!this.#ledger) return;
    const entry = idsMissing ? undefined : this.#ledger.find(row);
    if (!entry) {
      this.#keep('notInLedger', this.#notInLedger, { raw, report });
      return;
    }
    const first = this.#ledger.claim(entry, row);
    if (first) {
      this.#duplicate(report, row, first, entry);
      return;
    }
    this.#matches.push({ raw, entry });
    const amount = raw.transaction;
    if (!amount || amount.currency !== entry.amount.currency) return;
    for (const unit of this.#units) {
      const v = minorUnits(amount, unit);
      if (v !== undefined && (v < 0n ? -v : v).toString() === entry.amount.value)
        raw.batch.noteLedgerHit(unit, report === 'transactionItems');
    }
  }

  #noteNotMoved(key: string, hasIds: boolean, finding: Deferred<{ status: string }>): void {
    this.#counts.notMoved++;
    const kept = this.#notMovedKept.length < this.#options.keep;
    if (kept) this.#notMovedKept.push({ ...finding, key });
    // Remembered (to be taken back by a reissue) as far as the kept findings go: memory stays bounded.
    if (hasIds && this.#notMoved.size < this.#options.keep) this.#notMoved.set(key, kept ? finding : null);
  }

  #retractNotMoved(key: string): boolean {
    if (!this.#notMoved.has(key)) return false;
    const finding = this.#notMoved.get(key);
    this.#notMoved.delete(key);
    this.#counts.notMoved--;
    if (finding) {
      const at = this.#notMovedKept.findIndex((f) => f.key === key);
      if (at >= 0) this.#notMovedKept.splice(at, 1);
    }
    return true;
  }

  /** Decides each batch's unit, checks the summaries and turns every finding into amounts in that unit. */
  finish(meta: { files: ReconciledFile[]; incomplete: string[]; warnings: string[]; asOf: number | undefined }): ReconciliationReport {
    const keep = this.#options.keep;
    const counts = this.#counts;
    const warnings = [...meta.warnings];
    const batches = [...this.#batches.values()];
    if (this.#options.detailsArePrimary && this.#detailsBatch.detailRows > 0) batches.push(this.#detailsBatch);
    const report: ReconciliationReport = {
      ok: false,
      ledgerChecked: this.#ledger !== undefined,
      files: meta.files,
      units: [],
      summaryMismatches: [],
      adjustments: [],
      matched: [],
      notInLedger: [],
      unsettled: [],
      amountMismatches: [],
      duplicates: [],
      rowErrors: [],
      batchErrors: [],
      notMoved: [],
      totals: [],
      fees: [],
      incomplete: meta.incomplete,
      warnings,
      counts,
      truncated: false,
    };
    const add = <T>(list: FindingList, store: T[], finding: T): void => {
      counts[list]++;
      if (store.length < keep) store.push(finding);
    };
    for (const batch of batches) {
      const decision = batch.decide(this.#options.unit);
      report.units.push(decision);
      if (!this.#options.unit) warnings.push(`batch ${batch.id}: amounts read in ${decision.reason}`);
    }
    const ref = (raw: RawRef): ItemRef => ({
      file: raw.file,
      line: raw.line,
      settlementBatchId: raw.batch.id === DETAILS_BATCH ? undefined : raw.batch.id,
      transactionType: raw.transactionType,
      transactionId: raw.transactionId,
      transactionRequestId: raw.transactionRequestId,
      transactionAmount: money(raw.transaction, raw.batch.unit),
      settlementAmount: money(raw.settlement, raw.batch.unit),
    });

    for (const batch of batches) {
      const unit = batch.unit;
      for (const row of batch.summaryRows)
        if (isCorrectionRow(row))
          add('adjustments', report.adjustments, {
            report: 'settlementSummary',
            settlementBatchId: batch.id,
            type: row.summaryType ?? '',
            settlementAmount: money(row.amounts['settlementAmountValue'], unit),
            file: row.file,
            line: row.line,
          });
      if (batch.id !== DETAILS_BATCH) {
        const problem = this.#batchProblem(batch);
        if (problem) add('batchErrors', report.batchErrors, problem);
        if (batch.summaryRows.length > 0)
          for (const m of checkSummary(batch, (w) => warnings.push(w))) add('summaryMismatches', report.summaryMismatches, m);
      }
      const own = (batch.id === DETAILS_BATCH ? batch.details : batch.items).get(unit)!;
      const fromSummary = batch.summaryUnreadable(unit);
      const readings: Array<[ReportKind, Unreadable[], number]> = [
        [batch.id === DETAILS_BATCH ? 'transactionItems' : 'settlementItems', own.unreadable, own.unreadableCount],
        ['settlementSummary', fromSummary, fromSummary.length],
      ];
      for (const [kind, unreadable, count] of readings) {
        // Counted in full; the first `keep` are listed.
        counts.rowErrors += count - unreadable.length;
        for (const u of unreadable)
          add('rowErrors', report.rowErrors, {
            ...ref(this.#raw(u.row, batch)),
            report: kind,
            problem: 'unreadable_amount',
            column: u.column,
            message: `${u.column} cannot be read in ${unit} units: ${unitProblem(u.amount, unit)}; it is in no sum, so the batch does not add up`,
          });
      }
    }

    for (const { raw, ...error } of this.#rowErrors) if (report.rowErrors.length < keep) report.rowErrors.push({ ...ref(raw), ...error });
    report.adjustments.push(
      ...this.#adjustments.map(({ raw, report: kind, type }) => ({
        report: kind,
        settlementBatchId: raw.batch.id,
        type,
        settlementAmount: money(raw.settlement, raw.batch.unit),
        file: raw.file,
        line: raw.line,
      })),
    );
    report.notInLedger.push(...this.#notInLedger.map(({ raw, report: kind }) => ({ ...ref(raw), report: kind })));
    report.notMoved.push(...this.#notMovedKept.map(({ raw, status }) => ({ ...ref(raw), status })));
    report.duplicates.push(...this.#duplicates);
    for (const { key, at } of this.#ledger?.duplicates ?? [])
      add('duplicates', report.duplicates, {
        report: 'ledger',
        key,
        transactionRequestId: requestIdOf(this.#ledger!.entries[at[0]!]!),
        occurrences: at.map((i) => ({ file: 'ledger', line: i + 1 })),
      });

    for (const { raw, entry } of this.#matches) {
      const item = ref(raw);
      const differs = this.#differences(raw, entry);
      if (differs.length > 0) add('amountMismatches', report.amountMismatches, { item, ledger: entry, differs });
      else report.matched.push({ item, ledger: entry });
    }
    const asOf = meta.asOf ?? this.#latest;
    for (const entry of this.#ledger?.entries ?? []) {
      if (this.#ledger!.isClaimed(entry)) continue;
      const created = entry.createdAt !== undefined ? new Date(entry.createdAt).getTime() : NaN;
      const ageMs = Number.isFinite(created) && asOf !== undefined && Number.isFinite(asOf) ? Math.max(0, asOf - created) : undefined;
      add('unsettled', report.unsettled, { ledger: entry, ageMs, inTransactionItems: this.#inDetails.has(entry) });
    }
    this.#totalsAndFees(report, batches);
    report.truncated = (Object.keys(counts) as FindingList[]).some((k) => counts[k] > report[k].length);
    report.ok =
      counts.summaryMismatches === 0 &&
      counts.notInLedger === 0 &&
      counts.unsettled === 0 &&
      counts.amountMismatches === 0 &&
      counts.duplicates === 0 &&
      counts.rowErrors === 0 &&
      counts.batchErrors === 0 &&
      report.incomplete.length === 0;
    return report;
  }

  #batchProblem(batch: Batch): BatchError | undefined {
    if (batch.itemRows > 0 && batch.summaryRows.length === 0)
      return {
        settlementBatchId: batch.id,
        problem: 'no_summary',
        message: `${batch.itemRows} settlement item(s) but no settlement summary: without it a missing item cannot be seen (give the batch's settlementSummary_ file)`,
      };
    if (batch.itemRows === 0 && batch.summaryRows.length > 0) {
      const payout = batch.summaryPayout(batch.unit);
      const nonZero = [...payout.values()].some((v) => v !== 0n) || batch.summaryRows.some((r) => (r.count ?? 0) > 0);
      if (nonZero)
        return {
          settlementBatchId: batch.id,
          problem: 'no_items',
          message: `the summary settles money or counts rows but no settlement item of the batch was given (give its settlementItems_ file)`,
        };
    }
    return undefined;
  }

  #differences(raw: RawRef, entry: LedgerEntry): Array<'currency' | 'value' | 'sign' | 'type'> {
    const differs: Array<'currency' | 'value' | 'sign' | 'type'> = [];
    const amount = raw.transaction;
    const v = amount && minorUnits(amount, raw.batch.unit);
    if (!amount || amount.currency !== entry.amount.currency) differs.push('currency');
    if (v === undefined || (v < 0n ? -v : v).toString() !== entry.amount.value) differs.push('value');
    const sign = EXPECTED_SIGN[raw.transactionType ?? ''];
    if (sign && v !== undefined && v !== 0n && (v < 0n ? -1 : 1) !== sign) differs.push('sign');
    if (entry.type !== raw.transactionType) differs.push('type');
    return differs;
  }

  #totalsAndFees(report: ReconciliationReport, batches: readonly Batch[]): void {
    const totals = new Map<string, { value: bigint; batches: string[]; source: 'settlementSummary' | 'settlementItems' }>();
    const fees = new Map<string, bigint>();
    for (const batch of batches) {
      if (batch.id === DETAILS_BATCH) continue;
      const reading = batch.items.get(batch.unit)!;
      const source = batch.summaryRows.length > 0 ? 'settlementSummary' : 'settlementItems';
      const payout = source === 'settlementSummary' ? batch.summaryPayout(batch.unit) : reading.itemSums('settlementAmountValue');
      for (const [currency, value] of payout) {
        const t = totals.get(`${source}|${currency}`) ?? { value: 0n, batches: [], source };
        t.value += value;
        if (!t.batches.includes(batch.id)) t.batches.push(batch.id);
        totals.set(`${source}|${currency}`, t);
      }
      for (const [, byColumn] of reading.sums)
        for (const [column, sums] of byColumn) {
          if (column === 'settlementAmountValue') continue;
          for (const [currency, value] of sums) fees.set(`${column}|${currency}`, (fees.get(`${column}|${currency}`) ?? 0n) + value);
        }
    }
    report.totals = [...totals].map(([key, t]) => ({
      currency: key.split('|')[1]!,
      value: t.value.toString(),
      batches: t.batches,
      source: t.source,
    }));
    report.fees = [...fees]
      .map(([key, value]) => {
        const [kind, currency] = key.split('|') as [string, string];
        return { kind, currency, value: value.toString() };
      })
      .sort(
        (a, b) => FEE_COLUMNS.indexOf(a.kind as FeeColumn) - FEE_COLUMNS.indexOf(b.kind as FeeColumn) || (a.currency < b.currency ? -1 : 1),
      );
  }
}
