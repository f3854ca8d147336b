// The gateway's reconciliation reports: transaction details, settlement details and summary for what it processed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { formatIsoWithOffset, parseRequestTime } from '../src/rules/time';
import type { PaymentRecord, RefundRecord } from './types';

export interface GatewayReportsOptions {
  /** The transaction day (Beijing time, GMT+8, as Antom cuts days): `20181225`, `2018-12-25`, or the day of an instant. */
  date: string | Date;
  /** Column set: `C` the current one (PSP, status, settlementInitiatedDate), `B` the older acquirer one. Default `C`. */
  generation?: 'B' | 'C';
  /** The folder name under /v1/settlements/. Default `1022188000000000001` (the docs' sample). */
  customerId?: string;
  /** Fee charged on payments and returned on refunds, in percent of the amount. Default 3. */
  feePercent?: number;
  /** When given, the files are written under `<to>/v1/settlements/<customerId>/<date>/` as on the SFTP server. */
  to?: string;
}

export interface GatewayReportFile {
  name: string;
  /** The path on the SFTP server, e.g. `/v1/settlements/1022…/20181226/settlementItems_USD_…_000.csv`. */
  remotePath: string;
  /** Where it was written, when `to` was given. */
  path: string | undefined;
  content: string;
}

const HEADERS = {
  C: {
    transactionItems:
      'customerId,PSP,ARN,referenceMerchantId,referenceStoreId,transactionId,transactionRequestId,referenceTransactionId,settlementBatchId,transactionType,originalTransactionRequestId,orderDescription,paymentMethodType,wallet,status,transactionCreationTime,transactionUpdateTime,transactionCompletionTime,productCode,transactionAmountValue,transactionCurrency,settlementAmountValue,settlementCurrency,feeAmountValue,feeCurrency',
    settlementItems:
      'settlementBatchId,customerId,PSP,ARN,referenceMerchantId,referenceStoreId,transactionId,transactionRequestId,referenceTransactionId,transactionType,originalTransactionRequestId,paymentMethodType,wallet,transactionCreationTime,settlementInitiatedDate,transactionAmountValue,transactionCurrency,settlementAmountValue,settlementCurrency,feeAmountValue,feeCurrency',
    settlementSummary:
      'settlementBatchId,customerId,PSP,summaryType,settlementInitiatedDate,count,settlementAmountValue,settlementCurrency,feeAmountValue,feeCurrency',
  },
  B: {
    transactionItems:
      'customerId,acquirer,acquirerReferenceNo,referenceMerchantId,referenceStoreId,transactionId,originalTransactionId,transactionRequestId,referenceTransactionId,orderDescription,paymentMethodType,transactionType,paymentTime,productCode,transactionAmountValue,transactionCurrency',
    settlementItems:
      'settlementBatchId,customerId,acquirer,acquirerReferenceNo,referenceMerchantId,referenceStoreId,transactionId,originalTransactionId,transactionRequestId,referenceTransactionId,paymentMethodType,transactionType,paymentTime,settlementTime,transactionAmountValue,transactionCurrency,settlementAmountValue,settlementCurrency,feeAmountValue,feeCurrency',
    settlementSummary:
      'settlementBatchId,customerId,acquirer,summaryType,settlementTime,count,settlementAmountValue,settlementCurrency,feeAmountValue,feeCurrency,processingFeeAmountValue,processingFeeCurrency,nonGuaranteeCouponValue,nonGuaranteeCouponCurrency',
  },
} as const;

const DAY = 86_400_000;
const GMT8_MINUTES = 8 * 60;

/** RFC 4180 quoting, only where needed: descriptions may hold commas and quotes. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The instant of a time the gateway wrote (a Request-Time form). */
function instant(time: string): number {
  return parseRequestTime(time) ?? Number.NaN;
}

/** The GMT+8 calendar day of an instant, as YYYYMMDD. */
function beijingDay(ms: number): string {
  return formatIsoWithOffset(ms, GMT8_MINUTES).slice(0, 10).replace(/-/g, '');
}

/** A time shown at +08:00, as the reports write times. */
function beijingTime(time: string): string {
  return formatIsoWithOffset(instant(time), GMT8_MINUTES);
}

interface Line {
  type: 'PAYMENT' | 'REFUND';
  payment: PaymentRecord;
  refund: RefundRecord | undefined;
  time: string;
  /** Signed, minor units. */
  amount: Decimal;
  fee: Decimal;
}

function paymentMethodType(p: PaymentRecord): string {
  try {
    const body = JSON.parse(p.requestBody) as { paymentMethod?: { paymentMethodType?: string } };
    return body.paymentMethod?.paymentMethodType ?? 'ALIPAY_CN';
  } catch {
    return 'ALIPAY_CN';
  }
}

/**
 * The three reports for the paid payments and the successful refunds of one day, settled in the payment currency in one
 * batch per currency on the next day. Amounts in minor units, as in the published samples (1450 = 14.50 USD); fees
 * negative when charged, positive when returned; settlement amounts net of fees. All three files go to the folder of
 * the transaction day (Antom puts settlement files in the settlement day's folder): one folder per call keeps a
 * test's download and reconciliation to one date.
 */
export function buildGatewayReports(
  payments: readonly PaymentRecord[],
  refunds: readonly RefundRecord[],
  options: GatewayReportsOptions,
): GatewayReportFile[] {
  const date = options.date instanceof Date ? beijingDay(options.date.getTime()) : options.date;
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(date);
  if (!m) throw new TypeError(`reports: date must be YYYYMMDD or YYYY-MM-DD, not ${JSON.stringify(options.date)}`);
  const day = `${m[1]}${m[2]}${m[3]}`;
  const settleDay = formatIsoWithOffset(instant(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`) + DAY).slice(0, 10);
  const gen = options.generation ?? 'C';
  const customerId = options.customerId ?? '1022188000000000001';
  const rate = new Decimal(options.feePercent ?? 3).div(100);
  const byId = new Map(payments.map((p) => [p.paymentId, p]));
  const fee = (amount: Decimal): Decimal => amount.times(rate).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).negated();
  const lines: Line[] = [];
  for (const p of payments) {
    // paymentTime is set when the buyer paid: a payment cancelled after that was paid (and its refund is a line too).
    if (!p.paymentTime || beijingDay(instant(p.paymentTime)) !== day) continue;
    const amount = new Decimal(p.paymentAmount.value);
    lines.push({ type: 'PAYMENT', payment: p, refund: undefined, time: p.paymentTime, amount, fee: fee(amount) });
  }
  for (const r of refunds) {
    const p = byId.get(r.paymentId);
    if (!p || r.status !== 'SUCCESS' || beijingDay(instant(r.refundTime)) !== day) continue;
    const amount = new Decimal(r.refundAmount.value).negated();
    lines.push({ type: 'REFUND', payment: p, refund: r, time: r.refundTime, amount, fee: fee(amount) });
  }
  lines.sort((a, b) => instant(a.time) - instant(b.time));

  const folder = `/v1/settlements/${customerId}/${day}`;
  const files: GatewayReportFile[] = [];
  const add = (name: string, header: string, rows: string[][]): void => {
    files.push({
      name,
      remotePath: `${folder}/${name}`,
      path: undefined,
      content: `${[header, ...rows.map((r) => r.map(csvField).join(','))].join('\n')}\n<END>\n`,
    });
  };
  const currencies = [...new Set(lines.map((l) => l.payment.paymentAmount.currency))].sort();
  const batchOf = (ccy: string): string => `${day}${String(currencies.indexOf(ccy) + 1).padStart(3, '0')}${customerId.slice(-8)}`;
  const ids = (l: Line) => ({
    transactionId: gen === 'C' || !l.refund ? l.payment.paymentId : l.refund.refundId,
    requestId: l.refund ? l.refund.refundRequestId : l.payment.paymentRequestId,
    originalRequestId: l.refund ? l.payment.paymentRequestId : '',
    originalId: l.refund ? l.payment.paymentId : '',
  });
  const ccyOf = (l: Line): string => l.payment.paymentAmount.currency;
  const settled = `${settleDay}T10:00:00+08:00`;

  add(
    `transactionItems_${day}_000.csv`,
    HEADERS[gen].transactionItems,
    lines.map((l) => {
      const id = ids(l);
      const t = beijingTime(l.time);
      const c = ccyOf(l);
      return gen === 'C'
        ? [
            customerId,
            'ALIPAY_CN',
            '',
            '',
            '',
            id.transactionId,
            id.requestId,
            l.payment.referenceOrderId,
            batchOf(c),
            l.type,
            id.originalRequestId,
            l.payment.orderDescription,
            paymentMethodType(l.payment),
            '',
            'SUCCESS',
            t,
            t,
            t,
            'CASHIER_PAYMENT',
            l.amount.toFixed(0),
            c,
            l.amount.plus(l.fee).toFixed(0),
            c,
            l.fee.toFixed(0),
            c,
          ]
        : [
            customerId,
            'Alipay_SG',
            '',
            '',
            '',
            id.transactionId,
            id.originalId,
            id.requestId,
            l.payment.referenceOrderId,
            l.payment.orderDescription,
            paymentMethodType(l.payment),
            l.type,
            t,
            'CASHIER_PAYMENT',
            l.amount.toFixed(0),
            c,
          ];
    }),
  );
  for (const c of currencies) {
    const batch = batchOf(c);
    const mine = lines.filter((l) => ccyOf(l) === c);
    add(
      `settlementItems_${c}_${batch}_000.csv`,
      HEADERS[gen].settlementItems,
      mine.map((l) => {
        const id = ids(l);
        const t = beijingTime(l.time);
        return gen === 'C'
          ? [
              batch,
              customerId,
              'ALIPAY_CN',
              '',
              '',
              '',
              id.transactionId,
              id.requestId,
              l.payment.referenceOrderId,
              l.type,
              id.originalRequestId,
              paymentMethodType(l.payment),
              '',
              t,
              settleDay,
              l.amount.toFixed(0),
              c,
              l.amount.plus(l.fee).toFixed(0),
              c,
              l.fee.toFixed(0),
              c,
            ]
          : [
              batch,
              customerId,
              'Alipay_SG',
              '',
              '',
              '',
              id.transactionId,
              id.originalId,
              id.requestId,
              l.payment.referenceOrderId,
              paymentMethodType(l.payment),
              l.type,
              t,
              settled,
              l.amount.toFixed(0),
              c,
              l.amount.plus(l.fee).toFixed(0),
              c,
              l.fee.toFixed(0),
              c,
            ];
      }),
    );
    const summary = (type: string, rows: readonly Line[]): string[] => {
      const net = rows.reduce((s, l) => s.plus(l.amount).plus(l.fee), new Decimal(0)).toFixed(0);
      const fees = rows.reduce((s, l) => s.plus(l.fee), new Decimal(0)).toFixed(0);
      return gen === 'C'
        ? [batch, customerId, 'ALIPAY_CN', type, settleDay, String(rows.length), net, c, fees, c]
        : [batch, customerId, 'Alipay_SG', type, settled, String(rows.length), net, c, fees, c, '', '', '', ''];
    };
    const types = (['PAYMENT', 'REFUND'] as const).filter((t) => mine.some((l) => l.type === t));
    add(`settlementSummary_${c}_${batch}_000.csv`, HEADERS[gen].settlementSummary, [
      summary('TOTAL', mine),
      ...types.map((t) =>
        summary(
          t,
          mine.filter((l) => l.type === t),
        ),
      ),
    ]);
  }
  if (options.to) {
    for (const f of files) {
      const dir = join(options.to, folder);
      mkdirSync(dir, { recursive: true });
      f.path = join(dir, f.name);
      writeFileSync(f.path, f.content);
    }
  }
  return files;
}
