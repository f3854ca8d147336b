// Reading report files: a streaming row iterator over csv-parse, the whole-file form, and merging _000.._999 parts.
import { AmsError } from '../errors';
import { Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { parse } from 'csv-parse';
import {
  END,
  REQUIRED_COLUMNS,
  generationOf,
  kindFromFileName,
  kindFromHeader,
  logicalFileName,
  type ReportGeneration,
  type ReportKind,
} from './columns';
import { planHeader, readHeader, reportError, toRow, type HeaderPlan, type ReportRow, type RowContext } from './rows';
import { amountInMinorUnits, unitProblem, type AmountUnitOption } from './units';
import { parseCallOptions } from '../options';
import { parseReportsOptionsSchema, readReportOptionsSchema } from './options';

/** A report's bytes: a string, a Buffer / Uint8Array, a Node Readable, a web ReadableStream or any async iterable of chunks. */
export type ReportInput =
  | string
  | Uint8Array
  | Readable
  | WebReadableStream<Uint8Array>
  | globalThis.ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array | string>;

export interface ReadReportOptions {
  /** The file name, for the kind (`settlementItems_…`) and for messages. Without it the kind comes from the header. */
  fileName?: string;
  /** How amounts are written. Default `auto`: decided in `reconcile`. `major`/`minor` check every amount here. */
  amountUnit?: AmountUnitOption;
}

/** A whole report in memory. */
export interface ParsedReport {
  fileName: string;
  kind: ReportKind;
  generation: ReportGeneration;
  header: string[];
  rows: ReportRow[];
  /** True only when the file ended with the `<END>` line (every part, for merged files). */
  complete: boolean;
  /** What the parser assumed or tolerated, in words. */
  warnings: string[];
  amountUnit: AmountUnitOption;
  /** The part files merged into this one, in order (one entry for a single file). */
  parts: string[];
}

const UNNAMED = '(unnamed report)';

function toReadable(input: ReportInput): Readable {
  if (typeof input === 'string') return Readable.from([Buffer.from(input, 'utf8')]);
  if (input instanceof Uint8Array) return Readable.from([input]);
  if (input instanceof Readable) return input;
  if (typeof (input as { getReader?: unknown }).getReader === 'function') return Readable.fromWeb(input as WebReadableStream<Uint8Array>);
  if (typeof (input as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function')
    return Readable.from(input as AsyncIterable<Uint8Array>);
  throw reportError(UNNAMED, 0, undefined, 'input must be a string, a Buffer, a Readable or a ReadableStream');
}

/**
 * Rows of one report as they are read: memory stays flat however large the file. `kind`, `header` and `generation`
 * are set once the header has been read (before the first row); `complete` and the final `warnings` once the
 * iteration has ended. Iterate once.
 */
export class ReportReader implements AsyncIterable<ReportRow> {
  readonly fileName: string;
  readonly amountUnit: AmountUnitOption;
  #kind: ReportKind | undefined;
  #generation: ReportGeneration = 'unknown';
  #header: string[] = [];
  #plan: HeaderPlan | undefined;
  #complete = false;
  #rowCount = 0;
  #bytes = 0;
  readonly warnings: string[] = [];
  #warned = new Set<string>();
  #input: ReportInput;
  #used = false;

  constructor(input: ReportInput, options: ReadReportOptions = {}) {
    const o = parseCallOptions(readReportOptionsSchema(), options, 'readReport / parseReport');
    this.fileName = o.fileName ?? UNNAMED;
    this.amountUnit = o.amountUnit ?? 'auto';
    this.#input = input;
  }

  /** From the file name, else the header; undefined until the header has been read. */
  get kind(): ReportKind | undefined {
    return this.#kind;
  }
  get generation(): ReportGeneration {
    return this.#generation;
  }
  get header(): readonly string[] {
    return this.#header;
  }
  /** True once the `<END>` line has been read. */
  get complete(): boolean {
    return this.#complete;
  }
  /** Number of data rows read so far. */
  get rowCount(): number {
    return this.#rowCount;
  }
  /** Bytes of the file read so far (ahead of the rows by what the CSV parser holds). */
  get bytesRead(): number {
    return this.#bytes;
  }

  #warn = (key: string, message: string): void => {
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    this.warnings.push(message);
  };

  async *[Symbol.asyncIterator](): AsyncIterator<ReportRow> {
    if (this.#used) throw reportError(this.fileName, 0, undefined, 'a ReportReader can be iterated only once');
    this.#used = true;
    const ctx: RowContext = { file: this.fileName, warn: this.#warn };
    const source = toReadable(this.#input);
    // Line numbers are counted here rather than with csv-parse's `info` (a tenth of the reading time): one line per
    // record, plus the line breaks inside quoted fields. Empty lines therefore reach the loop and are skipped there.
    // A record past MAX_RECORD_BYTES (a file without line breaks, an unclosed quote) is an error, not memory held.
    const parser = parse({ bom: true, relax_column_count: true, relax_quotes: true, max_record_size: MAX_RECORD_BYTES });
    // csv-parse's limit counts field characters only: a line of nothing but commas would pass it and fill memory.
    const lines = lineLengthGuard(MAX_RECORD_BYTES, this.fileName, (n) => (this.#bytes += n));
    source.on('error', (err) => parser.destroy(err));
    lines.on('error', (err) => parser.destroy(err));
    source.pipe(lines).pipe(parser);
    let endLine = 0;
    let line = 0;
    try {
      for await (const record of parser as AsyncIterable<string[]>) {
        line++;
        const first = line;
        for (const field of record) for (let at = field.indexOf('\n'); at !== -1; at = field.indexOf('\n', at + 1)) line++;
        if (record.length <= 1 || record.every((f) => f.trim() === '')) {
          const only = record[0]?.trim() ?? '';
          if (only === '') continue;
          if (only === END && this.#kind !== undefined) {
            if (this.#complete) throw reportError(this.fileName, first, undefined, 'a second <END> line');
            this.#complete = true;
            endLine = first;
            continue;
          }
        }
        if (this.#kind === undefined) {
          this.#readHeader(record, first);
          continue;
        }
        if (this.#complete)
          throw reportError(
            this.fileName,
            first,
            undefined,
            `data after the <END> line (line ${endLine}): the file holds more than one report or was appended to`,
          );
        const row = toRow(this.#plan!, record, first, ctx);
        if (this.amountUnit !== 'auto') this.#checkUnit(row);
        this.#rowCount++;
        yield row;
      }
    } catch (err) {
      throw translate(err, this.fileName);
    } finally {
      source.unpipe(lines);
      lines.destroy();
      parser.destroy();
      if (!source.destroyed && source !== this.#input) source.destroy();
    }
    if (this.#kind === undefined)
      throw reportError(this.fileName, 1, undefined, 'the file is empty: a report has at least a header line and <END>');
    if (!this.#complete)
      this.#warn(
        'incomplete',
        `no <END> line after ${this.#rowCount} row(s): the file is truncated or still being written; complete is false`,
      );
  }

  #readHeader(record: string[], line: number): void {
    const header = readHeader(record, { file: this.fileName, warn: this.#warn }, line);
    const fromName = this.fileName === UNNAMED ? undefined : kindFromFileName(this.fileName);
    const kind = fromName ?? kindFromHeader(header);
    if (kind === undefined)
      throw reportError(
        this.fileName,
        line,
        undefined,
        `not an Antom report: the header (${preview(header)}) names no transactionId or summaryType column, and the file name does not start with transactionItems_, settlementItems_ or settlementSummary_`,
      );
    for (const column of REQUIRED_COLUMNS[kind]) {
      if (!header.includes(column))
        throw reportError(this.fileName, line, column, `required column ${column} is missing from the ${kind} header (${preview(header)})`);
    }
    if (!fromName && this.fileName !== UNNAMED)
      this.#warn('kind', `the file name does not say which report this is; read as ${kind} from its header`);
    this.#header = header;
    this.#plan = planHeader(header);
    this.#generation = generationOf(header);
    this.#kind = kind;
  }

  #checkUnit(row: ReportRow): void {
    for (const [column, amount] of Object.entries(row.amounts)) {
      if (amountInMinorUnits(amount, this.amountUnit as 'major' | 'minor') === undefined)
        throw reportError(this.fileName, row.line, column, unitProblem(amount, this.amountUnit as 'major' | 'minor'));
    }
  }
}

function preview(header: readonly string[]): string {
  return header.length > 6 ? `${header.slice(0, 6).join(',')},… ${header.length} columns` : header.join(',');
}

function translate(err: unknown, fileName: string): unknown {
  const e = err as { code?: unknown; lines?: unknown; message?: unknown };
  if (typeof e?.code === 'string' && e.code.startsWith('CSV_'))
    return reportError(
      fileName,
      typeof e.lines === 'number' ? e.lines : 0,
      undefined,
      `not valid CSV (${e.code}): ${String(e.message).slice(0, 120)}`,
    );
  // The input stream failed (EACCES, EISDIR, a reset download): typed, with the code only.
  if (err instanceof Error && !(err instanceof AmsError)) {
    return reportError(fileName, 0, undefined, `could not be read (${typeof e.code === 'string' ? e.code : err.name})`);
  }
  return err;
}

/** The longest CSV record accepted, and the longest line; report rows are a few hundred bytes. */
export const MAX_RECORD_BYTES = 1024 * 1024;

/** Passes bytes through, counting them, and fails the stream (a report error) at a line longer than `max` bytes. */
function lineLengthGuard(max: number, fileName: string, count: (bytes: number) => void): Transform {
  let run = 0;
  let line = 1;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      count(chunk.length);
      for (let at = 0; at < chunk.length;) {
        const nl = chunk.indexOf(0x0a, at);
        const end = nl === -1 ? chunk.length : nl;
        run += end - at;
        if (run > max) {
          done(
            reportError(fileName, line, undefined, `a line longer than ${max} bytes: not a report (report lines are a few hundred bytes)`),
          );
          return;
        }
        if (nl === -1) break;
        run = 0;
        line++;
        at = nl + 1;
      }
      done(null, chunk);
    },
  });
}

/** Streams a report row by row (see `ReportReader`). */
export function readReport(input: ReportInput, options: ReadReportOptions = {}): ReportReader {
  return new ReportReader(input, options);
}

/** Reads a whole report into memory. For large files use `readReport`. */
export async function parseReport(input: ReportInput, options: ReadReportOptions = {}): Promise<ParsedReport> {
  const reader = new ReportReader(input, options);
  const rows: ReportRow[] = [];
  for await (const row of reader) rows.push(row);
  return {
    fileName: reader.fileName,
    kind: reader.kind!,
    generation: reader.generation,
    header: [...reader.header],
    rows,
    complete: reader.complete,
    warnings: reader.warnings,
    amountUnit: reader.amountUnit,
    parts: [reader.fileName],
  };
}

export interface ReportFile {
  fileName: string;
  input: ReportInput;
}

/** One logical report: its `_000`…`_999` parts in order, and what is missing or doubled among them. */
export interface ReportParts {
  name: string;
  parts: ReportFile[];
  /** A part missing or given twice: the merged report is then not complete. */
  gaps: string[];
}

/** Groups files into logical reports (same name but for the part number), parts in order, gaps named. Pure. */
export function groupParts(files: Iterable<ReportFile>): ReportParts[] {
  const groups = new Map<string, Array<{ seq: number; hasSeq: boolean; file: ReportFile }>>();
  for (const file of files) {
    if (!file || typeof file.fileName !== 'string')
      throw reportError(UNNAMED, 0, undefined, 'each report file must be { fileName, input }');
    const { name, seq, hasSeq } = logicalFileName(file.fileName);
    const group = groups.get(name) ?? [];
    group.push({ seq, hasSeq, file });
    groups.set(name, group);
  }
  return [...groups].map(([name, group]) => {
    group.sort((a, b) => a.seq - b.seq);
    const gaps: string[] = [];
    let expected = 0;
    for (const part of group) {
      if (part.hasSeq && part.seq !== expected)
        gaps.push(
          `${name}: ${part.seq < expected ? `part ${String(part.seq).padStart(3, '0')} twice` : `part ${String(expected).padStart(3, '0')} missing`}; the merged report is not complete`,
        );
      expected = part.seq + 1;
    }
    // The same report under its plain name and as a numbered part (a copy downloaded twice): never merged silently.
    if (group.length > 1 && group.some((p) => !p.hasSeq))
      gaps.push(
        `${name}: given both as ${group.filter((p) => !p.hasSeq)[0]!.file.fileName} and as numbered parts; the merged report is not complete`,
      );
    return { name, parts: group.map((p) => p.file), gaps };
  });
}

/** A later part of a logical report must have the first part's kind and header. */
export function checkPartHeader(
  part: string,
  first: { fileName: string; kind: ReportKind | undefined; header: readonly string[] },
  kind: ReportKind | undefined,
  header: readonly string[],
  name: string,
): void {
  if (kind !== first.kind || header.join(',') !== first.header.join(','))
    throw reportError(part, 1, undefined, `its header differs from the header of ${first.fileName}, an earlier part of ${name}`);
}

/**
 * Reads several files and merges the `_000`…`_999` parts of each logical file (same name but for the part number)
 * in part order. A missing part makes the merged report incomplete, with a warning; parts whose headers differ are
 * bad input. Returns one report per logical file, in the order first seen.
 */
export async function parseReports(
  files: Iterable<ReportFile>,
  options: Omit<ReadReportOptions, 'fileName'> = {},
): Promise<ParsedReport[]> {
  parseCallOptions(parseReportsOptionsSchema(), options, 'parseReports');
  const out: ParsedReport[] = [];
  for (const { name, parts, gaps } of groupParts(files)) {
    let merged: ParsedReport | undefined;
    for (const part of parts) {
      const parsed = await parseReport(part.input, { ...options, fileName: part.fileName });
      if (!merged) {
        merged = { ...parsed, fileName: name, warnings: [...parsed.warnings] };
        continue;
      }
      checkPartHeader(part.fileName, { ...merged, fileName: merged.parts[0]! }, parsed.kind, parsed.header, name);
      for (const row of parsed.rows) merged.rows.push(row);
      merged.parts.push(part.fileName);
      merged.complete = merged.complete && parsed.complete;
      for (const w of parsed.warnings) if (!merged.warnings.includes(w)) merged.warnings.push(w);
    }
    if (gaps.length > 0) {
      merged!.complete = false;
      merged!.warnings.push(...gaps);
    }
    out.push(merged!);
  }
  return out;
}
