// Pure row logic of the report parser: a header and one record of fields in, a typed row (or a located error) out.
import { AmsValidationError } from '../errors';
import { MAX_DECIMAL_DIGITS } from '../rules/amounts';
import { printable } from '../rules/show';
import { AMOUNT_COLUMNS, TIME_COLUMNS } from './columns';

/** An amount as written in the file (a signed decimal string, unit not yet decided) with its currency. */
export interface ReportAmount {
  value: string;
  currency: string;
}

/** One data row. Every column is kept in `values` by its header name, unknown ones included. */
export interface ReportRow {
  /** The file the row came from (the part, for merged files), when known. */
  file: string | undefined;
  /** 1-based line of the row in its file. */
  line: number;
  /** Every column, trimmed, by header name ('' when empty). */
  values: Record<string, string>;
  /** The amount columns that hold a value, with their currency. */
  amounts: Record<string, ReportAmount>;
  /** The time columns that hold a value, as ISO 8601 with the offset as written (`2018-12-25T10:00:00+08:30`). */
  times: Record<string, string>;
  settlementBatchId?: string;
  customerId?: string;
  transactionId?: string;
  originalTransactionId?: string;
  transactionRequestId?: string;
  originalTransactionRequestId?: string;
  referenceTransactionId?: string;
  paymentMethodType?: string;
  transactionType?: string;
  summaryType?: string;
  /** The summary's count column. */
  count?: number;
}

const ID_COLUMNS = [
  'settlementBatchId',
  'customerId',
  'transactionId',
  'originalTransactionId',
  'transactionRequestId',
  'originalTransactionRequestId',
  'referenceTransactionId',
  'paymentMethodType',
  'transactionType',
  'summaryType',
] as const;

/** Where rows come from and where the parser's assumptions go. */
export interface RowContext {
  file: string;
  /** Records an assumption once per key. */
  warn(key: string, message: string): void;
}

/** The typed error for bad input in a report: names the file, the line and the column. */
export function reportError(file: string, line: number, column: string | undefined, message: string): AmsValidationError {
  // Every part can hold text from the file (a value, a column or file name): escaped here, once, so no message about a
  // report can print a line of its own or hide text on a terminal.
  const shownFile = printable(file, 200);
  const shownColumn = column === undefined ? undefined : printable(column, 100);
  // Line 0: the problem is with the call (an option, the input's type), not with a place in the file.
  return new AmsValidationError(
    [{ field: shownColumn ?? (line > 0 ? '(row)' : '(input)'), message: printable(message, 1000), code: 'report_input' }],
    { context: `Report ${shownFile}${line > 0 ? `, line ${line}` : ''}${shownColumn ? `, column ${shownColumn}` : ''}` },
  );
}

/** The most columns a report header may have, and the longest column name: far beyond any report's. */
const MAX_COLUMNS = 1000;
const MAX_COLUMN_NAME = 200;

/**
 * Reads the header record: names trimmed, trailing empty names dropped (a stray trailing comma). An empty name in
 * the middle, a duplicate name or a `<END>` in place of a header is bad input.
 */
export function readHeader(fields: readonly string[], ctx: RowContext, line: number): string[] {
  const names = fields.map((f) => f.trim());
  while (names.length > 0 && names[names.length - 1] === '') names.pop();
  if (names.length === 0 || (names.length === 1 && names[0] === '<END>'))
    throw reportError(ctx.file, line, undefined, 'no header line: the first line of a report names its columns');
  if (names.length > MAX_COLUMNS)
    throw reportError(
      ctx.file,
      line,
      undefined,
      `the header has ${names.length} columns; a report has a few dozen (at most ${MAX_COLUMNS} are read)`,
    );
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (name.length > MAX_COLUMN_NAME)
      throw reportError(ctx.file, line, `#${i + 1}`, `a column name of ${name.length} characters: not a report header`);
    if (name === '') throw reportError(ctx.file, line, `#${i + 1}`, 'a header field is empty: every column needs a name');
    if (name === '__proto__') throw reportError(ctx.file, line, `#${i + 1}`, 'a column may not be named __proto__');
    if (seen.has(name)) throw reportError(ctx.file, line, name, `column "${name}" appears twice in the header`);
    seen.add(name);
  });
  return names;
}

const DECIMAL = /^[+-]?(\d+)(?:\.(\d+))?$/;
/** A count past this many digits is not a count of rows (and would not survive as a number). */
const MAX_COUNT_DIGITS = 15;
const TIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/** A time as written → ISO 8601. Accepts a space for `T`, `+0830` for `+08:30`, a bare date and `YYYYMMDD`. */
export function normalizeTime(text: string): { iso: string; zoned: boolean } | undefined {
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (compact) return { iso: `${compact[1]}-${compact[2]}-${compact[3]}`, zoned: true };
  const m = TIME.exec(text);
  if (!m) return undefined;
  const [, date, time, offset] = m;
  if (time === undefined) return offset === undefined ? { iso: date!, zoned: true } : undefined;
  const seconds = time.length === 5 ? `${time}:00` : time;
  if (offset === undefined) return { iso: `${date}T${seconds}`, zoned: false };
  const zone = offset === 'Z' ? 'Z' : offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
  return { iso: `${date}T${seconds}${zone}`, zoned: true };
}

function currencyFor(column: string, row: Record<string, string>, ctx: RowContext, line: number): string {
  const currencyColumn = AMOUNT_COLUMNS[column]!;
  let currency = row[currencyColumn] ?? '';
  if (currency === '') {
    // A fee written without its currency is taken to be in the row's settlement currency [unconfirmed].
    const fallback = row['settlementCurrency'] || row['transactionCurrency'] || '';
    if (fallback === '') throw reportError(ctx.file, line, currencyColumn, `${column} holds an amount but ${currencyColumn} is empty`);
    ctx.warn(
      `currency:${column}`,
      `${column} has no ${currencyColumn} on some rows (first: line ${line}); read in the row's ${row['settlementCurrency'] ? 'settlementCurrency' : 'transactionCurrency'} (${fallback})`,
    );
    currency = fallback;
  }
  if (!/^[A-Za-z]{3}$/.test(currency))
    throw reportError(ctx.file, line, currencyColumn, `"${currency.slice(0, 16)}" is not an ISO 4217 currency code`);
  return currency.toUpperCase();
}

/** Which columns of a header need typing, worked out once per file rather than once per row. */
export interface HeaderPlan {
  names: readonly string[];
  amounts: ReadonlyArray<readonly [number, string]>;
  times: ReadonlyArray<readonly [number, string]>;
  ids: ReadonlyArray<readonly [number, (typeof ID_COLUMNS)[number]]>;
  count: number;
}

export function planHeader(names: readonly string[]): HeaderPlan {
  const at = (pred: (n: string) => boolean): Array<[number, string]> =>
    names.flatMap((n, i) => (pred(n) ? [[i, n] as [number, string]] : []));
  return {
    names,
    amounts: at((n) => Object.hasOwn(AMOUNT_COLUMNS, n)),
    times: at((n) => TIME_COLUMNS.has(n)),
    ids: at((n) => (ID_COLUMNS as readonly string[]).includes(n)) as Array<[number, (typeof ID_COLUMNS)[number]]>,
    count: names.indexOf('count'),
  };
}

/**
 * Turns one record into a row. Fields beyond the header must be empty (a stray trailing comma, the runs of empty
 * fields some acquirers append); a short record reads its missing trailing fields as empty.
 */
export function toRow(plan: HeaderPlan, fields: readonly string[], line: number, ctx: RowContext): ReportRow {
  const header = plan.names;
  for (let i = header.length; i < fields.length; i++) {
    if (fields[i]!.trim() !== '')
      throw reportError(
        ctx.file,
        line,
        `#${i + 1}`,
        `a value beyond the ${header.length} columns of the header: the row does not line up with the header`,
      );
  }
  if (fields.length < header.length)
    ctx.warn(
      'short-row',
      `some rows have fewer fields than the header (first: line ${line}); the missing trailing fields are read as empty`,
    );
  const trimmed: string[] = new Array<string>(header.length);
  const values: Record<string, string> = {};
  for (let i = 0; i < header.length; i++) {
    const v = i < fields.length ? fields[i]!.trim() : '';
    trimmed[i] = v;
    values[header[i]!] = v;
  }
  const amounts: Record<string, ReportAmount> = {};
  const times: Record<string, string> = {};
  const row: ReportRow = { file: ctx.file, line, values, amounts, times };
  for (const [i, column] of plan.amounts) {
    const text = trimmed[i]!;
    if (text === '') continue;
    const m = DECIMAL.exec(text);
    if (!m) throw reportError(ctx.file, line, column, `"${text.slice(0, 32)}" is not a decimal amount (digits, an optional sign and ".")`);
    if (m[1]!.length > MAX_DECIMAL_DIGITS || (m[2]?.length ?? 0) > MAX_DECIMAL_DIGITS)
      throw reportError(
        ctx.file,
        line,
        column,
        `"${text.slice(0, 32)}…" is not an amount: at most ${MAX_DECIMAL_DIGITS} digits before and after the decimal point`,
      );
    amounts[column] = { value: text.charCodeAt(0) === 43 ? text.slice(1) : text, currency: currencyFor(column, values, ctx, line) };
  }
  for (const [i, column] of plan.times) {
    const text = trimmed[i]!;
    if (text === '') continue;
    const time = normalizeTime(text);
    if (!time)
      throw reportError(ctx.file, line, column, `"${text.slice(0, 40)}" is not an ISO 8601 time such as 2018-12-25T10:00:00+08:00`);
    if (!time.zoned)
      ctx.warn('time-zone', `${column} has no UTC offset (first: line ${line}); kept as written, in the report's local time`);
    times[column] = time.iso;
  }
  for (const [i, column] of plan.ids) {
    const v = trimmed[i]!;
    // Types are read as the docs write them, upper-case: a "refund" row is a REFUND, held to a refund's checks.
    if (v !== '') row[column] = column === 'transactionType' || column === 'summaryType' ? v.toUpperCase() : v;
  }
  if (plan.count >= 0) {
    const count = trimmed[plan.count]!;
    if (count !== '') {
      if (!/^\d+$/.test(count)) throw reportError(ctx.file, line, 'count', `"${count.slice(0, 16)}" is not a whole number`);
      if (count.length > MAX_COUNT_DIGITS)
        throw reportError(ctx.file, line, 'count', `"${count.slice(0, 16)}…" is not a count: at most ${MAX_COUNT_DIGITS} digits`);
      row.count = Number(count);
    }
  }
  return row;
}
