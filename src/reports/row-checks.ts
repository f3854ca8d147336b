// What one report row must say to be accounted for: a type that is a word, the ids of its type, the sign, a settlement net of fees. Pure.
import { FEE_COLUMNS } from './columns';
import type { RowError } from './reconcile-types';
import type { ReportAmount, ReportRow } from './rows';

/**
 * The merchant's own transactions: rows that must carry ids and match a ledger entry. Every other type is a
 * batch-level row (fee, reserve, dispute, correction), an adjustment.
 */
export const LEDGER_TYPES: ReadonlySet<string> = new Set(['PAYMENT', 'REFUND', 'CAPTURE', 'AUTHORIZATION', 'CANCEL', 'VOID']);

/**
 * The sign a transaction's amount has, from the merchant's side (reconciliation.md §7: credits positive, debits
 * negative; the samples' payment 18000, refund −9000). CANCEL and VOID give money back (a cancel after payment refunds
 * the buyer) and AUTHORIZATION holds an amount: their signs are inferred, not documented.
 */
export const EXPECTED_SIGN: Readonly<Record<string, 1 | -1>> = {
  PAYMENT: 1,
  CAPTURE: 1,
  AUTHORIZATION: 1,
  REFUND: -1,
  CANCEL: -1,
  VOID: -1,
  // A dispute takes the amount back from the merchant; its reversal returns it [inferred, like the signs above].
  DISPUTE: -1,
  DISPUTE_REVERSAL: 1,
};

/** A transaction type as the reports write them: upper-case letters, digits and underscores. */
export const TYPE_PATTERN = /^[A-Z][A-Z0-9_]*$/;

/**
 * Types whose rows always carry the merchant's request id (a paymentRequestId, captureRequestId or refundRequestId
 * is part of every such request). Other transaction rows need only Antom's transactionId.
 */
export const REQUEST_ID_TYPES: ReadonlySet<string> = new Set(['PAYMENT', 'CAPTURE', 'REFUND']);

/** A problem of a row, before its place and amounts are attached. */
export type RowProblem = Pick<RowError, 'problem' | 'column' | 'message'>;

function sign(amount: ReportAmount): -1 | 0 | 1 {
  return !/[1-9]/.test(amount.value) ? 0 : amount.value.startsWith('-') ? -1 : 1;
}

/** A decimal as written, exactly: its digits as an integer and how many of them are decimals. */
function exact(value: string): { digits: bigint; scale: number } {
  const [whole, fraction = ''] = value.replace(/^\+/, '').split('.') as [string, string?];
  return { digits: BigInt(`${whole}${fraction}`), scale: fraction.length };
}

/** Σ of amounts as written, compared at a common scale: exact whatever the unit the batch is read in. */
function exactSum(values: readonly string[]): { digits: bigint; scale: number } {
  const parts = values.map(exact);
  const scale = Math.max(0, ...parts.map((p) => p.scale));
  return { digits: parts.reduce((sum, p) => sum + p.digits * 10n ** BigInt(scale - p.scale), 0n), scale };
}

function sameDecimal(a: string, b: readonly string[]): boolean {
  const x = exactSum([a]);
  const y = exactSum(b);
  const scale = Math.max(x.scale, y.scale);
  return x.digits * 10n ** BigInt(scale - x.scale) === y.digits * 10n ** BigInt(scale - y.scale);
}

/**
 * Whether a settlement row's settlement amount is its transaction amount net of its fees, where that can be seen: the
 * transaction (or its converted amount) and every fee are in the settlement currency. reconciliation.md §7 infers
 * `settlementAmountValue = converted amount + feeAmountValue` (fees signed, charged negative) from the samples;
 * feeAmountValue is the total of all fees (§7 row 9), so the components count only where it is absent.
 */
function settlementProblem(row: ReportRow): RowProblem | undefined {
  const settlement = row.amounts['settlementAmountValue'];
  if (!settlement) return undefined;
  const converted = row.amounts['convertedTransactionAmountValue'];
  const transaction = row.amounts['transactionAmountValue'];
  const base =
    converted?.currency === settlement.currency ? converted : transaction?.currency === settlement.currency ? transaction : undefined;
  if (!base) return undefined;
  const fees = FEE_COLUMNS.map((c) => row.amounts[c]).filter((a): a is ReportAmount => a !== undefined);
  if (fees.some((f) => f.currency !== settlement.currency)) return undefined;
  const fee = row.amounts['feeAmountValue'];
  // feeAmountValue is the total of all fees: where it is given, it alone is what the settlement is net of (adding its
  // components to it would take the fee twice); only without it is the sum of the components the fee.
  const charged = fee ? [fee] : fees;
  if (sameDecimal(settlement.value, [base.value, ...charged.map((f) => f.value)])) return undefined;
  return {
    problem: 'settlement_mismatch',
    column: 'settlementAmountValue',
    message: `settles ${settlement.value} ${settlement.currency} for ${base.value} with fees of ${fee?.value ?? '0'}: the settlement is the amount net of its fees`,
  };
}

/** A type that is not a word (none, or not upper-case letters, digits and underscores): no row hides behind one. */
export function typeProblem(type: string, column: 'transactionType' | 'summaryType', checkedAs: string): RowProblem | undefined {
  if (TYPE_PATTERN.test(type)) return undefined;
  return {
    problem: 'unknown_type',
    column,
    message: `${type === '' ? `no ${column}` : `${column} "${type.slice(0, 40)}" is not a type`}: the row cannot be checked ${checkedAs}`,
  };
}

/**
 * Every problem of a row of settlement details (or of transaction details, when they are what is reconciled): a type
 * that is not a word (no row hides behind one); for the merchant's own transactions, the ids their type
 * carries, the sign of the amount and, in settlement details, a settlement amount net of the fees.
 */
export function rowProblems(row: ReportRow, settled: boolean): RowProblem[] {
  const type = row.transactionType ?? '';
  const unknown = typeProblem(type, 'transactionType', 'as a payment, a refund or an adjustment');
  if (unknown) return [unknown];
  if (!LEDGER_TYPES.has(type)) return [];
  const out: RowProblem[] = [];
  const needsRequestId = REQUEST_ID_TYPES.has(type) && 'transactionRequestId' in row.values;
  const missing = [!row.transactionId && 'transactionId', needsRequestId && !row.transactionRequestId && 'transactionRequestId'].filter(
    (m): m is string => Boolean(m),
  );
  if (missing.length > 0)
    out.push({
      problem: 'missing_id',
      column: missing[0],
      message: `a ${type} row without ${missing.join(' and ')}: it cannot be matched to anything and is not accounted for`,
    });
  const expected = EXPECTED_SIGN[type];
  const amount = row.amounts['transactionAmountValue'];
  if (expected && amount && sign(amount) !== 0 && sign(amount) !== expected)
    out.push({
      problem: 'wrong_sign',
      column: 'transactionAmountValue',
      message: `a ${type} of ${amount.value} ${amount.currency}: a ${type.toLowerCase()} is ${expected > 0 ? 'positive' : 'negative'} in the reports`,
    });
  if (settled) {
    if (!row.amounts['settlementAmountValue'])
      out.push({
        problem: 'missing_amount',
        column: 'settlementAmountValue',
        message: `a ${type} row without a settlement amount: it is in no sum`,
      });
    else {
      const mismatch = settlementProblem(row);
      if (mismatch) out.push(mismatch);
    }
  }
  return out;
}
