// `ams-cashier doctor`: proves the credentials against the gateway with one read-only inquiry, one line per check.
import { REGIONS, originOf, regionOrigin, shownUrl } from '../api/endpoint';
import { AmsClient } from '../client';
import type { DoctorCheck, DoctorReport } from '../doctor/report';
import { ownKeyAsAlipayCheck } from '../doctor/verdict';
import { AmsConfigError } from '../errors';
import { MIN_RSA_BITS } from '../signing/keys';
import { parseCommandArgs, stringOpt, type Parsed } from './args';
import { envelope, type CliErrorInfo } from './envelope';
import { CliUsageError, EXIT, StdinGuard, readKeyArg, type CliIo, type ExitCode } from './io';
import { formatWords, inspectKeyBytes, type KeyInspection } from './key-inspect';

export const DOCTOR_HELP = `Usage: ams-cashier doctor --client-id ID --private-key FILE|- --alipay-public-key FILE
                         (--region NA|SEA|EU [--accelerated] | --base-url URL) [--key-version N]
                         [--agent-token T] [--json]

Proves the credentials against the real gateway before the first payment: sends ONE signed inquiryPayment
for a paymentRequestId that cannot exist (it never creates, cancels or refunds anything) and reads the answer:
  a signed ORDER_NOT_EXIST that verifies  all good: Alipay accepted your signature (the uploaded public key is
                                          this private key's), knows the client id here, and its answer
                                          verifies with the Alipay public key you configured
  INVALID_SIGNATURE                       the uploaded public key is not this private key's (shown, with its
                                          fingerprint, to compare with the dashboard)
  KEY_NOT_FOUND                           no key uploaded for this client id / key version
  INVALID_CLIENT, INVALID_API             client id unknown here; sandbox id on the live path or the reverse
  ACCESS_DENIED                           the product is not activated for this client id
  an answer that does not verify          the Alipay public key is wrong (often your own public key)
  DNS, connect, TLS, proxy failures       which step failed and what to check
plus the clock offset from the gateway's Response-Time and the key's size and format.

Options (each also read from the environment variable named):
  --client-id ID              AMS_CLIENT_ID               SANDBOX_… ids use the sandbox
  --private-key FILE|-        AMS_PRIVATE_KEY_FILE        your private key (any format); - reads stdin
  --alipay-public-key FILE    AMS_ALIPAY_PUBLIC_KEY_FILE  Alipay's public key from the dashboard
  --region NA|SEA|EU          AMS_REGION                  open-na / open-sea / open-de-global.alipay.com, or:
  --accelerated               AMS_ACCELERATED=1           the region's accelerated domain (open-na-global, …)
  --base-url URL              AMS_BASE_URL                the gateway origin (a proxy, the embedded gateway)
  --key-version N             AMS_KEY_VERSION             default 1
  --agent-token T             AMS_AGENT_TOKEN             ISVs only (prefer the variable: arguments land in history)
  --timeout-ms MS                                         default 15000
  --json                      print { ok, command, target, checks: [{ name, ok, message, fix }], error? }
                              (docs/cli-output.schema.json), on every outcome
  -h, --help                  show this help

Exit codes: 0 all good, 1 a check failed (each failure says what to do), 2 unusable input.

Example:
  AMS_PRIVATE_KEY_FILE=keys/app_private_key.pem AMS_ALIPAY_PUBLIC_KEY_FILE=keys/alipay_public_key.txt \\
    ams-cashier doctor --client-id SANDBOX_5Y0000000000 --region NA
`;

/** Option → environment variable; the flag wins. */
const ENV: Readonly<Record<string, string>> = {
  'client-id': 'AMS_CLIENT_ID',
  'private-key': 'AMS_PRIVATE_KEY_FILE',
  'alipay-public-key': 'AMS_ALIPAY_PUBLIC_KEY_FILE',
  region: 'AMS_REGION',
  'base-url': 'AMS_BASE_URL',
  accelerated: 'AMS_ACCELERATED',
  'key-version': 'AMS_KEY_VERSION',
  'agent-token': 'AMS_AGENT_TOKEN',
};

function setting(parsed: Parsed, io: CliIo, name: string): string | undefined {
  const flag = stringOpt(parsed, name);
  if (flag !== undefined && flag !== '') return flag;
  const env = ENV[name] === undefined ? undefined : io.env?.[ENV[name]];
  return env === undefined || env === '' ? undefined : env;
}

const check = (name: string, ok: boolean, message: string, fix: string | null = null): DoctorCheck => ({ name, ok, message, fix });

/** A key file that loads but cannot be used as this role: a verdict (exit 1), not unusable input. */
function keyProblem(role: 'private' | 'alipay', insp: KeyInspection): DoctorCheck | undefined {
  const name = role === 'private' ? 'private-key' : 'alipay-public-key';
  const what = `${formatWords(insp.format)} (${insp.encoding ?? '?'})${insp.bits ? `, ${insp.algorithm ?? ''} ${insp.bits} bits` : ''}`;
  if (role === 'private' && insp.type === 'public')
    return check(
      name,
      false,
      `the private key file holds a public key: ${what}`,
      'Give the private key you generated (keep it secret); its public half is what you upload to Alipay.',
    );
  if (role === 'alipay' && insp.type === 'private')
    return check(
      name,
      false,
      `the Alipay public key file holds a PRIVATE key: ${what}`,
      "Download Alipay's public key from the Antom dashboard; if this private key was shared, replace it.",
    );
  if (!insp.usable)
    return check(
      name,
      false,
      `${what}: ${insp.problem ?? 'not usable'}`,
      role === 'private'
        ? `Generate a new RSA-${MIN_RSA_BITS} pair (ams-cashier keys generate --out DIR) and upload its public key.`
        : 'Use the RSA public key Alipay shows in the Antom dashboard.',
    );
  return undefined;
}

function describeKeyFile(insp: KeyInspection): string {
  return `${formatWords(insp.format)} (${insp.encoding ?? '?'})`;
}

export function formatDoctorReport(report: DoctorReport, target: string): string {
  const lines: string[] = [];
  for (const c of report.checks) {
    lines.push(`${c.ok ? 'PASS' : 'FAIL'}  ${c.name}: ${c.message}`);
    if (c.fix) lines.push(`      fix: ${c.fix}`);
  }
  const failed = report.checks.filter((c) => !c.ok).length;
  lines.push(
    report.ok ? `OK: ready for the first payment (${target})` : `NOT READY: ${failed} of ${report.checks.length} checks failed (${target})`,
  );
  return lines.join('\n');
}

async function diagnose(parsed: Parsed, io: CliIo): Promise<{ report: DoctorReport; target: string }> {
  const clientId = setting(parsed, io, 'client-id');
  const privateSpec = setting(parsed, io, 'private-key');
  const alipaySpec = setting(parsed, io, 'alipay-public-key');
  const missing = [
    clientId === undefined ? '--client-id (or AMS_CLIENT_ID)' : undefined,
    privateSpec === undefined ? '--private-key (or AMS_PRIVATE_KEY_FILE)' : undefined,
    alipaySpec === undefined ? '--alipay-public-key (or AMS_ALIPAY_PUBLIC_KEY_FILE)' : undefined,
  ].filter((m): m is string => m !== undefined);
  if (missing.length > 0) throw new CliUsageError(`missing ${missing.join(', ')}`, { command: 'doctor' });
  const region = setting(parsed, io, 'region');
  const baseUrl = setting(parsed, io, 'base-url');
  if (region === undefined && baseUrl === undefined)
    throw new CliUsageError(`give --region ${REGIONS.join('|')} (or AMS_REGION), or --base-url (or AMS_BASE_URL)`, { command: 'doctor' });
  const acceleratedSetting = parsed.values['accelerated'] === true ? '1' : io.env?.['AMS_ACCELERATED'];
  const accelerated = acceleratedSetting !== undefined && acceleratedSetting !== '' && acceleratedSetting !== '0';
  const origin =
    baseUrl !== undefined
      ? (() => {
          try {
            return originOf(baseUrl);
          } catch (err) {
            if (err instanceof AmsConfigError) throw new CliUsageError(`--base-url: ${err.message}`, { command: 'doctor' });
            throw err;
          }
        })()
      : regionOrigin(region!, accelerated);
  if (origin === undefined)
    throw new CliUsageError(
      `--region must be one of ${REGIONS.join(', ')} (as shown for your account in the Antom dashboard), not ${JSON.stringify(region!.slice(0, 20))}`,
      {
        command: 'doctor',
      },
    );
  const timeout = stringOpt(parsed, 'timeout-ms');
  if (timeout !== undefined && !/^[1-9]\d{0,5}$/.test(timeout))
    throw new CliUsageError('--timeout-ms must be a whole number of milliseconds from 1 to 999999', { command: 'doctor' });

  const stdin = new StdinGuard(io);
  const privateBytes = await readKeyArg(io, privateSpec!, '--private-key', stdin);
  const alipayBytes = await readKeyArg(io, alipaySpec!, '--alipay-public-key', stdin);
  const privateInsp = inspectKeyBytes(privateBytes);
  const alipayInsp = inspectKeyBytes(alipayBytes);
  if (!privateInsp.readable) throw new CliUsageError(`--private-key: ${privateInsp.problem ?? 'not a key'}`, { command: 'doctor' });
  if (!alipayInsp.readable) throw new CliUsageError(`--alipay-public-key: ${alipayInsp.problem ?? 'not a key'}`, { command: 'doctor' });
  const target = `${clientId!} at ${baseUrl !== undefined ? shownUrl(baseUrl) : `${origin} (region ${region!})`}`;

  // Keys that cannot work are verdicts found offline: no request is sent with them.
  const offline = [keyProblem('private', privateInsp), keyProblem('alipay', alipayInsp)].filter((c): c is DoctorCheck => c !== undefined);
  if (offline.length === 0 && privateInsp.fingerprint === alipayInsp.fingerprint) {
    offline.push(ownKeyAsAlipayCheck(clientId!.startsWith('SANDBOX_')));
  }
  if (offline.length > 0) {
    const checks = offline.some((c) => c.name === 'private-key')
      ? offline
      : [
          check(
            'private-key',
            true,
            `${describeKeyFile(privateInsp)}, RSA ${privateInsp.bits ?? '?'} bits; fingerprint ${privateInsp.fingerprint ?? '?'}`,
          ),
          ...offline,
        ];
    return { report: { ok: false, checks }, target };
  }

  const keyVersion = setting(parsed, io, 'key-version');
  const agentToken = setting(parsed, io, 'agent-token');
  const client = new AmsClient({
    clientId: clientId!,
    privateKey: privateBytes,
    alipayPublicKey: alipayBytes,
    ...(baseUrl === undefined ? { region: region as 'NA', accelerated } : {}),
    ...(baseUrl !== undefined ? { baseUrl } : {}),
    ...(keyVersion !== undefined ? { keyVersion } : {}),
    ...(agentToken !== undefined ? { agentToken } : {}),
    ...(timeout !== undefined ? { timeoutMs: Number(timeout) } : {}),
  });
  const report = await client.doctor();
  // The client holds a parsed key; the file's format is known only here.
  const key = report.checks.find((c) => c.name === 'private-key');
  if (key) key.message = `${describeKeyFile(privateInsp)}, ${key.message}`;
  return { report, target };
}

export async function runDoctor(argv: string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs('doctor', argv, {
    'client-id': { type: 'string' },
    'private-key': { type: 'string' },
    'alipay-public-key': { type: 'string' },
    region: { type: 'string' },
    'base-url': { type: 'string' },
    accelerated: { type: 'boolean' },
    'key-version': { type: 'string' },
    'agent-token': { type: 'string' },
    'timeout-ms': { type: 'string' },
    json: { type: 'boolean' },
  });
  if (parsed.values.help) {
    io.out(DOCTOR_HELP);
    return EXIT.OK;
  }
  const { report, target } = await diagnose(parsed, io);
  io.out(
    parsed.values.json
      ? envelope('doctor', report.ok, { target, checks: report.checks }, doctorError(report))
      : formatDoctorReport(report, target),
  );
  return report.ok ? EXIT.OK : EXIT.FAIL;
}

/** Why the credentials are not ready, for the JSON answer: the failing checks and the first one's fix. */
function doctorError(report: DoctorReport): CliErrorInfo | undefined {
  if (report.ok) return undefined;
  const failing = report.checks.filter((c) => !c.ok);
  return {
    code: 'CHECKS_FAILED',
    message: `${failing.length} of ${report.checks.length} checks failed: ${failing.map((c) => c.name).join(', ')}`,
    fix: failing.find((c) => c.fix !== null)?.fix ?? failing[0]?.message ?? 'see checks[]',
  };
}
