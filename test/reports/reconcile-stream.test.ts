// reconcileReports: the same findings as reconcile, from files streamed row by row, parts merged, progress reported.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run';
import { systemClock } from '../../src/clock';
import { AmsValidationError } from '../../src/errors';
import { parseReport, reconcile, reconcileReports, type ReconcileProgress } from '../../src/reports';
import { rejectsWith, thrown } from '../helpers/expect';
import { BATCH, GEN_A_SD, GEN_A_SD_HEADER, GEN_A_TD, GEN_B_SS, SD_PAYMENT, SD_REFUND, sampleLedger } from './samples';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SS_NAME = `settlementSummary_USD_${BATCH}_000.csv`;
const SD = (part: number): string => `settlementItems_USD_${BATCH}_00${part}.csv`;
const TD_NAME = 'transactionItems_20181225_000.csv';

describe('reconcileReports', () => {
  it('finds what reconcile finds, from streams', async () => {
    const streamed = await reconcileReports({
      settlementItems: [{ fileName: SD(0), input: Readable.from([Buffer.from(GEN_A_SD)]) }],
      settlementSummary: [{ fileName: SS_NAME, input: GEN_B_SS }],
      transactionItems: [{ fileName: TD_NAME, input: GEN_A_TD }],
      ledger: sampleLedger(),
    });
    const held = reconcile({
      settlementItems: await parseReport(GEN_A_SD, { fileName: SD(0) }),
      settlementSummary: await parseReport(GEN_B_SS, { fileName: SS_NAME }),
      transactionItems: await parseReport(GEN_A_TD, { fileName: TD_NAME }),
      ledger: sampleLedger(),
    });
    expect(streamed.ok).toBe(true);
    const { files: streamedFiles, warnings: w1, ...a } = streamed;
    const { files: heldFiles, warnings: w2, ...b } = held;
    expect(a).toEqual(b);
    expect(streamedFiles.map((f) => f.rows)).toEqual(heldFiles.map((f) => f.rows));
    expect(w1.length).toBe(w2.length);
  });

  it('merges the parts of one file in order, and a missing part makes it incomplete', async () => {
    const [first, second] = [`${GEN_A_SD_HEADER}\n${SD_PAYMENT}\n<END>\n`, `${GEN_A_SD_HEADER}\n${SD_REFUND}\n<END>\n`];
    const merged = await reconcileReports({
      settlementItems: [
        { fileName: SD(1), input: second },
        { fileName: SD(0), input: first },
      ],
      settlementSummary: [{ fileName: SS_NAME, input: GEN_B_SS }],
      ledger: sampleLedger(),
    });
    expect(merged.ok).toBe(true);
    expect(merged.files).toContainEqual(
      expect.objectContaining({ fileName: `settlementItems_USD_${BATCH}`, parts: [SD(0), SD(1)], rows: 2 }),
    );
    const gap = await reconcileReports({
      settlementItems: [{ fileName: SD(1), input: second }],
      settlementSummary: [{ fileName: SS_NAME, input: GEN_B_SS }],
    });
    expect(gap.ok).toBe(false);
    expect(gap.incomplete).toEqual([`settlementItems_USD_${BATCH}`]);
  });

  it('a file given as the wrong kind, or a part with another header, is bad input', async () => {
    const wrong = await rejectsWith(
      AmsValidationError,
      reconcileReports({ settlementItems: [{ fileName: 'items.csv', input: GEN_B_SS }], settlementSummary: [] }),
    );
    expect(wrong.message).toMatch(/items\.csv is a settlementSummary report, not settlementItems/);
    const header = await rejectsWith(
      AmsValidationError,
      reconcileReports({
        settlementItems: [
          { fileName: SD(0), input: GEN_A_SD },
          { fileName: SD(1), input: GEN_A_SD.replace('settlementBatchId,customerId', 'settlementBatchId,customerID') },
        ],
      }),
    );
    expect(header.message).toMatch(/its header differs from the header of .*_000\.csv/);
  });

  it('reports progress as it reads, and a throwing progress callback does not stop it', async () => {
    const seen: ReconcileProgress[] = [];
    const r = await reconcileReports({
      settlementItems: [{ fileName: SD(0), input: GEN_A_SD }],
      settlementSummary: [{ fileName: SS_NAME, input: GEN_B_SS }],
      onProgress: (p) => {
        seen.push(p);
        throw new Error('display broke');
      },
    });
    expect(r.ok).toBe(true);
    expect(seen.at(-1)).toEqual({ file: SD(0), rows: 5, bytes: GEN_B_SS.length + GEN_A_SD.length, filesDone: 2, filesTotal: 2 });
  });

  it('options are checked as every options object is: a typo is named, never ignored, in both forms', async () => {
    const sd = await parseReport(GEN_A_SD, { fileName: 'settlementItems_USD_2026.csv' });
    const wrong = thrown(AmsValidationError, () => reconcile({ settlementItems: sd, maxFinding: 5, asOf: 'yesterday' } as never));
    expect(wrong.issues).toEqual([
      { field: 'asOf', code: 'custom', message: 'must be a Date or an ISO 8601 time, not "yesterday"' },
      { field: 'maxFinding', code: 'unknown_option', message: 'unknown option "maxFinding" (did you mean "maxFindings"?)' },
    ]);
    expect(wrong.message).toBe(
      'reconcile: asOf: must be a Date or an ISO 8601 time, not "yesterday"; unknown option "maxFinding" (did you mean "maxFindings"?)',
    );
    const streamed = await rejectsWith(
      AmsValidationError,
      reconcileReports({ settlementItems: [{ fileName: SD(0), input: GEN_A_SD }], onprogress: () => {}, maxFindings: 0 } as never),
    );
    expect(streamed.issues.map((i) => i.field)).toEqual(['maxFindings', 'onprogress']);
    expect(streamed.message).toContain('did you mean "onProgress"?');
  });

  it('the CLI shows progress on a terminal, on stderr only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ams-rec-progress-'));
    writeFileSync(join(dir, SD(0)), GEN_A_SD);
    writeFileSync(join(dir, SS_NAME), GEN_B_SS);
    const out: string[] = [];
    const progress: string[] = [];
    const code = await runCli(['reconcile', dir, '--json'], {
      out: (t) => out.push(t),
      err: (t) => out.push(`ERR ${t}`),
      readStdin: () => Promise.resolve(Buffer.alloc(0)),
      cwd: dir,
      clock: systemClock,
      progress: (t, done) => progress.push(`${t}${done ? ' (done)' : ''}`),
    });
    expect(code).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ ok: true });
    expect(progress.at(-1)).toBe('reconcile: 5 rows read (done)');
    expect(progress.some((p) => /^reconcile: 2\/2 file\(s\), 5 rows, 0\.0 MB/.test(p))).toBe(true);
  });
});
