// `ams-cashier check` through the built bin: good and bad configs, exit codes, report lines, --json, unusable input.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkConfig, formatReport, lineColumn, parseConfigText, summarize } from '../../src/cli/check';
import { CliUsageError } from '../../src/cli/io';
import { KEYS, useBuiltCli, writeFiles } from './helpers';

const cli = useBuiltCli();
let dir: string;

beforeAll(() => {
  dir = cli.tmp();
  mkdirSync(join(dir, 'keys'));
  for (const f of [
    'merchant_private_pkcs8.base64.txt',
    'merchant_private_pkcs1.pem',
    'merchant_public_spki.base64.txt',
    'alipay_public.base64.txt',
    'weak_1024_private.pem',
    'ec_private_pkcs8.pem',
    'other_public.pem',
  ])
    copyFileSync(join(KEYS, f), join(dir, 'keys', f));
});

const good = {
  paymentMethodType: 'ALIPAY_CN',
  contractSettlementCurrency: 'USD',
  paymentCurrencies: ['USD', 'CNY'],
  settlementCurrency: 'USD',
  clientId: 'SANDBOX_5Y0000000000',
  region: 'NA',
  privateKeyFile: 'keys/merchant_private_pkcs8.base64.txt',
  alipayPublicKeyFile: 'keys/alipay_public.base64.txt',
  keyVersion: '1',
};

function config(name: string, value: unknown): string {
  writeFiles(dir, { [name]: typeof value === 'string' ? value : JSON.stringify(value, null, 2) });
  return join(dir, name);
}

describe('ams-cashier check', () => {
  it('a key pasted where a key file path belongs fails that check without printing any of the key', () => {
    const keyText = readFileSync(join(dir, 'keys', 'merchant_private_pkcs8.base64.txt'), 'utf8').replace(/\s/g, '');
    const r = cli.run(['check', config('pasted.json', { ...good, privateKeyFile: keyText }), '--json']);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/holds key material itself, not a path/);
    expect(r.stdout + r.stderr).not.toContain(keyText.slice(40, 80));
  });

  it('passes a good config: exit 0, one PASS line per check', () => {
    const r = cli.run(['check', config('good.json', good)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([]);
    expect(lines).toContainEqual(expect.stringMatching(/^PASS {2}pay in USD, settle in USD \(contract USD\)/));
    expect(lines).toContainEqual(expect.stringMatching(/^PASS {2}pay in CNY, settle in USD/));
    expect(lines).toContainEqual(expect.stringMatching(/^PASS {2}private key is RSA, 2048 bits or more: RSA 2048 bits/));
    expect(lines).toContainEqual(expect.stringMatching(/^PASS {2}Alipay public key is not your own public key/));
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^PASS {2}sandbox matches the clientId: sandbox: requests are signed and sent to \/ams\/sandbox\/api\/v1\/payments\/pay/,
      ),
    );
    expect(lines.at(-1)).toMatch(/^OK: \d+ passed, 0 failed/);
  });

  it('reads YAML too', () => {
    const yaml = `paymentCurrencies: [EUR]\nsettlementCurrency: EUR\nclientId: LIVE_1\nregion: SEA\n`;
    const r = cli.run(['check', config('good.yaml', yaml)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/PASS {2}region \/ baseUrl: pay goes to https:\/\/open-sea\.alipay\.com\/ams\/api\/v1\/payments\/pay/);
    expect(r.stdout).toMatch(/SKIP {2}private key/);
  });

  it('prints the host of EU and of the accelerated domains', () => {
    const eu = cli.run(['check', config('eu.yaml', 'paymentCurrencies: [EUR]\nsettlementCurrency: EUR\nclientId: LIVE_1\nregion: EU\n')]);
    expect(eu.stdout).toMatch(/PASS {2}region \/ baseUrl: pay goes to https:\/\/open-de-global\.alipay\.com\/ams\/api\/v1\/payments\/pay/);
    const fast = cli.run([
      'check',
      config('fast.yaml', 'paymentCurrencies: [EUR]\nsettlementCurrency: EUR\nclientId: LIVE_1\nregion: NA\naccelerated: true\n'),
    ]);
    expect(fast.code).toBe(0);
    expect(fast.stdout).toMatch(/pay goes to https:\/\/open-na-global\.alipay\.com\/ams\/api\/v1\/payments\/pay/);
  });

  it('a YAML config gives the same report as the same config in JSON (.yaml, .yml, or sniffed with no extension)', () => {
    const bad = { ...good, paymentCurrencies: ['USD', 'EUR'], alipayPublicKeyFile: 'keys/merchant_public_spki.base64.txt' };
    const yaml = [
      'paymentMethodType: ALIPAY_CN',
      'contractSettlementCurrency: USD',
      'paymentCurrencies:',
      '  - USD',
      '  - EUR',
      'settlementCurrency: USD',
      'clientId: SANDBOX_5Y0000000000',
      'region: NA',
      'privateKeyFile: keys/merchant_private_pkcs8.base64.txt',
      'alipayPublicKeyFile: keys/merchant_public_spki.base64.txt',
      "keyVersion: '1'",
      '',
    ].join('\n');
    const fromJson = cli.run(['check', config('parity.json', bad), '--json']);
    expect(fromJson.code).toBe(1);
    for (const name of ['parity.yaml', 'parity.yml', 'parity-config']) {
      const r = cli.run(['check', config(name, yaml), '--json']);
      expect(r.code, name).toBe(1);
      expect(JSON.parse(r.stdout), name).toEqual(JSON.parse(fromJson.stdout.replaceAll('parity.json', name)));
    }
  });

  it('an unquoted numeric clientId in YAML fails its check with "quote it", not a coercion', () => {
    // YAML reads unquoted digits as a number; a long Client ID could even lose digits. The fix is quoting.
    const r = cli.run([
      'check',
      config('typed.yaml', 'paymentCurrencies: [USD]\nsettlementCurrency: USD\nclientId: 2188120000000000\nregion: NA\n'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL {2}clientId is well formed: clientId is the number 2188120000000000, not text → quote it/m);
    const quoted = cli.run([
      'check',
      config('quoted.yaml', 'paymentCurrencies: [USD]\nsettlementCurrency: USD\nclientId: "2188120000000000"\nregion: NA\n'),
    ]);
    expect(quoted.stdout).toMatch(/^PASS {2}clientId/m);
  });

  it('fails each bad currency, the own-key mix-up, a weak key and a sandbox contradiction: exit 1 with what to do', () => {
    const r = cli.run([
      'check',
      config('bad.json', {
        ...good,
        paymentCurrencies: ['USD', 'EUR', 'CNY', 'usd'],
        settlementCurrency: 'USD',
        contractSettlementCurrency: 'USD',
        privateKeyFile: 'keys/weak_1024_private.pem',
        alipayPublicKeyFile: 'keys/merchant_public_spki.base64.txt',
        merchantPublicKeyFile: 'keys/merchant_public_spki.base64.txt',
        sandbox: false,
      }),
    ]);
    expect(r.code).toBe(1);
    const fails = r.stdout.split('\n').filter((l) => l.startsWith('FAIL'));
    expect(fails).toContainEqual(expect.stringMatching(/FAIL {2}pay in EUR, settle in USD.*does not match payment currency EUR/));
    expect(fails).toContainEqual(expect.stringMatching(/FAIL {2}pay in usd.*did you mean "USD"/));
    expect(fails).toContainEqual(
      expect.stringMatching(/FAIL {2}private key is RSA, 2048 bits or more: .*1024 bits.*→ generate a new RSA-2048 pair/),
    );
    expect(fails).toContainEqual(
      expect.stringMatching(
        /FAIL {2}Alipay public key is not your own public key: .*is the public half of .*merchant_public_spki.*→ download Alipay's public key/,
      ),
    );
    expect(fails).toContainEqual(
      expect.stringMatching(/FAIL {2}sandbox matches the clientId: sandbox is false but the clientId has the SANDBOX_ prefix/),
    );
    expect(fails).toContainEqual(expect.stringMatching(/FAIL {2}merchant public key is the public half of the private key/));
    expect(r.stdout).toMatch(/PASS {2}pay in USD, settle in USD/);
    expect(r.stdout).toMatch(/PASS {2}pay in CNY, settle in USD/);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^NOT READY: \d+ passed, \d+ failed/);
  });

  it("catches the Alipay key being your own key from the private key alone, a public key as private, a private key as Alipay's", () => {
    const own = cli.run(['check', config('own.json', { ...good, alipayPublicKeyFile: 'keys/merchant_public_spki.base64.txt' })]);
    expect(own.code).toBe(1);
    expect(own.stdout).toMatch(
      /FAIL {2}Alipay public key is not your own public key: .* is the public half of keys\/merchant_private_pkcs8\.base64\.txt/,
    );
    const swapped = cli.run([
      'check',
      config('swap.json', {
        ...good,
        privateKeyFile: 'keys/alipay_public.base64.txt',
        alipayPublicKeyFile: 'keys/merchant_private_pkcs1.pem',
      }),
    ]);
    expect(swapped.code).toBe(1);
    expect(swapped.stdout).toMatch(/FAIL {2}private key is a private key: .* holds a public key/);
    expect(swapped.stdout).toMatch(/FAIL {2}Alipay public key is a public key: .* holds a PRIVATE key/);
    expect(swapped.stdout).not.toMatch(/BEGIN|MII/);
  });

  it('fails unknown fields, a missing key file, an EC key, a bad region and settlement in CNY', () => {
    const r = cli.run([
      'check',
      config('more.json', {
        paymentCurrencies: ['CNY'],
        settlementCurrency: 'CNY',
        privateKeyPath: 'x',
        privateKeyFile: 'keys/nope.pem',
        alipayPublicKeyFile: 'keys/ec_private_pkcs8.pem',
        clientId: 'C1',
        region: 'na',
      }),
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL {2}config field "privateKeyPath" is known: .*did you mean "privateKeyFile"\?/);
    expect(r.stdout).toMatch(/FAIL {2}private key loads \("keys\/nope\.pem"\): file "keys\/nope\.pem" not found/);
    expect(r.stdout).toMatch(/FAIL {2}Alipay public key is RSA, 2048 bits or more: .*EC/);
    expect(r.stdout).toMatch(/FAIL {2}region \/ baseUrl: region "na" is not NA, SEA, EU → did you mean "NA"\?/);
    expect(r.stdout).toMatch(/FAIL {2}pay in CNY, settle in CNY: Settlement currency CNY is not allowed/);
  });

  it('--json gives the same checks as data, each { name, ok, status, title, message, fix }, and why it is not ok', () => {
    const r = cli.run(['check', config('bad2.json', { ...good, paymentCurrencies: ['EUR'], region: 'na' }), '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as {
      ok: boolean;
      command: string;
      failed: number;
      checks: { name: string; ok: boolean; status: string; message: string; fix: string | null }[];
      error: { code: string; message: string; fix: string };
    };
    expect(report).toMatchObject({ ok: false, command: 'check' });
    expect(report.checks.find((c) => c.name === 'currency.EUR')).toMatchObject({ ok: false, status: 'fail' });
    // "finding → what to do" comes apart: the finding is the message, what to do the fix.
    expect(report.checks.find((c) => c.name === 'client.region')).toEqual({
      name: 'client.region',
      ok: false,
      status: 'fail',
      title: 'region / baseUrl',
      message: 'region "na" is not NA, SEA, EU',
      fix: 'did you mean "NA"?',
    });
    expect(report.checks.find((c) => c.name === 'key.private.load')).toMatchObject({ ok: true, fix: null });
    expect(report.failed).toBe(2);
    expect(report.error).toEqual({
      code: 'CHECKS_FAILED',
      message: expect.stringMatching(/^2 of \d+ checks failed: currency\.EUR, client\.region$/),
      fix: expect.any(String),
    });
  });

  it('exit 2 on unusable input: missing file, invalid JSON with line:column, invalid YAML, not an object, no argument', () => {
    const missing = cli.run(['check', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/config: file ".*nope\.json" not found/);
    const badJson = cli.run(['check', config('broken.json', '{\n  "paymentCurrencies": ["USD"],\n  "settlementCurrency": "USD",\n}\n')]);
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toMatch(/broken\.json:3:30: invalid JSON: trailing comma before "}"/);
    expect(badJson.stdout).toBe('');
    const badYaml = cli.run(['check', config('broken.yaml', 'paymentCurrencies: [USD\nsettlementCurrency: USD\n')]);
    expect(badYaml.code).toBe(2);
    expect(badYaml.stderr).toMatch(/broken\.yaml:\d+:\d+: invalid YAML/);
    expect(cli.run(['check', config('array.json', '[1]')]).code).toBe(2);
    expect(cli.run(['check']).code).toBe(2);
    for (const r of [missing, badJson, badYaml]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('--help shows an example and exits 0', () => {
    const r = cli.run(['check', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Example:\n {2}ams-cashier check/);
  });
});

describe('check internals', () => {
  it('lineColumn and JSON positions', () => {
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
    expect(() => parseConfigText('{"a":', 'x.json')).toThrow(/x\.json:1:6: invalid JSON/);
    expect(() => parseConfigText('{"a":', 'x.json')).toThrow(CliUsageError);
  });
  it('checkConfig reports a missing settlement currency and skips absent keys without I/O', () => {
    const lines = checkConfig({ paymentCurrencies: ['USD'] }, () => ({ error: 'no I/O here' }));
    expect(lines.find((l) => l.id === 'currency.USD')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/Settlement currency is missing/),
    });
    expect(lines.filter((l) => l.status === 'skip').map((l) => l.id)).toEqual([
      'rules.request',
      'key.private.load',
      'key.alipay.load',
      'client.id',
    ]);
  });
});

describe('check: the AlipayCN rules on a sample pay request', () => {
  const fixture = readFileSync(new URL('../fixtures/pay-request.alipaycn-web.json', import.meta.url));
  const files: Record<string, Buffer> = { 'sample.json': fixture };
  const read = (path: string) => (files[path] ? { bytes: files[path] } : { error: `${path}: no such file` });
  type PayJson = {
    order: { extendInfo?: string; orderAmount: { currency: string } };
    settlementStrategy: { settlementCurrency: string };
    paymentExpiryTime?: string;
  };
  const edit = (f: (r: PayJson) => void): Buffer => {
    const r = JSON.parse(fixture.toString('utf8')) as PayJson;
    f(r);
    return Buffer.from(JSON.stringify(r));
  };

  it("the guide's own sample request passes every rule, for a direct merchant whose contract is USD", () => {
    const lines = checkConfig(
      {
        paymentCurrencies: ['USD'],
        settlementCurrency: 'USD',
        contractSettlementCurrency: 'USD',
        integration: 'direct',
        payRequestFile: 'sample.json',
      },
      read,
    );
    expect(lines.find((l) => l.id === 'rules.integration')).toMatchObject({
      status: 'pass',
      title: 'integration: direct',
      source: expect.stringContaining('directly integrated'),
    });
    expect(lines.find((l) => l.id === 'rules.request')).toMatchObject({ status: 'pass' });
    expect(lines.filter((l) => l.id.startsWith('rules.') && l.status !== 'pass')).toEqual([]);
  });

  it('a direct merchant without chinaExtraTransInfo, settlement outside the contract, CNY settlement: each a failure with its source', () => {
    files['no-extra.json'] = edit((r) => delete r.order.extendInfo);
    files['eur.json'] = edit((r) => (r.settlementStrategy.settlementCurrency = 'EUR'));
    files['cny.json'] = edit((r) => (r.settlementStrategy.settlementCurrency = 'CNY'));
    const run = (file: string, extra: Record<string, unknown> = {}) =>
      checkConfig(
        { paymentCurrencies: ['USD'], settlementCurrency: 'USD', contractSettlementCurrency: 'USD', payRequestFile: file, ...extra },
        read,
      ).filter((l) => l.id.startsWith('rules.request.'));
    expect(run('no-extra.json')).toEqual([
      expect.objectContaining({
        id: 'rules.request.order.extendInfo.chinaExtraTransInfo',
        status: 'fail',
        source: expect.stringContaining('optional for acquirers'),
      }),
    ]);
    expect(run('no-extra.json', { integration: 'acquirer' })).toEqual([]);
    const eur = run('eur.json');
    expect(eur.map((l) => l.id)).toEqual(['rules.request.settlementStrategy.settlementCurrency']);
    expect(eur[0]!.detail).toMatch(/USD/);
    expect(eur[0]!.source).toMatch(/settlement currency must be the same as the payment currency|contract/);
    expect(run('cny.json')[0]!.source).toMatch(/cannot be CNY/);
  });

  it('a stored sample with a paymentExpiryTime is not failed for being old: the expiry rule is about sending', () => {
    files['expiry.json'] = edit((r) => (r.paymentExpiryTime = '2020-06-01T17:30:00+08:00'));
    const lines = checkConfig({ paymentCurrencies: ['USD'], settlementCurrency: 'USD', payRequestFile: 'expiry.json' }, read);
    expect(lines.find((l) => l.id === 'rules.request')).toMatchObject({ status: 'pass' });
  });

  it('an order currency that differs from the payment currency is a warning (no source forbids it), in human and JSON output', () => {
    files['mixed.json'] = edit((r) => (r.order.orderAmount.currency = 'EUR'));
    const lines = checkConfig({ paymentCurrencies: ['USD'], settlementCurrency: 'USD', payRequestFile: 'mixed.json' }, read);
    const warn = lines.filter((l) => l.status === 'warn');
    expect(warn.map((l) => l.id)).toEqual(['rules.request.order.orderAmount.currency']);
    const report = summarize('go-live.json', lines);
    expect(report).toMatchObject({ warnings: 1 });
    expect(formatReport(report)).toMatch(/^WARN {2}sample pay request: order\.orderAmount\.currency/m);
  });
});
