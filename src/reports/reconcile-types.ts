// The typed result of reconcile(): its input, the ledger entry shape, and each kind of finding.
import type { UnitDecision } from './auto-unit';
import type { ReportKind } from './columns';
import type { ParsedReport } from './reader';
import type { AmountUnitOption } from './units';

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
  /** `PAYMENT`, `REFUND`, `CAPTURE`… as in the reports' transactionType. */
  type: string;
  /** Positive, in minor units, as in AMS requests. */
  amount: Money;
  /** When it happened (ISO 8601), for the age of entries that never settled. */
  createdAt?: string | Date;
}

export interface ReconcileInput {
  settlementItems: ParsedReport | readonly ParsedReport[];
  settlementSummary?: ParsedReport | readonly ParsedReport[];
  transactionItems?: ParsedReport | readonly ParsedReport[];
  /** Your own records. Omitted: only the reports are checked against each other (`ledgerChecked` false). */
  ledger?: Iterable<LedgerEntry>;
  /** Overrides the unit the reports were parsed with. Default: theirs (`auto` unless given to the parser). */
  amountUnit?: AmountUnitOption;
  /** The instant ages are measured at. Default: the latest settlement time in the reports (no clock is read). */
  asOf?: Date | string;
}

/** Where a row is, and what it says. Amounts in minor units. */
export interface ItemRef {
  file: string | undefined;
  line: number;
  settlementBatchId: string | undefined;
  transactionType: string | undefined;
  transactionId: string | undefined;
  transactionRequestId: string | undefined;
  transactionAmount: Money | undefined;
  settlementAmount: Money | undefined;
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
  /** What differs: `currency`, `value` and/or `type`. */
  differs: Array<'currency' | 'value' | 'type'>;
}

export interface ReconciliationReport {
  /** True when every list of problems is empty and every report was complete. */
  ok: boolean;
  /** False when no ledger was given: matched, notInLedger, unsettled and amountMismatches are then empty. */
  ledgerChecked: boolean;
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
  duplicates: Array<{ report: ReportKind | 'ledger'; key: string; occurrences: Array<{ file: string | undefined; line: number }> }>;
  /** Net payout per settlement currency: the summaries' TOTAL rows, or the items when there is no summary. */
  totals: Array<Money & { batches: string[]; source: 'settlementSummary' | 'settlementItems' }>;
  /** Fees per kind (column) and currency, summed over the items; negative = charged to you, as in the files. */
  fees: Array<Money & { kind: string }>;
  incomplete: string[];
  warnings: string[];
}
