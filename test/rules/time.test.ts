// Request-Time formatting and parsing: every instant and offset round-trips, to the second, in the AMS form.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIsoWithOffset, formatRequestTime, parseRequestTime } from '../../src/rules/time';

const instant = fc.integer({ min: -2_000_000_000_000, max: 8_000_000_000_000 });
const offset = fc.integer({ min: -12 * 60, max: 14 * 60 });

describe('formatIsoWithOffset', () => {
  it('writes the documented form', () => {
    expect(formatIsoWithOffset(Date.UTC(2026, 0, 1, 12, 5, 0, 999))).toBe('2026-01-01T12:05:00+00:00');
    expect(formatIsoWithOffset(Date.UTC(2026, 0, 1, 12, 5, 0), 480)).toBe('2026-01-01T20:05:00+08:00');
    expect(formatIsoWithOffset(Date.UTC(2026, 0, 1, 0, 5, 0), -330)).toBe('2025-12-31T18:35:00-05:30');
    expect(formatIsoWithOffset(-500)).toBe('1969-12-31T23:59:59+00:00');
  });

  it('parses back to the instant floored to the second, for any instant and offset', () => {
    fc.assert(
      fc.property(instant, offset, (ms, off) => {
        const text = formatIsoWithOffset(ms, off);
        expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
        expect(parseRequestTime(text)).toBe(Math.floor(ms / 1000) * 1000);
      }),
    );
  });

  it('formatRequestTime is the UTC form of the given date', () => {
    expect(formatRequestTime(new Date('2026-11-28T09:58:07.456Z'))).toBe('2026-11-28T09:58:07+00:00');
  });
});
