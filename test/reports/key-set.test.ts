// The fingerprint set behind duplicate detection: every key once, where it was first seen, across growth.
import { describe, expect, it } from 'vitest';
import { KeySet } from '../../src/reports/key-set';

describe('KeySet', () => {
  it('remembers 200 000 distinct keys through growth, and names where a repeated key was first seen', () => {
    const set = new KeySet([0x1234, 0x5678], 4);
    for (let i = 0; i < 200_000; i++) expect(set.add(`T${i}|PAYMENT|REQ-${i}`, { file: i % 3, line: i + 2 })).toBeUndefined();
    expect(set.size).toBe(200_000);
    expect(set.add('T123|PAYMENT|REQ-123', { file: 9, line: 1 })).toEqual({ file: 0, line: 125, tag: 0 });
    expect(set.has('T199999|PAYMENT|REQ-199999')).toBe(true);
    expect(set.has('T199999|REFUND|REQ-199999')).toBe(false);
    expect(set.size).toBe(200_000);
  });

  it('tells apart keys that differ in one character or in order, and the empty key', () => {
    const set = new KeySet();
    for (const k of ['', '|', '||', 'a|b|', '|a|b', 'ab||', 'P1|REFUND|RR1', 'P1|REFUND|RR2', 'P1|REFUND|RR1 '])
      expect(set.add(k, { file: 0, line: 1 }), k).toBeUndefined();
  });
});
