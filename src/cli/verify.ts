// `ams-cashier verify`: valid or not, and when not, which cheap variant verifies or the most likely cause.
import { loadPublicKey } from '../signing/keys';
import { parseCommandArgs, requireOpts, stringOpt } from './args';
import { diagnoseSignature, type Diagnosis } from '../signing/diagnose';
import { envelope, type CliErrorInfo } from './envelope';
import { ESCAPE_LEGEND, escapeVisible } from './format';
import { EXIT, StdinGuard, readBytesArg, readKeyArg, type CliIo, type ExitCode } from './io';

export const VERIFY_HELP = `Usage: ams-cashier verify --public-key FILE|- --path PATH --client-id ID --time TIME --body FILE|-
                          --signature VALUE [--merchant-public-key FILE] [--method POST] [--json]

Checks a Signature over "METHOD PATH\\nCLIENT-ID.TIME.BODY" and, when it does not verify, tries the cheap
variants itself and says which one verifies, or the most likely cause:
  body bytes (trailing newline added/removed, BOM, CRLF, JSON re-serialized compact / 2-space / 4-space),
  path (/ams/api vs /ams/sandbox/api, a proxy prefix, a full URL, a query string),
  time (the same instant in another format, a clock read twice), the signature double URL-encoded,
  not decoded or with "+" turned into spaces, and your own public key used instead of Alipay's.

Options:
  --public-key FILE|-         the key to verify with (Alipay's public key for responses and notifications)
  --merchant-public-key FILE  your own public key (optional): recognises it used in place of Alipay's
  --path PATH                 the request path, e.g. /ams/api/v1/payments/pay (for a notification: your notify path)
  --client-id ID              the Client-Id header
  --time TIME                 the Request-Time / Response-Time header, exactly as received
  --body FILE|-               the raw body, file or stdin
  --signature VALUE           the Signature header value (algorithm=RSA256,keyVersion=1,signature=…) or the bare signature
  --method M                  default POST
  --json                      print { ok, command, valid, code, message, match?, notes, tried, error? }
                              (docs/cli-output.schema.json), on every outcome
  -h, --help                  show this help

Exit codes: 0 valid as given, 1 not valid (the cause is printed), 2 unusable input.

Example:
  ams-cashier verify --public-key keys/alipay_public_key.txt --path /ams/api/v1/payments/pay \\
    --client-id SANDBOX_5Y0000000000 --time 2026-01-01T12:00:01+08:00 --body response.json \\
    --signature 'algorithm=RSA256,keyVersion=1,signature=KrwD…%3D%3D'
`;

export function formatDiagnosis(d: Diagnosis): string {
  const lines: string[] = [];
  if (d.valid) lines.push('VALID: the signature verifies for exactly the content given.');
  else {
    lines.push('INVALID: the signature does not verify for the content given.');
    if (d.match) {
      lines.push(`It verifies with: ${d.match.changes.map((c) => c.variant).join(' + ')}.`);
      lines.push(`Cause (${d.code}): ${d.match.changes.map((c) => c.cause).join(' ')}`);
      lines.push(`Content that verifies (${ESCAPE_LEGEND}):`);
      lines.push(`  ${escapeVisible(d.match.content)}`);
    } else lines.push(`Most likely cause (${d.code}): ${d.message}`);
  }
  for (const n of d.notes) lines.push(`Note: ${n}`);
  if (!d.valid) lines.push(`(${d.tried} ${d.tried === 1 ? 'variant' : 'variants'} tried)`);
  return lines.join('\n');
}

export async function runVerify(argv: string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs('verify', argv, {
    'public-key': { type: 'string' },
    'merchant-public-key': { type: 'string' },
    path: { type: 'string' },
    'client-id': { type: 'string' },
    time: { type: 'string' },
    body: { type: 'string' },
    signature: { type: 'string' },
    method: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (parsed.values.help) {
    io.out(VERIFY_HELP);
    return EXIT.OK;
  }
  requireOpts('verify', parsed, ['public-key', 'path', 'client-id', 'time', 'body', 'signature']);
  const stdin = new StdinGuard(io);
  const publicKey = loadPublicKey(await readKeyArg(io, stringOpt(parsed, 'public-key')!, '--public-key', stdin), '--public-key');
  const merchantSpec = stringOpt(parsed, 'merchant-public-key');
  const merchantPublicKey =
    merchantSpec === undefined
      ? undefined
      : loadPublicKey(await readKeyArg(io, merchantSpec, '--merchant-public-key', stdin), '--merchant-public-key');
  const body = await readBytesArg(io, stringOpt(parsed, 'body')!, '--body', stdin);
  const diagnosis = diagnoseSignature(
    {
      method: stringOpt(parsed, 'method') ?? 'POST',
      path: stringOpt(parsed, 'path')!,
      clientId: stringOpt(parsed, 'client-id')!,
      time: stringOpt(parsed, 'time')!,
      body,
      signature: stringOpt(parsed, 'signature')!,
    },
    { publicKey, merchantPublicKey },
  );
  io.out(parsed.values.json ? envelope('verify', diagnosis.valid, diagnosis, diagnosisError(diagnosis)) : formatDiagnosis(diagnosis));
  return diagnosis.valid ? EXIT.OK : EXIT.FAIL;
}

/** Why the signature does not verify, for the JSON answer: the variant that does and its cause, or the likely cause. */
function diagnosisError(d: Diagnosis): CliErrorInfo | undefined {
  if (d.valid) return undefined;
  if (d.match)
    return {
      code: 'INVALID_SIGNATURE',
      message: `the signature does not verify as given; it verifies with ${d.match.changes.map((c) => c.variant).join(' + ')}`,
      fix: d.match.changes.map((c) => c.cause).join(' '),
    };
  return { code: 'INVALID_SIGNATURE', message: `the signature does not verify (${d.code})`, fix: d.message };
}
