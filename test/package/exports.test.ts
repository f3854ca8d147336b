// The package root holds what a merchant uses and every name the public surface promises; primitives live in subpaths.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as root from '../../src/index';
import * as signing from '../../src/signing/index';
import * as rules from '../../src/rules/index';
import * as notifications from '../../src/notifications/index';
import * as http from '../../src/http/index';
import * as schemas from '../../src/schemas/index';

/** The names the public surface document promises from the package root. */
const PROMISED = [
  'loadPrivateKey',
  'loadPublicKey',
  'buildSignContent',
  'signRequest',
  'parseSignatureHeader',
  'verifySignature',
  'resolveEndpoint',
  'AmsClient',
  'cashierRedirect',
  'verifyNotification',
  'createNotificationHandler',
  'createFetchNotificationHandler',
  'matchNotification',
  'createMemoryNotificationStore',
  'notificationKey',
  'notificationAck',
  'buildCashierPayment',
  'createNodeHttpTransport',
  'createAxiosTransport',
  'TransportFailure',
  'ALIPAY_CN_PAYMENT_CURRENCIES',
  'ALIPAY_CN_SETTLEMENT_CURRENCIES',
  'checkCurrencies',
  'toMinorUnits',
  'fromMinorUnits',
  'buildChinaExtraTransInfo',
  'buildExtendInfo',
  'AmsError',
  'AmsConfigError',
  'AmsValidationError',
  'AmsSignatureError',
  'AmsApiError',
  'AmsHttpError',
  'AmsConnectionError',
  'AmsTimeoutError',
  'AmsUnknownResultError',
  'AmsAbortError',
];

describe('package root', () => {
  it('exports every promised name', () => {
    const missing = PROMISED.filter((name) => (root as Record<string, unknown>)[name] === undefined);
    expect(missing).toEqual([]);
  });

  it('is listed in the README, name for name', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const from = readme.indexOf('## What you import');
    const table = readme.slice(from, readme.indexOf('Every type of these', from));
    const listed = [...table.matchAll(/`([A-Za-z_]+)`/g)].map((m) => m[1]).filter((n) => n !== 'ams-cashier');
    expect(new Set(listed)).toEqual(new Set(Object.keys(root)));
    expect(table).toContain(`(${Object.keys(root).length} runtime names)`);
  });

  it('stays small: at most 45 runtime names', () => {
    expect(Object.keys(root).length).toBeLessThanOrEqual(45);
  });
});

describe('subpaths', () => {
  it('hold the primitives the root does not: Request-Time, the header grammar, the rule tables, the default transport', () => {
    expect(typeof signing.formatSignatureHeader).toBe('function');
    expect(typeof signing.describeKey).toBe('function');
    expect(signing.formatRequestTime(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)))).toBe('2026-01-02T03:04:05+00:00');
    expect(rules.RULE_SOURCES).toBeTypeOf('object');
    expect(notifications.NOTIFICATION_ACK_BODY).toContain('"resultStatus":"S"');
    expect(typeof http.createDefaultTransport).toBe('function');
    expect(schemas.PayRequestSchema.safeParse({}).success).toBe(false);
    expect(schemas.CASHIER_TERMINAL_TYPES).toEqual(['WEB', 'WAP', 'APP', 'MINI_APP']);
  });

  it('are every entry of the exports map, and no runtime name has two homes', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { exports: Record<string, unknown> };
    const entries: Record<string, Record<string, unknown>> = {
      '.': root,
      './signing': signing,
      './rules': rules,
      './notifications': notifications,
      './http': http,
      './schemas': schemas,
      './redis': await import('../../src/redis/index'),
      './bullmq': await import('../../src/bullmq/index'),
      './reports': await import('../../src/reports/index'),
      './mocks': await import('../../mocks/index'),
      './mocks/msw': await import('../../mocks/msw'),
    };
    const code = Object.keys(pkg.exports).filter((key) => !key.endsWith('.json'));
    expect(code.sort()).toEqual(Object.keys(entries).sort());

    const homes = new Map<string, string[]>();
    for (const [entry, mod] of Object.entries(entries)) {
      for (const name of Object.keys(mod)) homes.set(name, [...(homes.get(name) ?? []), entry]);
    }
    const twice = [...homes].filter(([, where]) => where.length > 1).map(([name, where]) => `${name}: ${where.join(', ')}`);
    expect(twice).toEqual([]);
  });
});
