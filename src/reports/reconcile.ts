// Reconciliation: settlement summary against settlement items, items against the merchant's ledger, totals and fees.
import type { Decimal } from 'decimal.js';
import { AmsValidationError, type ValidationIssue } from '../errors';
import { isMinorUnitValue } from '../rules/amounts';
import { ExactDecimal } from '../rules/exact-decimal';
import { CurrencyCode } from '../schemas/common';
import { decideUnits, type UnitDecision } from './auto-unit';
import { FEE_COLUMNS, type ReportKind } from './columns';
import type { ParsedReport } from './reader';
import type { AmountMismatch, ItemRef, LedgerEntry, Money, ReconcileInput, ReconciliationReport } from './reconcile-types';
import type { ReportRow } from './rows';
import { LEDGER_TYPES, adjustment, checkSummaries, groupBy } from './summary-check';
import { amountInMinorUnits, type AmountUnit } from './units';

export type * from './reconcile-types';

function list(reports: ParsedReport | readonly ParsedReport[] | undefined, kind: ReportKind, issues: ValidationIssue[]): ParsedReport[] {
  const all = reports === undefined ? [] : Array.isArray(reports) ? [...(reports as readonly ParsedReport[])] : [reports as ParsedReport];
  all.forEach((r, i) => {
    if (r?.kind !== kind)
      issues.push({
        field: `${kind}[${i}]`,
        message: `${r?.fileName ?? 'the value'} is ${r?.kind ? `a ${r.kind} report` : 'not a parsed report'}, not ${kind}`,
      });
  });
  return all;
}

function ledgerKey(type: string, id: string): string {
  return `${type}|${id}`;
}

function readLedger(ledger: Iterable<LedgerEntry>, issues: ValidationIssue[]): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  let i = 0;
  for (const e of ledger) {
    const at = `ledger[${i++}]`;
    if (!e || typeof e !== 'object') {
      issues.push({ field: at, message: 'must be an object' });
      continue;
    }
    if (typeof e.type !== 'string' || e.type === '') issues.push({ field: `${at}.type`, message: 'is missing: PAYMENT, REFUND…' });
    if (!e.paymentRequestId && !e.refundRequestId && !e.paymentId && !e.refundId)
      issues.push({ field: at, message: 'has no paymentRequestId, refundRequestId, paymentId or refundId to match on' });
    if (!e.amount || !CurrencyCode.safeParse(e.amount.currency).success)
      issues.push({ field: `${at}.amount.currency`, message: 'must be an ISO 4217 code such as "USD"' });
    if (!e.amount || !isMinorUnitValue(e.amount.value))
      issues.push({
        field: `${at}.amount.value`,
        message: `must be a positive integer string in minor units such as "1450" (got ${JSON.stringify(e.amount?.value)})`,
      });
    entries.push({ ...e, type: String(e.type).toUpperCase() });
  }
  return entries;
}

function ref(row: ReportRow, unit: AmountUnit): ItemRef {
  const money = (column: string): Money | undefined => {
    const a = row.amounts[column];
    const value = a && amountInMinorUnits(a, unit);
    return a && value !== undefined ? { currency: a.currency, value } : undefined;
  };
  return {
    file: row.file,
    line: row.line,
    settlementBatchId: row.settlementBatchId,
    transactionType: row.transactionType,
    transactionId: row.transactionId,
    transactionRequestId: row.transactionRequestId,
    transactionAmount: money('transactionAmountValue'),
    settlementAmount: money('settlementAmountValue'),
  };
}

/**
 * Reconciles the reports with each other and with the merchant's ledger. Mismatches are the result, never thrown;
 * only input that cannot be reconciled at all (wrong report kinds, ledger entries without ids or amounts) throws an
 * AmsValidationError naming each problem.
 */
export function reconcile(input: ReconcileInput): ReconciliationReport {
  const issues: ValidationIssue[] = [];
  const itemsReports = list(input.settlementItems, 'settlementItems', issues);
  const summaryReports = list(input.settlementSummary, 'settlementSummary', issues);
  const tdReports = list(input.transactionItems, 'transactionItems', issues);
  const ledger = readLedger(input.ledger ?? [], issues);
  if (issues.length > 0) throw new AmsValidationError(issues, { context: 'reconcile' });

  const report: ReconciliationReport = {
    ok: false,
    ledgerChecked: input.ledger !== undefined,
    units: [],
    summaryMismatches: [],
    adjustments: [],
    matched: [],
    notInLedger: [],
    unsettled: [],
    amountMismatches: [],
    duplicates: [],
    totals: [],
    fees: [],
    incomplete: [],
    warnings: [],
  };
  for (const r of [...itemsReports, ...summaryReports, ...tdReports]) {
    if (!r.complete) report.incomplete.push(r.fileName);
    for (const w of r.warnings) report.warnings.push(`${r.fileName}: ${w}`);
  }

  // Ledger index: by (type, request id) and by (type, Antom id); a key seen twice is a ledger duplicate.
  const byRequest = new Map<string, LedgerEntry>();
  const byId = new Map<string, LedgerEntry>();
  const ledgerSeen = new Map<string, number[]>();
  ledger.forEach((e, i) => {
    const requestId = e.refundRequestId ?? e.paymentRequestId;
    const id = e.refundId ?? e.paymentId;
    const key = ledgerKey(e.type, requestId ?? id!);
    const seen = ledgerSeen.get(key);
    if (seen) seen.push(i);
    else ledgerSeen.set(key, [i]);
    if (requestId && !byRequest.has(ledgerKey(e.type, requestId))) byRequest.set(ledgerKey(e.type, requestId), e);
    if (id && !byId.has(ledgerKey(e.type, id))) byId.set(ledgerKey(e.type, id), e);
  });
  for (const [key, at] of ledgerSeen)
    if (at.length > 1) report.duplicates.push({ report: 'ledger', key, occurrences: at.map((i) => ({ file: 'ledger', line: i + 1 })) });
  const lookup = (row: ReportRow): LedgerEntry | undefined => {
    const type = row.transactionType ?? '';
    return (
      (row.transactionRequestId && byRequest.get(ledgerKey(type, row.transactionRequestId))) ||
      (row.transactionId ? byId.get(ledgerKey(type, row.transactionId)) : undefined)
    );
  };

  // Units per batch.
  const itemRows = itemsReports.flatMap((r) => r.rows);
  const summaryRows = summaryReports.flatMap((r) => r.rows);
  const itemsByBatch = groupBy(itemRows, (r) => r.settlementBatchId ?? '');
  const summaryByBatch = groupBy(summaryRows, (r) => r.settlementBatchId ?? '');
  const explicit = (reports: ParsedReport[]): AmountUnit | undefined => {
    const given = input.amountUnit ?? reports.find((r) => r.amountUnit !== 'auto')?.amountUnit;
    return given === 'auto' ? undefined : given;
  };
  const itemsUnit = explicit(itemsReports);
  const summaryUnit = explicit(summaryReports) ?? itemsUnit;
  const unitOf = new Map<string, UnitDecision>();
  for (const batch of new Set([...itemsByBatch.keys(), ...summaryByBatch.keys()])) {
    const decided =
      itemsUnit && summaryUnit
        ? {
            settlementBatchId: batch,
            items: itemsUnit,
            summary: summaryByBatch.has(batch) ? summaryUnit : undefined,
            reason: 'given as amountUnit',
          }
        : decideUnits(batch, itemsByBatch.get(batch) ?? [], summaryByBatch.get(batch) ?? [], lookup);
    unitOf.set(batch, decided);
    report.units.push(decided);
    if (decided.reason !== 'given as amountUnit')
      report.warnings.push(
        `batch ${batch}: items read in ${decided.items} units${decided.summary ? `, summary in ${decided.summary} units` : ''}: ${decided.reason}`,
      );
  }
  const itemUnit = (row: ReportRow): AmountUnit => unitOf.get(row.settlementBatchId ?? '')?.items ?? 'minor';

  checkSummaries(report, itemsByBatch, summaryByBatch, unitOf);
  matchItems(report, itemRows, itemUnit, lookup);

  // Transaction details: an upsert keyed by transactionId + transactionType (a T+2 reissue replaces the T+1 row).
  const tdUnit = explicit(tdReports) ?? report.units[0]?.items ?? 'minor';
  const td = new Map<string, ReportRow>();
  for (const row of tdReports.flatMap((r) => r.rows)) td.set(`${row.transactionId}|${row.transactionType}`, row);
  const settled = new Set(report.matched.map((m) => m.ledger).concat(report.amountMismatches.map((m) => m.ledger)));
  const inTd = new Set<LedgerEntry>();
  const settledIds = new Set(itemRows.map((r) => `${r.transactionId}|${r.transactionType}`));
  for (const [key, row] of td) {
    const entry = lookup(row);
    if (entry) inTd.add(entry);
    else if (report.ledgerChecked && !settledIds.has(key) && LEDGER_TYPES.has(row.transactionType ?? ''))
      report.notInLedger.push({ ...ref(row, tdUnit), report: 'transactionItems' });
  }

  const asOf = input.asOf !== undefined ? new Date(input.asOf).getTime() : latestTime([...itemRows, ...summaryRows]);
  for (const entry of ledger) {
    if (settled.has(entry)) continue;
    const created = entry.createdAt !== undefined ? new Date(entry.createdAt).getTime() : NaN;
    const ageMs = Number.isFinite(created) && asOf !== undefined && Number.isFinite(asOf) ? Math.max(0, asOf - created) : undefined;
    report.unsettled.push({ ledger: entry, ageMs, inTransactionItems: inTd.has(entry) });
  }

  totalsAndFees(report, itemRows, summaryByBatch, unitOf, itemUnit);
  report.ok =
    report.summaryMismatches.length === 0 &&
    report.notInLedger.length === 0 &&
    report.unsettled.length === 0 &&
    report.amountMismatches.length === 0 &&
    report.duplicates.length === 0 &&
    report.incomplete.length === 0;
  return report;
}

function latestTime(rows: readonly ReportRow[]): number | undefined {
  let latest: number | undefined;
  for (const r of rows) {
    const t = r.times['settlementTime'] ?? r.times['settlementInitiatedDate'];
    const ms = t !== undefined ? Date.parse(t) : NaN;
    if (Number.isFinite(ms) && (latest === undefined || ms > latest)) latest = ms;
  }
  return latest;
}

function matchItems(
  report: ReconciliationReport,
  itemRows: readonly ReportRow[],
  itemUnit: (row: ReportRow) => AmountUnit,
  lookup: (row: ReportRow) => LedgerEntry | undefined,
): void {
  const seen = new Map<string, ReportRow>();
  const dupes = new Map<string, Array<{ file: string | undefined; line: number }>>();
  for (const row of itemRows) {
    const key = `${row.transactionId}|${row.transactionType}`;
    const first = seen.get(key);
    if (first) {
      const occurrences = dupes.get(key) ?? [{ file: first.file, line: first.line }];
      occurrences.push({ file: row.file, line: row.line });
      dupes.set(key, occurrences);
      continue;
    }
    seen.set(key, row);
    const unit = itemUnit(row);
    const entry = lookup(row);
    const type = row.transactionType ?? '';
    if (!entry) {
      if (LEDGER_TYPES.has(type) && (row.transactionRequestId || row.transactionId)) {
        if (report.ledgerChecked) report.notInLedger.push({ ...ref(row, unit), report: 'settlementItems' });
      } else report.adjustments.push(adjustment('settlementItems', row, unit));
      continue;
    }
    const item = ref(row, unit);
    const differs: AmountMismatch['differs'] = [];
    const amount = item.transactionAmount;
    if (!amount || amount.currency !== entry.amount.currency) differs.push('currency');
    if (!amount || amount.value.replace(/^-/, '') !== entry.amount.value) differs.push('value');
    if (entry.type !== type) differs.push('type');
    if (differs.length) report.amountMismatches.push({ item, ledger: entry, differs });
    else report.matched.push({ item, ledger: entry });
  }
  for (const [key, occurrences] of dupes) report.duplicates.push({ report: 'settlementItems', key, occurrences });
}

function totalsAndFees(
  report: ReconciliationReport,
  itemRows: readonly ReportRow[],
  summaryByBatch: Map<string, ReportRow[]>,
  unitOf: Map<string, UnitDecision>,
  itemUnit: (row: ReportRow) => AmountUnit,
): void {
  const totals = new Map<string, { value: Decimal; batches: Set<string>; source: 'settlementSummary' | 'settlementItems' }>();
  const add = (currency: string, value: string, batch: string, source: 'settlementSummary' | 'settlementItems'): void => {
    const t = totals.get(`${source}|${currency}`) ?? { value: new ExactDecimal(0), batches: new Set<string>(), source };
    t.value = t.value.plus(value);
    t.batches.add(batch);
    totals.set(`${source}|${currency}`, t);
  };
  for (const [batch, rows] of summaryByBatch) {
    const unit = unitOf.get(batch)!;
    for (const row of rows.filter((r) => r.summaryType === 'TOTAL')) {
      const a = row.amounts['settlementAmountValue'];
      const v = a && amountInMinorUnits(a, unit.summary ?? unit.items);
      if (a && v !== undefined) add(a.currency, v, batch, 'settlementSummary');
    }
  }
  for (const row of itemRows) {
    const batch = row.settlementBatchId ?? '';
    if (summaryByBatch.has(batch)) continue;
    const a = row.amounts['settlementAmountValue'];
    const v = a && amountInMinorUnits(a, itemUnit(row));
    if (a && v !== undefined) add(a.currency, v, batch, 'settlementItems');
  }
  report.totals = [...totals].map(([key, t]) => ({
    currency: key.split('|')[1]!,
    value: t.value.toFixed(0),
    batches: [...t.batches],
    source: t.source,
  }));
  for (const kind of FEE_COLUMNS) {
    const perCurrency = new Map<string, Decimal>();
    for (const row of itemRows) {
      const a = row.amounts[kind];
      const v = a && amountInMinorUnits(a, itemUnit(row));
      if (a && v !== undefined) perCurrency.set(a.currency, (perCurrency.get(a.currency) ?? new ExactDecimal(0)).plus(v));
    }
    for (const [currency, value] of perCurrency) report.fees.push({ kind, currency, value: value.toFixed(0) });
  }
}
