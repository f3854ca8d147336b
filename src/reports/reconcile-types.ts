// The typed result of reconcile(): its input, the ledger entry shape, and each kind of finding.
import type { ReportGeneration, ReportKind } from './columns';
import type { ParsedReport, ReportFile } from './reader';
import type { AmountUnit, AmountUnitOption } from './units';

/** Money in minor units as a signed integer string, as the AMS API writes amounts (`'-725'` = −7.25 USD). */
export interface Money {
  currency: string;
  value: string;
}

/** One of the merchant's own records: a payment or refund it believes happened. */
export interface LedgerEntry {
  paymentRequestId?: string;
  refundRequestId?: string;
  paymentId?: string;
  refundId?: string;
  /** For a `DISPUTE` (or `DISPUTE_REVERSAL`) entry: the dispute notification's disputeId (with its paymentId). */
  disputeId?: string;
  /** `PAYMENT`, `REFUND`, `CAPTURE`, `DISPUTE`… as in the reports' transactionType. */
  type: string;
  /** Positive, in minor units, as in AMS requests: the report's sign comes from the type (a refund is negative). */
  amount: Money;
  /** When it happened (ISO 8601), for the age of entries that never settled. */
  createdAt?: string | Date;
}

/** What reconcile and reconcileReports share: the ledger and how to read the reports. */
export interface ReconcileOptions {
  /** Your own records. Omitted: only the reports are checked against each other (`ledgerChecked` false). */
  ledger?: Iterable<LedgerEntry>;
  /** Overrides the unit the reports were parsed with. Default: theirs (`auto` unless given to the parser). */
  amountUnit?: AmountUnitOption;
  /** The instant ages are measured at. Default: the latest settlement time in the reports (no clock is read). */
  asOf?: Date | string;
  /**
   * The most findings of each kind kept in the result (default 10 000); `counts` always has the exact numbers and
   * `truncated` says when a list was cut. Bounds memory on a file where every row is wrong.
   */
  maxFindings?: number;
}

export interface ReconcileInput extends ReconcileOptions {
  /** The settlement details. Optional: transaction details alone are reconciled against the ledger. */
  settlementItems?: ParsedReport | readonly ParsedReport[];
  settlementSummary?: ParsedReport | readonly ParsedReport[];
  transactionItems?: ParsedReport | readonly ParsedReport[];
}

/** Progress of a streaming reconciliation, reported as rows are read. */
export interface ReconcileProgress {
  /** The file being read. */
  file: string;
  /** Rows read so far, over all files. */
  rows: number;
  /** Bytes read so far, over all files. */
  bytes: number;
  /** Files finished, and all files. */
  filesDone: number;
  filesTotal: number;
}

/** The streaming form: files (the `_000`…`_999` parts of one file are merged) read row by row, never held whole. */
export interface ReconcileReportsInput extends ReconcileOptions {
  settlementItems?: Iterable<ReportFile>;
  settlementSummary?: Iterable<ReportFile>;
  transactionItems?: Iterable<ReportFile>;
  /** Called as rows are read (at most every 100 ms, and once at the end of each file). */
  onProgress?: (progress: ReconcileProgress) => void;
}

/** Where a row is. */
export interface RowPlace {
  file: string | undefined;
  /** 1-based line in its file. */
  line: number;
}

/** Where a row is, and what it says. Amounts in minor units. */
export interface ItemRef extends RowPlace {
  settlementBatchId: string | undefined;
  transactionType: string | undefined;
  transactionId: string | undefined;
  transactionRequestId: string | undefined;
  /** Undefined when the row has none, or when it cannot be read in the batch's unit (see `rowErrors`). */
  transactionAmount: Money | undefined;
  settlementAmount: Money | undefined;
}

/** The unit a settlement batch (items and summary together) is read in, and why. */
export interface UnitDecision {
  settlementBatchId: string;
  unit: AmountUnit;
  reason: string;
}

export interface SummaryMismatch {
  settlementBatchId: string;
  summaryType: string;
  column: string;
  /** What the summary says. */
  summary: string;
  /** What the rows it is checked against add up to (`items`, or for TOTAL also the other `summary rows`). */
  computed: string;
  against: 'items' | 'summary rows';
  file: string | undefined;
  line: number | undefined;
}

export interface Adjustment {
  report: 'settlementSummary' | 'settlementItems';
  settlementBatchId: string | undefined;
  type: string;
  settlementAmount: Money | undefined;
  file: string | undefined;
  line: number;
}

export interface AmountMismatch {
  item: ItemRef;
  ledger: LedgerEntry;
  /**
   * What differs: `currency`, `value` (the size), `sign` (a payment written negative…), `type`, and/or `id` (the row
   * names another Antom transaction than the entry's paymentId / refundId, though the request id matched).
   */
  differs: Array<'currency' | 'value' | 'sign' | 'type' | 'id'>;
}

/**
 * A row that cannot be accounted for as written. Every one makes the result not OK:
 * - `unreadable_amount`: an amount no reading of its batch can take (it would be in no sum);
 * - `unknown_type`: an empty type, or one that is not a word (`REFUND\u200b`), which no check would apply to;
 * - `missing_id`: a PAYMENT, REFUND, CAPTURE, CANCEL… row without the ids its type carries;
 * - `wrong_sign`: a payment negative, a refund or a cancel positive;
 * - `missing_amount`: a settled transaction without its settlement amount;
 * - `settlement_mismatch`: a settlement amount that is not the transaction net of its fees (same currency only);
 * - `reissue`: a reissued transaction-details row that says something else than one this run could not take back.
 */
export interface RowError extends ItemRef {
  report: ReportKind;
  problem: 'unreadable_amount' | 'unknown_type' | 'missing_id' | 'wrong_sign' | 'missing_amount' | 'settlement_mismatch' | 'reissue';
  /** The column at fault, when one is. */
  column: string | undefined;
  message: string;
}

/**
 * A settlement batch that cannot be checked: items without a summary, a summary with a payout and no items, or more
 * than one TOTAL row (two payouts for one batch).
 */
export interface BatchError {
  settlementBatchId: string;
  problem: 'no_summary' | 'no_items' | 'total_twice';
  message: string;
}

/** A duplicate: the same report row twice, two rows claiming one ledger entry, or a key twice in the ledger. */
export interface Duplicate {
  report: ReportKind | 'ledger';
  /** `transactionId|transactionType|transactionRequestId` for report rows; `type|request id` for the ledger. */
  key: string;
  /** The merchant's own request id, so it can be found in the books. */
  transactionRequestId: string | undefined;
  occurrences: RowPlace[];
}

/** A read report, as the result lists it. */
export interface ReconciledFile {
  fileName: string;
  kind: ReportKind;
  generation: ReportGeneration;
  rows: number;
  parts: string[];
  complete: boolean;
}

/** The finding lists that `maxFindings` bounds, and that `counts` counts exactly. */
export type FindingList =
  | 'summaryMismatches'
  | 'adjustments'
  | 'notInLedger'
  | 'unsettled'
  | 'amountMismatches'
  | 'duplicates'
  | 'rowErrors'
  | 'batchErrors'
  | 'notMoved';

export interface ReconciliationReport {
  /**
   * True only when every unit of money is accounted for: no mismatch, no duplicate, no unreadable or wrong row, no
   * batch left unchecked, nothing missing from either side (with a ledger) and every report complete.
   */
  ok: boolean;
  /**
   * True when settlement details were reconciled. False when only transaction details were given: `ok` then says the
   * transactions agree with the ledger, and nothing about a payout.
   */
  settlementChecked: boolean;
  /** False when no ledger was given: matched, notInLedger, unsettled and amountMismatches are then empty. */
  ledgerChecked: boolean;
  files: ReconciledFile[];
  units: UnitDecision[];
  summaryMismatches: SummaryMismatch[];
  /** Correction rows and batch-level rows (fees, reserves, disputes): reported, not errors. */
  adjustments: Adjustment[];
  matched: Array<{ item: ItemRef; ledger: LedgerEntry }>;
  /** In a report, but not in the ledger. */
  notInLedger: Array<ItemRef & { report: ReportKind }>;
  /** In the ledger but in no settlement report; `ageMs` from `createdAt` to `asOf`, when both are known. */
  unsettled: Array<{ ledger: LedgerEntry; ageMs: number | undefined; inTransactionItems: boolean }>;
  amountMismatches: AmountMismatch[];
  duplicates: Duplicate[];
  rowErrors: RowError[];
  batchErrors: BatchError[];
  /**
   * Transaction-details rows whose `status` says no money moved yet (`FAIL`, `PROCESSING`, any status but a
   * success): listed apart, never matched nor "not in the ledger"; they do not by themselves make the result not OK.
   */
  notMoved: Array<ItemRef & { status: string }>;
  /** Net payout per settlement currency: the summaries' TOTAL rows, or the items when there is no summary. */
  totals: Array<Money & { batches: string[]; source: 'settlementSummary' | 'settlementItems' }>;
  /** Fees per kind (column) and currency, summed over the items; negative = charged to you, as in the files. */
  fees: Array<Money & { kind: string }>;
  incomplete: string[];
  warnings: string[];
  /** The exact number of findings of each kind, however many the lists keep. */
  counts: Record<FindingList, number>;
  /** True when a list holds fewer findings than `counts` says (see `maxFindings`). */
  truncated: boolean;
}
