// `ams-cashier sign`: shows exactly what is signed, the Signature header, and a curl command that sends those bytes.
import { AMS_APIS, apiPath, CUSTOMS_APIS, isAmsPath, REGIONS, originOf, regionOrigin } from '../api/endpoint';
import { formatRequestTime, parseRequestTime } from '../rules/time';
import { getCryptoBackend } from '../signing/backend';
import { buildSignContentBytes } from '../signing/content';
import { formatSignatureHeader, KEY_VERSION_RE } from '../signing/header';
import { loadPrivateKey, publicKeyFingerprint } from '../signing/keys';
import { parseCommandArgs, requireOpts, stringOpt } from './args';
import { envelope } from './envelope';
import { ESCAPE_LEGEND, escapeVisible, shQuote } from './format';
import { CliUsageError, EXIT, StdinGuard, readBytesArg, readKeyArg, requireUtf8, type CliIo, type ExitCode } from './io';
import { closestName } from '../internal/suggest';

/** What --api takes by name: every modelled API (payments and customs); any /v1/... path is taken too. */
const MODELLED_APIS: readonly string[] = [...AMS_APIS, ...CUSTOMS_APIS];

export const SIGN_HELP = `Usage: ams-cashier sign --client-id ID --key FILE|- (--path PATH | --api NAME) --body FILE|-
                        [--time TIME] [--key-version N|none] [--method POST] [--region NA|SEA|EU [--accelerated] | --base-url URL] [--json]

Signs a request the way AMS expects and prints:
  - the exact content that is signed, escaped so newlines and spaces are visible
  - the Signature header
  - a ready curl command that sends the same bytes

The private key is read from a file, or from stdin with --key - ; never from the command line, and never printed.
The body is used byte for byte (a trailing newline in the file is part of it; the curl command sends it too).

Options:
  --client-id ID      your Client ID (SANDBOX_… for the sandbox)
  --key FILE|-        your private key: PEM (PKCS#1 or PKCS#8) or bare base64, file or stdin
  --path PATH         the request path, e.g. /ams/api/v1/payments/pay
  --api NAME|PATH     instead of --path: ${[...AMS_APIS, ...CUSTOMS_APIS].join(', ')}, or any /v1/<family>/<api>
                      path (the /ams/api or /ams/sandbox/api prefix is added: sandbox for a SANDBOX_ client id)
  --body FILE|-       the request body, file or stdin
  --time TIME         the Request-Time to sign: ISO 8601 with offset or epoch milliseconds (default: now)
  --key-version N     keyVersion in the header (default 1; "none" leaves it out)
  --method M          default POST
  --region NA|SEA|EU  origin for the curl command (default NA); or --base-url https://host:port
  --accelerated       the region's accelerated domain (open-na-global, open-sea-global)
  --json              print { ok, command, method, path, content, signatureHeader, curl, …, error? }
                      (docs/cli-output.schema.json), on every outcome
  -h, --help          show this help

Exit codes: 0 signed, 1 a body that is not UTF-8 or an input over 4 MiB, 2 unusable input (missing option,
            unknown --api, unreadable key or body).

Example:
  ams-cashier sign --client-id SANDBOX_5Y0000000000 --key keys/app_private_key.pem \\
    --api pay --body body.json --time 2026-01-01T12:00:00+08:00
`;

export interface SignOutput {
  method: string;
  path: string;
  clientId: string;
  requestTime: string;
  /** The signed content, as is. */
  content: string;
  /** The signed content with newlines, spaces and invisible characters shown. */
  contentEscaped: string;
  contentBytes: number;
  /** Standard base64 RSA256 signature. */
  signature: string;
  signatureHeader: string;
  url: string;
  headers: Record<string, string>;
  curl: string;
  /** SHA-256 fingerprint of the public half of the signing key (not key material). */
  keyFingerprint: string;
  warnings: string[];
}

/** Things about a body or path that commonly make a signature fail later. Pure. */
export function signWarnings(input: { body: Buffer; path: string; clientId: string; time: string }): string[] {
  const w: string[] = [];
  const { body, path, clientId, time } = input;
  if (body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf)
    w.push(
      'The body starts with a UTF-8 BOM (\\ufeff): it is signed and must be sent too; most HTTP clients and JSON serializers drop it. Save the file without BOM.',
    );
  if (body.length > 0 && body[body.length - 1] === 0x0a)
    w.push(
      'The body ends with a newline: it is part of the signed content. curl --data-binary @file sends it, but code that sends JSON.stringify(...) does not. Sign exactly the bytes you send.',
    );
  if (body.includes('\r\n'))
    w.push('The body has CRLF line endings: they are signed as they are; a tool that normalizes line endings will break the signature.');
  const text = body.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() !== '') {
    try {
      JSON.parse(text);
    } catch {
      w.push('The body is not valid JSON: AMS will reject it even if the signature is right.');
    }
  }
  if (clientId.startsWith('SANDBOX_') && path.startsWith('/ams/api/'))
    w.push(
      `The client id is a sandbox one but the path is a production path: the official SDKs sign and send ${path.replace('/ams/api/', '/ams/sandbox/api/')} for SANDBOX_ client ids.`,
    );
  if (!clientId.startsWith('SANDBOX_') && path.startsWith('/ams/sandbox/'))
    w.push('The path is a sandbox path but the client id has no SANDBOX_ prefix: sandbox and live use different client ids and keys.');
  if (!path.startsWith('/'))
    w.push('The path does not start with "/": AMS signs the path only (no scheme, host or query), such as /ams/api/v1/payments/pay.');
  if (time !== time.trim()) w.push('The time has spaces around it: the Request-Time header must be byte-identical to the signed time.');
  return w;
}

/**
 * A Request-Time is signed byte for byte, so any string "works" — and signs something no server accepts. Only the
 * two forms AMS senders use pass: ISO 8601 with an offset (the docs) and epoch milliseconds (the Java and Go SDKs).
 */
export function checkRequestTime(time: string): void {
  // The protocol's parser reads any digit string as epoch milliseconds; here only the 13 digits of a current time pass.
  if (/^\d+$/.test(time) ? time.length === 13 : parseRequestTime(time) !== undefined) return;
  throw new CliUsageError(
    `--time "${time}" is not a Request-Time: give ISO 8601 with an offset (2026-01-01T12:00:00+08:00) or epoch milliseconds (1767240000000), or leave it out to sign with the current time`,
    { command: 'sign' },
  );
}

export function curlCommand(url: string, headers: Record<string, string>, bodySource: { file: string } | { text: string }): string {
  const lines = [`curl -sS -X POST ${shQuote(url)}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`  -H ${shQuote(`${name}: ${value}`)}`);
  // --data-binary sends the bytes untouched; -d would strip newlines and change what was signed.
  lines.push('file' in bodySource ? `  --data-binary ${shQuote(`@${bodySource.file}`)}` : `  --data-binary ${shQuote(bodySource.text)}`);
  return lines.join(' \\\n');
}

export async function runSign(argv: string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs('sign', argv, {
    'client-id': { type: 'string' },
    key: { type: 'string' },
    path: { type: 'string' },
    api: { type: 'string' },
    body: { type: 'string' },
    time: { type: 'string' },
    'key-version': { type: 'string' },
    method: { type: 'string' },
    region: { type: 'string' },
    accelerated: { type: 'boolean' },
    'base-url': { type: 'string' },
    json: { type: 'boolean' },
  });
  if (parsed.values.help) {
    io.out(SIGN_HELP);
    return EXIT.OK;
  }
  requireOpts('sign', parsed, ['client-id', 'key', 'body']);
  const clientId = stringOpt(parsed, 'client-id')!;
  let path = stringOpt(parsed, 'path');
  const api = stringOpt(parsed, 'api');
  if (path !== undefined && api !== undefined) throw new CliUsageError('give --path or --api, not both', { command: 'sign' });
  if (path === undefined) {
    if (api === undefined) throw new CliUsageError('missing --path (or --api NAME)', { command: 'sign' });
    if (!MODELLED_APIS.includes(api) && !isAmsPath(api)) {
      const guess = closestName(api, MODELLED_APIS);
      throw new CliUsageError(
        `--api "${api}" is not an AMS API${guess ? `; did you mean "${guess}"?` : ''} Valid: ${MODELLED_APIS.join(', ')}, or any /v1/<family>/<api> path (e.g. /v1/vaults/vaultPaymentMethod)`,
        { command: 'sign' },
      );
    }
    path = apiPath(api, clientId.startsWith('SANDBOX_'));
  }
  const method = stringOpt(parsed, 'method') ?? 'POST';
  const timeOpt = stringOpt(parsed, 'time');
  if (timeOpt !== undefined) checkRequestTime(timeOpt);
  const time = timeOpt ?? formatRequestTime(io.clock.now());
  const kvOpt = stringOpt(parsed, 'key-version');
  const keyVersion = kvOpt === undefined ? '1' : kvOpt === 'none' ? null : kvOpt;
  if (keyVersion !== null && !KEY_VERSION_RE.test(keyVersion))
    throw new CliUsageError('--key-version must be a short token such as 1, or none', { command: 'sign' });

  let origin: string;
  const baseUrl = stringOpt(parsed, 'base-url');
  const region = stringOpt(parsed, 'region');
  if (baseUrl !== undefined) origin = originOf(baseUrl);
  else {
    const found = regionOrigin((region ?? 'NA').toUpperCase(), parsed.values['accelerated'] === true);
    if (found === undefined)
      throw new CliUsageError(`--region must be one of ${REGIONS.join(', ')}, not ${JSON.stringify(region?.slice(0, 20))}`, {
        command: 'sign',
      });
    origin = found;
  }

  const stdin = new StdinGuard(io);
  const keySpec = stringOpt(parsed, 'key')!;
  const bodySpec = stringOpt(parsed, 'body')!;
  const keyBytes = await readKeyArg(io, keySpec, '--key', stdin);
  const body = await readBytesArg(io, bodySpec, '--body', stdin);
  requireUtf8(body, '--body');
  const key = loadPrivateKey(keyBytes, '--key');

  const content = buildSignContentBytes({ method, path, clientId, time, body });
  const signature = getCryptoBackend().sign(content, key);
  const signatureHeader = formatSignatureHeader(signature, keyVersion);
  const headers: Record<string, string> = {
    'Content-Type': 'application/json; charset=UTF-8',
    'Client-Id': clientId,
    'Request-Time': time,
    Signature: signatureHeader,
  };
  const url = origin + path;
  const contentText = content.toString('utf8');
  const out: SignOutput = {
    method,
    path,
    clientId,
    requestTime: time,
    content: contentText,
    contentEscaped: escapeVisible(contentText),
    contentBytes: content.length,
    signature,
    signatureHeader,
    url,
    headers,
    curl: curlCommand(url, headers, bodySpec === '-' ? { text: body.toString('utf8') } : { file: bodySpec }),
    keyFingerprint: publicKeyFingerprint(key),
    warnings: signWarnings({ body, path, clientId, time }),
  };
  if (parsed.values.json) io.out(envelope('sign', true, out));
  else {
    io.out(
      [
        `Signed content (${out.contentBytes} bytes; ${ESCAPE_LEGEND}):`,
        `  ${out.contentEscaped}`,
        '',
        'Signature header:',
        `  Signature: ${signatureHeader}`,
        '',
        'curl:',
        out.curl,
        ...(out.warnings.length > 0 ? ['', 'Warnings:', ...out.warnings.map((w) => `  - ${w}`)] : []),
      ].join('\n'),
    );
  }
  return EXIT.OK;
}
