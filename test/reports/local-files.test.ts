// Whether a local report copy is whole: its last line is <END> alone, as the reader takes it, and nothing else counts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { endsWithEnd } from '../../src/reports/local-files';

const dir = mkdtempSync(join(tmpdir(), 'ams-local-end-'));
const whole = (text: string): boolean => {
  const path = join(dir, `f${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(path, text);
  return endsWithEnd(path);
};

describe('endsWithEnd', () => {
  it('is true only when <END> stands alone on the last non-blank line', () => {
    expect(whole('a,b\n1,2\n<END>\n')).toBe(true);
    expect(whole('a,b\r\n1,2\r\n  <END>  \r\n\r\n')).toBe(true);
    expect(whole('<END>')).toBe(true);
    // What the reader would not take for the end line: the copy is fetched again.
    expect(whole('a,b\n1,<END>\n')).toBe(false);
    expect(whole('a,b\n1,2\nx<END>\n')).toBe(false);
    expect(whole('a,b\n1,2\n')).toBe(false);
    expect(whole('')).toBe(false);
    expect(endsWithEnd(join(dir, 'missing.csv'))).toBe(false);
  });
});
