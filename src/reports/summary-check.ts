// Settlement summary against settlement items, per batch and summaryType: counts, amounts and every fee column.
import type { Decimal } from 'decimal.js';
import { ExactDecimal } from '../rules/exact-decimal';
import type { UnitDecision } from './auto-unit';
import { FEE_COLUMNS } from './columns';
import type { Adjustment, ReconciliationReport, SummaryMismatch } from './reconcile-types';
import type { ReportRow } from './rows';
import { amountInMinorUnits, type AmountUnit } from './units';

/** Rows that are the merchant's own transactions; every other type is a batch-level row (fee, reserve, dispute…). */
export const LEDGER_TYPES = new Set(['PAYMENT', 'REFUND', 'CAPTURE', 'AUTHORIZATION', 'CANCEL', 'VOID']);
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
const SUMMED_COLUMNS = ['settlementAmountValue', ...FEE_COLUMNS] as const;
export function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const t of items) {
    const k = key(t);
    const g = m.get(k);
    if (g) g.push(t);
    else m.set(k, [t]);
  }
  return m;
}

/** Σ of a column in minor units, per currency. */
export function sums(rows: readonly ReportRow[], column: string, unit: AmountUnit): Map<string, Decimal> {
  const m = new Map<string, Decimal>();
  for (const r of rows) {
    const a = r.amounts[column];
    const v = a && amountInMinorUnits(a, unit);
    if (a && v !== undefined) m.set(a.currency, (m.get(a.currency) ?? new ExactDecimal(0)).plus(v));
  }
  return m;
}

export function show(m: Map<string, Decimal>): string {
  const parts = [...m].filter(([, v]) => !v.isZero()).map(([c, v]) => `${v.toFixed(0)} ${c}`);
  return parts.length ? parts.join(' + ') : '0';
}

export function sameSums(a: Map<string, Decimal>, b: Map<string, Decimal>): boolean {
  return show(a) === show(b);
}

export function checkSummaries(
  report: ReconciliationReport,
  itemsByBatch: Map<string, ReportRow[]>,
  summaryByBatch: Map<string, ReportRow[]>,
  unitOf: Map<string, UnitDecision>,
): void {
  for (const [batch, rows] of summaryByBatch) {
    const unit = unitOf.get(batch)!;
    const sUnit = unit.summary ?? unit.items;
    const items = itemsByBatch.get(batch) ?? [];
    const itemsByType = groupBy(items, (r) => r.transactionType ?? '');
    // Each group of rows is summed once per column, however many summary rows are compared with it: a hostile file
    // with thousands of summary rows would otherwise re-add every item for each of them. A group is always summed
    // in its own unit (items in the items' unit, summary rows in the summary's).
    const summed = new Map<readonly ReportRow[], Map<string, Map<string, Decimal>>>();
    const sumOf = (group: readonly ReportRow[], column: string, groupUnit: AmountUnit): Map<string, Decimal> => {
      let byColumn = summed.get(group);
      if (!byColumn) summed.set(group, (byColumn = new Map<string, Map<string, Decimal>>()));
      let total = byColumn.get(column);
      if (!total) byColumn.set(column, (total = sums(group, column, groupUnit)));
      return total;
    };
    const mismatch = (row: ReportRow, column: string, summary: string, computed: string, against: SummaryMismatch['against']): void => {
      report.summaryMismatches.push({
        settlementBatchId: batch,
        summaryType: row.summaryType ?? '',
        column,
        summary,
        computed,
        against,
        file: row.file,
        line: row.line,
      });
    };
    const compare = (
      row: ReportRow,
      others: readonly ReportRow[],
      othersUnit: AmountUnit,
      against: SummaryMismatch['against'],
      count: number,
    ): void => {
      if ((row.count ?? 0) !== count) mismatch(row, 'count', String(row.count ?? 0), String(count), against);
      for (const column of SUMMED_COLUMNS) {
        const mine = sums([row], column, sUnit);
        const theirs = sumOf(others, column, othersUnit);
        if (!sameSums(mine, theirs)) mismatch(row, column, show(mine), show(theirs), against);
      }
    };
    const parts = rows.filter((r) => r.summaryType !== 'TOTAL');
    for (const row of parts) {
      const type = row.summaryType ?? '';
      if (!SUMMARY_TYPES.has(type)) {
        report.adjustments.push(adjustment('settlementSummary', row, sUnit));
        continue;
      }
      const typed = itemsByType.get(type) ?? [];
      compare(row, typed, unit.items, 'items', typed.length);
    }
    for (const [type, typed] of itemsByType) {
      if (!SUMMARY_TYPES.has(type) || parts.some((p) => p.summaryType === type)) continue;
      const missing: ReportRow = {
        file: typed[0]!.file,
        line: typed[0]!.line,
        values: {},
        amounts: {},
        times: {},
        summaryType: type,
        count: 0,
      };
      compare(missing, typed, unit.items, 'items', typed.length);
    }
    const totals = rows.filter((r) => r.summaryType === 'TOTAL');
    if (totals.length === 0) report.warnings.push(`batch ${batch}: the summary has no TOTAL row`);
    const partsCount = parts.reduce((n, r) => n + (r.count ?? 0), 0);
    for (const total of totals) {
      compare(total, parts, sUnit, 'summary rows', partsCount);
      const payout = sums([total], 'settlementAmountValue', sUnit);
      const itemsPayout = sumOf(items, 'settlementAmountValue', unit.items);
      if (!sameSums(payout, itemsPayout)) mismatch(total, 'settlementAmountValue', show(payout), show(itemsPayout), 'items');
    }
  }
  for (const batch of itemsByBatch.keys())
    if (summaryByBatch.size > 0 && !summaryByBatch.has(batch)) report.warnings.push(`batch ${batch}: settlement items but no summary rows`);
}

export function adjustment(reportKind: Adjustment['report'], row: ReportRow, unit: AmountUnit): Adjustment {
  const a = row.amounts['settlementAmountValue'];
  const value = a && amountInMinorUnits(a, unit);
  return {
    report: reportKind,
    settlementBatchId: row.settlementBatchId,
    type: (reportKind === 'settlementSummary' ? row.summaryType : row.transactionType) ?? '',
    settlementAmount: a && value !== undefined ? { currency: a.currency, value } : undefined,
    file: row.file,
    line: row.line,
  };
}
