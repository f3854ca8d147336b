// The `ams-cashier/reports` entry: read Antom's settlement and transaction reports and reconcile them with your books.
export { parseReport, readReport, parseReports, ReportReader } from './reader';
export type { ReportInput, ReadReportOptions, ParsedReport, ReportFile } from './reader';
export type { ReportRow, ReportAmount } from './rows';
export type { ReportKind, ReportGeneration, FeeColumn } from './columns';
export { FEE_COLUMNS } from './columns';
export { amountInMinorUnits } from './units';
export type { AmountUnit, AmountUnitOption } from './units';
export { reconcile, reconcileReports } from './reconcile';
export type {
  ReconcileInput,
  ReconcileOptions,
  ReconcileReportsInput,
  ReconcileProgress,
  ReconciliationReport,
  ReconciledFile,
  LedgerEntry,
  Money,
  ItemRef,
  RowPlace,
  SummaryMismatch,
  Adjustment,
  AmountMismatch,
  RowError,
  BatchError,
  Duplicate,
  FindingList,
  UnitDecision,
} from './reconcile';
export { fetchReports } from './fetch';
export type { FetchReportsOptions, FetchReportsResult, FetchedReport, FetchProgress } from './fetch';
