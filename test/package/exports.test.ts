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
  it('hold the primitives, sharing the very same functions and classes as the root', () => {
    expect(signing.signRequest).toBe(root.signRequest);
    expect(typeof signing.formatSignatureHeader).toBe('function');
    expect(typeof signing.describeKey).toBe('function');
    expect(signing.formatRequestTime(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)))).toBe('2026-01-02T03:04:05+00:00');
    expect(rules.checkCurrencies).toBe(root.checkCurrencies);
    expect(rules.RULE_SOURCES).toBeTypeOf('object');
    expect(rules.cashierRedirect).toBe(root.cashierRedirect);
    expect(notifications.verifyNotification).toBe(root.verifyNotification);
    expect(notifications.NOTIFICATION_ACK_BODY).toContain('"resultStatus":"S"');
    expect(http.TransportFailure).toBe(root.TransportFailure);
    expect(typeof http.createDefaultTransport).toBe('function');
    expect(schemas.PayRequestSchema.safeParse({}).success).toBe(false);
    expect(schemas.CASHIER_TERMINAL_TYPES).toEqual(['WEB', 'WAP', 'APP', 'MINI_APP']);
  });

  it('every runtime name of the root is one of the subpaths too, or the client and its errors', () => {
    const inSubpaths = new Set([signing, rules, notifications, http, schemas].flatMap((m) => Object.keys(m)));
    const rootOnly = Object.keys(root)
      .filter((name) => !inSubpaths.has(name))
      .sort();
    expect(rootOnly).toEqual(
      [
        'AmsAbortError',
        'AmsApiError',
        'AmsClient',
        'AmsConfigError',
        'AmsConnectionError',
        'AmsError',
        'AmsHttpError',
        'AmsSignatureError',
        'AmsTimeoutError',
        'AmsUnknownResultError',
        'AmsValidationError',
        'DEFAULT_AWAIT_SCHEDULE_SECONDS',
        'VERSION',
        'buildCashierPayment',
      ].sort(),
    );
  });
});
