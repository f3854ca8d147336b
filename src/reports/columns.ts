// What the report columns mean: the three kinds, their required columns, amount/currency pairs, time columns, generations.

export type ReportKind = 'transactionItems' | 'settlementItems' | 'settlementSummary';
export const REPORT_KINDS: readonly ReportKind[] = ['transactionItems', 'settlementItems', 'settlementSummary'];

/**
 * Column generations: A (legacy AMS: pspName, no acquirer), B (acquirer, acquirerReferenceNo), C (PSP, ARN, wallet,
 * transactionCreationTime…, settlementInitiatedDate). `unknown` when the header carries none of the marks.
 */
export type ReportGeneration = 'A' | 'B' | 'C' | 'unknown';

/** Columns without which a file of that kind cannot be reconciled. Everything else is optional. */
export const REQUIRED_COLUMNS: Readonly<Record<ReportKind, readonly string[]>> = {
  transactionItems: ['transactionId', 'transactionType', 'transactionAmountValue', 'transactionCurrency'],
  settlementItems: ['settlementBatchId', 'transactionId', 'transactionType', 'settlementAmountValue', 'settlementCurrency'],
  settlementSummary: ['settlementBatchId', 'summaryType', 'count', 'settlementAmountValue', 'settlementCurrency'],
};

/** Fee and deduction columns: summed per kind in the reconciliation, checked summary against items. */
export const FEE_COLUMNS = [
  'feeAmountValue',
  'taxFeeAmountValue',
  'processingFeeAmountValue',
  'nonGuaranteeCouponValue',
  'disputeHandlingFee',
  'disputeReverseFee',
  'interchangeFeeAmountValue',
  'schemeFeeAmountValue',
  'acquirerMarkupAmountValue',
] as const;
export type FeeColumn = (typeof FEE_COLUMNS)[number];

/** Amount column → the column holding its currency. The gross amount in the in-store files has none of its own. */
export const AMOUNT_COLUMNS: Readonly<Record<string, string>> = {
  transactionAmountValue: 'transactionCurrency',
  settlementAmountValue: 'settlementCurrency',
  convertedTransactionAmountValue: 'convertedCurrency',
  feeAmountValue: 'feeCurrency',
  taxFeeAmountValue: 'taxFeeCurrency',
  processingFeeAmountValue: 'processingFeeCurrency',
  nonGuaranteeCouponValue: 'nonGuaranteeCouponCurrency',
  disputeHandlingFee: 'disputeHandlingFeeCurrency',
  disputeReverseFee: 'disputeReverseFeeCurrency',
  interchangeFeeAmountValue: 'interchangeFeeCurrency',
  schemeFeeAmountValue: 'schemeFeeCurrency',
  acquirerMarkupAmountValue: 'acquirerMarkupCurrency',
  voucherAmount: 'transactionCurrency',
};

/** Time columns, normalised to ISO 8601 keeping the offset as written. */
export const TIME_COLUMNS: ReadonlySet<string> = new Set([
  'paymentTime',
  'settlementTime',
  'transactionCreationTime',
  'transactionUpdateTime',
  'transactionCompletionTime',
  'settlementInitiatedDate',
]);

/** Header marks of each generation, newest first. */
const GENERATION_MARKS: ReadonlyArray<[ReportGeneration, readonly string[]]> = [
  ['C', ['PSP', 'ARN', 'wallet', 'transactionCreationTime', 'settlementInitiatedDate']],
  ['B', ['acquirer', 'acquirerReferenceNo']],
  ['A', ['pspName', 'referenceMerchantId']],
];

export function generationOf(header: readonly string[]): ReportGeneration {
  const names = new Set(header);
  for (const [generation, marks] of GENERATION_MARKS) if (marks.some((m) => names.has(m))) return generation;
  return 'unknown';
}

/** The kind from a default file name (`settlementItems_USD_2018…_000.csv`), or undefined for any other name. */
export function kindFromFileName(fileName: string): ReportKind | undefined {
  const base = fileName.replace(/^.*[\\/]/, '');
  const m = /^(transactionItems|settlementItems|settlementSummary)(?:_|\.|$)/i.exec(base);
  if (!m) return undefined;
  const lower = m[1]!.toLowerCase();
  return REPORT_KINDS.find((k) => k.toLowerCase() === lower);
}

/**
 * The kind from the header alone: a summaryType column makes a summary; TD-only columns (status, orderDescription)
 * make transaction details; a settlementBatchId otherwise makes settlement details. Undefined when nothing fits.
 */
export function kindFromHeader(header: readonly string[]): ReportKind | undefined {
  const names = new Set(header);
  if (names.has('summaryType')) return 'settlementSummary';
  if (!names.has('transactionId')) return undefined;
  if (names.has('status') || names.has('orderDescription')) return 'transactionItems';
  return names.has('settlementBatchId') ? 'settlementItems' : 'transactionItems';
}

/**
 * The logical file a part belongs to and its sequence number: `settlementItems_USD_B1_002.csv` → name
 * `settlementItems_USD_B1`, seq 2. A name without a `_NNN` part is its own logical file with seq 0.
 */
export function logicalFileName(fileName: string): { name: string; seq: number; hasSeq: boolean } {
  const base = fileName.replace(/^.*[\\/]/, '');
  const m = /^(.*)_(\d{3})(\.[A-Za-z]+)?$/.exec(base);
  if (!m) return { name: base.replace(/\.[A-Za-z]+$/, ''), seq: 0, hasSeq: false };
  return { name: m[1]!, seq: Number(m[2]), hasSeq: true };
}

/** The line that ends every whole report file (alone on its line, spaces around it allowed). */
export const END = '<END>';
