// The CLI for someone new to it, through the built bin: --version, validated sign options, real positions and JSON
// from check on every outcome, bounded inputs, keys of the wrong algorithm, and verify's proxy prefixes.
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AMS_APIS, CUSTOMS_APIS } from '../../src/api/endpoint';
import { signRequest } from '../../src/index';
import { MAX_YAML_ALIASES } from '../../src/cli/check';
import { MAX_INPUT_BYTES } from '../../src/cli/io';
import { keyPath, merchant } from '../helpers/keys';
import { useBuiltCli, writeFiles } from './helpers';
import pkg from '../../package.json';

const cli = useBuiltCli();
let dir: string;
beforeAll(() => {
  dir = cli.tmp();
});

function file(name: string, content: string | Buffer): string {
  writeFiles(dir, { [name]: content });
  return join(dir, name);
}

const CLIENT = 'SANDBOX_TEST01';
const KEY = keyPath('merchant_private_pkcs8.pem');
const BODY = '{"paymentRequestId":"p-1"}';

describe('ams-cashier --version', () => {
  it.each([['--version'], ['-v']])('%s prints the package version and exits 0', (flag) => {
    const r = cli.run([flag]);
    expect(r).toMatchObject({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('the main help mentions it', () => {
    expect(cli.run(['--help']).stdout).toContain('ams-cashier --version (-v) prints the version');
  });
});

describe('every command refuses an unknown flag, naming the flag it was meant to be', () => {
  it.each([
    [['check', 'x.json', '--jsn'], '--jsn (did you mean --json?)'],
    [['doctor', '--client-ID', 'X'], '--client-ID (did you mean --client-id?)'],
    [['sign', '--bdy', 'b.json'], '--bdy (did you mean --body?)'],
    [['verify', '--signatur', 's'], '--signatur (did you mean --signature?)'],
    [['keys', 'generate', '--output', 'k'], '--output (did you mean --out?)'],
    [['keys', 'inspect', 'k.pem', '--jason'], '--jason (did you mean --json?)'],
    [['inbox', 'stats', '--redis-url', 'redis://x'], '--redis-url (did you mean --redis?)'],
    [['reconcile', '.', '--ledgr', 'l.csv'], '--ledgr (did you mean --ledger?)'],
    [['reconcile', '.', '--bogus'], '--bogus'],
  ])('%j', (args, shown) => {
    const r = cli.run(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`: unknown option ${shown}`);
    if (!shown.includes('did you mean')) expect(r.stderr).not.toContain('did you mean');
  });
});

describe('ams-cashier sign validates --api and --time', () => {
  const base = () => ['sign', '--client-id', CLIENT, '--key', KEY, '--body', file('body.json', BODY)];

  it('an unknown --api lists the valid ones and suggests the closest (exit 2, nothing signed)', () => {
    const r = cli.run([...base(), '--api', 'payy']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    // Every modelled API, payments and customs, in the order the endpoint table lists them.
    expect(r.stderr).toContain(
      `--api "payy" is not an AMS API; did you mean "pay"? Valid: ${[...AMS_APIS, ...CUSTOMS_APIS].join(', ')}, or any`,
    );
    expect(r.stderr).toContain('Valid: pay, inquiryPayment, cancel, refund, inquiryRefund, ');
    expect(cli.run([...base(), '--api', 'inquirypayment']).stderr).toContain('did you mean "inquiryPayment"?');
    const far = cli.run([...base(), '--api', 'notify']);
    expect(far.code).toBe(2);
    expect(far.stderr).not.toContain('did you mean');
    expect(far.stderr).toContain('or any /v1/<family>/<api> path');
  });

  it('takes every modelled API, customs included, and any /v1/... path, with the sandbox rule', () => {
    const sign = (api: string) =>
      JSON.parse(cli.run([...base(), '--api', api, '--time', '1767240000000', '--json']).stdout) as {
        path: string;
        signatureHeader: string;
      };
    expect(sign('declare').path).toBe('/ams/sandbox/api/v1/customs/declare');
    expect(sign('inquiryDeclarationRequests').path).toBe('/ams/sandbox/api/v1/customs/inquiryDeclarationRequests');
    const vault = sign('/v1/vaults/vaultPaymentMethod');
    expect(vault.path).toBe('/ams/sandbox/api/v1/vaults/vaultPaymentMethod');
    expect(vault.signatureHeader).toBe(
      signRequest({
        path: '/ams/sandbox/api/v1/vaults/vaultPaymentMethod',
        clientId: CLIENT,
        requestTime: '1767240000000',
        body: BODY,
        privateKey: merchant.privatePkcs8Pem,
      }),
    );
  });

  it('--time takes ISO 8601 with an offset or epoch millis, and nothing else', () => {
    for (const bad of ['yesterday', '2026-01-01', '2026-01-01 12:00:00', '1767240000', '2026-13-01T00:00:00Z']) {
      const r = cli.run([...base(), '--api', 'pay', '--time', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toContain(`--time "${bad}" is not a Request-Time: give ISO 8601 with an offset`);
    }
    for (const good of ['2026-01-01T12:00:00+08:00', '2026-01-01T04:00:00Z', '2026-01-01T04:00:00.123Z', '1767240000000']) {
      const r = cli.run([...base(), '--api', 'pay', '--time', good, '--json']);
      expect(r.code, good).toBe(0);
      const out = JSON.parse(r.stdout) as { requestTime: string; signatureHeader: string };
      expect(out.requestTime).toBe(good);
      expect(out.signatureHeader).toBe(
        signRequest({
          path: '/ams/sandbox/api/v1/payments/pay',
          clientId: CLIENT,
          requestTime: good,
          body: BODY,
          privateKey: merchant.privatePkcs8Pem,
        }),
      );
    }
  }, 60_000); // nine CLI processes: on a loaded 2-core machine they take longer than the default 20 s

  it('a --body from stdin that is not UTF-8 is refused with exit 1, naming the offset', () => {
    const bytes = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const r = cli.run(['sign', '--client-id', CLIENT, '--key', KEY, '--api', 'pay', '--body', '-'], { stdin: bytes });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--body: the bytes are not UTF-8 (first invalid byte at offset 6)');
    // Valid multi-byte UTF-8 (and a BOM) still signs.
    const ok = cli.run(['sign', '--client-id', CLIENT, '--key', KEY, '--api', 'pay', '--body', '-', '--json'], {
      stdin: '\ufeff{"d":"Café 支付"}',
    });
    expect(ok.code).toBe(0);
  });
});

describe('ams-cashier bounds what it reads', () => {
  it('keys inspect /dev/zero stops at the limit: exit 1 and a clear message', () => {
    const r = cli.run(['keys', 'inspect', '/dev/zero']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`"/dev/zero" is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB, the most ams-cashier reads`);
  });

  it('a body file over the limit, and stdin over the limit, exit 1', () => {
    const big = file('big.json', Buffer.alloc(MAX_INPUT_BYTES + 1, 0x20));
    const r = cli.run(['sign', '--client-id', CLIENT, '--key', KEY, '--api', 'pay', '--body', big]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`--body: "${big}" (${MAX_INPUT_BYTES + 1} bytes) is larger than 4 MiB`);
    const s = cli.run(['sign', '--client-id', CLIENT, '--key', KEY, '--api', 'pay', '--body', '-'], {
      stdin: Buffer.alloc(MAX_INPUT_BYTES + 10, 0x20),
    });
    expect(s.code).toBe(1);
    expect(s.stderr).toContain('--body: stdin is larger than 4 MiB');
  });

  it('a YAML alias bomb in check: exit 1 naming the problem, in text and in JSON', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      '',
    ].join('\n');
    const f = file('bomb.yaml', bomb);
    const r = cli.run(['check', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`the YAML aliases (*name) expand too far (over ${MAX_YAML_ALIASES} expansions, the mark of an alias bomb)`);
    const j = cli.run(['check', '--json', f]);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ ok: false, error: { code: 'YAML_ALIAS_LIMIT' } });
  });
});

describe('ams-cashier check: real positions, JSON on every outcome', () => {
  it('a JSON trailing comma is reported at the comma', () => {
    const f = file('trailing.json', '{\n  "clientId": "SANDBOX_X",\n  "region": "NA",\n}\n');
    const r = cli.run(['check', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${f}:3:17: invalid JSON: trailing comma before "}" (JSON allows none)`);
  });

  it.each([
    ['a missing comma', '{\n  "a": 1\n  "b": 2\n}', '3:3', 'expected "," or "}", found """'],
    ['a trailing comma in an array', '{"paymentCurrencies": ["USD",\n ]}', '1:29', 'trailing comma before "]"'],
    ['a bare word', '{\n  "region": NA\n}', '2:13', 'expected a value, found "N"'],
    ['single quotes', "{'region': 'NA'}", '1:2', 'expected a property name in double quotes'],
    ['a cut-off file', '{\n  "region": "NA"', '2:17', 'expected "," or "}", found end of input'],
  ])('JSON with %s: line:column and reason', (_name, text, where, reason) => {
    const f = file('bad.json', text);
    const r = cli.run(['check', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${f}:${where}: invalid JSON: ${reason}`);
  });

  it('a YAML error is reported where it is, not at 1:1', () => {
    const f = file('bad.yaml', 'clientId: SANDBOX_X\nregion: NA\npaymentCurrencies: [USD, CNY\nsettlementCurrency: USD\n');
    const r = cli.run(['check', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:1: invalid YAML: `));
    const j = JSON.parse(cli.run(['check', '--json', f]).stdout) as { ok: boolean; error: { code: string; line: number; column: number } };
    expect(j).toMatchObject({ ok: false, error: { code: 'INVALID_YAML', line: 4, column: 1 } });
  });

  it('--json answers in JSON for invalid JSON, a missing file and a missing argument', () => {
    const bad = JSON.parse(cli.run(['check', '--json', file('t.json', '{"a": 1,}')]).stdout);
    expect(bad).toEqual({
      ok: false,
      command: 'check',
      error: {
        code: 'INVALID_JSON',
        message: expect.stringContaining('t.json:1:8: invalid JSON: trailing comma'),
        fix: 'Fix the JSON at the line and column given.',
        line: 1,
        column: 8,
      },
    });
    const missing = cli.run(['check', '--json', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('');
    expect(JSON.parse(missing.stdout)).toEqual({
      ok: false,
      command: 'check',
      error: {
        code: 'USAGE',
        message: expect.stringContaining('not found'),
        fix: 'Run ams-cashier check --help for the options and an example.',
      },
    });
    const none = cli.run(['check', '--json']);
    expect(none.code).toBe(2);
    expect(JSON.parse(none.stdout)).toMatchObject({ ok: false, error: { code: 'USAGE' } });
  });
});

describe('ams-cashier keys inspect on a key of another algorithm', () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  it.each([
    ['SEC1 (openssl ecparam -genkey)', () => ec.privateKey.export({ type: 'sec1', format: 'pem' }) as string],
    ['PKCS#8', () => ec.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string],
    ['SPKI public', () => ec.publicKey.export({ type: 'spki', format: 'pem' }) as string],
  ])('%s: exit 1, "AMS keys are RSA-2048 or larger; this is an EC key"', (_name, pem) => {
    const r = cli.run(['keys', 'inspect', file('ec.pem', pem())]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('usable for AMS: NO — AMS keys are RSA-2048 or larger; this is an EC key');
    expect(r.stdout).toContain('algorithm:   EC');
  });

  it('an RSA key still inspects as usable (exit 0)', () => {
    expect(createPrivateKey(merchant.privatePkcs8Pem).asymmetricKeyType).toBe('rsa');
    expect(cli.run(['keys', 'inspect', KEY]).code).toBe(0);
  });
});

describe('ams-cashier verify: proxy prefixes on a notification path', () => {
  const MERCHANT_PUB = keyPath('merchant_public_spki.base64.txt');
  const TIME = '2026-01-01T12:00:00+08:00';
  const NOTIFY = '{"notifyType":"PAYMENT_RESULT","result":{"resultStatus":"S"}}';
  const signed = (path: string) =>
    signRequest({ path, clientId: CLIENT, requestTime: TIME, body: NOTIFY, privateKey: merchant.privatePkcs8Pem });
  const verify = (path: string, signature: string, extra: string[] = []) =>
    cli.run([
      'verify',
      '--public-key',
      MERCHANT_PUB,
      '--path',
      path,
      '--client-id',
      CLIENT,
      '--time',
      TIME,
      '--body',
      file('notify.json', NOTIFY),
      '--signature',
      signature,
      ...extra,
    ]);

  it.each([
    ['a prefix added by the proxy', '/alipay/notify', '/api/alipay/notify', 'path.prefix-removed', 'the path without the prefix /api'],
    ['a prefix stripped by the proxy', '/api/alipay/notify', '/alipay/notify', 'path.prefix-added', 'the path with the prefix /api'],
    [
      'a two-segment mount point',
      '/alipay/notify',
      '/shop/api/alipay/notify',
      'path.prefix-removed',
      'the path without the prefix /shop/api',
    ],
  ])('%s: names the variant and the cause', (_name, signedPath, receivedPath, id, variant) => {
    const json = verify(receivedPath, signed(signedPath), ['--json']);
    expect(json.code).toBe(1);
    const d = JSON.parse(json.stdout) as { code: string; match: { changes: { id: string }[] } };
    expect(d.code).toBe('variant_found');
    expect(d.match.changes.map((c) => c.id)).toEqual([id]);
    const text = verify(receivedPath, signed(signedPath));
    expect(text.stdout).toContain(`It verifies with: ${variant}.`);
    expect(text.stdout).toMatch(/a proxy or framework mount point (added|stripped) it/);
    expect(text.stdout).toMatch(/for a notification,? the path of/);
  });

  it('a valid, decoded signature gets no note that reads like a problem', () => {
    const raw = decodeURIComponent(/signature=(.*)$/.exec(signed('/alipay/notify'))![1]!);
    expect(raw).toMatch(/[+/=]/);
    const r = verify('/alipay/notify', `algorithm=RSA256,keyVersion=1,signature=${raw}`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^VALID/);
    expect(r.stdout).not.toContain('easily turned into a space');
    expect(r.stdout).toContain('which is what verifying needs');
  });

  it('counts "1 variant tried" in the singular', () => {
    // Your own key given as Alipay's: the verdict is reached after the one variant as given.
    const r = verify('/alipay/notify', signed('/somewhere/else'), ['--merchant-public-key', MERCHANT_PUB]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('(1 variant tried)');
    expect(r.stdout).not.toContain('variants tried');
  });
});
