// The time a signature may really cover: the same instant written another way, or a clock read twice.
import { formatIsoWithOffset, ISO_TIME_RE, parseRequestTime } from '../../rules/time';
import { change, type Variant } from './types';

/** An instant from a Request-Time: epoch seconds (10 digits) as well as what the protocol's parser reads. */
function parseInstant(time: string): number | undefined {
  const t = time.trim();
  return /^\d{10}$/.test(t) ? Number(t) * 1000 : parseRequestTime(t);
}

/** The protocol's ISO form with an offset, optionally with the milliseconds a sender may have kept. */
function isoWithOffset(ms: number, offsetMinutes: number, withMillis: boolean): string {
  const iso = formatIsoWithOffset(ms, offsetMinutes);
  return withMillis ? `${iso.slice(0, 19)}.${String(((ms % 1000) + 1000) % 1000).padStart(3, '0')}${iso.slice(19)}` : iso;
}

const utcZ = (iso: string): string => iso.replace(/\+00:00$/, 'Z');

const TIME_CAUSE =
  'The Request-Time header must be byte-identical to the time that was signed: format the time once and use that same string in the signed content and the header.';

export function timeVariants(time: string): Variant<string>[] {
  const out: Variant<string>[] = [{ value: time, changes: [] }];
  const push = (value: string, id: string, variant: string, cause: string) => {
    if (!out.some((v) => v.value === value)) out.push({ value, changes: [change('time', id, variant, cause)] });
  };
  if (time !== time.trim())
    push(time.trim(), 'trimmed', 'the time without surrounding spaces', `The time you have has spaces around it. ${TIME_CAUSE}`);
  const ms = parseInstant(time);
  if (ms !== undefined) {
    const forms: [string, string][] = [
      [String(ms), 'epoch milliseconds'],
      [String(Math.floor(ms / 1000)), 'epoch seconds'],
      [utcZ(isoWithOffset(ms, 0, true)), 'ISO-8601 UTC with milliseconds (…Z)'],
      [utcZ(isoWithOffset(ms, 0, false)), 'ISO-8601 UTC (…Z)'],
      [isoWithOffset(ms, 0, false), 'ISO-8601 with +00:00'],
      [isoWithOffset(ms, 0, true), 'ISO-8601 with milliseconds and +00:00'],
      [isoWithOffset(ms, 480, false), 'ISO-8601 with +08:00'],
      [isoWithOffset(ms, 480, true), 'ISO-8601 with milliseconds and +08:00'],
    ];
    for (const [value, what] of forms)
      push(
        value,
        'format',
        `the same instant written as ${what} (${value})`,
        `The signed time is the same instant written differently (${value}). ${TIME_CAUSE}`,
      );
  }
  return out;
}

/** Times near the given one in the same format: a clock read twice (once to sign, once for the header). */
export function nearbyTimes(time: string): Variant<string>[] {
  const t = time.trim();
  const out: Variant<string>[] = [];
  const cause = (delta: string, unit: string) =>
    change(
      'time',
      'clock-read-twice',
      `the time ${delta} ${unit} ${delta.startsWith('-') ? 'earlier' : 'later'}`,
      `The signed time differs from the Request-Time you have by ${delta} ${unit}: the clock was read twice. ${TIME_CAUSE}`,
    );
  if (/^\d{13}$/.test(t)) {
    const base = Number(t);
    for (let d = 1; d <= 5000; d++)
      for (const s of [d, -d]) out.push({ value: String(base + s), changes: [cause(`${s > 0 ? '+' : ''}${s}`, 'ms')] });
  } else if (/^\d{10}$/.test(t)) {
    const base = Number(t);
    for (let d = 1; d <= 10; d++)
      for (const s of [d, -d]) out.push({ value: String(base + s), changes: [cause(`${s > 0 ? '+' : ''}${s}`, 's')] });
  } else {
    const m = ISO_TIME_RE.exec(t);
    const ms = parseInstant(t);
    if (m && ms !== undefined) {
      const zone = m[3]!.toUpperCase();
      const offset = zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
      const render = (x: number) => {
        const s = isoWithOffset(x, offset, m[2] !== undefined);
        return zone === 'Z' ? `${s.slice(0, -6)}${m[3]}` : zone.includes(':') ? s : s.replace(/:(\d{2})$/, '$1');
      };
      const step = m[2] !== undefined ? 1 : 1000;
      const range = m[2] !== undefined ? 5000 : 10;
      for (let d = 1; d <= range; d++)
        for (const s of [d, -d])
          out.push({ value: render(ms + s * step), changes: [cause(`${s > 0 ? '+' : ''}${s}`, step === 1 ? 'ms' : 's')] });
    }
  }
  return out;
}
