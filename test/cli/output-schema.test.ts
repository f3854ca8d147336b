// Every command's --json answer, success and failure alike, is one object on stdout that docs/cli-output.schema.json accepts.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/run';
import { createNotificationHandler, notificationAck, signRequest } from '../../src/index';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNotificationInbox } from '../../src/bullmq';
import { CLIENT as DOCTOR, startDoctorWorld, type DoctorWorld } from '../doctor/scenarios';
import { alipay, keyFile, keyPath, merchant } from '../helpers/keys';
import { CLIENT_ID, PATH } from '../notifications/helpers';
import { signedPayment } from '../bullmq/helpers';
import { requireRedisServer, startRedisServer, type RedisServer } from '../redis/redis-server';
import { BATCH, GEN_A_SD, GEN_A_TD, GEN_B_SS, PAYMENT_ID, REFUND_ID, REQUEST_ID } from '../reports/samples';
import { buildCli, writeFiles, type BuiltCli } from './helpers';

const schema = JSON.parse(readFileSync(new URL('../../docs/cli-output.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const validate = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, strictTypes: false }).compile(schema);

/** The verdict codes: the command ran and said no (exit 1), with its payload. */
const VERDICTS = ['CHECKS_FAILED', 'INVALID_SIGNATURE', 'KEY_NOT_USABLE', 'NOT_A_KEY', 'NOT_RECONCILED', 'SCENARIOS_FAILED'];

interface Answer {
  ok: boolean;
  command: string;
  error?: { code: string; message: string; fix: string };
  [field: string]: unknown;
}

let cli: BuiltCli;
let world: DoctorWorld;
let redis: RedisServer | undefined;
let dir: string;
const HAVE_REDIS = requireRedisServer();

beforeAll(async () => {
  [cli, world, redis] = await Promise.all([
    buildCli(),
    startDoctorWorld(),
    HAVE_REDIS ? startRedisServer({ appendonly: true }) : undefined,
  ]);
  dir = cli.tmp();
}, 120_000);
afterAll(async () => {
  cli?.cleanup();
  await world?.close();
  await redis?.stop();
});

/** Runs a command with --json: one JSON object on stdout, nothing on stderr, the schema's shape, the exit code its error says. */
async function answer(args: string[], expected: { command: string; exit: number; code?: string }): Promise<Answer> {
  const r = await cli.runAsync([...args, '--json'], { cwd: dir });
  expect(r.stderr, `${args.join(' ')}: stderr`).toBe('');
  let out: Answer;
  try {
    out = JSON.parse(r.stdout) as Answer;
  } catch {
    throw new Error(`${args.join(' ')}: not one JSON object (exit ${r.code}): ${r.stdout.slice(0, 300)}`);
  }
  const valid = validate(out);
  expect(valid ? [] : validate.errors, `${args.join(' ')}: schema`).toEqual([]);
  expect(out.command).toBe(expected.command);
  expect(r.code, `${args.join(' ')}: exit`).toBe(expected.exit);
  expect(out.ok).toBe(expected.exit === 0);
  expect(out.error?.code).toBe(expected.code);
  if (out.error && VERDICTS.includes(out.error.code)) expect(Object.keys(out).length).toBeGreaterThan(3);
  if (out.error && !VERDICTS.includes(out.error.code)) expect(Object.keys(out).sort()).toEqual(['command', 'error', 'ok']);
  return out;
}

function file(name: string, content: string | Buffer): string {
  writeFiles(dir, { [name]: content });
  return join(dir, name);
}

const GOOD_CONFIG = {
  paymentCurrencies: ['USD', 'CNY'],
  settlementCurrency: 'USD',
  clientId: 'SANDBOX_5Y0000000000',
  region: 'NA',
  privateKeyFile: keyPath('merchant_private_pkcs8.pem'),
  alipayPublicKeyFile: keyPath('alipay_public.base64.txt'),
};

describe('docs/cli-output.schema.json', () => {
  it('names every command the CLI has (a new command adds its payload to the schema)', () => {
    const named = JSON.stringify(schema.allOf);
    for (const command of Object.keys(COMMANDS)) expect(named, command).toMatch(new RegExp(`"const":"${command}( \\w+)?"`));
  });

  it('refuses answers that would lie: ok without its payload, no without an error, an error on ok, a verdict without its payload', () => {
    const error = { code: 'CHECKS_FAILED', message: 'm', fix: 'f' };
    for (const lie of [
      { ok: false, command: 'check' },
      { ok: true, command: 'check' },
      { ok: true, command: 'sign', error },
      { ok: false, command: 'check', error },
      { ok: false, command: 'reconcile', error: { ...error, code: 'NOT_RECONCILED' } },
      { ok: true, command: 'inbox stats', queue: 'q' },
      { ok: false, command: 'doctor', error: { code: 'USAGE', message: 'm' } },
      { ok: false, command: 'verify', error: { code: 'usage', message: 'm', fix: 'f' } },
    ]) {
      expect(validate(lie), JSON.stringify(lie)).toBe(false);
    }
  });
});

describe('every command answers --json in the one envelope', () => {
  it('check: ok, a failing check, invalid JSON at line:column, an unknown flag, a YAML alias bomb', async () => {
    await answer(['check', file('good.json', JSON.stringify(GOOD_CONFIG))], { command: 'check', exit: 0 });
    const bad = await answer(['check', file('bad.json', JSON.stringify({ ...GOOD_CONFIG, paymentCurrencies: ['EUR'] }))], {
      command: 'check',
      exit: 1,
      code: 'CHECKS_FAILED',
    });
    expect(bad.checks).toContainEqual(expect.objectContaining({ name: 'currency.EUR', ok: false }));
    const invalid = await answer(['check', file('invalid.json', '{"a": 1,}')], { command: 'check', exit: 2, code: 'INVALID_JSON' });
    expect(invalid.error).toMatchObject({ line: 1, column: 8 });
    await answer(['check', 'x.json', '--jsn'], { command: 'check', exit: 2, code: 'UNKNOWN_OPTION' });
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
    ];
    bomb.push('d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]', '');
    await answer(['check', file('bomb.yaml', bomb.join('\n'))], { command: 'check', exit: 1, code: 'YAML_ALIAS_LIMIT' });
  });

  it('doctor: all good, checks failing, unusable input', async () => {
    const flags = (clientId: string) => [
      '--client-id',
      clientId,
      '--private-key',
      keyPath('merchant_private_pkcs8.pem'),
      '--alipay-public-key',
      keyPath('alipay_public.base64.txt'),
      '--base-url',
      world.gateway.url,
    ];
    const ok = await answer(['doctor', ...flags(DOCTOR.ok)], { command: 'doctor', exit: 0 });
    expect(ok.target).toContain(DOCTOR.ok);
    const failing = await answer(['doctor', ...flags(DOCTOR.unknown)], { command: 'doctor', exit: 1, code: 'CHECKS_FAILED' });
    expect(failing.error!.message).toMatch(/checks failed: client-id/);
    expect(failing.error!.fix).toMatch(/Client ID/);
    await answer(['doctor', '--client-id', 'X'], { command: 'doctor', exit: 2, code: 'USAGE' });
    await answer(['doctor', ...flags(DOCTOR.ok).slice(0, 6), '--region', 'XX'], { command: 'doctor', exit: 2, code: 'USAGE' });
  });

  const KEY = keyPath('merchant_private_pkcs8.pem');
  const TIME = '2026-01-01T12:00:00+08:00';
  const BODY = '{"paymentRequestId":"p-1"}';
  const sig = (path: string) =>
    signRequest({ path, clientId: 'SANDBOX_1', requestTime: TIME, body: BODY, privateKey: merchant.privatePkcs8Pem });

  it('sign: signed, a missing option, a body that is not UTF-8', async () => {
    const body = file('body.json', BODY);
    const signed = await answer(['sign', '--client-id', 'SANDBOX_1', '--key', KEY, '--api', 'pay', '--body', body, '--time', TIME], {
      command: 'sign',
      exit: 0,
    });
    expect(signed.signatureHeader).toBe(sig('/ams/sandbox/api/v1/payments/pay'));
    await answer(['sign', '--client-id', 'SANDBOX_1', '--key', KEY], { command: 'sign', exit: 2, code: 'USAGE' });
    const latin1 = file('latin1.json', Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]));
    await answer(['sign', '--client-id', 'SANDBOX_1', '--key', KEY, '--api', 'pay', '--body', latin1], {
      command: 'sign',
      exit: 1,
      code: 'NOT_UTF8',
    });
  });

  it('verify: valid, a variant that verifies, a private key given as the public one', async () => {
    const pub = keyPath('merchant_public_spki.base64.txt');
    const base = ['verify', '--public-key', pub, '--client-id', 'SANDBOX_1', '--time', TIME, '--body', file('v.json', BODY)];
    await answer([...base, '--path', '/alipay/notify', '--signature', sig('/alipay/notify')], { command: 'verify', exit: 0 });
    const variant = await answer([...base, '--path', '/api/alipay/notify', '--signature', sig('/alipay/notify')], {
      command: 'verify',
      exit: 1,
      code: 'INVALID_SIGNATURE',
    });
    expect(variant.error!.message).toContain('it verifies with the path without the prefix /api');
    await answer([...base.slice(0, 2), KEY, ...base.slice(3), '--path', '/a', '--signature', 'x'], {
      command: 'verify',
      exit: 2,
      code: 'CONFIG',
    });
  });

  it('keys: generate, refuse to overwrite, inspect a usable key, an EC key, not a key, too large; keys alone', async () => {
    const out = join(dir, 'keys-out');
    await answer(['keys', 'generate', '--out', out], { command: 'keys generate', exit: 0 });
    await answer(['keys', 'generate', '--out', out], { command: 'keys generate', exit: 2, code: 'USAGE' });
    await answer(['keys', 'inspect', KEY], { command: 'keys inspect', exit: 0 });
    await answer(['keys', 'inspect', keyPath('ec_private_pkcs8.pem')], { command: 'keys inspect', exit: 1, code: 'KEY_NOT_USABLE' });
    await answer(['keys', 'inspect', file('not-a-key.txt', 'hello')], { command: 'keys inspect', exit: 2, code: 'NOT_A_KEY' });
    await answer(['keys', 'inspect', '/dev/zero'], { command: 'keys inspect', exit: 1, code: 'TOO_LARGE' });
    await answer(['keys', 'rotate'], { command: 'keys', exit: 2, code: 'USAGE' });
  });

  it.skipIf(!HAVE_REDIS)('inbox stats: the counts, no such queue, nothing listening, a bad URL', async () => {
    const url = `redis://127.0.0.1:${redis!.port}`;
    const inbox = createNotificationInbox({
      connection: url,
      path: PATH,
      alipayPublicKey: keyFile('alipay_public.base64.txt'),
      clientId: CLIENT_ID,
      logger: {},
    });
    try {
      const n = signedPayment('schema-1');
      const res = await inbox.fetchHandler(new Request(`http://shop.example${PATH}`, { method: 'POST', headers: n.headers, body: n.body }));
      expect(res.status).toBe(200);
    } finally {
      await inbox.close();
    }
    const stats = await answer(['inbox', 'stats', '--redis', url, '--client-id', CLIENT_ID, '--path', PATH], {
      command: 'inbox stats',
      exit: 0,
    });
    expect(stats).toMatchObject({ queue: `ams-notifications-${CLIENT_ID}@%2Falipay%2Fnotify`, queued: 1 });
    await answer(['inbox', 'stats', '--redis', url, '--queue', 'never-created'], {
      command: 'inbox stats',
      exit: 1,
      code: 'NO_SUCH_QUEUE',
    });
    await answer(['inbox', 'stats', '--redis', 'redis://127.0.0.1:1', '--queue', 'q'], {
      command: 'inbox stats',
      exit: 1,
      code: 'REDIS_UNREACHABLE',
    });
    await answer(['inbox', 'stats', '--redis', 'http://x'], { command: 'inbox stats', exit: 2, code: 'USAGE' });
    await answer(['inbox', 'purge'], { command: 'inbox', exit: 2, code: 'USAGE' });
  });

  it('reconcile: reconciled, not reconciled, transaction details alone, a ledger with a wrong header and no rows', async () => {
    const root = join(dir, 'settlements');
    mkdirSync(root, { recursive: true });
    writeFiles(root, {
      [`settlementItems_USD_${BATCH}_000.csv`]: GEN_A_SD,
      [`settlementSummary_USD_${BATCH}_000.csv`]: GEN_B_SS,
      'transactionItems_20181225_000.csv': GEN_A_TD,
    });
    const ledger = file(
      'ledger.csv',
      `type,paymentRequestId,refundRequestId,paymentId,refundId,currency,value\nPAYMENT,${REQUEST_ID},,${PAYMENT_ID},,KRW,18000\nREFUND,,${REQUEST_ID},,${REFUND_ID},KRW,9000\n`,
    );
    const ok = await answer(['reconcile', root, '--ledger', ledger], { command: 'reconcile', exit: 0 });
    expect(ok.verdict).toBe('settlement reconciled');
    const missing = file(
      'ledger-short.csv',
      `type,paymentRequestId,paymentId,currency,value\nPAYMENT,${REQUEST_ID},${PAYMENT_ID},KRW,18000\n`,
    );
    const not = await answer(['reconcile', root, '--ledger', missing], { command: 'reconcile', exit: 1, code: 'NOT_RECONCILED' });
    expect(not.error!.fix).toMatch(/notInLedger/);
    const details = await answer(['reconcile', join(root, 'transactionItems_20181225_000.csv')], {
      command: 'reconcile',
      exit: 1,
      code: 'NOT_RECONCILED',
    });
    expect(details.error!.fix).toMatch(/--transactions-only/);
    const header = await answer(['reconcile', root, '--ledger', file('wrong.csv', 'kind,ref,amount\n')], {
      command: 'reconcile',
      exit: 2,
      code: 'USAGE',
    });
    expect(header.error!.message).toContain('wrong.csv has unknown column(s) kind, ref, amount');
  });

  it('notify-test: every scenario passed, one failed, unusable input', async () => {
    const handler = createNotificationHandler({ alipayPublicKey: alipay.publicBase64, clientId: CLIENT_ID, onPayment: () => undefined });
    const good = createServer(handler);
    const lax = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(notificationAck().body));
    });
    try {
      const [goodUrl, laxUrl] = await Promise.all(
        [good, lax].map(async (s) => {
          await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
          return `http://127.0.0.1:${(s.address() as AddressInfo).port}${PATH}`;
        }),
      );
      const base = [
        'notify-test',
        '--client-id',
        CLIENT_ID,
        '--alipay-private-key',
        keyPath('alipay_private.pem'),
        '--only',
        'payment-result,forged-signature',
      ];
      const ok = await answer([...base, '--url', goodUrl!], { command: 'notify-test', exit: 0 });
      expect((ok.scenarios as Array<{ name: string; ok: boolean }>).map((x) => [x.name, x.ok])).toEqual([
        ['payment-result', true],
        ['forged-signature', true],
      ]);
      const bad = await answer([...base, '--url', laxUrl!], { command: 'notify-test', exit: 1, code: 'SCENARIOS_FAILED' });
      expect(bad.error!.message).toContain('forged-signature');
      await answer(['notify-test', '--client-id', CLIENT_ID], { command: 'notify-test', exit: 2, code: 'USAGE' });
    } finally {
      good.closeAllConnections();
      lax.closeAllConnections();
      await Promise.all([good, lax].map((s) => new Promise<void>((r) => s.close(() => r()))));
    }
  });

  it('an unknown command is answered in JSON too', async () => {
    const out = await answer(['reconcil'], { command: 'reconcil', exit: 2, code: 'UNKNOWN_COMMAND' });
    expect(out.error!.message).toBe('unknown command "reconcil" (did you mean "reconcile"?)');
  });
});
