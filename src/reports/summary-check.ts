// Settlement summary against settlement items, per batch and summaryType: counts, amounts and every fee column.
import { type Batch, SUMMED_COLUMNS, rowSums, sameSums, showSums } from './batch';
import type { SummaryMismatch } from './reconcile-types';
import type { ReportRow } from './rows';

/**
 * The merchant's own transactions: rows that must carry ids and match a ledger entry. Every other type is a
 * batch-level row (fee, reserve, dispute, correction), an adjustment.
 */
export const LEDGER_TYPES: ReadonlySet<string> = new Set(['PAYMENT', 'REFUND', 'CAPTURE', 'AUTHORIZATION', 'CANCEL', 'VOID']);

/**
 * The sign a transaction's amount has, from the merchant's side (reconciliation.md §7: credits positive, debits
 * negative; the samples' payment 18000, refund −9000). CANCEL, VOID and AUTHORIZATION are not documented either way:
 * they are compared by size only.
 */
export const EXPECTED_SIGN: Readonly<Record<string, 1 | -1>> = { PAYMENT: 1, CAPTURE: 1, REFUND: -1 };

/**
 * Types whose rows always carry the merchant's request id (a paymentRequestId, captureRequestId or refundRequestId
 * is part of every such request). Other transaction rows need only Antom's transactionId.
 */
export const REQUEST_ID_TYPES: ReadonlySet<string> = new Set(['PAYMENT', 'CAPTURE', 'REFUND']);

/** The summaryType values the docs list; any other value is a correction row (e.g. the 2C2P/Hundsun "default" row). */
const SUMMARY_TYPES = new Set([
  ...LEDGER_TYPES,
  'DISPUTE',
  'REFUND_REVERSAL',
  'PAYMENT_REVERSAL',
  'DISPUTE_REVERSAL',
  'RAPID_DISPUTE_RESOLUTION',
  'CDRN',
  'SETTLEMENT_FEE',
  'ADJUSTMENT_FEE',
  'COLLATERAL_WITHHOLDING',
  'COLLATERAL_WITHHELD',
  'RESERVE_WITHHOLDING',
  'RESERVE',
  'RESERVE_RELEASE',
  'RESERVE_RELEASED',
  'COLLATERAL_RELEASE',
  'COLLATERAL_RELEASED',
  'TOTAL',
]);

/** Whether a summary row is a correction row (an adjustment), not a type the items are checked against. */
export function isCorrectionRow(row: ReportRow): boolean {
  return !SUMMARY_TYPES.has(row.summaryType ?? '');
}

/**
 * Checks one batch's summary rows against its items and against each other, in the batch's unit: each known
 * summaryType's count and every summed column against the items of that type (a type in the items with no summary
 * row is checked against zero), each TOTAL against the other summary rows, and its payout against all the items.
 */
export function checkSummary(batch: Batch, warn: (message: string) => void): SummaryMismatch[] {
  const out: SummaryMismatch[] = [];
  const unit = batch.unit;
  const items = batch.items.get(unit)!;
  const mismatch = (row: ReportRow, column: string, summary: string, computed: string, against: SummaryMismatch['against']): void => {
    out.push({
      settlementBatchId: batch.id,
      summaryType: row.summaryType ?? '',
      column,
      summary,
      computed,
      against,
      // A type the summary has no row for is at no place in the summary.
      file: row.line > 0 ? row.file : undefined,
      line: row.line > 0 ? row.line : undefined,
    });
  };
  const compare = (
    row: ReportRow,
    count: number,
    theirs: (column: string) => ReturnType<typeof rowSums>,
    against: SummaryMismatch['against'],
  ): void => {
    if ((row.count ?? 0) !== count) mismatch(row, 'count', String(row.count ?? 0), String(count), against);
    for (const column of SUMMED_COLUMNS) {
      const mine = rowSums([row], column, unit);
      const other = theirs(column);
      if (!sameSums(mine, other)) mismatch(row, column, showSums(mine), showSums(other), against);
    }
  };
  const parts = batch.summaryRows.filter((r) => r.summaryType !== 'TOTAL');
  const summarised = new Set<string>();
  for (const row of parts) {
    if (isCorrectionRow(row)) continue;
    const type = row.summaryType!;
    summarised.add(type);
    compare(row, batch.counts.get(type) ?? 0, (column) => items.itemSums(column, type), 'items');
  }
  for (const [type, count] of batch.counts) {
    if (!SUMMARY_TYPES.has(type) || summarised.has(type)) continue;
    const missing: ReportRow = { file: undefined, line: 0, values: {}, amounts: {}, times: {}, summaryType: type, count: 0 };
    compare(missing, count, (column) => items.itemSums(column, type), 'items');
  }
  const totals = batch.summaryRows.filter((r) => r.summaryType === 'TOTAL');
  if (totals.length === 0) warn(`batch ${batch.id}: the summary has no TOTAL row; its rows were checked one by one`);
  const partsCount = parts.reduce((n, r) => n + (r.count ?? 0), 0);
  for (const total of totals) {
    compare(total, partsCount, (column) => rowSums(parts, column, unit), 'summary rows');
    const payout = rowSums([total], 'settlementAmountValue', unit);
    const itemsPayout = items.itemSums('settlementAmountValue');
    if (!sameSums(payout, itemsPayout)) mismatch(total, 'settlementAmountValue', showSums(payout), showSums(itemsPayout), 'items');
  }
  return out;
}
