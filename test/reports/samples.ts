// Report samples for the tests: the published sample rows verbatim, and files built around them for each generation.
import { Readable } from 'node:stream';

/** Transaction details, generation A: the header in its published order and the two published rows. */
export const GEN_A_TD_HEADER =
  'customerId,referenceMerchantId,referenceStoreId,transactionId,originalTransactionId,transactionRequestId,referenceTransactionId,orderDescription,paymentMethodType,pspName,transactionType,paymentTime,productCode,transactionAmountValue,transactionCurrency';
export const GEN_A_TD_ROWS = `1022188000000000001,,,2018122519074101000000000112612,,20190326L648423000404,,,KAKAOPAY,KaKaoPay,PAYMENT,2018-12-25T10:00:00+08:30,AGREEMENT_PAYMENT,18000,KRW,
1022188000000000001,,,2018122519074102000000000041675,2018122519074101000000000112612,20190326L648423000404,,,KAKAOPAY,KaKaoPay,REFUND,2018-12-25T10:00:00+08:30,AGREEMENT_PAYMENT,-9000,KRW
<END>
`;
export const GEN_A_TD = `${GEN_A_TD_HEADER}\n${GEN_A_TD_ROWS}`;

/** Settlement summary, generation B: the published sample 1, header included. */
export const GEN_B_SS = `settlementBatchId,customerId,acquirer,summaryType,settlementTime,count,settlementAmountValue,settlementCurrency,feeAmountValue,feeCurrency,processingFeeAmountValue,processingFeeCurrency,nonGuaranteeCouponValue,nonGuaranteeCouponCurrency,disputeHandlingFee,disputeHandlingFeeCurrency,disputeReverseFee,disputeReverseFeeCurrency,interchangeFeeAmountValue,interchangeFeeCurrency,schemeFeeAmountValue,schemeFeeCurrency,acquirerMarkupAmountValue,acquirerMarkupCurrency
2018122611021040123,1022188000000000001,Alipay_SG,TOTAL,2018-12-26T10:00:00+08:30,2,725,USD,-25,USD,,,,,,,,,,,,,,
2018122611021040123,1022188000000000001,Alipay_SG,PAYMENT,2018-12-26T10:00:00+08:30,1,1450,USD,-50,USD,,,,,,,,,,,,,,
2018122611021040123,1022188000000000001,Alipay_SG,REFUND,2018-12-26T10:00:00+08:30,1,-725,USD,25,USD,,,,,,,,,,,,,,
<END>
`;

export const BATCH = '2018122611021040123';
export const PAYMENT_ID = '2018122519074101000000000112612';
export const REFUND_ID = '2018122519074102000000000041675';
export const REQUEST_ID = '20190326L648423000404';

/** Settlement details, generation A (the 24 published columns), holding the worked example of the docs. */
export const GEN_A_SD_HEADER =
  'settlementBatchId,customerId,referenceMerchantId,referenceStoreId,transactionId,originalTransactionId,transactionRequestId,referenceTransactionId,paymentMethodType,pspName,transactionType,paymentTime,settlementTime,productCode,transactionAmountValue,transactionCurrency,settlementAmountValue,settlementCurrency,quoteCurrencyPair,quotePrice,feeAmountValue,feeCurrency,nonGuaranteeCouponValue,nonGuaranteeCouponCurrency';
export const SD_PAYMENT = `${BATCH},1022188000000000001,,,${PAYMENT_ID},,${REQUEST_ID},,KAKAOPAY,KaKaoPay,PAYMENT,2018-12-25T10:00:00+08:30,2018-12-26T10:00:00+08:30,AGREEMENT_PAYMENT,18000,KRW,1450,USD,KRW/USD,0.00083,-50,USD,,`;
export const SD_REFUND = `${BATCH},1022188000000000001,,,${REFUND_ID},${PAYMENT_ID},${REQUEST_ID},,KAKAOPAY,KaKaoPay,REFUND,2018-12-25T10:00:00+08:30,2018-12-26T10:00:00+08:30,AGREEMENT_PAYMENT,-9000,KRW,-725,USD,KRW/USD,0.00083,25,USD,,`;
export const GEN_A_SD = `${GEN_A_SD_HEADER}\n${SD_PAYMENT}\n${SD_REFUND}\n<END>\n`;

/** Settlement details, generation B: the confirmed leading columns, then inventory columns. */
export const GEN_B_SD_HEADER =
  'settlementBatchId,customerId,acquirer,acquirerReferenceNo,referenceMerchantId,referenceStoreId,transactionId,originalTransactionId,transactionRequestId,referenceTransactionId,paymentMethodType,transactionType,paymentTime,settlementTime,transactionAmountValue,transactionCurrency,settlementAmountValue,settlementCurrency,feeAmountValue,feeCurrency,taxFeeAmountValue,taxFeeCurrency,cardBrand';

/** Transaction details and settlement details, generation C: the confirmed leading columns, then inventory columns. */
export const GEN_C_TD_HEADER =
  'customerId,PSP,ARN,referenceMerchantId,referenceStoreId,transactionId,transactionRequestId,referenceTransactionId,settlementBatchId,transactionType,originalTransactionRequestId,paymentMethodType,wallet,status,transactionCreationTime,transactionUpdateTime,transactionCompletionTime,productCode,transactionAmountValue,transactionCurrency,settlementAmountValue,settlementCurrency';
export const GEN_C_SD_HEADER =
  'settlementBatchId,customerId,PSP,ARN,referenceMerchantId,referenceStoreId,transactionId,transactionRequestId,referenceTransactionId,transactionType,originalTransactionRequestId,paymentMethodType,wallet,transactionCreationTime,settlementInitiatedDate,transactionAmountValue,transactionCurrency,settlementAmountValue,settlementCurrency,feeAmountValue,feeCurrency';

/** The merchant's own records for the worked example: the payment and its refund, in minor units. */
export function sampleLedger() {
  return [
    {
      paymentRequestId: REQUEST_ID,
      paymentId: PAYMENT_ID,
      type: 'PAYMENT',
      amount: { currency: 'KRW', value: '18000' },
      createdAt: '2018-12-25T01:30:00Z',
    },
    {
      refundRequestId: REQUEST_ID,
      refundId: REFUND_ID,
      type: 'REFUND',
      amount: { currency: 'KRW', value: '9000' },
      createdAt: '2018-12-25T01:30:00Z',
    },
  ];
}

export const SD_ITEM_HEADER =
  'settlementBatchId,customerId,acquirer,transactionId,transactionRequestId,transactionType,paymentTime,transactionAmountValue,transactionCurrency,settlementAmountValue,settlementCurrency,feeAmountValue,feeCurrency,orderDescription2';

/** A settlement-details file of `rows` generated rows, produced lazily: nothing is held in memory or on disk. */
export function generatedSettlementItems(rows: number): Readable {
  let i = 0;
  const chunkRows = 2000;
  return new Readable({
    read() {
      if (i === 0) this.push(`${SD_ITEM_HEADER}\n`);
      if (i >= rows) {
        this.push('<END>\n');
        this.push(null);
        return;
      }
      let chunk = '';
      const end = Math.min(rows, i + chunkRows);
      for (; i < end; i++) {
        const n = String(i).padStart(9, '0');
        chunk += `B20240101,1022188000000000001,Alipay_SG,20240101190741010000${n},REQ-${n},PAYMENT,2024-01-01 10:00:00+08:00,${1000 + (i % 500)},USD,${950 + (i % 500)},USD,-50,USD,"order ${i}, item"\n`;
      }
      this.push(chunk);
    },
  });
}
