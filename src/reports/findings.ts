// The result of a reconciliation: each batch's unit decided, the summaries checked, every finding in minor units, and the verdict.
import type { Batch, Unreadable } from './batch';
import { FEE_COLUMNS, type FeeColumn, type ReportKind } from './columns';
import type {
  AmountMismatch,
  BatchError,
  FindingList,
  ItemRef,
  LedgerEntry,
  Money,
  ReconciledFile,
  ReconciliationReport,
} from './reconcile-types';
import { DETAILS_BATCH, type RawRef, type Reconciler } from './reconciler';
import { requestIdOf } from './ledger';
import { checkSummary } from './summary-check';
import { EXPECTED_SIGN } from './row-checks';
import { minorUnits, unitProblem, type AmountUnit } from './units';
import type { ReportAmount } from './rows';

export interface FinishMeta {
  files: ReconciledFile[];
  incomplete: string[];
  warnings: string[];
  asOf: number | undefined;
}

function money(amount: ReportAmount | undefined, unit: AmountUnit): Money | undefined {
  const v = amount && minorUnits(amount, unit);
  return amount && v !== undefined ? { currency: amount.currency, value: v.toString() } : undefined;
}

function ref(raw: RawRef): ItemRef {
  return {
    file: raw.file,
    line: raw.line,
    settlementBatchId: raw.batch.id === DETAILS_BATCH ? undefined : raw.batch.id,
    transactionType: raw.transactionType,
    transactionId: raw.transactionId,
    transactionRequestId: raw.transactionRequestId,
    transactionAmount: money(raw.transaction, raw.batch.unit),
    settlementAmount: money(raw.settlement, raw.batch.unit),
  };
}

function batchProblems(batch: Batch): BatchError[] {
  const out: BatchError[] = [];
  if (batch.itemRows > 0 && batch.summaryRows === 0)
    out.push({
      settlementBatchId: batch.id,
      problem: 'no_summary',
      message: `${batch.itemRows} settlement item(s) but no settlement summary: without it a missing item cannot be seen (give the batch's settlementSummary_ file)`,
    });
  const reading = batch.reading(batch.unit);
  if (batch.itemRows === 0 && batch.summaryRows > 0) {
    const counted = [...reading.summary.values()].some((t) => t.count > 0);
    if (counted || [...reading.summaryPayout().values()].some((v) => v !== 0n))
      out.push({
        settlementBatchId: batch.id,
        problem: 'no_items',
        message: 'the summary settles money or counts rows but no settlement item of the batch was given (give its settlementItems_ file)',
      });
  }
  if (batch.totalRows > 1)
    out.push({
      settlementBatchId: batch.id,
      problem: 'total_twice',
      message: `${batch.totalRows} TOTAL rows: a batch has one payout (the first TOTAL was taken; check for a summary given twice)`,
    });
  return out;
}

/** What differs between a matched row and its ledger entry: currency, size, sign, type, or the Antom id it names. */
function differences(raw: RawRef, entry: LedgerEntry): AmountMismatch['differs'] {
  const differs: AmountMismatch['differs'] = [];
  const amount = raw.transaction;
  const v = amount && minorUnits(amount, raw.batch.unit);
  if (!amount || amount.currency !== entry.amount.currency) differs.push('currency');
  if (v === undefined || (v < 0n ? -v : v).toString() !== entry.amount.value) differs.push('value');
  // Also a row error (row-checks.ts) for the merchant's transactions; here it decides the match: a row of the wrong sign
  // is never the ledger entry, whatever its size.
  const sign = EXPECTED_SIGN[raw.transactionType ?? ''];
  if (sign && v !== undefined && v !== 0n && (v < 0n ? -1 : 1) !== sign) differs.push('sign');
  if (entry.type !== raw.transactionType) differs.push('type');
  // The ledger's Antom ids against the row's (its transactionId, and the original payment's for a refund or capture):
  // a request id can be matched while the row is about another transaction.
  const theirs = [entry.paymentId, entry.refundId, entry.disputeId].filter(Boolean);
  const ours = [raw.transactionId, raw.originalTransactionId].filter(Boolean);
  if (theirs.length > 0 && ours.length > 0 && !ours.some((id) => theirs.includes(id))) differs.push('id');
  return differs;
}

/** Folds one warning per batch into one per reason: a day of many batches reads as one line. */
function unitWarnings(batches: readonly Batch[]): string[] {
  const byReason = new Map<string, string[]>();
  for (const b of batches) {
    const ids = byReason.get(b.decision!.reason) ?? [];
    ids.push(b.id);
    byReason.set(b.decision!.reason, ids);
  }
  return [...byReason].map(
    ([reason, ids]) =>
      `${ids.length === 1 ? `batch ${ids[0]}` : `${ids.length} batches (${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''})`}: amounts read in ${reason}`,
  );
}

/** Decides each batch's unit, checks the summaries and turns every finding into amounts in that unit. */
export function buildReport(engine: Reconciler, meta: FinishMeta): ReconciliationReport {
  const { keep } = engine.options;
  const counts = engine.counts;
  const warnings = [...meta.warnings];
  const batches = [...engine.batches.values()];
  if (engine.options.detailsArePrimary && engine.detailsBatch.detailRows > 0) batches.push(engine.detailsBatch);
  const report: ReconciliationReport = {
    ok: false,
    settlementChecked: !engine.options.detailsArePrimary,
    ledgerChecked: engine.ledger !== undefined,
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
  for (const batch of batches) report.units.push(batch.decide(engine.options.unit));
  if (!engine.options.unit) warnings.push(...unitWarnings(batches));

  for (const batch of batches) {
    const unit = batch.unit;
    const unreadable = (kind: ReportKind, list: readonly Unreadable[], count: number): void => {
      // Counted in full; the first `keep` are listed.
      counts.rowErrors += count - list.length;
      for (const u of list)
        add('rowErrors', report.rowErrors, {
          ...ref({ ...u.ref, batch }),
          report: kind,
          problem: 'unreadable_amount',
          column: u.column,
          message: `${u.column} cannot be read in ${unit} units: ${unitProblem(u.amount, unit)}; it is in no sum, so the batch does not add up`,
        });
    };
    if (batch.id === DETAILS_BATCH) {
      const details = batch.details(unit);
      unreadable('transactionItems', details.unreadable, details.unreadableCount);
      continue;
    }
    for (const problem of batchProblems(batch)) add('batchErrors', report.batchErrors, problem);
    if (batch.summaryRows > 0)
      for (const m of checkSummary(batch, (w) => warnings.push(w))) add('summaryMismatches', report.summaryMismatches, m);
    const reading = batch.reading(unit);
    unreadable('settlementItems', reading.unreadable, reading.unreadableCount);
    unreadable('settlementSummary', reading.summaryUnreadable, reading.summaryUnreadableCount);
  }

  for (const { raw, ...error } of engine.rowErrors) if (report.rowErrors.length < keep) report.rowErrors.push({ ...ref(raw), ...error });
  for (const { raw, report: kind, type } of engine.adjustments)
    if (report.adjustments.length < keep)
      report.adjustments.push({
        report: kind,
        settlementBatchId: raw.batch.id,
        type,
        settlementAmount: money(raw.settlement, raw.batch.unit),
        file: raw.file,
        line: raw.line,
      });
  report.notInLedger = [...engine.notInLedger.values()].map(({ raw, report: kind }) => ({ ...ref(raw), report: kind }));
  report.notMoved = [...engine.notMoved.values()].map(({ raw, status }) => ({ ...ref(raw), status }));
  report.duplicates.push(...engine.duplicates);
  const ledger = engine.ledger;
  for (const { key, at } of ledger?.duplicates ?? [])
    add('duplicates', report.duplicates, {
      report: 'ledger',
      key,
      transactionRequestId: requestIdOf(ledger!.entries[at[0]!]!),
      occurrences: at.map((i) => ({ file: 'ledger', line: i + 1 })),
    });

  for (const { raw, entry } of engine.matches.values()) {
    const differs = differences(raw, entry);
    if (differs.length > 0) add('amountMismatches', report.amountMismatches, { item: ref(raw), ledger: entry, differs });
    else report.matched.push({ item: ref(raw), ledger: entry });
  }
  const asOf = meta.asOf ?? engine.latest;
  for (const entry of ledger?.entries ?? []) {
    if (ledger!.isClaimed(entry)) continue;
    const created = entry.createdAt !== undefined ? new Date(entry.createdAt).getTime() : NaN;
    const ageMs = Number.isFinite(created) && asOf !== undefined && Number.isFinite(asOf) ? Math.max(0, asOf - created) : undefined;
    add('unsettled', report.unsettled, { ledger: entry, ageMs, inTransactionItems: engine.inDetails.has(entry) });
  }
  totalsAndFees(report, batches);
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

function totalsAndFees(report: ReconciliationReport, batches: readonly Batch[]): void {
  const totals = new Map<string, { value: bigint; batches: string[]; source: 'settlementSummary' | 'settlementItems' }>();
  const fees = new Map<string, bigint>();
  for (const batch of batches) {
    if (batch.id === DETAILS_BATCH) continue;
    const reading = batch.reading(batch.unit);
    const source = batch.summaryRows > 0 ? 'settlementSummary' : 'settlementItems';
    const payout = source === 'settlementSummary' ? reading.summaryPayout() : reading.itemSums('settlementAmountValue');
    for (const [currency, value] of payout) {
      const t = totals.get(`${source}|${currency}`) ?? { value: 0n, batches: [], source };
      t.value += value;
      t.batches.push(batch.id);
      totals.set(`${source}|${currency}`, t);
    }
    for (const column of FEE_COLUMNS)
      for (const [currency, value] of reading.itemSums(column))
        fees.set(`${column}|${currency}`, (fees.get(`${column}|${currency}`) ?? 0n) + value);
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
