// Every notification options object goes through the one validator: unknown options, old names, bad values and secrets.
import { describe, expect, it } from 'vitest';
import { AmsConfigError } from '../../src/errors';
import {
  createFetchNotificationHandler,
  createMemoryNotificationStore,
  createNotificationHandler,
  notificationAck,
  verifyNotification,
  verifyNotificationAsync,
} from '../../src/index';
import { thrown, rejectsWith } from '../helpers/expect';
import { alipay, merchant } from '../helpers/keys';
import { alipayHeaders, CLIENT_ID, PATH, usdBody } from './helpers';

const handler = { path: PATH, alipayPublicKey: alipay.publicBase64, clientId: CLIENT_ID, onPayment: () => undefined };
const delivery = {
  path: PATH,
  headers: alipayHeaders({ body: usdBody }),
  rawBody: usdBody,
  alipayPublicKey: alipay.publicBase64,
  clientId: CLIENT_ID,
};
const sign = { clientId: CLIENT_ID, privateKey: merchant.privatePkcs8Pem, path: PATH };

/** Each options object, built with `extra` merged into options that work as they are. */
const OWNERS: ReadonlyArray<[owner: string, make: (extra: object) => unknown]> = [
  ['notification handler', (extra) => createNotificationHandler({ ...handler, ...extra })],
  ['notification handler', (extra) => createFetchNotificationHandler({ ...handler, ...extra })],
  ['verifyNotification', (extra) => verifyNotification({ ...delivery, ...extra })],
  ['notificationAck', (extra) => notificationAck({ sign: { ...sign, ...extra } })],
  ['createMemoryNotificationStore', (extra) => createMemoryNotificationStore(extra)],
];

describe('notification options: one validator, one message style', () => {
  it('each works with its valid options (so the refusals below are the extra key alone)', () => {
    for (const [, make] of OWNERS) expect(() => make({})).not.toThrow();
  });

  it('an unknown option is refused with a did-you-mean, named as its field', () => {
    const typos: Record<string, [typo: string, meant: string]> = {
      'notification handler': ['onPaymnet', 'onPayment'],
      verifyNotification: ['rawbody', 'rawBody'],
      notificationAck: ['keyversion', 'keyVersion'],
      createMemoryNotificationStore: ['doneTTLMs', 'doneTtlMs'],
    };
    for (const [owner, make] of OWNERS) {
      const [typo, meant] = typos[owner]!;
      const e = thrown(AmsConfigError, () => make({ [typo]: 1 }));
      const field = owner === 'notificationAck' ? `sign.${typo}` : typo;
      expect(e.field).toBe(field);
      expect(e.message).toContain(
        `Invalid ${owner} config: unknown option "${field}" (did you mean "${owner === 'notificationAck' ? 'sign.' : ''}${meant}"?)`,
      );
    }
  });

  it('the old names now and backend are unknown options, refused with the options there are (clock, cryptoBackend among them)', () => {
    for (const [owner, make] of OWNERS) {
      const at = owner === 'notificationAck' ? 'sign.' : '';
      const now = thrown(AmsConfigError, () => make({ now: () => new Date() }));
      expect(now.field).toBe(`${at}now`);
      expect(now.message).toMatch(new RegExp(`unknown option "${at}now"; known options: .*\\b${at}clock\\b`));
      if (owner === 'createMemoryNotificationStore') continue; // it has no backend
      const backend = thrown(AmsConfigError, () => make({ backend: 'jsrsasign' }));
      expect(backend.field).toBe(`${at}backend`);
      expect(backend.message).toMatch(new RegExp(`unknown option "${at}backend"; known options: .*\\b${at}cryptoBackend\\b`));
    }
  });

  it('verifyNotificationAsync refuses the same way, as a rejection', async () => {
    const e = await rejectsWith(AmsConfigError, verifyNotificationAsync({ ...delivery, toleranceMS: 1000 } as never));
    expect(e.message).toBe('Invalid verifyNotification config: unknown option "toleranceMS" (did you mean "toleranceMs"?)');
  });

  it('a bad value names its field and the fix', () => {
    const cases: Array<[make: () => unknown, field: string, message: RegExp]> = [
      [() => createNotificationHandler({ ...handler, maxBodyBytes: 1.5 }), 'maxBodyBytes', /maxBodyBytes: must be a whole number of bytes/],
      [() => createNotificationHandler({ ...handler, toleranceMs: -1 }), 'toleranceMs', /toleranceMs: must be a non-negative number/],
      [() => createNotificationHandler({ ...handler, bodyTimeoutMs: 600_001 }), 'bodyTimeoutMs', /bodyTimeoutMs: must be at most 600000/],
      [
        () => createNotificationHandler({ ...handler, dedupe: { claim() {} } as never }),
        'dedupe',
        /dedupe: must be false or a store with claim, complete and release/,
      ],
      [
        () => createNotificationHandler({ ...handler, onRefund: 'yes' as never }),
        'onRefund',
        /onRefund: must be a function that handles a refund notification/,
      ],
      [
        () => createNotificationHandler({ ...handler, onPayment: undefined as never }),
        'onPayment',
        /onPayment: is required: a function that handles a payment notification/,
      ],
      [() => createNotificationHandler({ ...handler, logger: 'console' as never }), 'logger', /logger: must be an object/],
      [
        () => createNotificationHandler({ ...handler, cryptoBackend: 'openssl' as never }),
        'cryptoBackend',
        /cryptoBackend: must be "node", "jsrsasign" or a backend object/,
      ],
      [() => createNotificationHandler({ ...handler, clientId: [] }), 'clientId', /clientId: must be a client id or a non-empty list/],
      [() => createNotificationHandler({ ...handler, path: 'alipay/notify' }), 'path', /path: must start with "\/"/],
      [
        () =>
          createNotificationHandler({
            ...handler,
            signAck: { clientId: CLIENT_ID, privateKey: merchant.privatePkcs8Pem, keyVersion: 'v 1' },
          }),
        'signAck.keyVersion',
        /signAck\.keyVersion: must be a short token/,
      ],
      [
        () => verifyNotification({ ...delivery, path: 'https://shop.example/alipay/notify' }),
        'path',
        /path: give the path only, without scheme and host/,
      ],
      [() => verifyNotification({ ...delivery, clock: { now: 1 } as never }), 'clock', /clock: must be an object with a now\(\) method/],
      [() => notificationAck({ sign: { ...sign, path: 'notify' } }), 'sign.path', /sign\.path: must start with "\/"/],
      [
        () => notificationAck({ sign: { ...sign, clientId: undefined as never } }),
        'sign.clientId',
        /sign\.clientId: is required: your client id/,
      ],
      [() => createMemoryNotificationStore({ maxEntries: 1.5 }), 'maxEntries', /maxEntries: must be a whole number of keys/],
      [() => createMemoryNotificationStore({ processingTtlMs: 0 }), 'processingTtlMs', /processingTtlMs: must be at least 1/],
    ];
    for (const [make, field, message] of cases) {
      const e = thrown(AmsConfigError, make);
      expect(e.field).toBe(field);
      expect(e.message).toMatch(message);
    }
  });

  it('a TTL takes whole milliseconds up to 365 days: 1.5 is refused, naming the fix', () => {
    for (const field of ['processingTtlMs', 'doneTtlMs']) {
      const e = thrown(AmsConfigError, () => createMemoryNotificationStore({ [field]: 1.5 }));
      expect(e.field).toBe(field);
      expect(e.message).toBe(
        `Invalid createMemoryNotificationStore config: ${field}: must be a whole number of milliseconds (Redis PX takes no fraction)`,
      );
    }
    expect(thrown(AmsConfigError, () => createMemoryNotificationStore({ doneTtlMs: 366 * 24 * 3600_000 })).message).toMatch(
      /doneTtlMs: must be at most 31536000000 \(365 days\)/,
    );
    expect(() => createMemoryNotificationStore({ doneTtlMs: 365 * 24 * 3600_000, processingTtlMs: 1 })).not.toThrow();
  });

  it('a private key never appears in a message: given under a wrong name, with a wrong type, or beside an unknown key', () => {
    const pem = merchant.privatePkcs8Pem;
    const secret = pem.split('\n')[2]!;
    const errors = [
      thrown(AmsConfigError, () => notificationAck({ sign: { ...sign, privateKey: undefined as never, privatekey: pem } as never })),
      thrown(AmsConfigError, () => notificationAck({ sign: { ...sign, privateKey: { pem } as never } })),
      thrown(AmsConfigError, () =>
        createNotificationHandler({ ...handler, signAck: { clientId: CLIENT_ID, privateKey: pem, extra: pem } as never }),
      ),
      thrown(AmsConfigError, () => createNotificationHandler({ ...handler, signAck: { clientId: 42, privateKey: pem } as never })),
      thrown(AmsConfigError, () => createNotificationHandler({ ...handler, alipayPublicKey: pem })),
    ];
    for (const e of errors) {
      expect(e.message).not.toContain(secret);
      expect(e.message).not.toContain('PRIVATE KEY-----');
    }
    // The message still says what is wrong.
    expect(errors[0]!.message).toMatch(/unknown option "sign\.privatekey" \(did you mean "sign\.privateKey"\?\)/);
    expect(errors[2]!.message).toMatch(
      /unknown option "signAck\.extra"; known options: signAck\.clientId, signAck\.privateKey, signAck\.keyVersion/,
    );
  });
});
