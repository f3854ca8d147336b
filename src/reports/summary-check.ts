// Settlement summary against settlement items, per batch and summaryType: counts, amounts and every fee column.
import { type Batch, SUMMED_COLUMNS, sameSums, showSums, type Sums } from './batch';
import type { RowPlace, SummaryMismatch } from './reconcile-types';
import type { ReportRow } from './rows';
import { LEDGER_TYPES } from './row-checks';

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
 * Checks one batch's summary against its items and against itself, in the batch's unit, from the sums gathered while
 * reading (linear in rows, whatever their number): each summaryType (several rows of one type are summed; correction
 * rows included) against the items of that type, count and every summed column; a type the items have and the summary
 * does not, against zero; each TOTAL against the other summary rows; and the payout (the TOTAL, or all the rows when
 * there is none) against all the items.
 */
export function checkSummary(batch: Batch, warn: (message: string) => void): SummaryMismatch[] {
  const out: SummaryMismatch[] = [];
  const reading = batch.reading(batch.unit);
  const mismatch = (
    type: string,
    place: RowPlace | undefined,
    column: string,
    summary: string,
    computed: string,
    against: SummaryMismatch['against'],
  ): void => {
    out.push({
      settlementBatchId: batch.id,
      summaryType: type,
      column,
      summary,
      computed,
      against,
      // A type the summary has no row for is at no place in the summary.
      file: place?.file,
      line: place?.line,
    });
  };
  const compare = (
    type: string,
    place: RowPlace | undefined,
    count: [number, number],
    mine: (column: string) => Sums,
    theirs: (column: string) => Sums,
    against: SummaryMismatch['against'],
  ): void => {
    if (count[0] !== count[1]) mismatch(type, place, 'count', String(count[0]), String(count[1]), against);
    for (const column of SUMMED_COLUMNS) {
      const a = mine(column);
      const b = theirs(column);
      if (!sameSums(a, b)) mismatch(type, place, column, showSums(a), showSums(b), against);
    }
  };
  const types = new Set([...reading.summary.keys(), ...batch.counts.keys()]);
  types.delete('TOTAL');
  let partsCount = 0;
  for (const type of types) {
    const sums = reading.summary.get(type);
    partsCount += sums?.count ?? 0;
    compare(
      type,
      sums?.first,
      [sums?.count ?? 0, batch.counts.get(type) ?? 0],
      (column) => sums?.get(column) ?? new Map<string, bigint>(),
      (column) => reading.itemSums(column, type),
      'items',
    );
  }
  const total = reading.firstTotal;
  if (total)
    compare(
      'TOTAL',
      total.first,
      [total.count, partsCount],
      (column) => total.get(column),
      (column) => reading.summaryPartsSums(column),
      'summary rows',
    );
  else warn(`batch ${batch.id}: the summary has no TOTAL row; its rows were summed instead`);
  const payout = reading.summaryPayout();
  const itemsPayout = reading.itemSums('settlementAmountValue');
  if (!sameSums(payout, itemsPayout))
    mismatch('TOTAL', total?.first, 'settlementAmountValue', showSums(payout), showSums(itemsPayout), 'items');
  return out;
}
