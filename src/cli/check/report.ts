// The go-live check's report: one line per check, the summary, its text form and its JSON form.
import type { CliErrorInfo } from '../envelope';

/** `warn`: likely a mistake that no source forbids; it does not fail the check. */
export type CheckStatus = 'pass' | 'fail' | 'skip' | 'warn';

export interface CheckLine {
  /** Stable id, e.g. `currency.CNY`, `key.alipay.not-own`. */
  id: string;
  status: CheckStatus;
  /** What was checked, e.g. `pay in CNY, settle in USD`. */
  title: string;
  /** The finding; for a failure, what is wrong and what to do. */
  detail: string;
  /** Where the rule comes from (the cashier guide's sentence, the API reference). */
  source?: string;
}

export interface CheckReport {
  ok: boolean;
  file: string;
  checks: CheckLine[];
  passed: number;
  failed: number;
  skipped: number;
  warnings: number;
}

/** Reads a file referenced by the config (relative to the config's directory); undefined when it cannot be read. */
export type ConfigFileReader = (path: string) => { bytes: Buffer } | { error: string };

/** Counts the lines by status; ok when none failed. */
export function summarize(file: string, checks: CheckLine[]): CheckReport {
  const failed = checks.filter((c) => c.status === 'fail').length;
  const passed = checks.filter((c) => c.status === 'pass').length;
  const warnings = checks.filter((c) => c.status === 'warn').length;
  return { ok: failed === 0, file, checks, passed, failed, skipped: checks.length - failed - passed - warnings, warnings };
}

/** One line per check (a failure with its rule's source) and the verdict. */
export function formatReport(report: CheckReport): string {
  const label: Record<CheckStatus, string> = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP', warn: 'WARN' };
  const out = report.checks.map(
    (c) => `${label[c.status]}  ${c.title}: ${c.detail}${c.status === 'fail' && c.source ? `\n      source: ${c.source}` : ''}`,
  );
  out.push(
    `${report.ok ? 'OK' : 'NOT READY'}: ${report.passed} passed, ${report.failed} failed${report.warnings ? `, ${report.warnings} warning(s)` : ''}${report.skipped ? `, ${report.skipped} skipped` : ''} (${report.file})`,
  );
  return out.join('\n');
}

/** A check line in the JSON answer, in the shape every command's checks share: `{ name, ok, message, fix }`. */
export interface CheckLineJson {
  name: string;
  ok: boolean;
  status: CheckStatus;
  /** What was checked. */
  title: string;
  /** The finding. */
  message: string;
  /** What to do about it; null when there is nothing to do. */
  fix: string | null;
  source?: string;
}

/** A line's detail reads "finding → what to do": the JSON answer gives the two apart. */
function lineJson(c: CheckLine): CheckLineJson {
  const arrow = c.detail.indexOf(' → ');
  return {
    name: c.id,
    ok: c.status !== 'fail',
    status: c.status,
    title: c.title,
    message: arrow < 0 ? c.detail : c.detail.slice(0, arrow),
    fix: arrow < 0 ? null : c.detail.slice(arrow + 3),
    ...(c.source !== undefined ? { source: c.source } : {}),
  };
}

/** The report's payload in the JSON answer (`ok` and `command` are the envelope's). */
export function checkReportJson(report: CheckReport): Omit<CheckReport, 'ok' | 'checks'> & { checks: CheckLineJson[] } {
  const { ok: _ok, checks, ...counts } = report;
  return { ...counts, checks: checks.map(lineJson) };
}

/** Why the report is not ok, for the JSON answer: the failing checks and the first one's fix. */
export function checkReportError(report: CheckReport): CliErrorInfo | undefined {
  if (report.ok) return undefined;
  const failing = report.checks.filter((c) => c.status === 'fail').map(lineJson);
  return {
    code: 'CHECKS_FAILED',
    message: `${failing.length} of ${report.checks.length} checks failed: ${failing.map((c) => c.name).join(', ')}`,
    fix: failing.find((c) => c.fix !== null)?.fix ?? `${failing[0]?.title ?? 'a check'}: ${failing[0]?.message ?? 'see checks[]'}`,
  };
}
