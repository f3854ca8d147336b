// The reports' options (readReport, parseReport(s), reconcile, reconcileReports), checked as every options object is.
import { z } from 'zod';
import { lazy } from '../internal/lazy';
import { functionOption } from '../options';
import { showValue } from '../rules/show';
import type { AmountUnitOption } from './units';

export const MAX_FINDINGS_LIMIT = 10_000_000;

const amountUnit = (): z.ZodType<AmountUnitOption | undefined> =>
  z.enum(['auto', 'major', 'minor'], { error: (i) => `must be 'auto', 'major' or 'minor', not ${showValue(i.input)}` }).optional();

/** readReport and parseReport; parseReports gives each file's name itself. */
export const readReportOptionsSchema = lazy(function buildReadReportOptions() {
  return z.object({ fileName: z.string({ error: 'must be a string: the file name' }).optional(), amountUnit: amountUnit() }).strict();
});

/** parseReports: each part's file name is its own. */
export const parseReportsOptionsSchema = lazy(function buildParseReportsOptions() {
  return readReportOptionsSchema().omit({ fileName: true });
});

function reconcileFields() {
  return {
    // Each checked where it is read (the reports by kind, the ledger entry by entry), with every problem named.
    settlementItems: z.unknown().optional(),
    settlementSummary: z.unknown().optional(),
    transactionItems: z.unknown().optional(),
    ledger: z.unknown().optional(),
    amountUnit: amountUnit(),
    asOf: z
      .custom<Date | string>((v) => (v instanceof Date || typeof v === 'string') && Number.isFinite(new Date(v).getTime()), {
        error: (i) => `must be a Date or an ISO 8601 time, not ${showValue(i.input)}`,
      })
      .optional(),
    maxFindings: z
      .custom<number>((v) => Number.isSafeInteger(v) && (v as number) >= 1 && (v as number) <= MAX_FINDINGS_LIMIT, {
        error: (i) => `must be a whole number from 1 to ${MAX_FINDINGS_LIMIT}, not ${showValue(i.input)}`,
      })
      .optional(),
  };
}

/** reconcile: reports held whole. */
export const reconcileOptionsSchema = lazy(function buildReconcileOptions() {
  return z.object(reconcileFields()).strict();
});

/** reconcileReports: the same, streamed from files, with progress. */
export const reconcileReportsOptionsSchema = lazy(function buildReconcileReportsOptions() {
  return z
    .object({ ...reconcileFields(), onProgress: functionOption('receives { file, rows, bytes, filesDone, filesTotal }').optional() })
    .strict();
});
