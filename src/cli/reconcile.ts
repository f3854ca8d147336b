// `ams-cashier reconcile <dir|files…>`: reads Antom's report files and a ledger, prints what matched and what did not.
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { currencyExponent } from '../rules/amounts';
import { ExactDecimal } from '../rules/exact-decimal';
import { parseReports, reconcile, type LedgerEntry, type Money, type ParsedReport, type ReconciliationReport } from '../reports';
import { parseCommandArgs, stringOpt } from './args';
import { json } from './format';
import { CliUsageError, EXIT, readFileArg, type CliIo, type ExitCode } from './io';

export const RECONCILE_HELP = `Usage: ams-cashier reconcile <dir|files…> [--ledger ledger.csv|ledger.json] [--amount-unit auto|major|minor] [--json]

Reads Antom's reconciliation reports (transactionItems_*, settlementItems_*, settlementSummary_*; the _000.._999
parts of one file are merged) and checks:
  - each settlement summary against its settlement items, per batch and summaryType (count, amount, every fee)
  - with --ledger, each settled item against your own records: matched, not in your ledger, in your ledger but
    never settled, amount or currency mismatch; and duplicates
A directory is searched (with its subdirectories) for files named like Antom's reports; files named on the
command line are read whatever their name.

Options:
  --ledger FILE        your records: JSON (an array of {paymentRequestId|refundRequestId, paymentId?, refundId?,
                       type, amount: {currency, value}, createdAt?}) or CSV with the columns type,
                       paymentRequestId, refundRequestId, paymentId, refundId, currency, value, createdAt.
                       Values in minor units ("1450" = 14.50 USD), as in AMS requests.
  --amount-unit UNIT   how the reports write amounts: auto (default: decided per batch), major or minor
  --json               print the full report as JSON
  -h, --help           show this help

Exit codes: 0 everything reconciles, 1 something does not, 2 unusable input (no report, a malformed file or ledger).

Example:
  ams-cashier reconcile ./settlements/20181226 --ledger ledger.csv
`;

const REPORT_NAME = /^(transactionItems|settlementItems|settlementSummary)_.*\.csv$/i;

function listFiles(io: CliIo, specs: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && REPORT_NAME.test(entry.name)) files.push(full);
    }
  };
  for (const spec of specs) {
    const full = resolve(io.cwd, spec);
    let isDir = false;
    try {
      isDir = statSync(full).isDirectory();
    } catch {
      throw new CliUsageError(`"${spec}" not found`, { command: 'reconcile' });
    }
    if (isDir) walk(full);
    else files.push(full);
  }
  return files;
}

const LEDGER_COLUMNS = ['type', 'paymentRequestId', 'refundRequestId', 'paymentId', 'refundId', 'currency', 'value', 'createdAt'];

/** Reads a ledger file: JSON (an array, or `{ entries: [] }`) or CSV with named columns. Shape errors come from reconcile. */
export function readLedger(text: string, file: string): LedgerEntry[] {
  if (extname(file).toLowerCase() === '.json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new CliUsageError(`--ledger: ${basename(file)} is not valid JSON (${(err as Error).message})`, { command: 'reconcile' });
    }
    const entries = Array.isArray(parsed) ? parsed : (parsed as { entries?: unknown })?.entries;
    if (!Array.isArray(entries))
      throw new CliUsageError(`--ledger: ${basename(file)} must hold an array of entries (or {"entries": [...]})`, {
        command: 'reconcile',
      });
    return entries as LedgerEntry[];
  }
  let records: Array<Record<string, string>>;
  try {
    records = parseCsv<Record<string, string>>(text, {
      bom: true,
      columns: (h: string[]) => h.map((c) => c.trim()),
      trim: true,
      skip_empty_lines: true,
    });
  } catch (err) {
    throw new CliUsageError(`--ledger: ${basename(file)} is not valid CSV (${(err as Error).message.slice(0, 120)})`, {
      command: 'reconcile',
    });
  }
  const header = Object.keys(records[0] ?? {});
  const unknown = header.filter((c) => !LEDGER_COLUMNS.includes(c));
  if (unknown.length > 0)
    throw new CliUsageError(
      `--ledger: ${basename(file)} has unknown column(s) ${unknown.join(', ')}; the columns are ${LEDGER_COLUMNS.join(', ')}`,
      { command: 'reconcile' },
    );
  return records.map((r) => {
    const entry: LedgerEntry = { type: r['type'] ?? '', amount: { currency: r['currency'] ?? '', value: r['value'] ?? '' } };
    for (const k of ['paymentRequestId', 'refundRequestId', 'paymentId', 'refundId', 'createdAt'] as const) if (r[k]) entry[k] = r[k];
    return entry;
  });
}

/** Minor units shown in major units for people: `-725 USD` → `-7.25 USD`. */
export function showMoney(m: Money | undefined): string {
  if (!m) return '—';
  const exponent = currencyExponent(m.currency);
  return exponent === undefined
    ? `${m.value} (minor) ${m.currency}`
    : `${new ExactDecimal(m.value).div(new ExactDecimal(10).pow(exponent)).toFixed(exponent)} ${m.currency}`;
}

function where(file: string | undefined, line: number): string {
  return `${file ? basename(file) : '?'}:${line}`;
}

export function formatReconciliation(report: ReconciliationReport, files: readonly ParsedReport[]): string {
  const out: string[] = [];
  out.push(
    `Reports: ${files.map((f) => `${f.fileName} (${f.kind}, ${f.rows.length} row(s)${f.parts.length > 1 ? `, ${f.parts.length} parts` : ''})`).join('; ')}`,
  );
  for (const u of report.units)
    out.push(
      `Batch ${u.settlementBatchId || '(none)'}: amounts in ${u.items} units${u.summary && u.summary !== u.items ? ` (summary: ${u.summary})` : ''}: ${u.reason}`,
    );
  for (const f of report.incomplete) out.push(`INCOMPLETE  ${f}: no <END> line or a missing part; download it again`);
  out.push(
    '',
    `Summary vs items: ${report.summaryMismatches.length === 0 ? 'every count, amount and fee adds up' : `${report.summaryMismatches.length} mismatch(es)`}`,
  );
  for (const m of report.summaryMismatches)
    out.push(
      `  MISMATCH  batch ${m.settlementBatchId} ${m.summaryType} ${m.column}: summary ${m.summary}, ${m.against} ${m.computed}  (${where(m.file, m.line ?? 0)}; minor units)`,
    );
  for (const a of report.adjustments)
    out.push(`  adjustment  ${a.report} ${a.type} ${showMoney(a.settlementAmount)}  (${where(a.file, a.line)})`);
  if (report.ledgerChecked) {
    out.push(
      '',
      `Ledger: ${report.matched.length} matched, ${report.notInLedger.length} not in your ledger, ${report.unsettled.length} never settled, ${report.amountMismatches.length} amount mismatch(es), ${report.duplicates.length} duplicate(s)`,
    );
    for (const n of report.notInLedger)
      out.push(
        `  NOT IN LEDGER  ${n.transactionType} ${n.transactionRequestId ?? n.transactionId} ${showMoney(n.transactionAmount)}  (${where(n.file, n.line)})`,
      );
    for (const u of report.unsettled) {
      const id = u.ledger.refundRequestId ?? u.ledger.paymentRequestId ?? u.ledger.refundId ?? u.ledger.paymentId;
      const age = u.ageMs === undefined ? '' : `, ${(u.ageMs / 86_400_000).toFixed(1)} day(s) old`;
      out.push(
        `  NEVER SETTLED  ${u.ledger.type} ${id} ${showMoney(u.ledger.amount)}${age}${u.inTransactionItems ? ' (in the transaction details)' : ''}`,
      );
    }
    for (const m of report.amountMismatches)
      out.push(
        `  AMOUNT  ${m.item.transactionType} ${m.item.transactionRequestId ?? m.item.transactionId}: report ${showMoney(m.item.transactionAmount)}, ledger ${m.ledger.type} ${showMoney(m.ledger.amount)} (${m.differs.join(', ')} differ)  (${where(m.item.file, m.item.line)})`,
      );
  } else out.push('', 'Ledger: not checked (give --ledger to match the items against your records)');
  for (const d of report.duplicates)
    out.push(`  DUPLICATE  ${d.report} ${d.key} at ${d.occurrences.map((o) => where(o.file, o.line)).join(', ')}`);
  out.push('', 'Totals:');
  for (const t of report.totals) out.push(`  ${showMoney(t)} net settled (${t.source}, ${t.batches.length} batch(es))`);
  for (const f of report.fees) out.push(`  ${showMoney(f)} ${f.kind}`);
  for (const w of report.warnings) out.push(`note: ${w}`);
  out.push('', report.ok ? 'Result: settlement reconciled' : 'Result: NOT reconciled');
  return out.join('\n');
}

/** A file opened only when it is read, so a directory of a thousand parts never holds a thousand descriptors. */
function lazyFile(path: string): AsyncIterable<Buffer> {
  return {
    async *[Symbol.asyncIterator]() {
      yield* createReadStream(path) as AsyncIterable<Buffer>;
    },
  };
}

export async function runReconcile(argv: string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs(
    'reconcile',
    argv,
    { json: { type: 'boolean' }, ledger: { type: 'string' }, 'amount-unit': { type: 'string' } },
    true,
  );
  if (parsed.values['help']) {
    io.out(RECONCILE_HELP);
    return EXIT.OK;
  }
  const unit = stringOpt(parsed, 'amount-unit') ?? 'auto';
  if (unit !== 'auto' && unit !== 'major' && unit !== 'minor')
    throw new CliUsageError(`--amount-unit must be auto, major or minor, not "${unit}"`, { command: 'reconcile' });
  if (parsed.positionals.length === 0) throw new CliUsageError('give a directory or report files', { command: 'reconcile' });
  const files = listFiles(io, parsed.positionals);
  if (files.length === 0)
    throw new CliUsageError(
      `no report files (transactionItems_*, settlementItems_*, settlementSummary_*.csv) in ${parsed.positionals.join(', ')}`,
      { command: 'reconcile' },
    );
  const ledgerFile = stringOpt(parsed, 'ledger');
  const ledger = ledgerFile !== undefined ? readLedger(readFileArg(io, ledgerFile, '--ledger').toString('utf8'), ledgerFile) : undefined;
  const reports = await parseReports(
    files.map((f) => ({ fileName: basename(f), input: lazyFile(f) })),
    { amountUnit: unit },
  );
  const of = (kind: ParsedReport['kind']): ParsedReport[] => reports.filter((r) => r.kind === kind);
  if (of('settlementItems').length === 0)
    throw new CliUsageError(`no settlementItems report among ${files.length} file(s): the settlement details are what is reconciled`, {
      command: 'reconcile',
    });
  const report = reconcile({
    settlementItems: of('settlementItems'),
    settlementSummary: of('settlementSummary'),
    transactionItems: of('transactionItems'),
    ...(ledger ? { ledger } : {}),
  });
  io.out(parsed.values['json'] ? json(report) : formatReconciliation(report, reports));
  return report.ok ? EXIT.OK : EXIT.FAIL;
}
