// One settlement batch while its rows stream past: counts and sums under each unit reading, and the unit it is read in.
import { currencyExponent } from '../rules/amounts';
import { FEE_COLUMNS } from './columns';
import type { UnitDecision } from './reconcile-types';
import type { ReportAmount, ReportRow } from './rows';
import { AMOUNT_UNITS, minorUnits, type AmountUnit } from './units';

/** Per currency, in minor units. */
export type Sums = Map<string, bigint>;

/** The columns summed per transaction type and checked summary against items. */
export const SUMMED_COLUMNS: readonly string[] = ['settlementAmountValue', ...FEE_COLUMNS];
const SUMMED = new Set(SUMMED_COLUMNS);

/** An amount a reading cannot take, where it is. */
export interface Unreadable {
  row: ReportRow;
  column: string;
  amount: ReportAmount;
}

/** What one reading (minor or major units) of a batch's rows adds up to. */
export class UnitReading {
  /** type → column → currency → Σ. Items only: the summary rows are kept and summed when checked. */
  readonly sums = new Map<string, Map<string, Sums>>();
  /** Amounts this reading cannot take; the first `keep` are kept for the result. */
  unreadableCount = 0;
  readonly unreadable: Unreadable[] = [];
  /** Ledger amounts matched under this reading, as evidence for the unit. */
  ledgerHits = 0;
  constructor(
    readonly unit: AmountUnit,
    private readonly keep: number,
  ) {}

  noteUnreadable(row: ReportRow, column: string, amount: ReportAmount): void {
    this.unreadableCount++;
    if (this.unreadable.length < this.keep) this.unreadable.push({ row, column, amount });
  }

  /** Reads every amount of an item row, summing the summed columns under its type. */
  addItem(type: string, row: ReportRow): void {
    let byColumn = this.sums.get(type);
    for (const column in row.amounts) {
      const amount = row.amounts[column]!;
      const v = minorUnits(amount, this.unit);
      if (v === undefined) {
        this.noteUnreadable(row, column, amount);
        continue;
      }
      if (!SUMMED.has(column)) continue;
      if (!byColumn) this.sums.set(type, (byColumn = new Map<string, Sums>()));
      let sums = byColumn.get(column);
      if (!sums) byColumn.set(column, (sums = new Map<string, bigint>()));
      sums.set(amount.currency, (sums.get(amount.currency) ?? 0n) + v);
    }
  }

  /** Only notes which amounts this reading cannot take (transaction-details rows, summed nowhere). */
  readAll(row: ReportRow): void {
    for (const column in row.amounts) {
      const amount = row.amounts[column]!;
      if (minorUnits(amount, this.unit) === undefined) this.noteUnreadable(row, column, amount);
    }
  }

  /** Σ of a column over the items of one type, or of every type. */
  itemSums(column: string, type?: string): Sums {
    const out: Sums = new Map();
    for (const [t, byColumn] of this.sums) {
      if (type !== undefined && t !== type) continue;
      for (const [currency, v] of byColumn.get(column) ?? []) out.set(currency, (out.get(currency) ?? 0n) + v);
    }
    return out;
  }
}

/** Σ of a column over rows (summary rows), read in `unit`; amounts the reading cannot take are left to `unreadable`. */
export function rowSums(rows: readonly ReportRow[], column: string, unit: AmountUnit): Sums {
  const out: Sums = new Map();
  for (const r of rows) {
    const a = r.amounts[column];
    const v = a && minorUnits(a, unit);
    if (a && v !== undefined) out.set(a.currency, (out.get(a.currency) ?? 0n) + v);
  }
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

/** A settlement batch (or the rows of transaction details that name none): what was read of it. */
export class Batch {
  /** Items per transactionType (the same under every reading). */
  readonly counts = new Map<string, number>();
  itemRows = 0;
  readonly summaryRows: ReportRow[] = [];
  /** Items read under each candidate unit; transaction-details rows apart (they are summed nowhere). */
  readonly items: Map<AmountUnit, UnitReading>;
  readonly details: Map<AmountUnit, UnitReading>;
  detailRows = 0;
  decision: UnitDecision | undefined;

  constructor(
    readonly id: string,
    readonly units: readonly AmountUnit[],
    keep: number,
  ) {
    this.items = new Map(units.map((u) => [u, new UnitReading(u, keep)]));
    this.details = new Map(units.map((u) => [u, new UnitReading(u, keep)]));
  }

  addItem(row: ReportRow): void {
    const type = row.transactionType ?? '';
    this.itemRows++;
    this.counts.set(type, (this.counts.get(type) ?? 0) + 1);
    for (const reading of this.items.values()) reading.addItem(type, row);
  }

  addSummary(row: ReportRow): void {
    this.summaryRows.push(row);
  }

  addDetail(row: ReportRow): void {
    this.detailRows++;
    for (const reading of this.details.values()) reading.readAll(row);
  }

  /** Evidence from the ledger: the row's amount is the ledger's under `unit`. */
  noteLedgerHit(unit: AmountUnit, fromDetails: boolean): void {
    (fromDetails ? this.details : this.items).get(unit)!.ledgerHits++;
  }

  /** Summary amounts a reading cannot take. */
  summaryUnreadable(unit: AmountUnit): Unreadable[] {
    const out: Unreadable[] = [];
    for (const row of this.summaryRows)
      for (const column in row.amounts) {
        const amount = row.amounts[column]!;
        if (minorUnits(amount, unit) === undefined) out.push({ row, column, amount });
      }
    return out;
  }

  /** The summary's payout: its TOTAL rows when it has them, else the sum of its rows. */
  summaryPayout(unit: AmountUnit): Sums {
    const totals = this.summaryRows.filter((r) => r.summaryType === 'TOTAL');
    return rowSums(totals.length > 0 ? totals : this.summaryRows, 'settlementAmountValue', unit);
  }

  /**
   * Picks the one unit the whole batch (items and summary together) is read in: first a reading every amount
   * allows, then one under which the items add up to the summary, then one matching more ledger amounts, then minor
   * units, as in every published sample (1450 = 14.50 USD). A batch that adds up only when its files are read in
   * different units does not add up: there is no such reading.
   */
  decide(given: AmountUnit | undefined): UnitDecision {
    if (given) return (this.decision = { settlementBatchId: this.id, unit: given, reason: `${given} units: given as amountUnit` });
    const evidence = this.itemRows > 0 || this.summaryRows.length > 0 ? this.items : this.details;
    type Candidate = { unit: AmountUnit; unreadable: number; adds: boolean; hits: number };
    const candidates: Candidate[] = AMOUNT_UNITS.map((unit) => {
      const reading = evidence.get(unit)!;
      const unreadable = reading.unreadableCount + (evidence === this.items ? this.summaryUnreadable(unit).length : 0);
      const adds =
        evidence === this.items &&
        this.summaryRows.length > 0 &&
        unreadable === 0 &&
        sameSums(reading.itemSums('settlementAmountValue'), this.summaryPayout(unit));
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
    const currencies = new Set<string>();
    for (const byColumn of this.items.get(this.units[0]!)!.sums.values())
      for (const sums of byColumn.values()) for (const c of sums.keys()) currencies.add(c);
    for (const row of this.summaryRows) for (const a of Object.values(row.amounts)) currencies.add(a.currency);
    return currencies.size > 0 && [...currencies].every((c) => currencyExponent(c) === 0);
  }

  /** The unit decided by `decide`. */
  get unit(): AmountUnit {
    return this.decision?.unit ?? (this.units.length === 1 ? this.units[0]! : 'minor');
  }
}
