// Reconciliation: settlement summary against settlement items, items against the merchant's ledger, totals and fees.
import { Decimal } from 'decimal.js';
import { AmsValidationError, type ValidationIssue } from '../errors';
import { isMinorUnitValue } from '../rules/amounts';
import { decideUnits, type UnitDecision } from './auto-unit';
import { FEE_COLUMNS, type ReportKind } from './columns';
import type { ParsedReport } from './reader';
import type { ReportRow } from './rows';
import { amountInMinorUnits, type AmountUnit, type AmountUnitOption } from './units';

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

/** Rows that are the merchant's own transactions; every other type is a batch-level row (fee, reserve, dispute…). */
const LEDGER_TYPES = new Set(['PAYMENT', 'REFUND', 'CAPTURE', 'AUTHORIZATION', 'CANCEL', 'VOID']);
/** The summaryType values the docs list; any other value is a correction row (e.g. the 2C2P/Hundsun "default" row). */
const SUMMARY_TYPES = new Set([
  ...LEDGER_TYPES, 'DISPUTE', 'REFUND_REVERSAL', 'PAYMENT_REVERSAL', 'DISPUTE_REVERSAL', 'RAPID_DISPUTE_RESOLUTION', 'CDRN',
  'SETTLEMENT_FEE', 'ADJUSTMENT_FEE', 'COLLATERAL_WITHHOLDING', 'COLLATERAL_WITHHELD', 'RESERVE_WITHHOLDING', 'RESERVE',
  'RESERVE_RELEASE', 'RESERVE_RELEASED', 'COLLATERAL_RELEASE', 'COLLATERAL_RELEASED', 'TOTAL',
]);
const SUMMED_COLUMNS = ['settlementAmountValue', ...FEE_COLUMNS] as const;

function list(reports: ParsedReport | readonly ParsedReport[] | undefined, kind: ReportKind, issues: ValidationIssue[]): ParsedReport[] {
  const all = reports === undefined ? [] : Array.isArray(reports) ? [...(reports as readonly ParsedReport[])] : [reports as ParsedReport];
  all.forEach((r, i) => {
    if (r?.kind !== kind) issues.push({ field: `${kind}[${i}]`, message: `${r?.fileName ?? 'the value'} is ${r?.kind ? `a ${r.kind} report` : 'not a parsed report'}, not ${kind}` });
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
    if (!e.amount || typeof e.amount.currency !== 'string' || !/^[A-Z]{3}$/.test(e.amount.currency))
      issues.push({ field: `${at}.amount.currency`, message: 'must be an ISO 4217 code such as "USD"' });
    if (!e.amount || !isMinorUnitValue(e.amount.value))
      issues.push({ field: `${at}.amount.value`, message: `must be a positive integer string in minor units such as "1450" (got ${JSON.stringify(e.amount?.value)})` });
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

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
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
function sums(rows: readonly ReportRow[], column: string, unit: AmountUnit): Map<string, Decimal> {
  const m = new Map<string, Decimal>();
  for (const r of rows) {
    const a = r.amounts[column];
    const v = a && amountInMinorUnits(a, unit);
    if (a && v !== undefined) m.set(a.currency, (m.get(a.currency) ?? new Decimal(0)).plus(v));
  }
  return m;
}

function show(m: Map<string, Decimal>): string {
  const parts = [...m].filter(([, v]) => !v.isZero()).map(([c, v]) => `${v.toFixed(0)} ${c}`);
  return parts.length ? parts.join(' + ') : '0';
}

function sameSums(a: Map<string, Decimal>, b: Map<string, Decimal>): boolean {
  return show(a) === show(b);
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
    ok: false, ledgerChecked: input.ledger !== undefined, units: [], summaryMismatches: [], adjustments: [], matched: [], notInLedger: [], unsettled: [],
    amountMismatches: [], duplicates: [], totals: [], fees: [], incomplete: [], warnings: [],
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
    ledgerSeen.set(key, [...(ledgerSeen.get(key) ?? []), i]);
    if (requestId && !byRequest.has(ledgerKey(e.type, requestId))) byRequest.set(ledgerKey(e.type, requestId), e);
    if (id && !byId.has(ledgerKey(e.type, id))) byId.set(ledgerKey(e.type, id), e);
  });
  for (const [key, at] of ledgerSeen)
    if (at.length > 1) report.duplicates.push({ report: 'ledger', key, occurrences: at.map((i) => ({ file: 'ledger', line: i + 1 })) });
  const lookup = (row: ReportRow): LedgerEntry | undefined => {
    const type = row.transactionType ?? '';
    return (row.transactionRequestId && byRequest.get(ledgerKey(type, row.transactionRequestId))) ||
      (row.transactionId ? byId.get(ledgerKey(type, row.transactionId)) : undefined);
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
    const decided = itemsUnit && summaryUnit
      ? { settlementBatchId: batch, items: itemsUnit, summary: summaryByBatch.has(batch) ? summaryUnit : undefined, reason: 'given as amountUnit' }
      : decideUnits(batch, itemsByBatch.get(batch) ?? [], summaryByBatch.get(batch) ?? [], lookup);
    unitOf.set(batch, decided);
    report.units.push(decided);
    if (decided.reason !== 'given as amountUnit')
      report.warnings.push(`batch ${batch}: items read in ${decided.items} units${decided.summary ? `, summary in ${decided.summary} units` : ''}: ${decided.reason}`);
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
    else if (report.ledgerChecked && !settledIds.has(key) && LEDGER_TYPES.has(row.transactionType ?? '')) report.notInLedger.push({ ...ref(row, tdUnit), report: 'transactionItems' });
  }

  const asOf = input.asOf !== undefined ? new Date(input.asOf).getTime() : latestTime([...itemRows, ...summaryRows]);
  for (const entry of ledger) {
    if (settled.has(entry)) continue;
    const created = entry.createdAt !== undefined ? new Date(entry.createdAt).getTime() : NaN;
    const ageMs = Number.isFinite(created) && asOf !== undefined && Number.isFinite(asOf) ? Math.max(0, asOf - created) : undefined;
    report.unsettled.push({ ledger: entry, ageMs, inTransactionItems: inTd.has(entry) });
  }

  totalsAndFees(report, itemRows, summaryByBatch, unitOf, itemUnit);
  report.ok = report.summaryMismatches.length === 0 && report.notInLedger.length === 0 && report.unsettled.length === 0 &&
    report.amountMismatches.length === 0 && report.duplicates.length === 0 && report.incomplete.length === 0;
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

function checkSummaries(
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
    const mismatch = (row: ReportRow, column: string, summary: string, computed: string, against: SummaryMismatch['against']): void => {
      report.summaryMismatches.push({ settlementBatchId: batch, summaryType: row.summaryType ?? '', column, summary, computed, against, file: row.file, line: row.line });
    };
    const compare = (row: ReportRow, others: readonly ReportRow[], othersUnit: AmountUnit, against: SummaryMismatch['against'], count: number): void => {
      if ((row.count ?? 0) !== count) mismatch(row, 'count', String(row.count ?? 0), String(count), against);
      for (const column of SUMMED_COLUMNS) {
        const mine = sums([row], column, sUnit);
        const theirs = sums(others, column, othersUnit);
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
      const missing: ReportRow = { file: typed[0]!.file, line: typed[0]!.line, values: {}, amounts: {}, times: {}, summaryType: type, count: 0 };
      compare(missing, typed, unit.items, 'items', typed.length);
    }
    const totals = rows.filter((r) => r.summaryType === 'TOTAL');
    if (totals.length === 0) report.warnings.push(`batch ${batch}: the summary has no TOTAL row`);
    for (const total of totals) {
      compare(total, parts, sUnit, 'summary rows', parts.reduce((n, r) => n + (r.count ?? 0), 0));
      const payout = sums([total], 'settlementAmountValue', sUnit);
      const itemsPayout = sums(items, 'settlementAmountValue', unit.items);
      if (!sameSums(payout, itemsPayout)) mismatch(total, 'settlementAmountValue', show(payout), show(itemsPayout), 'items');
    }
  }
  for (const batch of itemsByBatch.keys())
    if (summaryByBatch.size > 0 && !summaryByBatch.has(batch)) report.warnings.push(`batch ${batch}: settlement items but no summary rows`);
}

function adjustment(reportKind: Adjustment['report'], row: ReportRow, unit: AmountUnit): Adjustment {
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
    const t = totals.get(`${source}|${currency}`) ?? { value: new Decimal(0), batches: new Set<string>(), source };
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
  report.totals = [...totals].map(([key, t]) => ({ currency: key.split('|')[1]!, value: t.value.toFixed(0), batches: [...t.batches], source: t.source }));
  for (const kind of FEE_COLUMNS) {
    const perCurrency = new Map<string, Decimal>();
    for (const row of itemRows) {
      const a = row.amounts[kind];
      const v = a && amountInMinorUnits(a, itemUnit(row));
      if (a && v !== undefined) perCurrency.set(a.currency, (perCurrency.get(a.currency) ?? new Decimal(0)).plus(v));
    }
    for (const [currency, value] of perCurrency) report.fees.push({ kind, currency, value: value.toFixed(0) });
  }
}
