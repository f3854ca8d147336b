// One "did you mean …?" (src/internal/suggest.ts) for config fields, client options and flags: close typos get the right name, far ones none.
import { describe, expect, it } from 'vitest';
import { checkConfig } from '../../src/cli/check';
import { closestName, unknownNamesMessage } from '../../src/internal/suggest';

const CONFIG_DETAIL = (field: string): string | undefined =>
  checkConfig({ [field]: 'x' }, () => ({ error: 'no file' })).find((l) => l.id === `config.fields.${field}`)?.detail;

describe('closestName', () => {
  it.each([
    ['timeoutMS', ['timeoutMs', 'maxRetries'], 'timeoutMs'],
    ['timeout_ms', ['timeoutMs', 'maxRetries'], 'timeoutMs'],
    ['maxretry', ['timeoutMs', 'maxRetries'], 'maxRetries'],
    ['--output', ['--out', '--json'], '--out'],
    ['--jsn', ['--out', '--json'], '--json'],
    ['colour', ['timeoutMs', 'maxRetries'], undefined],
    ['x', ['timeoutMs'], undefined],
    ['a'.repeat(65), ['a'.repeat(65)], undefined],
  ])('%s among %j → %s', (given, valid, expected) => {
    expect(closestName(given, valid)).toBe(expected);
  });
});

describe('check: unknown config fields get the field they were meant to be', () => {
  it.each([
    ['paymentCurrency', 'paymentCurrencies'],
    ['paymentcurrencies', 'paymentCurrencies'],
    ['privateKeyPath', 'privateKeyFile'],
    ['alipay_public_key_file', 'alipayPublicKeyFile'],
    ['settlementcurrency', 'settlementCurrency'],
  ])('%s → %s', (field, meant) => {
    expect(CONFIG_DETAIL(field)).toBe(`"${field}" is not a config field → did you mean "${meant}"?`);
  });

  it('a field nothing is close to lists the fields instead of guessing', () => {
    expect(CONFIG_DETAIL('colour')).toMatch(/^"colour" is not a config field → remove it; fields are paymentMethodType, /);
  });
});

describe('unknownNamesMessage', () => {
  it('one suggestion per name, the spelling reminder only when nothing was close', () => {
    expect(unknownNamesMessage('option', ['timeoutMS'], ['timeoutMs'])).toBe('unknown option "timeoutMS" (did you mean "timeoutMs"?)');
    expect(unknownNamesMessage('option', ['timeoutMS', 'colour'], ['timeoutMs'])).toBe(
      'unknown options "timeoutMS" (did you mean "timeoutMs"?), "colour"',
    );
    expect(unknownNamesMessage('option', ['colour'], ['timeoutMs'])).toBe('unknown option "colour"; check the spelling');
  });

  it('bounded: at most ten names shown, each cut to 80 characters', () => {
    const names = Array.from({ length: 30 }, (_, i) => `${'z'.repeat(200)}${i}`);
    const message = unknownNamesMessage('option', names, ['timeoutMs']);
    expect(message).toContain('and 20 more');
    expect(message.length).toBeLessThan(1000);
  });
});
