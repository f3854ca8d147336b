// Deciding the amount unit of one settlement batch: the reading that makes the items add up to the summary wins.
import type { Decimal } from 'decimal.js';
import { currencyExponent } from '../rules/amounts';
import { ExactDecimal } from '../rules/exact-decimal';
import type { ReportRow } from './rows';
import { amountInMinorUnits, type AmountUnit } from './units';

/** The unit each file of a batch is read in, and why. */
export interface UnitDecision {
  settlementBatchId: string;
  items: AmountUnit;
  /** Undefined when the batch has no summary rows. */
  summary: AmountUnit | undefined;
  reason: string;
}

/** Looks up a ledger amount (minor units, positive) for an item row; undefined when the row is not in the ledger. */
export type LedgerAmountLookup = (row: ReportRow) => { amount: { currency: string; value: string } } | undefined;

const UNITS: readonly AmountUnit[] = ['minor', 'major'];

function feasible(rows: readonly ReportRow[], unit: AmountUnit): boolean {
  return rows.every((r) => Object.values(r.amounts).every((a) => amountInMinorUnits(a, unit) !== undefined));
}

function total(rows: readonly ReportRow[], unit: AmountUnit): Decimal {
  return rows.reduce((sum, r) => {
    const a = r.amounts['settlementAmountValue'];
    return a ? sum.plus(amountInMinorUnits(a, unit)!) : sum;
  }, new ExactDecimal(0));
}

/** The summary's payout: its TOTAL row when it has one, else the sum of its rows. */
function summaryTotal(rows: readonly ReportRow[], unit: AmountUnit): Decimal {
  const totals = rows.filter((r) => r.summaryType === 'TOTAL');
  return total(totals.length > 0 ? totals : rows, unit);
}

function ledgerHits(rows: readonly ReportRow[], unit: AmountUnit, lookup: LedgerAmountLookup): number {
  let hits = 0;
  for (const row of rows) {
    const amount = row.amounts['transactionAmountValue'];
    const entry = amount ? lookup(row)?.amount : undefined;
    if (!amount || !entry || entry.currency !== amount.currency) continue;
    const minor = amountInMinorUnits(amount, unit);
    if (minor !== undefined && minor.replace(/^-/, '') === entry.value) hits++;
  }
  return hits;
}

/**
 * Picks the units of a batch's items and summary among the readings every amount allows (a fraction cannot be minor
 * units): first the readings under which the items add up to the summary, then those matching more ledger amounts,
 * then the same unit for both files, then minor units, as in every published sample (1450 = 14.50 USD).
 */
export function decideUnits(
  settlementBatchId: string,
  items: readonly ReportRow[],
  summary: readonly ReportRow[],
  lookup: LedgerAmountLookup,
): UnitDecision {
  const itemUnits = UNITS.filter((u) => feasible(items, u));
  const summaryUnits: Array<AmountUnit | undefined> = summary.length > 0 ? UNITS.filter((u) => feasible(summary, u)) : [undefined];
  type Candidate = { items: AmountUnit; summary: AmountUnit | undefined; adds: boolean; hits: number };
  const candidates: Candidate[] = [];
  for (const i of itemUnits.length > 0 ? itemUnits : UNITS) {
    for (const s of summaryUnits.length > 0 ? summaryUnits : UNITS) {
      const adds = s !== undefined && itemUnits.includes(i) && summaryUnits.includes(s) && total(items, i).equals(summaryTotal(summary, s));
      candidates.push({ items: i, summary: s, adds, hits: itemUnits.includes(i) ? ledgerHits(items, i, lookup) : 0 });
    }
  }
  const score = (c: Candidate): number[] => [
    c.adds ? 1 : 0,
    c.hits,
    c.items === (c.summary ?? c.items) ? 1 : 0,
    c.items === 'minor' ? 1 : 0,
  ];
  const better = (a: Candidate, b: Candidate): number => {
    const sa = score(a);
    const sb = score(b);
    for (let k = 0; k < sa.length; k++) if (sa[k] !== sb[k]) return sb[k]! - sa[k]!;
    return 0;
  };
  candidates.sort(better);
  const best = candidates[0]!;
  const runnerUp = candidates.find((c) => c.items !== best.items || c.summary !== best.summary);
  const exponents = new Set([...items, ...summary].flatMap((r) => Object.values(r.amounts).map((a) => currencyExponent(a.currency) ?? 2)));
  let reason: string;
  if (itemUnits.length === 0 || (summary.length > 0 && summaryUnits.length === 0))
    reason = 'no reading fits every amount; the closest one was used';
  else if (!runnerUp) reason = 'the only reading the amounts allow (some have fractions)';
  else if (best.adds && !runnerUp.adds) reason = 'the only reading in which the items add up to the summary';
  else if (best.hits > runnerUp.hits) reason = `the reading that matches the ledger (${best.hits} amount(s))`;
  else if (exponents.size === 1 && exponents.has(0)) reason = 'the currency has no minor unit, so both readings agree';
  else reason = 'nothing tells the readings apart; minor units assumed, as in the published samples (pass amountUnit to override)';
  return { settlementBatchId, items: best.items, summary: best.summary, reason };
}
