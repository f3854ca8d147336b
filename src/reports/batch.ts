// One settlement batch while its rows stream past: counts and sums per type under each unit reading, and the unit it is read in.
import { currencyExponent } from '../rules/amounts';
import { FEE_COLUMNS } from './columns';
import type { RowPlace, UnitDecision } from './reconcile-types';
import { reportError, type ReportAmount, type ReportRow } from './rows';
import { AMOUNT_UNITS, minorUnits, type AmountUnit } from './units';

/** Per currency, in minor units. */
export type Sums = Map<string, bigint>;

/** The columns summed per transaction type and checked summary against items. */
export const SUMMED_COLUMNS: readonly string[] = ['settlementAmountValue', ...FEE_COLUMNS];
const SUMMED = new Set(SUMMED_COLUMNS);

/** A day has a handful of batches and a batch a few dozen types: far more is not a settlement report. */
export const MAX_TYPES_PER_BATCH = 200;

/** What findings keep of a row: where it is, its ids and its two main amounts as written. */
export interface RowRef extends RowPlace {
  transactionType: string | undefined;
  transactionId: string | undefined;
  originalTransactionId: string | undefined;
  transactionRequestId: string | undefined;
  transaction: ReportAmount | undefined;
  settlement: ReportAmount | undefined;
}

export function rowRef(row: ReportRow): RowRef {
  return {
    file: row.file,
    line: row.line,
    transactionType: row.transactionType ?? row.summaryType,
    transactionId: row.transactionId,
    originalTransactionId: row.originalTransactionId,
    transactionRequestId: row.transactionRequestId,
    transaction: row.amounts['transactionAmountValue'],
    settlement: row.amounts['settlementAmountValue'],
  };
}

/** An amount a reading cannot take, where it is. */
export interface Unreadable {
  ref: RowRef;
  column: string;
  amount: ReportAmount;
}

/** Rows of one type (or the TOTAL rows) summed under one reading: Σ count, Σ each summed column per currency. */
class TypeSums {
  rows = 0;
  count = 0;
  readonly columns = new Map<string, Sums>();
  constructor(readonly first: RowPlace) {}

  add(column: string, currency: string, v: bigint): void {
    let sums = this.columns.get(column);
    if (!sums) this.columns.set(column, (sums = new Map<string, bigint>()));
    sums.set(currency, (sums.get(currency) ?? 0n) + v);
  }

  get(column: string): Sums {
    return this.columns.get(column) ?? new Map<string, bigint>();
  }
}

/** What one reading (minor or major units) of a batch's rows adds up to. */
export class UnitReading {
  /** Items per type. */
  readonly items = new Map<string, TypeSums>();
  /** Summary rows per summaryType; TOTAL rows under 'TOTAL', the first TOTAL row alone under `firstTotal`. */
  readonly summary = new Map<string, TypeSums>();
  firstTotal: TypeSums | undefined;
  /** Amounts this reading cannot take (items, and the summary apart); the first `keep` are kept for the result. */
  unreadableCount = 0;
  readonly unreadable: Unreadable[] = [];
  summaryUnreadableCount = 0;
  readonly summaryUnreadable: Unreadable[] = [];
  /** Ledger amounts matched under this reading, as evidence for the unit. */
  ledgerHits = 0;
  constructor(
    readonly unit: AmountUnit,
    private readonly keep: number,
  ) {}

  #read(row: ReportRow, into: TypeSums | undefined, summary: boolean): void {
    for (const column in row.amounts) {
      const amount = row.amounts[column]!;
      const v = minorUnits(amount, this.unit);
      if (v === undefined) {
        if (summary) {
          this.summaryUnreadableCount++;
          if (this.summaryUnreadable.length < this.keep) this.summaryUnreadable.push({ ref: rowRef(row), column, amount });
        } else {
          this.unreadableCount++;
          if (this.unreadable.length < this.keep) this.unreadable.push({ ref: rowRef(row), column, amount });
        }
        continue;
      }
      if (into && SUMMED.has(column)) into.add(column, amount.currency, v);
    }
  }

  addItem(type: string, row: ReportRow): void {
    let sums = this.items.get(type);
    if (!sums) this.items.set(type, (sums = new TypeSums({ file: row.file, line: row.line })));
    sums.rows++;
    this.#read(row, sums, false);
  }

  addSummary(type: string, row: ReportRow): void {
    let sums = this.summary.get(type);
    if (!sums) this.summary.set(type, (sums = new TypeSums({ file: row.file, line: row.line })));
    sums.rows++;
    sums.count += row.count ?? 0;
    this.#read(row, sums, true);
    if (type === 'TOTAL' && !this.firstTotal) {
      this.firstTotal = new TypeSums({ file: row.file, line: row.line });
      this.firstTotal.rows = 1;
      this.firstTotal.count = row.count ?? 0;
      this.#read(row, this.firstTotal, true);
    }
  }

  /** Only notes which amounts this reading cannot take (transaction-details rows, summed nowhere). */
  readAll(row: ReportRow): void {
    this.#read(row, undefined, false);
  }

  /** Σ of a column over the items of one type, or of every type. */
  itemSums(column: string, type?: string): Sums {
    if (type !== undefined) return this.items.get(type)?.get(column) ?? new Map<string, bigint>();
    return sumOf([...this.items.values()].map((t) => t.get(column)));
  }

  /** Σ of a column over the summary rows but TOTAL. */
  summaryPartsSums(column: string): Sums {
    return sumOf([...this.summary].filter(([type]) => type !== 'TOTAL').map(([, t]) => t.get(column)));
  }

  /** The summary's payout: its (first) TOTAL row when it has one, else the sum of its other rows. */
  summaryPayout(): Sums {
    return this.firstTotal ? this.firstTotal.get('settlementAmountValue') : this.summaryPartsSums('settlementAmountValue');
  }
}

function sumOf(list: readonly Sums[]): Sums {
  const out: Sums = new Map();
  for (const sums of list) for (const [currency, v] of sums) out.set(currency, (out.get(currency) ?? 0n) + v);
  return out;
}

/** `1450 USD + -5 EUR`, zeros left out: equal texts are equal sums. */
export function showSums(m: Sums): string {
  const parts = [...m]
    .filter(([, v]) => v !== 0n)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([c, v]) => `${v} ${c}`);
  return parts.length ? parts.join(' + ') : '0';
}

export function sameSums(a: Sums, b: Sums): boolean {
  return showSums(a) === showSums(b);
}

/** A settlement batch (or the rows of transaction details that name none): what was read of it, never the rows. */
export class Batch {
  /** Items per transactionType (the same under every reading). */
  readonly counts = new Map<string, number>();
  itemRows = 0;
  summaryRows = 0;
  totalRows = 0;
  readonly #readings = new Map<AmountUnit, UnitReading>();
  #details: Map<AmountUnit, UnitReading> | undefined;
  detailRows = 0;
  decision: UnitDecision | undefined;

  constructor(
    readonly id: string,
    readonly units: readonly AmountUnit[],
    private readonly keep: number,
  ) {
    for (const u of units) this.#readings.set(u, new UnitReading(u, keep));
  }

  /** The items and summary read in `unit`. */
  reading(unit: AmountUnit): UnitReading {
    return this.#readings.get(unit)!;
  }

  /** The transaction-details rows read in `unit` (made on first use: most batches have none). */
  details(unit: AmountUnit): UnitReading {
    this.#details ??= new Map(this.units.map((u) => [u, new UnitReading(u, this.keep)]));
    return this.#details.get(unit)!;
  }

  #checkTypes(count: number, row: ReportRow): void {
    if (count > MAX_TYPES_PER_BATCH)
      throw reportError(
        row.file ?? '(report)',
        row.line,
        undefined,
        `batch ${this.id.slice(0, 64)} has more than ${MAX_TYPES_PER_BATCH} transaction types: not a settlement report`,
      );
  }

  addItem(row: ReportRow): void {
    const type = row.transactionType ?? '';
    this.itemRows++;
    this.counts.set(type, (this.counts.get(type) ?? 0) + 1);
    this.#checkTypes(this.counts.size, row);
    for (const reading of this.#readings.values()) reading.addItem(type, row);
  }

  addSummary(row: ReportRow): void {
    const type = row.summaryType ?? '';
    this.summaryRows++;
    if (type === 'TOTAL') this.totalRows++;
    for (const reading of this.#readings.values()) {
      reading.addSummary(type, row);
      this.#checkTypes(reading.summary.size, row);
    }
  }

  addDetail(row: ReportRow): void {
    this.detailRows++;
    for (const u of this.units) this.details(u).readAll(row);
  }

  /** Evidence from the ledger: the row's amount is the ledger's under `unit`. */
  noteLedgerHit(unit: AmountUnit, fromDetails: boolean): void {
    (fromDetails ? this.details(unit) : this.reading(unit)).ledgerHits++;
  }

  /**
   * Picks the one unit the whole batch (items and summary together) is read in: first a reading every amount
   * allows, then one under which the items add up to the summary, then one matching more ledger amounts, then minor
   * units, as in every published sample (1450 = 14.50 USD). A batch that adds up only when its files are read in
   * different units does not add up: there is no such reading.
   */
  decide(given: AmountUnit | undefined): UnitDecision {
    if (given) return (this.decision = { settlementBatchId: this.id, unit: given, reason: `${given} units: given as amountUnit` });
    const fromDetails = this.itemRows === 0 && this.summaryRows === 0;
    type Candidate = { unit: AmountUnit; unreadable: number; adds: boolean; hits: number };
    const candidates: Candidate[] = AMOUNT_UNITS.map((unit) => {
      const reading = fromDetails ? this.details(unit) : this.reading(unit);
      const unreadable = reading.unreadableCount + reading.summaryUnreadableCount;
      const adds =
        !fromDetails &&
        this.summaryRows > 0 &&
        unreadable === 0 &&
        sameSums(reading.itemSums('settlementAmountValue'), reading.summaryPayout());
      return { unit, unreadable, adds, hits: reading.ledgerHits };
    });
    const score = (c: Candidate): number[] => [
      c.unreadable === 0 ? 1 : 0,
      c.adds ? 1 : 0,
      c.hits,
      -c.unreadable,
      c.unit === 'minor' ? 1 : 0,
    ];
    const order = (a: Candidate, b: Candidate): number => {
      const sa = score(a);
      const sb = score(b);
      for (let k = 0; k < sa.length; k++) if (sa[k] !== sb[k]) return sb[k]! - sa[k]!;
      return 0;
    };
    const [best, other] = [...candidates].sort(order) as [Candidate, Candidate];
    const u = `${best.unit} units`;
    let reason: string;
    if (best.unreadable > 0) reason = `${u}: no reading fits every amount (${best.unreadable} cannot be read; see rowErrors)`;
    else if (other.unreadable > 0) reason = `${u}: the only reading every amount allows`;
    else if (best.adds && !other.adds) reason = `${u}: the only reading in which the items add up to the summary`;
    else if (best.hits > other.hits) reason = `${u}: the reading that matches the ledger (${best.hits} amount(s))`;
    else if (this.#onlyWholeCurrencies()) reason = `${u}: the currencies have no minor unit, so both readings agree`;
    else reason = `${u}: nothing tells the readings apart; minor units assumed, as in the published samples (pass amountUnit to override)`;
    return (this.decision = { settlementBatchId: this.id, unit: best.unit, reason });
  }

  #onlyWholeCurrencies(): boolean {
    const reading = this.reading(this.units[0]!);
    const currencies = new Set<string>();
    for (const sums of [...reading.items.values(), ...reading.summary.values()])
      for (const columnSums of sums.columns.values()) for (const c of columnSums.keys()) currencies.add(c);
    return currencies.size > 0 && [...currencies].every((c) => currencyExponent(c) === 0);
  }

  /** The unit decided by `decide` (or the only one there is). */
  get unit(): AmountUnit {
    return this.decision?.unit ?? (this.units.length === 1 ? this.units[0]! : 'minor');
  }
}
