// `ams-cashier sign` and `verify` through the built bin; verify must name the right cause for each perturbation.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSignContent, signRequest, verifySignature } from '../../src/index';
import { alipay, keyPath, merchant, other } from '../helpers/keys';
import { useBuiltCli, writeFiles } from './helpers';

const cli = useBuiltCli();
let dir: string;
beforeAll(() => {
  dir = cli.tmp();
});

const CLIENT = 'SANDBOX_TEST01';
const PATH = '/ams/sandbox/api/v1/payments/pay';
const TIME = '2026-01-01T12:00:00+08:00';
const BODY = '{"paymentRequestId":"p-1","paymentAmount":{"currency":"USD","value":"1999"}}';
const MERCHANT_PUB = keyPath('merchant_public_spki.base64.txt');

function file(name: string, content: string | Buffer): string {
  writeFiles(dir, { [name]: content });
  return join(dir, name);
}

interface Signed {
  path?: string;
  time?: string;
  body?: string | Buffer;
  clientId?: string;
  key?: string;
}
/** The Signature header value for what was really signed. */
function sign(s: Signed = {}): string {
  const body = s.body ?? BODY;
  return signRequest({
    path: s.path ?? PATH,
    clientId: s.clientId ?? CLIENT,
    requestTime: s.time ?? TIME,
    body: typeof body === 'string' ? body : body.toString('utf8'),
    privateKey: s.key ?? merchant.privatePkcs8Pem,
  });
}

interface Given {
  path?: string;
  time?: string;
  body?: string | Buffer;
  signature: string;
  publicKey?: string;
  merchantPublicKey?: string;
}
let n = 0;
function verify(g: Given, json = true) {
  const args = [
    'verify',
    '--public-key',
    g.publicKey ?? MERCHANT_PUB,
    '--path',
    g.path ?? PATH,
    '--client-id',
    CLIENT,
    '--time',
    g.time ?? TIME,
    '--body',
    file(`body-${n++}.json`, g.body ?? BODY),
    '--signature',
    g.signature,
  ];
  if (g.merchantPublicKey) args.push('--merchant-public-key', g.merchantPublicKey);
  if (json) args.push('--json');
  return cli.run(args);
}

interface Diag {
  valid: boolean;
  code: string;
  message: string;
  match?: { changes: { id: string }[] };
}
function diagnosis(g: Given): { code: number | null; d: Diag } {
  const r = verify(g);
  expect(r.stderr).toBe('');
  return { code: r.code, d: JSON.parse(r.stdout) as Diag };
}

describe('ams-cashier sign', () => {
  it('prints the escaped content, the header and a curl command; the header verifies', () => {
    const body = file('sign-body.json', `${BODY}\n`);
    const r = cli.run([
      'sign',
      '--client-id',
      CLIENT,
      '--key',
      keyPath('merchant_private_pkcs1.pem'),
      '--api',
      'pay',
      '--body',
      body,
      '--time',
      TIME,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`POST·${PATH}\\n${CLIENT}.${TIME}.${BODY}\\n`);
    const header = /Signature: (algorithm=RSA256,keyVersion=1,signature=\S+)/.exec(r.stdout)![1]!;
    expect(
      verifySignature({
        path: PATH,
        clientId: CLIENT,
        time: TIME,
        body: `${BODY}\n`,
        signature: header,
        publicKey: merchant.publicSpkiBase64,
      }),
    ).toBe(true);
    expect(r.stdout).toContain(`curl -sS -X POST https://open-na.alipay.com${PATH}`);
    expect(r.stdout).toContain(`--data-binary @${body}`);
    expect(r.stdout).toMatch(/body ends with a newline/);
    expect(r.stdout).not.toMatch(/BEGIN|PRIVATE KEY|MII/);
  });

  it('reads the key from stdin, --json has the same header, sandbox-path warning on a /ams/api path', () => {
    const r = cli.run(
      [
        'sign',
        '--client-id',
        CLIENT,
        '--key',
        '-',
        '--path',
        '/ams/api/v1/payments/pay',
        '--body',
        file('b.json', BODY),
        '--time',
        TIME,
        '--key-version',
        '2',
        '--json',
      ],
      { stdin: merchant.privatePkcs8Base64 },
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { signatureHeader: string; content: string; warnings: string[]; curl: string };
    expect(out.content).toBe(buildSignContent({ path: '/ams/api/v1/payments/pay', clientId: CLIENT, time: TIME, body: BODY }));
    expect(out.signatureHeader).toBe(
      signRequest({
        path: '/ams/api/v1/payments/pay',
        clientId: CLIENT,
        requestTime: TIME,
        body: BODY,
        privateKey: merchant.privatePkcs8Pem,
        keyVersion: '2',
      }),
    );
    expect(out.warnings.join(' ')).toMatch(/sandbox one but the path is a production path/);
    expect(r.stdout).not.toContain(merchant.privatePkcs8Base64.trim().slice(20, 60));
  });

  it('refuses key material as an argument without echoing it, a public key, and missing options (exit 2)', () => {
    const keyText = merchant.privatePkcs8Base64.trim();
    const inline = cli.run(['sign', '--client-id', CLIENT, '--key', keyText, '--api', 'pay', '--body', file('b2.json', BODY)]);
    expect(inline.code).toBe(2);
    expect(inline.stderr).toMatch(/looks like key material/);
    expect(inline.stderr).not.toContain(keyText.slice(10, 50));
    // Pasted with the quotes and comma of a JSON file, or in base64url: still refused, still not echoed.
    const oneLine = keyText.replace(/\s/g, '');
    for (const pasted of [`"${oneLine}",`, oneLine.replaceAll('+', '-').replaceAll('/', '_')]) {
      const r = cli.run(['sign', '--client-id', CLIENT, '--key', pasted, '--api', 'pay', '--body', file('b2.json', BODY)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/looks like key material/);
      expect(r.stderr).not.toContain(oneLine.slice(40, 80));
    }
    // A long path that does not exist is cut short in the message.
    const long = cli.run([
      'sign',
      '--client-id',
      CLIENT,
      '--key',
      `keys/${'a'.repeat(40)}.${'b'.repeat(100)}.pem`,
      '--api',
      'pay',
      '--body',
      file('b2.json', BODY),
    ]);
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(/not found/);
    expect(long.stderr).not.toContain('b'.repeat(60));
    const pub = cli.run(['sign', '--client-id', CLIENT, '--key', MERCHANT_PUB, '--api', 'pay', '--body', file('b3.json', BODY)]);
    expect(pub.code).toBe(2);
    expect(pub.stderr).toMatch(/--key: looks like a public key where a private key is needed/);
    expect(pub.stderr).not.toMatch(/\n\s+at /);
    const missing = cli.run(['sign', '--client-id', CLIENT]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing --key, --body/);
    const both = cli.run(['sign', '--client-id', CLIENT, '--key', '-', '--api', 'pay', '--body', '-']);
    expect(both.code).toBe(2);
    expect(cli.run(['sign', '--nope']).code).toBe(2);
  });

  it('--help shows an example', () => {
    const r = cli.run(['sign', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Example:\n {2}ams-cashier sign/);
  });
});

describe('ams-cashier verify', () => {
  it('valid as given: exit 0', () => {
    const r = verify({ signature: sign() }, false);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^VALID/);
  });

  const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
  const pretty = JSON.stringify(JSON.parse(BODY), null, 2);
  const encodedSig = () => /signature=([^,]+)$/.exec(sign())![1]!;
  const rawSig = () => decodeURIComponent(encodedSig());
  const cases: [string, () => Given, string[]][] = [
    ['trailing newline in the given body', () => ({ signature: sign(), body: `${BODY}\n` }), ['body.trailing-newline-removed']],
    ['trailing newline in the signed body', () => ({ signature: sign({ body: `${BODY}\n` }) }), ['body.trailing-newline-added']],
    ['BOM in the given body', () => ({ signature: sign(), body: Buffer.concat([BOM, Buffer.from(BODY)]) }), ['body.bom-removed']],
    ['JSON re-serialized compact', () => ({ signature: sign({ body: pretty }) }), ['body.json-indent-2']],
    ['JSON re-serialized with 2 spaces', () => ({ signature: sign(), body: pretty }), ['body.json-compact']],
    ['production path given, sandbox path signed', () => ({ signature: sign(), path: '/ams/api/v1/payments/pay' }), ['path.sandbox-added']],
    [
      'sandbox path given, production path signed',
      () => ({ signature: sign({ path: '/ams/api/v1/payments/pay' }) }),
      ['path.sandbox-removed'],
    ],
    ['a proxy prefix', () => ({ signature: sign(), path: `/gateway/alipay${PATH}` }), ['path.prefix-removed']],
    ['the time re-formatted', () => ({ signature: sign({ time: '2026-01-01T04:00:00Z' }) }), ['time.format']],
    ['the clock read twice', () => ({ signature: sign({ time: '1767240000000' }), time: '1767240000004' }), ['time.clock-read-twice']],
    [
      'a double URL-encoded signature',
      () => ({ signature: `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(encodedSig())}` }),
      ['signature.double-encoded'],
    ],
    ['a signature not URL-decoded', () => ({ signature: encodedSig() }), ['signature.not-decoded']],
    [
      '"+" turned into spaces',
      () => ({ signature: `algorithm=RSA256,keyVersion=1,signature=${rawSig().replace(/\+/g, ' ')}` }),
      ['signature.plus-as-space'],
    ],
    [
      'BOM and trailing newline together',
      () => ({ signature: sign(), body: Buffer.concat([BOM, Buffer.from(`${BODY}\n`)]) }),
      ['body.trailing-newline-removed', 'body.bom-removed'],
    ],
  ];

  it.each(cases)('%s: exit 1 and the variant that verifies', (_name, make, ids) => {
    const g = make();
    if (ids[0] === 'signature.plus-as-space') expect(rawSig()).toContain('+');
    const { code, d } = diagnosis(g);
    expect(code).toBe(1);
    expect(d.valid).toBe(false);
    expect(d.code).toBe('variant_found');
    expect(d.match?.changes.map((c) => c.id).sort()).toEqual([...ids].sort());
  });

  it('prints the cause in words', () => {
    const r = verify({ signature: sign(), body: `${BODY}\n` }, false);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^INVALID/);
    expect(r.stdout).toMatch(/It verifies with: the body without its trailing newline\./);
    expect(r.stdout).toMatch(/Cause \(variant_found\): The body you have ends with a newline that was not signed/);
  });

  it("your own public key used as Alipay's (with --merchant-public-key)", () => {
    const response = sign({ key: alipay.privatePem });
    const { code, d } = diagnosis({ signature: response, publicKey: MERCHANT_PUB, merchantPublicKey: MERCHANT_PUB });
    expect(code).toBe(1);
    expect(d.code).toBe('own_public_key');
    expect(d.message).toMatch(/your own \(merchant\) public key/);
  });

  it("signed with the merchant key, checked with Alipay's", () => {
    const { code, d } = diagnosis({ signature: sign(), publicKey: keyPath('alipay_public.base64.txt'), merchantPublicKey: MERCHANT_PUB });
    expect(code).toBe(1);
    expect(d.code).toBe('signed_by_merchant_key');
    expect(d.match?.changes.map((c) => c.id)).toEqual(['key.merchant']);
  });

  it('a wrong key, a changed body, a truncated signature', () => {
    expect(diagnosis({ signature: sign({ key: other.privatePem }) }).d.code).toBe('wrong_key');
    const changed = diagnosis({ signature: sign(), body: BODY.replace('1999', '1998') });
    expect(changed.d.code).toBe('content_differs');
    expect(changed.d.message).toMatch(/The key is right/);
    const truncated = `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(rawSig().slice(0, -8))}`;
    expect(diagnosis({ signature: truncated }).d.code).toBe('signature_length');
  });

  it('exit 2 on unusable input; a malformed header is a finding (exit 1)', () => {
    expect(verify({ signature: sign(), publicKey: join(dir, 'missing.txt') }).code).toBe(2);
    expect(cli.run(['verify', '--path', PATH]).code).toBe(2);
    const keyLine = readFileSync(keyPath('merchant_private_pkcs1.pem'), 'utf8').split('\n')[1]!.slice(0, 30);
    const privAsPub = verify({ signature: sign(), publicKey: keyPath('merchant_private_pkcs1.pem') }, false);
    expect(privAsPub.code).toBe(2);
    expect(privAsPub.stderr).toMatch(/--public-key: looks like a private key/);
    expect(privAsPub.stderr).not.toContain(keyLine);
    // With --json the same error is the JSON answer on stdout, and stderr stays empty.
    const asJson = verify({ signature: sign(), publicKey: keyPath('merchant_private_pkcs1.pem') });
    expect([asJson.code, asJson.stderr]).toEqual([2, '']);
    expect(JSON.parse(asJson.stdout)).toMatchObject({
      ok: false,
      command: 'verify',
      error: { code: 'CONFIG', message: expect.stringMatching(/--public-key: looks like a private key/) },
    });
    expect(asJson.stdout).not.toContain(keyLine);
    const bad = diagnosis({ signature: 'algorithm=RSA256,signature=***' });
    expect(bad.code).toBe(1);
    expect(bad.d.code).toBe('malformed_signature');
  });

  it('--help shows an example', () => {
    const r = cli.run(['verify', '-h']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Example:\n {2}ams-cashier verify/);
  });
});
