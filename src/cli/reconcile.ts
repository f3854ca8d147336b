// `ams-cashier reconcile <dir|files…>`: reads Antom's report files and a ledger, prints what matched and what did not.
import { closeSync, createReadStream, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { currencyExponent } from '../rules/amounts';
import { showValue } from '../rules/show';
import { reconcileReports, type LedgerEntry, type Money, type ReconcileProgress, type ReconciliationReport } from '../reports';
import { kindFromFileName, kindFromHeader, type ReportKind } from '../reports/columns';
import { parseCommandArgs, stringOpt } from './args';
import { envelope } from './envelope';
import { printable } from './format';
import { CliUsageError, EXIT, readFileArg, shownPath, type CliIo, type ExitCode } from './io';

export const RECONCILE_HELP = `Usage: ams-cashier reconcile <dir|files…> [--ledger ledger.csv|ledger.json] [--amount-unit auto|major|minor] [--json]

Reads Antom's reconciliation reports (transactionItems_*, settlementItems_*, settlementSummary_*; the _000.._999
parts of one file are merged), row by row however large, and checks:
  - each settlement summary against its settlement items, per batch and summaryType (count, amount, every fee)
  - every amount can be read, every transaction row has its ids and the sign of its type, each batch has items
    and a summary
  - with --ledger, each settled item against your own records: matched, not in your ledger, in your ledger but
    never settled, amount, sign or currency mismatch; and duplicates (one ledger entry is matched once)
  - transaction details: rows that moved no money (status FAIL, PROCESSING) are listed apart
"Settlement reconciled" (exit 0) means every unit of money in the files is accounted for.
A directory is searched (with its subdirectories) for files named like Antom's reports; files named on the
command line are read whatever their name.

Options:
  --ledger FILE        your records: JSON (an array of {paymentRequestId|refundRequestId, paymentId?, refundId?,
                       disputeId?, type, amount: {currency, value}, createdAt?}) or CSV with the columns type,
                       paymentRequestId, refundRequestId, paymentId, refundId, disputeId, currency, value,
                       createdAt. A DISPUTE entry (disputeId and paymentId from the dispute notification) is
                       matched with the report's DISPUTE row.
                       Values in minor units ("1450" = 14.50 USD), as in AMS requests.
  --amount-unit UNIT   how the reports write amounts: auto (default: decided per batch, items and summary in
                       one unit), major or minor
  --max-findings N     the most findings of each kind listed (default 10000; the counts are always complete)
  --transactions-only  reconcile transaction details alone with the ledger (no settlement file: no payout is
                       checked, and without this flag that is exit 1)
  --json               print the full report: { ok, command, verdict, counts, …, error? }
                       (docs/cli-output.schema.json), on every outcome
  -h, --help           show this help

Exit codes: 0 everything reconciles, 1 something does not (or no settlement file was given without
--transactions-only), 2 unusable input (no report, a malformed file or ledger).

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

/** A ledger is read whole (it is what findings are matched against): up to a few million entries. */
const MAX_LEDGER_BYTES = 512 * 1024 * 1024;

const LEDGER_COLUMNS = [
  'type',
  'paymentRequestId',
  'refundRequestId',
  'paymentId',
  'refundId',
  'disputeId',
  'currency',
  'value',
  'createdAt',
];

/** Reads a ledger file: JSON (an array, or `{ entries: [] }`) or CSV with named columns. Shape errors come from reconcile. */
export function readLedgerFile(text: string, file: string): LedgerEntry[] {
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
  let records: string[][];
  try {
    const parsed: unknown = parseCsv(text, { bom: true, trim: true, skip_empty_lines: true });
    records = parsed as string[][];
  } catch (err) {
    throw new CliUsageError(`--ledger: ${basename(file)} is not valid CSV (${(err as Error).message.slice(0, 120)})`, {
      command: 'reconcile',
    });
  }
  const [header = [], ...rows] = records;
  // The header is checked even when no row follows: a wrong header is a wrong file, not an empty ledger.
  const unknown = header.filter((c) => !LEDGER_COLUMNS.includes(c));
  if (header.length === 0 || unknown.length > 0)
    throw new CliUsageError(
      `--ledger: ${basename(file)} ${header.length === 0 ? 'has no header line' : `has unknown column(s) ${unknown.map((c) => printable(c, 40)).join(', ')}`}; the columns are ${LEDGER_COLUMNS.join(', ')}`,
      { command: 'reconcile' },
    );
  return rows.map((fields, i) => {
    if (fields.length > header.length)
      throw new CliUsageError(`--ledger: ${basename(file)} line ${i + 2} has more fields than the header`, { command: 'reconcile' });
    const r = Object.fromEntries(header.map((name, k) => [name, fields[k] ?? '']));
    const entry: LedgerEntry = { type: r['type'] ?? '', amount: { currency: r['currency'] ?? '', value: r['value'] ?? '' } };
    for (const k of ['paymentRequestId', 'refundRequestId', 'paymentId', 'refundId', 'disputeId', 'createdAt'] as const)
      if (r[k]) entry[k] = r[k];
    return entry;
  });
}

/** Minor units shown in major units for people: `-725 USD` → `-7.25 USD`. */
export function showMoney(m: Money | undefined): string {
  if (!m) return '—';
  const exponent = currencyExponent(m.currency);
  if (exponent === undefined || exponent === 0) return `${m.value}${exponent === undefined ? ' (minor)' : ''} ${printable(m.currency, 8)}`;
  const negative = m.value.startsWith('-');
  const digits = (negative ? m.value.slice(1) : m.value).padStart(exponent + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -exponent)}.${digits.slice(-exponent)} ${m.currency}`;
}

function where(file: string | undefined, line: number | undefined): string {
  return `${file ? printable(basename(file), 120) : '?'}:${line ?? '?'}`;
}

/** An id or type from a file, safe to print. */
function id(value: string | undefined): string {
  return value === undefined ? '(none)' : printable(value);
}

/**
 * The last line. "settlement reconciled" only when settlement files were reconciled and everything is accounted for;
 * transaction details alone prove no payout, so they reconcile only when asked for (`--transactions-only`).
 */
function verdict(report: ReconciliationReport, transactionsOnly: boolean): string {
  if (!report.settlementChecked) {
    if (!transactionsOnly)
      return 'NOT reconciled: no settlementItems or settlementSummary file was given, so no payout was checked (add them, or pass --transactions-only to check the transaction details alone)';
    return report.ok ? 'transactions reconciled (transaction details only: no payout was checked)' : 'NOT reconciled';
  }
  return report.ok ? 'settlement reconciled' : 'NOT reconciled';
}

/** What to do when the files do not reconcile: where the findings are, or the file that is missing. */
function notReconciledFix(report: ReconciliationReport): string {
  if (!report.settlementChecked && report.ok)
    return 'Add the settlementItems and settlementSummary files of the same days, or pass --transactions-only to check the transaction details alone.';
  const found = Object.entries(report.counts)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${kind}`);
  return `Look at each finding (${found.join(', ') || 'incomplete files, batch errors'}): the lists of the same names say where, file and line.`;
}

/** Whether the command succeeds: what the last line says. */
export function reconciled(report: ReconciliationReport, transactionsOnly: boolean): boolean {
  return report.ok && (report.settlementChecked || transactionsOnly);
}

export function formatReconciliation(report: ReconciliationReport, transactionsOnly = false): string {
  const out: string[] = [];
  const c = report.counts;
  out.push(
    `Reports: ${report.files.map((f) => `${printable(f.fileName, 120)} (${f.kind}, ${f.rows} row(s)${f.parts.length > 1 ? `, ${f.parts.length} parts` : ''})`).join('; ')}`,
  );
  for (const u of report.units) out.push(`Batch ${id(u.settlementBatchId) || '(none)'}: amounts in ${u.reason}`);
  for (const f of report.incomplete) out.push(`INCOMPLETE  ${printable(f, 120)}: no <END> line or a missing part; download it again`);
  for (const b of report.batchErrors) out.push(`BATCH  ${id(b.settlementBatchId)}: ${b.message}`);
  out.push(
    '',
    `Summary vs items: ${c.summaryMismatches === 0 ? 'every count, amount and fee adds up' : `${c.summaryMismatches} mismatch(es)`}`,
  );
  for (const m of report.summaryMismatches)
    out.push(
      `  MISMATCH  batch ${id(m.settlementBatchId)} ${id(m.summaryType)} ${m.column}: summary ${printable(m.summary)}, ${m.against} ${printable(m.computed)}  (${where(m.file, m.line)}; minor units)`,
    );
  for (const e of report.rowErrors)
    out.push(
      `  ROW  ${e.report} ${id(e.transactionType)} ${id(e.transactionRequestId ?? e.transactionId)}: ${printable(e.message, 300)}  (${where(e.file, e.line)})`,
    );
  for (const a of report.adjustments)
    out.push(`  adjustment  ${a.report} ${id(a.type)} ${showMoney(a.settlementAmount)}  (${where(a.file, a.line)})`);
  if (report.ledgerChecked) {
    out.push(
      '',
      `Ledger: ${report.matched.length} matched, ${c.notInLedger} not in your ledger, ${c.unsettled} never settled, ${c.amountMismatches} amount mismatch(es), ${c.duplicates} duplicate(s)`,
    );
    for (const n of report.notInLedger)
      out.push(
        `  NOT IN LEDGER  ${id(n.transactionType)} ${id(n.transactionRequestId ?? n.transactionId)} ${showMoney(n.transactionAmount)}  (${where(n.file, n.line)})`,
      );
    for (const u of report.unsettled) {
      const ledgerId = u.ledger.refundRequestId ?? u.ledger.paymentRequestId ?? u.ledger.refundId ?? u.ledger.paymentId;
      const age = u.ageMs === undefined ? '' : `, ${(u.ageMs / 86_400_000).toFixed(1)} day(s) old`;
      out.push(
        `  NEVER SETTLED  ${id(u.ledger.type)} ${id(ledgerId)} ${showMoney(u.ledger.amount)}${age}${u.inTransactionItems ? ' (in the transaction details)' : ''}`,
      );
    }
    for (const m of report.amountMismatches)
      out.push(
        `  AMOUNT  ${id(m.item.transactionType)} ${id(m.item.transactionRequestId ?? m.item.transactionId)}: report ${showMoney(m.item.transactionAmount)}, ledger ${id(m.ledger.type)} ${showMoney(m.ledger.amount)} (${m.differs.join(', ')} differ)  (${where(m.item.file, m.item.line)})`,
      );
  } else out.push('', 'Ledger: not checked (give --ledger to match the items against your records)');
  for (const d of report.duplicates)
    out.push(
      `  DUPLICATE  ${d.report} ${id(d.key)}${d.transactionRequestId ? ` (your request id ${id(d.transactionRequestId)})` : ''} at ${d.occurrences.map((o) => where(o.file, o.line)).join(', ')}`,
    );
  for (const n of report.notMoved)
    out.push(
      `  not moved  ${id(n.transactionType)} ${id(n.transactionRequestId ?? n.transactionId)} status ${id(n.status)}  (${where(n.file, n.line)})`,
    );
  if (report.truncated)
    out.push(
      `  … lists cut at ${report.notInLedger.length || report.rowErrors.length || report.duplicates.length} finding(s) each; the counts above are complete (--json has them all up to --max-findings)`,
    );
  out.push('', 'Totals:');
  for (const t of report.totals) out.push(`  ${showMoney(t)} net settled (${t.source}, ${t.batches.length} batch(es))`);
  for (const f of report.fees) out.push(`  ${showMoney(f)} ${f.kind}`);
  for (const w of report.warnings) out.push(`note: ${printable(w, 400)}`);
  out.push('', `Result: ${verdict(report, transactionsOnly)}`);
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

/** The kind of a file: from its name, else from its first line (a file named on the command line may have any name). */
function kindOf(path: string): ReportKind | undefined {
  const fromName = kindFromFileName(basename(path));
  if (fromName) return fromName;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const first =
      buf
        .subarray(0, n)
        .toString('utf8')
        .replace(/^\uFEFF/, '')
        .split(/\r?\n/, 1)[0] ?? '';
    return kindFromHeader(first.split(',').map((h) => h.trim().replace(/^"|"$/g, '')));
  } finally {
    closeSync(fd);
  }
}

function rate(count: number, ms: number, unit: string): string {
  return ms > 0 ? `${Math.round((count * 1000) / ms).toLocaleString('en')} ${unit}/s` : '';
}

export async function runReconcile(argv: string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs(
    'reconcile',
    argv,
    {
      json: { type: 'boolean' },
      ledger: { type: 'string' },
      'amount-unit': { type: 'string' },
      'max-findings': { type: 'string' },
      'transactions-only': { type: 'boolean' },
    },
    true,
  );
  if (parsed.values['help']) {
    io.out(RECONCILE_HELP);
    return EXIT.OK;
  }
  const unit = stringOpt(parsed, 'amount-unit') ?? 'auto';
  if (unit !== 'auto' && unit !== 'major' && unit !== 'minor')
    throw new CliUsageError(`--amount-unit must be auto, major or minor, not ${showValue(unit, 20)}`, { command: 'reconcile' });
  const maxText = stringOpt(parsed, 'max-findings');
  const maxFindings = maxText === undefined ? undefined : Number(maxText);
  if (maxText !== undefined && (!/^\d{1,8}$/.test(maxText) || maxFindings! < 1))
    throw new CliUsageError(`--max-findings must be a whole number of at least 1, not ${showValue(maxText, 20)}`, { command: 'reconcile' });
  if (parsed.positionals.length === 0) throw new CliUsageError('give a directory or report files', { command: 'reconcile' });
  const files = listFiles(io, parsed.positionals);
  if (files.length === 0)
    throw new CliUsageError(
      `no report files (transactionItems_*, settlementItems_*, settlementSummary_*.csv) in ${parsed.positionals.map((p) => shownPath(p)).join(', ')}`,
      { command: 'reconcile' },
    );
  const ledgerFile = stringOpt(parsed, 'ledger');
  const ledger =
    ledgerFile !== undefined
      ? readLedgerFile(readFileArg(io, ledgerFile, '--ledger', MAX_LEDGER_BYTES).toString('utf8'), ledgerFile)
      : undefined;
  const byKind: Record<ReportKind, Array<{ fileName: string; input: AsyncIterable<Buffer> }>> = {
    settlementSummary: [],
    settlementItems: [],
    transactionItems: [],
  };
  for (const f of files) {
    const kind = kindOf(f);
    if (!kind)
      throw new CliUsageError(
        `${shownPath(basename(f))} is not an Antom report: its name does not start with transactionItems_, settlementItems_ or settlementSummary_, and its header names no transactionId or summaryType column`,
        { command: 'reconcile' },
      );
    byKind[kind].push({ fileName: basename(f), input: lazyFile(f) });
  }
  if (byKind.settlementItems.length + byKind.transactionItems.length === 0)
    throw new CliUsageError(
      `no settlementItems or transactionItems report among ${files.length} file(s): the settlement details (or the transaction details) are what is reconciled`,
      { command: 'reconcile' },
    );
  const started = io.clock.now().getTime();
  const show = io.progress;
  const report = await reconcileReports({
    ...byKind,
    ...(ledger ? { ledger } : {}),
    amountUnit: unit,
    ...(maxFindings !== undefined ? { maxFindings } : {}),
    ...(show
      ? {
          onProgress: (p: ReconcileProgress) => {
            const ms = io.clock.now().getTime() - started;
            show(
              `reconcile: ${p.filesDone}/${p.filesTotal} file(s), ${p.rows.toLocaleString('en')} rows, ${(p.bytes / 1e6).toFixed(1)} MB  ${rate(p.rows, ms, 'rows')}  ${printable(p.file, 60)}`,
            );
          },
        }
      : {}),
  });
  if (show) show(`reconcile: ${report.files.reduce((n, f) => n + f.rows, 0).toLocaleString('en')} rows read`, true);
  const transactionsOnly = parsed.values['transactions-only'] === true;
  const ok = reconciled(report, transactionsOnly);
  if (parsed.values['json']) {
    const said = verdict(report, transactionsOnly);
    const error = ok ? undefined : { code: 'NOT_RECONCILED', message: said, fix: notReconciledFix(report) };
    io.out(envelope('reconcile', ok, { ...report, verdict: said }, error));
  } else io.out(formatReconciliation(report, transactionsOnly));
  return ok ? EXIT.OK : EXIT.FAIL;
}
