// Parsing reports: the published samples, each generation's header, every tolerance, bad input and merged parts.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AmsValidationError } from '../../src/errors';
import { parseReport, parseReports, readReport } from '../../src/reports';
import { rejectsWith } from '../helpers/expect';
import {
  GEN_A_SD,
  GEN_A_TD,
  GEN_A_TD_HEADER,
  GEN_A_TD_ROWS,
  GEN_B_SD_HEADER,
  GEN_B_SS,
  GEN_C_SD_HEADER,
  GEN_C_TD_HEADER,
  PAYMENT_ID,
  REFUND_ID,
} from './samples';

const rejection = (p: Promise<unknown>): Promise<AmsValidationError> => rejectsWith(AmsValidationError, p);

describe('parseReport on the published samples', () => {
  it('reads the generation A transaction details, stray trailing comma included, by header name', async () => {
    const r = await parseReport(GEN_A_TD, { fileName: 'transactionItems_20181225_000.csv' });
    expect(r.kind).toBe('transactionItems');
    expect(r.generation).toBe('A');
    expect(r.complete).toBe(true);
    expect(r.warnings).toEqual([]);
    expect(r.rows).toHaveLength(2);
    const [pay, refund] = r.rows;
    expect(pay).toMatchObject({
      line: 2,
      file: 'transactionItems_20181225_000.csv',
      customerId: '1022188000000000001',
      transactionId: PAYMENT_ID,
      transactionRequestId: '20190326L648423000404',
      transactionType: 'PAYMENT',
      amounts: { transactionAmountValue: { value: '18000', currency: 'KRW' } },
      times: { paymentTime: '2018-12-25T10:00:00+08:30' },
    });
    expect(pay!.originalTransactionId).toBeUndefined();
    expect(pay!.values['pspName']).toBe('KaKaoPay');
    expect(refund).toMatchObject({
      line: 3,
      transactionId: REFUND_ID,
      originalTransactionId: PAYMENT_ID,
      transactionType: 'REFUND',
      amounts: { transactionAmountValue: { value: '-9000', currency: 'KRW' } },
    });
  });

  it('reads the generation B summary sample with its TOTAL row first and its empty fee columns', async () => {
    const r = await parseReport(GEN_B_SS, { fileName: 'settlementSummary_USD_2018122611021040123_000.csv' });
    expect(r.kind).toBe('settlementSummary');
    expect(r.generation).toBe('B');
    expect(r.header).toHaveLength(24);
    expect(
      r.rows.map((x) => [x.summaryType, x.count, x.amounts['settlementAmountValue']?.value, x.amounts['feeAmountValue']?.value]),
    ).toEqual([
      ['TOTAL', 2, '725', '-25'],
      ['PAYMENT', 1, '1450', '-50'],
      ['REFUND', 1, '-725', '25'],
    ]);
    expect(Object.keys(r.rows[0]!.amounts).sort()).toEqual(['feeAmountValue', 'settlementAmountValue']);
    expect(r.rows[0]!.times['settlementTime']).toBe('2018-12-26T10:00:00+08:30');
  });

  it('takes the kind from the header when no file name is given', async () => {
    expect((await parseReport(GEN_B_SS)).kind).toBe('settlementSummary');
    expect((await parseReport(GEN_A_TD)).kind).toBe('transactionItems');
    expect((await parseReport(GEN_A_SD)).kind).toBe('settlementItems');
  });
});

describe('each generation of columns', () => {
  it('generation B settlement details: acquirer columns, tax fee kept typed, unknown columns kept', async () => {
    const row =
      'B1,1022,Alipay_SG,ARN-1,,,P1,,REQ-1,ORDER-1,CARD,PAYMENT,2024-01-09T02:45:29+08:00,2024-01-10T09:00:00+08:00,1500,USD,1450,USD,-40,USD,-10,USD,VISA';
    const r = await parseReport(`${GEN_B_SD_HEADER}\n${row}\n<END>\n`, { fileName: 'settlementItems_USD_B1_000.csv' });
    expect(r.generation).toBe('B');
    expect(r.rows[0]).toMatchObject({
      settlementBatchId: 'B1',
      referenceTransactionId: 'ORDER-1',
      amounts: { taxFeeAmountValue: { value: '-10', currency: 'USD' }, feeAmountValue: { value: '-40', currency: 'USD' } },
      values: { acquirer: 'Alipay_SG', acquirerReferenceNo: 'ARN-1', cardBrand: 'VISA' },
    });
  });

  it('generation C transaction and settlement details: PSP, status and settlementInitiatedDate, no originalTransactionId', async () => {
    const td = `${GEN_C_TD_HEADER}\nM1,ALIPAY_CN,,,,P1,REQ-1,,B9,PAYMENT,,ALIPAY_CN,,SUCCESS,2025-03-01 10:00:00+08:00,2025-03-01 10:00:05+08:00,2025-03-01 10:00:06+08:00,CASHIER_PAYMENT,1000,USD,970,USD\n<END>\n`;
    const t = await parseReport(td);
    expect(t.kind).toBe('transactionItems');
    expect(t.generation).toBe('C');
    expect(t.rows[0]).toMatchObject({
      values: { status: 'SUCCESS', PSP: 'ALIPAY_CN' },
      times: { transactionCompletionTime: '2025-03-01T10:00:06+08:00' },
    });
    const sd = `${GEN_C_SD_HEADER}\nB9,M1,ALIPAY_CN,,,,P1,REQ-1,,PAYMENT,,ALIPAY_CN,,2025-03-01T10:00:00+08:00,20250302,1000,USD,970,USD,-30,USD\n<END>\n`;
    const s = await parseReport(sd);
    expect(s.kind).toBe('settlementItems');
    expect(s.generation).toBe('C');
    expect(s.rows[0]!.times['settlementInitiatedDate']).toBe('2025-03-02');
  });
});

describe('tolerances', () => {
  it('strips a byte-order mark', async () => {
    const r = await parseReport(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(GEN_A_TD)]));
    expect(r.header[0]).toBe('customerId');
    expect(r.rows[0]!.customerId).toBe('1022188000000000001');
  });

  it('trims spaces around header names and values (", " separators, "852.40 ")', async () => {
    const r = await parseReport(
      'settlementBatchId, summaryType, count, settlementAmountValue, settlementCurrency\n B1 , TOTAL , 1 , 852.40 , HKD \n<END>\n',
    );
    expect(r.header).toEqual(['settlementBatchId', 'summaryType', 'count', 'settlementAmountValue', 'settlementCurrency']);
    expect(r.rows[0]).toMatchObject({
      settlementBatchId: 'B1',
      count: 1,
      amounts: { settlementAmountValue: { value: '852.40', currency: 'HKD' } },
    });
  });

  it('accepts runs of empty trailing fields after the last column (the 2C2P sample)', async () => {
    const r = await parseReport(GEN_B_SS.replace(/,,,,,,,,,,,,,,\n/g, `,,,,,,,,,,,,,,${','.repeat(20)}\n`));
    expect(r.rows).toHaveLength(3);
    expect(r.warnings).toEqual([]);
  });

  it('reads +08:30 offsets, a space instead of T and +0800 into ISO 8601 with the offset kept', async () => {
    const csv = `${GEN_A_TD_HEADER}\n${GEN_A_TD_ROWS.split('\n')[0]!.replace('2018-12-25T10:00:00+08:30', '2023-01-09 02:45:29+0800')}\n${GEN_A_TD_ROWS.split('\n')[1]!}\n<END>`;
    const r = await parseReport(csv);
    expect(r.rows.map((x) => x.times['paymentTime'])).toEqual(['2023-01-09T02:45:29+08:00', '2018-12-25T10:00:00+08:30']);
  });

  it('keeps a zone-less time as written and says so in warnings', async () => {
    const csv = GEN_A_TD.replace('2018-12-25T10:00:00+08:30', '2018-12-25 10:00:00');
    const r = await parseReport(csv);
    expect(r.rows[0]!.times['paymentTime']).toBe('2018-12-25T10:00:00');
    expect(r.warnings.join('\n')).toMatch(/paymentTime has no UTC offset \(first: line 2\)/);
  });

  it('reads a quoted description holding commas and quotes as one field (RFC 4180)', async () => {
    const csv = GEN_A_TD.replace('20190326L648423000404,,,KAKAOPAY', '20190326L648423000404,,"Shoes, size 42 ""wide""",KAKAOPAY');
    const r = await parseReport(csv);
    expect(r.rows[0]!.values['orderDescription']).toBe('Shoes, size 42 "wide"');
    expect(r.rows[0]!.values['paymentMethodType']).toBe('KAKAOPAY');
  });

  it('a file without <END> is incomplete, with a warning, never silently whole', async () => {
    const r = await parseReport(GEN_A_TD.replace('<END>\n', ''));
    expect(r.complete).toBe(false);
    expect(r.rows).toHaveLength(2);
    expect(r.warnings).toEqual(['no <END> line after 2 row(s): the file is truncated or still being written; complete is false']);
  });

  it('a header followed by <END> is a complete report with no rows', async () => {
    const r = await parseReport(
      'settlementBatchId, customerId, PSP, summaryType, count, settlementAmountValue, settlementCurrency\n<END>\n',
      { fileName: 'settlementSummary_KaKaoPay_USD_0000000000000000000_000.csv' },
    );
    expect(r).toMatchObject({ kind: 'settlementSummary', complete: true, rows: [] });
  });

  it('reads CRLF line ends, a Node Readable split mid-row and a web ReadableStream alike', async () => {
    const crlf = GEN_A_TD.replace(/\n/g, '\r\n');
    const bytes = Buffer.from(crlf);
    const chunks = [bytes.subarray(0, 50), bytes.subarray(50, 231), bytes.subarray(231)];
    const a = await parseReport(Readable.from(chunks));
    const b = await parseReport(new Blob([bytes]).stream());
    for (const r of [a, b]) {
      expect(r.complete).toBe(true);
      expect(r.rows.map((x) => x.transactionId)).toEqual([PAYMENT_ID, REFUND_ID]);
    }
  });
});

describe('amount units given to the parser', () => {
  it("'minor' refuses a fraction, naming file, line and column", async () => {
    const csv = GEN_A_SD.replace(',1450,USD', ',14.50,USD');
    const err = await rejection(parseReport(csv, { fileName: 'settlementItems_USD_1_000.csv', amountUnit: 'minor' }));
    expect(err.message).toBe(
      `Report settlementItems_USD_1_000.csv, line 2, column settlementAmountValue: settlementAmountValue: "14.50" has a fraction, so it cannot be in minor units (pass amountUnit 'major')`,
    );
  });

  it("'major' refuses more decimals than the currency has", async () => {
    const csv = GEN_A_SD.replace(',18000,KRW', ',18000.5,KRW');
    const err = await rejection(parseReport(csv, { amountUnit: 'major' }));
    expect(err.message).toMatch(/line 2, column transactionAmountValue: .*"18000.5" has more decimals than KRW has \(0\)/);
  });
});

describe('bad input is an AmsValidationError naming file, line and column', () => {
  it('not a report', async () => {
    const err = await rejection(parseReport('name,age\nada,36\n', { fileName: 'people.csv' }));
    expect(err.message).toMatch(/^Report people\.csv, line 1: .*not an Antom report/);
  });

  it('a required column missing', async () => {
    const err = await rejection(
      parseReport(GEN_B_SS.replace('settlementAmountValue,', 'settlementAmount,'), { fileName: 'settlementSummary_x_000.csv' }),
    );
    expect(err.message).toMatch(
      /^Report settlementSummary_x_000\.csv, line 1, column settlementAmountValue: .*required column settlementAmountValue is missing/,
    );
    expect(err.fields).toEqual(['settlementAmountValue']);
  });

  it('an amount that is not a number', async () => {
    const err = await rejection(parseReport(GEN_A_TD.replace(',18000,KRW', ',18,000,KRW'), { fileName: 't.csv' }));
    // "18,000" splits into two fields: the row no longer lines up with the header.
    expect(err.message).toMatch(/^Report t\.csv, line 2, column (transactionCurrency|#16)/);
    const err2 = await rejection(parseReport(GEN_A_TD.replace(',18000,KRW', ',18k,KRW'), { fileName: 't.csv' }));
    expect(err2.message).toBe(
      'Report t.csv, line 2, column transactionAmountValue: transactionAmountValue: "18k" is not a decimal amount (digits, an optional sign and ".")',
    );
  });

  it('a time that is not ISO 8601', async () => {
    const err = await rejection(
      parseReport(GEN_A_TD.replace('2018-12-25T10:00:00+08:30,AGREEMENT', '12/25/2018 10:00:00,AGREEMENT'), { fileName: 't.csv' }),
    );
    expect(err.message).toMatch(/line 2, column paymentTime: .*"12\/25\/2018 10:00:00" is not an ISO 8601 time/);
  });

  it('a value beyond the header and rows after <END>', async () => {
    const beyond = await rejection(parseReport(GEN_A_TD.replace('18000,KRW,', '18000,KRW,oops'), { fileName: 't.csv' }));
    expect(beyond.message).toMatch(/^Report t\.csv, line 2, column #16: .*beyond the 15 columns/);
    const after = await rejection(parseReport(`${GEN_A_TD}${GEN_A_TD_ROWS}`, { fileName: 't.csv' }));
    expect(after.message).toMatch(/^Report t\.csv, line 5: .*data after the <END> line \(line 4\)/);
  });

  it('an empty file', async () => {
    const err = await rejection(parseReport('', { fileName: 'e.csv' }));
    expect(err.message).toMatch(/e\.csv, line 1: .*empty/);
  });
});

describe('readReport streams', () => {
  it('sets kind and header before the first row and complete after the last', async () => {
    const reader = readReport(GEN_A_TD, { fileName: 'transactionItems_20181225_000.csv' });
    const seen: Array<[string | undefined, boolean]> = [];
    for await (const row of reader) seen.push([reader.kind, reader.complete && row.line > 0]);
    expect(seen).toEqual([
      ['transactionItems', false],
      ['transactionItems', false],
    ]);
    expect(reader.complete).toBe(true);
    expect(reader.rowCount).toBe(2);
  });
});

describe('parseReports merges _000…_999 parts', () => {
  const header = GEN_A_SD.split('\n')[0]!;
  const [pay, refund] = GEN_A_SD.split('\n').slice(1, 3);
  it('in part order, whatever order the files come in', async () => {
    const [merged, ...rest] = await parseReports([
      { fileName: 'settlementItems_USD_B1_001.csv', input: `${header}\n${refund}\n<END>\n` },
      { fileName: 'settlementItems_USD_B1_000.csv', input: `${header}\n${pay}\n<END>\n` },
    ]);
    expect(rest).toEqual([]);
    expect(merged!.fileName).toBe('settlementItems_USD_B1');
    expect(merged!.parts).toEqual(['settlementItems_USD_B1_000.csv', 'settlementItems_USD_B1_001.csv']);
    expect(merged!.rows.map((r) => [r.file, r.line, r.transactionType])).toEqual([
      ['settlementItems_USD_B1_000.csv', 2, 'PAYMENT'],
      ['settlementItems_USD_B1_001.csv', 2, 'REFUND'],
    ]);
    expect(merged!.complete).toBe(true);
  });

  it('a missing part makes the merged report incomplete', async () => {
    const [merged] = await parseReports([
      { fileName: 'settlementItems_USD_B1_000.csv', input: `${header}\n${pay}\n<END>\n` },
      { fileName: 'settlementItems_USD_B1_002.csv', input: `${header}\n${refund}\n<END>\n` },
    ]);
    expect(merged!.complete).toBe(false);
    expect(merged!.warnings).toContain('settlementItems_USD_B1: part 001 missing; the merged report is not complete');
  });

  it('parts with different headers are bad input', async () => {
    const err = await rejection(
      parseReports([
        { fileName: 'settlementItems_USD_B1_000.csv', input: `${header}\n${pay}\n<END>\n` },
        { fileName: 'settlementItems_USD_B1_001.csv', input: `${header},extra\n${refund}\n<END>\n` },
      ]),
    );
    expect(err.message).toMatch(
      /^Report settlementItems_USD_B1_001\.csv, line 1: .*header differs from the header of settlementItems_USD_B1_000\.csv/,
    );
  });
});

describe('line numbers', () => {
  it('count empty lines and the line breaks inside quoted fields', async () => {
    const csv = `\n${GEN_A_TD_HEADER}\n\n${GEN_A_TD_ROWS.split('\n')[0]!.replace('20190326L648423000404,,,', '20190326L648423000404,,"two\nlines",')}\n${GEN_A_TD_ROWS.split('\n')[1]!}\n<END>\n`;
    const r = await parseReport(csv);
    expect(r.rows.map((x) => [x.line, x.values['orderDescription']])).toEqual([
      [4, 'two\nlines'],
      [6, ''],
    ]);
    const err = await rejection(parseReport(csv.replace(',-9000,', ',x,')));
    expect(err.message).toMatch(/line 6, column transactionAmountValue/);
  });
});

describe('bad calls', () => {
  it('an unknown amountUnit and an input that is no stream are AmsValidationErrors without a line', async () => {
    expect(() => readReport('x', { fileName: 'a.csv', amountUnit: 'cents' as 'major' })).toThrow(
      "Invalid readReport / parseReport options: amountUnit: must be 'auto', 'major' or 'minor', not \"cents\"",
    );
    expect(() => readReport('x', { filename: 'a.csv' } as never)).toThrow(
      'Invalid readReport / parseReport options: unknown option "filename" (did you mean "fileName"?)',
    );
    await expect(parseReport('x', { amountunit: 'minor' } as never)).rejects.toThrow(AmsValidationError);
    // Checked even when there is no file to read, and a file name is each part's own.
    await expect(parseReports([], { amountunit: 'minor' } as never)).rejects.toThrow('did you mean "amountUnit"?');
    await expect(parseReports([], { fileName: 'x.csv' } as never)).rejects.toThrow('unknown option "fileName"');
    const err = await rejection(parseReport(42 as unknown as string));
    expect(err.message).toBe('Report (unnamed report): (input): input must be a string, a Buffer, a Readable or a ReadableStream');
  });
});

describe('hostile report files', () => {
  it('a record past 1 MiB (no line breaks, or an unclosed quote) is an AmsValidationError naming the file, not memory held', async () => {
    const header = 'settlementBatchId,summaryType,count,settlementAmountValue,settlementCurrency\n';
    const endless = Readable.from(
      (function* () {
        yield header;
        for (let i = 0; i < 64; i++) yield 'x'.repeat(64 * 1024); // 4 MiB without a line break
      })(),
    );
    const e = await rejection(parseReport(endless, { fileName: 'settlementSummary_1_20260101.csv' }));
    expect(e.message).toContain('settlementSummary_1_20260101.csv');
    expect(e.message).toMatch(/line 2: .*a line longer than 1048576 bytes/);
    const longLine = await rejection(
      parseReport(`${header}B1,"TOTAL${'y'.repeat(1_100_000)}\n<END>\n`, { fileName: 'settlementSummary_1_20260101.csv' }),
    );
    expect(longLine.message).toMatch(/a line longer than 1048576 bytes/);
    // An unclosed quote over many short lines: each line passes, the record does not.
    const unclosed = await rejection(
      parseReport(`${header}B1,"TOTAL${`${'y'.repeat(1000)}\n`.repeat(1200)}<END>\n`, { fileName: 'settlementSummary_1_20260101.csv' }),
    );
    expect(unclosed.message).toMatch(/not valid CSV/);
  });

  it('a stream that fails to read is an AmsValidationError with the code, not the raw error', async () => {
    const broken = new Readable({
      read() {
        this.destroy(Object.assign(new Error('EACCES: permission denied, open /secret/path'), { code: 'EACCES' }));
      },
    });
    const e = await rejection(parseReport(broken, { fileName: 'settlementItems_1_20260101.csv' }));
    expect(e.message).toContain('could not be read (EACCES)');
    expect(e.message).not.toContain('/secret/path');
  });
});

describe('long amounts are converted exactly', () => {
  it('a 23-digit major amount becomes its minor units without rounding', async () => {
    const { amountInMinorUnits } = await import('../../src/reports/units');
    expect(amountInMinorUnits({ value: '123456789012345678901.23', currency: 'USD' }, 'major')).toBe('12345678901234567890123');
    expect(amountInMinorUnits({ value: '-123456789012345678901.23', currency: 'USD' }, 'major')).toBe('-12345678901234567890123');
  });
});
