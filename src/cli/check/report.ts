// The go-live check's report: one line per check, the summary, and its text form.
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
