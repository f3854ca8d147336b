// Reconciliation entry points: reports held whole (reconcile) or streamed from their files (reconcileReports).
import { AmsValidationError, type ValidationIssue } from '../errors';
import { showValue } from '../rules/show';
import type { ReportKind } from './columns';
import { readLedger } from './ledger';
import { checkPartHeader, groupParts, ReportReader, type ParsedReport, type ReportFile } from './reader';
import type {
  LedgerEntry,
  ReconcileInput,
  ReconcileOptions,
  ReconcileReportsInput,
  ReconciledFile,
  ReconciliationReport,
} from './reconcile-types';
import { buildReport } from './findings';
import { Reconciler } from './reconciler';
import { randomBytes } from 'node:crypto';
import type { AmountUnit, AmountUnitOption } from './units';
import type { z } from 'zod';
import { optionIssues } from '../options';
import { reconcileOptionsSchema, reconcileReportsOptionsSchema } from './options';

export type * from './reconcile-types';

const DEFAULT_MAX_FINDINGS = 10_000;
/** Rows between two progress reports (and one at the end of each file). */
const PROGRESS_EVERY_ROWS = 50_000;
/** The order reports are read in: transaction details last, once the settled rows are known. */
const ORDER: readonly ReportKind[] = ['settlementSummary', 'settlementItems', 'transactionItems'];

interface Checked {
  ledger: LedgerEntry[] | undefined;
  keep: number;
  asOf: number | undefined;
}

/** The options both forms share, every problem named. */
function checkOptions(input: ReconcileOptions, issues: ValidationIssue[], schema: z.ZodType): Checked {
  const problems = optionIssues(schema, input);
  issues.push(...problems);
  // With a problem nothing is reconciled (the caller throws); what is read below only has to not throw.
  const asOf = input.asOf === undefined ? undefined : new Date(input.asOf).getTime();
  const keep = input.maxFindings ?? DEFAULT_MAX_FINDINGS;
  const ledger = input.ledger !== undefined ? readLedger(input.ledger, issues) : undefined;
  return { ledger, keep, asOf };
}

function list(reports: ParsedReport | readonly ParsedReport[] | undefined, kind: ReportKind, issues: ValidationIssue[]): ParsedReport[] {
  if (reports === undefined) return [];
  if (reports === null || typeof reports !== 'object') {
    issues.push({
      field: kind,
      message: `must be a parsed report or an array of them (parseReport / parseReports), not ${showValue(reports)}`,
    });
    return [];
  }
  const all = Array.isArray(reports) ? [...(reports as readonly ParsedReport[])] : [reports as ParsedReport];
  all.forEach((r, i) => {
    if (r?.kind !== kind || !Array.isArray(r.rows))
      issues.push({
        field: `${kind}[${i}]`,
        message: `${typeof r?.fileName === 'string' ? r.fileName : 'the value'} is ${r?.kind ? `a ${r.kind} report` : 'not a parsed report'}, not ${kind}`,
      });
  });
  return all;
}

/** The one unit the reports are read in, when it is given (as amountUnit, or to the parser); two units conflict. */
function givenUnit(input: ReconcileOptions, parsedWith: readonly AmountUnitOption[], issues: ValidationIssue[]): AmountUnit | undefined {
  if (input.amountUnit !== undefined && input.amountUnit !== 'auto') return input.amountUnit;
  const given = [...new Set(parsedWith.filter((u): u is AmountUnit => u !== 'auto'))];
  if (given.length > 1)
    issues.push({
      field: 'amountUnit',
      message: `the reports were parsed with different units (${given.join(', ')}); a batch is read in one unit: pass amountUnit`,
    });
  return given[0];
}

/** A fresh secret for the duplicate fingerprints of one run: nobody who writes a report can aim two keys at one. */
function seed(): [number, number, number, number] {
  const b = randomBytes(16);
  return [b.readUInt32LE(0), b.readUInt32LE(4), b.readUInt32LE(8), b.readUInt32LE(12)];
}

function throwIf(issues: ValidationIssue[]): void {
  if (issues.length > 0) throw new AmsValidationError(issues, { context: 'reconcile' });
}

/**
 * Reconciles reports held in memory with each other and with the merchant's ledger. Mismatches are the result,
 * never thrown; only input that cannot be reconciled at all (wrong report kinds, ledger entries without ids or
 * amounts) throws an AmsValidationError naming each problem. For files of any size use `reconcileReports`.
 */
export function reconcile(input: ReconcileInput): ReconciliationReport {
  if (input === null || typeof input !== 'object')
    throw new AmsValidationError([{ field: '(input)', message: 'must be an object: { settlementItems, settlementSummary?, ledger? }' }], {
      context: 'reconcile',
    });
  const issues: ValidationIssue[] = [];
  const reports: Record<ReportKind, ParsedReport[]> = {
    settlementSummary: list(input.settlementSummary, 'settlementSummary', issues),
    settlementItems: list(input.settlementItems, 'settlementItems', issues),
    transactionItems: list(input.transactionItems, 'transactionItems', issues),
  };
  const checked = checkOptions(input, issues, reconcileOptionsSchema());
  const all = ORDER.flatMap((k) => reports[k]);
  if (reports.settlementItems.length + reports.transactionItems.length === 0 && issues.length === 0)
    issues.push({
      field: 'settlementItems',
      message: 'give settlementItems (with their settlementSummary) or transactionItems to reconcile',
    });
  const unit = givenUnit(
    input,
    all.map((r) => r.amountUnit),
    issues,
  );
  throwIf(issues);
  const engine = new Reconciler({ ...checked, unit, detailsArePrimary: reports.settlementItems.length === 0, seed: seed() });
  for (const kind of ORDER)
    for (const r of reports[kind]) {
      const file = engine.file(r.fileName);
      for (const row of r.rows) feed(engine, kind, row, file);
    }
  return buildReport(engine, {
    files: all.map((r) => ({
      fileName: r.fileName,
      kind: r.kind,
      generation: r.generation,
      rows: r.rows.length,
      parts: [...r.parts],
      complete: r.complete,
    })),
    incomplete: all.filter((r) => !r.complete).map((r) => r.fileName),
    warnings: all.flatMap((r) => r.warnings.map((w) => `${r.fileName}: ${w}`)),
    asOf: checked.asOf,
  });
}

function feed(engine: Reconciler, kind: ReportKind, row: ParsedReport['rows'][number], file: number): void {
  if (kind === 'settlementSummary') engine.summary(row);
  else if (kind === 'settlementItems') engine.item(row, file);
  else engine.detail(row, file);
}

function files(value: Iterable<ReportFile> | undefined, kind: ReportKind, issues: ValidationIssue[]): ReportFile[] {
  if (value === undefined) return [];
  if (value === null || typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') {
    issues.push({ field: kind, message: 'must be an array of { fileName, input } (the files of that kind)' });
    return [];
  }
  const out = [...value];
  out.forEach((f, i) => {
    if (!f || typeof f !== 'object' || typeof f.fileName !== 'string' || f.input === undefined || f.input === null)
      issues.push({ field: `${kind}[${i}]`, message: 'must be { fileName, input }: the file name and its bytes or stream' });
  });
  return out;
}

/**
 * Reconciles report files streamed row by row: memory is bounded by the ledger, the per-batch sums and a few dozen
 * bytes a settlement row (duplicate detection), not by the files. The `_000`…`_999` parts of one file are merged. The
 * same findings as `reconcile`; a file that is not of the kind it is given as, or unreadable, throws
 * AmsValidationError.
 */
export async function reconcileReports(input: ReconcileReportsInput): Promise<ReconciliationReport> {
  if (input === null || typeof input !== 'object')
    throw new AmsValidationError([{ field: '(input)', message: 'must be an object: { settlementItems, settlementSummary?, ledger? }' }], {
      context: 'reconcile',
    });
  const issues: ValidationIssue[] = [];
  const given: Record<ReportKind, ReportFile[]> = {
    settlementSummary: files(input.settlementSummary, 'settlementSummary', issues),
    settlementItems: files(input.settlementItems, 'settlementItems', issues),
    transactionItems: files(input.transactionItems, 'transactionItems', issues),
  };
  const checked = checkOptions(input, issues, reconcileReportsOptionsSchema());
  if (given.settlementItems.length + given.transactionItems.length === 0 && issues.length === 0)
    issues.push({
      field: 'settlementItems',
      message: 'give settlementItems (with their settlementSummary) or transactionItems to reconcile',
    });
  const unit = givenUnit(input, [], issues);
  throwIf(issues);
  const engine = new Reconciler({ ...checked, unit, detailsArePrimary: given.settlementItems.length === 0, seed: seed() });
  const read: ReconciledFile[] = [];
  const warnings: string[] = [];
  const groups = ORDER.map((kind) => [kind, groupParts(given[kind])] as const);
  const progress = { file: '', rows: 0, bytes: 0, filesDone: 0, filesTotal: ORDER.reduce((n, k) => n + given[k].length, 0) };
  let bytesBefore = 0;
  const report = (reader: ReportReader): void => {
    if (!input.onProgress) return;
    progress.bytes = bytesBefore + reader.bytesRead;
    try {
      input.onProgress({ ...progress });
    } catch {
      // A progress display that fails must not fail the reconciliation.
    }
  };
  for (const [kind, logical] of groups) {
    for (const { name, parts, gaps } of logical) {
      const merged: ReconciledFile = { fileName: name, kind, generation: 'unknown', rows: 0, parts: [], complete: gaps.length === 0 };
      let first: { fileName: string; kind: ReportKind | undefined; header: readonly string[] } | undefined;
      for (const part of parts) {
        const reader = new ReportReader(part.input, { fileName: part.fileName, amountUnit: unit ?? 'auto' });
        const file = engine.file(part.fileName);
        progress.file = part.fileName;
        let checkedKind = false;
        const checkKind = (): void => {
          checkedKind = true;
          if (reader.kind !== kind)
            throw new AmsValidationError(
              [{ field: kind, message: `${part.fileName} is a ${reader.kind ?? 'unknown'} report, not ${kind}`, code: 'report_input' }],
              { context: 'reconcile' },
            );
          if (first) checkPartHeader(part.fileName, first, reader.kind, reader.header, name);
          else first = { fileName: part.fileName, kind: reader.kind, header: [...reader.header] };
        };
        for await (const row of reader) {
          if (!checkedKind) checkKind();
          feed(engine, kind, row, file);
          progress.rows++;
          if (progress.rows % PROGRESS_EVERY_ROWS === 0) report(reader);
        }
        if (!checkedKind) checkKind();
        progress.filesDone++;
        report(reader);
        bytesBefore += reader.bytesRead;
        merged.generation = reader.generation;
        merged.rows += reader.rowCount;
        merged.parts.push(part.fileName);
        merged.complete &&= reader.complete;
        for (const w of reader.warnings) warnings.push(`${part.fileName}: ${w}`);
      }
      for (const gap of gaps) warnings.push(gap);
      read.push(merged);
    }
  }
  return buildReport(engine, {
    files: read,
    incomplete: read.filter((f) => !f.complete).map((f) => f.fileName),
    warnings,
    asOf: checked.asOf,
  });
}
