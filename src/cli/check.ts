// `ams-cashier check <config>`: a go-live check of currencies, keys and client id / sandbox / region, one line per check.
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { REGION_ORIGINS, apiPath, originOf } from '../api/endpoint';
import { AmsConfigError, AmsError } from '../errors';
import { checkCurrencies } from '../rules';
import { MIN_RSA_BITS } from '../signing/keys';
import { parseCommandArgs } from './args';
import { json } from './format';
import { payRuleChecks } from './check-rules';
import { CliInputError, CliUsageError, EXIT, readFileArg, type CliIo, type ExitCode } from './io';
import { findJsonError } from './json-error';
import { formatWords, inspectKeyBytes, type KeyInspection } from './key-inspect';

export const CHECK_HELP = `Usage: ams-cashier check <config.json|config.yaml> [--json]

Checks a configuration before go-live, one line per check with what to do about each failure:
  - every payment currency against the settlement currency and your contract currency (AlipayCN matrix)
  - the key files load, are RSA of ${MIN_RSA_BITS} bits or more, the private key is private,
    and the Alipay public key is not your own public key (the classic mistake)
  - client id vs sandbox vs region (or baseUrl)

Config fields (only the currency ones are required; key paths are relative to the config file,
or else to the working directory):
  paymentMethodType (default ALIPAY_CN), paymentCurrencies, settlementCurrency, contractSettlementCurrency,
  clientId, sandbox, region (NA | SEA), baseUrl, privateKeyFile, alipayPublicKeyFile,
  merchantPublicKeyFile (the public key you uploaded), keyVersion,
  integration (direct | acquirer; default direct: chinaExtraTransInfo required),
  payRequestFile (one of your pay request bodies, checked with every rule pay() applies)

Options:
  --json     print the report as JSON
  -h, --help show this help

Exit codes: 0 every check passes, 1 a check fails or the input is refused (over 4 MiB, a YAML alias bomb),
            2 the config cannot be used (missing file, invalid JSON/YAML at line:column).
With --json the answer is JSON on every outcome: the report, or { ok: false, error: { code, message, line?, column? } }.

Example:
  ams-cashier check go-live.json
  {"paymentMethodType":"ALIPAY_CN","contractSettlementCurrency":"USD","paymentCurrencies":["USD","CNY"],
   "settlementCurrency":"USD","clientId":"SANDBOX_5Y0000000000","region":"NA",
   "privateKeyFile":"keys/app_private.txt","alipayPublicKeyFile":"keys/alipay_public.txt","keyVersion":"1"}
`;

/** `warn`: likely a mistake that no source forbids; it does not fail the check. */
export type CheckStatus = 'pass' | 'fail' | 'skip' | 'warn';

export interface CheckLine {
  /** Stable id, e.g. `currency.CNY`, `key.alipay.not-own`. */
  id: string;
  status: CheckStatus;
  /** What was checked, e.g. `pay in CNY, settle in USD`. */
  title: string;
  /** The finding; for a failure, what is wrong and what to do. */
  detail: string;
  /** Where the rule comes from (the cashier guide's sentence, the API reference). */
  source?: string;
}

export interface CheckReport {
  ok: boolean;
  file: string;
  checks: CheckLine[];
  passed: number;
  failed: number;
  skipped: number;
  warnings: number;
}

export const CONFIG_FIELDS = [
  'paymentMethodType',
  'paymentCurrencies',
  'settlementCurrency',
  'contractSettlementCurrency',
  'clientId',
  'sandbox',
  'region',
  'baseUrl',
  'privateKeyFile',
  'alipayPublicKeyFile',
  'merchantPublicKeyFile',
  'keyVersion',
  'integration',
  'payRequestFile',
] as const;

/** Line and column (1-based) of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

/** Parses a config as JSON or YAML (by extension; sniffed otherwise). Invalid input is a usage error with line:column. */
export function parseConfigText(text: string, file: string): unknown {
  const ext = extname(file).toLowerCase();
  const body = text.replace(/^\uFEFF/, '');
  const asJson = ext === '.json' || (ext !== '.yaml' && ext !== '.yml' && /^\s*[{[]/.test(body));
  if (asJson) {
    try {
      return JSON.parse(body);
    } catch (err) {
      // Our own scan names the position and the reason (V8's message has no position for some errors).
      const problem = findJsonError(body) ?? { offset: body.length, reason: err instanceof Error ? err.message : String(err) };
      const where = lineColumn(body, problem.offset);
      throw new CliUsageError(`${file}:${where.line}:${where.column}: invalid JSON: ${problem.reason}`, { code: 'INVALID_JSON', ...where });
    }
  }
  const doc = parseDocument(body, { prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    const where = lineColumn(body, first.pos[0]);
    throw new CliUsageError(`${file}:${where.line}:${where.column}: invalid YAML: ${first.message.split('\n')[0]}`, { code: 'INVALID_YAML', ...where });
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (err) {
    // yaml's resource-exhaustion guard: a few lines of anchors can expand to gigabytes ("billion laughs").
    if (err instanceof ReferenceError && /alias/i.test(err.message)) {
      throw new CliInputError(
        `${file}: the YAML aliases (*name) expand too far (over ${MAX_YAML_ALIASES} expansions, the mark of an alias bomb); a config needs no aliases: write the values out`,
        { code: 'YAML_ALIAS_LIMIT', cause: err },
      );
    }
    throw err;
  }
}

/** Alias expansions allowed in a YAML config; a real config uses none. */
export const MAX_YAML_ALIASES = 100;

function closest(name: string, candidates: readonly string[]): string | undefined {
  const n = name.toLowerCase().replace(/[^a-z]/g, '');
  return candidates.find((c) => {
    const k = c.toLowerCase();
    return k === n || k.startsWith(n.slice(0, 6)) || n.startsWith(k.slice(0, 8)) || k.replace(/file$/, 'path') === n;
  });
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Reads a file referenced by the config (relative to the config's directory); undefined when it cannot be read. */
export type ConfigFileReader = (path: string) => { bytes: Buffer } | { error: string };

interface KeyFacts {
  file: string;
  inspection: KeyInspection;
}

function keyChecks(
  lines: CheckLine[],
  role: 'private' | 'alipay' | 'merchantPublic',
  field: string,
  value: unknown,
  read: ConfigFileReader,
): KeyFacts | undefined {
  const label = role === 'private' ? 'private key' : role === 'alipay' ? 'Alipay public key' : 'merchant public key';
  const id = `key.${role}`;
  if (value === undefined) {
    lines.push({ id: `${id}.load`, status: 'skip', title: `${label} (${field})`, detail: `no ${field} given` });
    return undefined;
  }
  if (typeof value !== 'string' || value === '') {
    lines.push({ id: `${id}.load`, status: 'fail', title: `${label} (${field})`, detail: `${field} must be a file path → give the path of the key file` });
    return undefined;
  }
  const got = read(value);
  if ('error' in got) {
    lines.push({ id: `${id}.load`, status: 'fail', title: `${label} loads (${value})`, detail: `${got.error} → fix ${field} (paths are relative to the config file)` });
    return undefined;
  }
  const insp = inspectKeyBytes(got.bytes);
  if (!insp.readable) {
    lines.push({ id: `${id}.load`, status: 'fail', title: `${label} loads (${value})`, detail: `${insp.problem} → use the key file in PEM or bare base64` });
    return undefined;
  }
  lines.push({
    id: `${id}.load`,
    status: 'pass',
    title: `${label} loads (${value})`,
    detail: `${formatWords(insp.format)}, ${insp.encoding}${insp.fingerprint ? `, fingerprint ${insp.fingerprint.slice(0, 16)}…` : ''}`,
  });
  const wantPrivate = role === 'private';
  const isPrivate = insp.type === 'private';
  lines.push(
    wantPrivate === isPrivate
      ? { id: `${id}.type`, status: 'pass', title: `${label} is a ${wantPrivate ? 'private' : 'public'} key`, detail: formatWords(insp.format) }
      : {
          id: `${id}.type`,
          status: 'fail',
          title: `${label} is a ${wantPrivate ? 'private' : 'public'} key`,
          detail: wantPrivate
            ? `${value} holds a public key → ${field} must be the private key you generated (keep it secret); the public half is what you upload to Alipay`
            : `${value} holds a PRIVATE key → never configure or share a private key as a public one; ${role === 'alipay' ? "download Alipay's public key from the Antom dashboard" : 'export the public half of your key'}, and if this private key was shared, replace it`,
        },
  );
  const rsaOk = insp.algorithm === 'RSA' && insp.bits !== undefined && insp.bits >= MIN_RSA_BITS;
  lines.push({
    id: `${id}.size`,
    status: rsaOk ? 'pass' : 'fail',
    title: `${label} is RSA, ${MIN_RSA_BITS} bits or more`,
    detail: rsaOk
      ? `RSA ${insp.bits} bits`
      : `${insp.problem ?? `found ${insp.algorithm ?? 'an unknown algorithm'} ${insp.bits ?? ''}`} → ${role === 'private' ? `generate a new RSA-${MIN_RSA_BITS} pair (ams-cashier keys generate --out DIR) and upload its public key` : "use the RSA public key Alipay gives in the dashboard"}`,
  });
  return { file: value, inspection: insp };
}

/**
 * Runs every check on a parsed config. Pure apart from `read`, which supplies key files.
 * A config that is not an object is a usage error (exit 2); everything else becomes check lines.
 */
export function checkConfig(config: unknown, read: ConfigFileReader): CheckLine[] {
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw new CliUsageError(`the config must be a JSON or YAML object, not ${Array.isArray(config) ? 'an array' : config === null ? 'null' : typeof config}`);
  const c = config as Record<string, unknown>;
  const lines: CheckLine[] = [];

  // Unknown fields: a typo such as "privateKeyPath" would otherwise silently skip a check.
  const unknown = Object.keys(c).filter((k) => !(CONFIG_FIELDS as readonly string[]).includes(k));
  if (unknown.length === 0) lines.push({ id: 'config.fields', status: 'pass', title: 'config fields are known', detail: `${Object.keys(c).length} field(s)` });
  for (const k of unknown) {
    const guess = closest(k, CONFIG_FIELDS);
    lines.push({ id: `config.fields.${k}`, status: 'fail', title: `config field "${k}" is known`, detail: `"${k}" is not a config field → ${guess ? `did you mean "${guess}"?` : `remove it; fields are ${CONFIG_FIELDS.join(', ')}`}` });
  }

  // Currencies: each payment currency against settlement and contract currency.
  const methodType = c.paymentMethodType === undefined ? 'ALIPAY_CN' : c.paymentMethodType;
  const settlement = c.settlementCurrency;
  const contract = c.contractSettlementCurrency;
  const pays = c.paymentCurrencies;
  if (!Array.isArray(pays) || pays.length === 0) {
    lines.push({
      id: 'currency.paymentCurrencies',
      status: 'fail',
      title: 'paymentCurrencies given',
      detail: `paymentCurrencies must be a non-empty list such as ["USD", "CNY"] → list every currency you charge buyers in`,
    });
    if (typeof settlement === 'string' || settlement === undefined) {
      const r = checkCurrencies({ paymentMethodType: methodType as string, paymentCurrency: 'CNY', settlementCurrency: settlement as string, contractSettlementCurrency: contract as string | undefined });
      const own = r.violations.filter((v) => v.field !== 'paymentAmount.currency');
      if (own.length > 0) lines.push({ id: 'currency.settlement', status: 'fail', title: `settle in ${String(settlement ?? '(missing)')}`, detail: own.map((v) => v.message).join(' ') });
    }
  } else {
    for (const pay of pays) {
      const r = checkCurrencies({
        paymentMethodType: methodType as string,
        paymentCurrency: pay as string,
        settlementCurrency: settlement as string,
        contractSettlementCurrency: contract as string | undefined,
      });
      const title = `pay in ${typeof pay === 'string' ? pay : JSON.stringify(pay)}, settle in ${str(settlement) ?? '(missing)'}${str(contract) ? ` (contract ${str(contract)})` : ''}`;
      lines.push({
        id: `currency.${typeof pay === 'string' ? pay : String(pay)}`,
        status: r.ok ? 'pass' : 'fail',
        title,
        detail: r.ok ? `allowed for ${String(methodType)}` : r.violations.map((v) => v.message).join(' '),
        ...(r.ok ? {} : { source: [...new Set(r.violations.map((v) => v.source))].join(' | ') }),
      });
    }
  }

  lines.push(...payRuleChecks(c, read));

  // Keys.
  const priv = keyChecks(lines, 'private', 'privateKeyFile', c.privateKeyFile, read);
  const alipay = keyChecks(lines, 'alipay', 'alipayPublicKeyFile', c.alipayPublicKeyFile, read);
  const merchantPub = c.merchantPublicKeyFile === undefined ? undefined : keyChecks(lines, 'merchantPublic', 'merchantPublicKeyFile', c.merchantPublicKeyFile, read);
  const alipayFp = alipay?.inspection.fingerprint;
  const own = [priv, merchantPub].filter((k): k is KeyFacts => k?.inspection.fingerprint !== undefined);
  if (alipayFp && own.length > 0) {
    const same = own.find((k) => k.inspection.fingerprint === alipayFp);
    lines.push(
      same
        ? {
            id: 'key.alipay.not-own',
            status: 'fail',
            title: "Alipay public key is not your own public key",
            detail:
              `${alipay.file} is the public half of ${same.file}: that is YOUR key, and every Alipay response would fail verification → ` +
              "download Alipay's public key from the Antom dashboard (Developer → Key configuration) into alipayPublicKeyFile",
          }
        : { id: 'key.alipay.not-own', status: 'pass', title: 'Alipay public key is not your own public key', detail: 'fingerprints differ' },
    );
  }
  if (priv?.inspection.fingerprint && merchantPub?.inspection.fingerprint) {
    const match = priv.inspection.fingerprint === merchantPub.inspection.fingerprint;
    lines.push({
      id: 'key.merchantPublic.matches',
      status: match ? 'pass' : 'fail',
      title: 'merchant public key is the public half of the private key',
      detail: match
        ? 'fingerprints match'
        : `${merchantPub.file} is not the public half of ${priv.file} → Alipay verifies your requests with the public key you uploaded: upload the public half of privateKeyFile (ams-cashier keys inspect shows fingerprints)`,
    });
  }
  if (c.keyVersion !== undefined) {
    const kv = typeof c.keyVersion === 'number' ? String(c.keyVersion) : c.keyVersion;
    const ok = typeof kv === 'string' && /^[0-9A-Za-z._-]{1,16}$/.test(kv);
    lines.push({
      id: 'key.version',
      status: ok ? 'pass' : 'fail',
      title: 'keyVersion is a short token',
      detail: ok ? `keyVersion=${kv}` : `${JSON.stringify(c.keyVersion)} is not a key version → use the version number shown next to your uploaded key, such as "1"`,
    });
  }

  // Client id vs sandbox vs region.
  const clientId = c.clientId;
  let sandbox: boolean | undefined;
  if (clientId === undefined) {
    lines.push({ id: 'client.id', status: 'skip', title: 'clientId', detail: 'no clientId given' });
  } else if (typeof clientId !== 'string' || clientId.trim() === '' || clientId !== clientId.trim() || /\s/.test(clientId)) {
    // YAML reads unquoted digits as a number (and may round a long one): say so, since the fix is quoting.
    const detail =
      typeof clientId === 'number'
        ? `clientId is the number ${clientId}, not text → quote it ("…") so it is read exactly as in the Antom dashboard`
        : 'clientId must be a non-empty string without spaces → copy the Client ID from the Antom dashboard';
    lines.push({ id: 'client.id', status: 'fail', title: 'clientId is well formed', detail });
  } else {
    const prefixed = clientId.startsWith('SANDBOX_');
    if (!prefixed && /^sandbox_/i.test(clientId)) {
      lines.push({
        id: 'client.id',
        status: 'fail',
        title: 'clientId is well formed',
        detail: `clientId starts with "${clientId.slice(0, 8)}" → the sandbox prefix is upper-case SANDBOX_; the SDKs only switch to the sandbox path for that spelling`,
      });
    } else lines.push({ id: 'client.id', status: 'pass', title: 'clientId is well formed', detail: prefixed ? 'sandbox client id (SANDBOX_ prefix)' : 'production client id' });
    if (c.sandbox !== undefined && typeof c.sandbox !== 'boolean') {
      lines.push({ id: 'client.sandbox', status: 'fail', title: 'sandbox matches the clientId', detail: 'sandbox must be true or false → or leave it out: it follows the SANDBOX_ prefix' });
    } else if (c.sandbox !== undefined && c.sandbox !== prefixed) {
      lines.push({
        id: 'client.sandbox',
        status: 'fail',
        title: 'sandbox matches the clientId',
        detail: `sandbox is ${String(c.sandbox)} but the clientId ${prefixed ? 'has' : 'does not have'} the SANDBOX_ prefix → sandbox and live have different client ids and keys: ${prefixed ? 'use your live client id, or set sandbox to true' : 'use your SANDBOX_ client id, or set sandbox to false'}`,
      });
    } else {
      sandbox = prefixed;
      lines.push({ id: 'client.sandbox', status: 'pass', title: 'sandbox matches the clientId', detail: `${prefixed ? 'sandbox' : 'production'}: requests are signed and sent to ${apiPath('pay', prefixed)}` });
    }
  }
  const region = c.region;
  const baseUrl = c.baseUrl;
  let origin: string | undefined;
  let endpointProblem: string | undefined;
  if (region !== undefined && (typeof region !== 'string' || !Object.hasOwn(REGION_ORIGINS, region))) {
    const upper = typeof region === 'string' ? region.trim().toUpperCase() : '';
    endpointProblem = `region ${JSON.stringify(region)} is not ${Object.keys(REGION_ORIGINS).join(' or ')}${Object.hasOwn(REGION_ORIGINS, upper) ? ` → did you mean "${upper}"?` : ' → use NA (open-na.alipay.com) or SEA (open-sea.alipay.com), as in your Antom dashboard'}`;
  }
  if (baseUrl !== undefined) {
    try {
      origin = originOf(String(baseUrl));
    } catch (err) {
      if (!(err instanceof AmsConfigError)) throw err;
      endpointProblem = `${err.message} → give only the origin, such as https://proxy.example:8443`;
    }
  }
  if (!endpointProblem && origin === undefined && typeof region === 'string') origin = REGION_ORIGINS[region as keyof typeof REGION_ORIGINS];
  if (endpointProblem) lines.push({ id: 'client.region', status: 'fail', title: 'region / baseUrl', detail: endpointProblem });
  else if (origin === undefined) {
    if (clientId !== undefined)
      lines.push({ id: 'client.region', status: 'fail', title: 'region / baseUrl', detail: 'neither region nor baseUrl is given → set region to NA or SEA, as shown for your account in the Antom dashboard' });
  } else {
    const conflict =
      region !== undefined && baseUrl !== undefined && /\.alipay\.com$/.test(new URL(origin).hostname) && origin !== REGION_ORIGINS[region as keyof typeof REGION_ORIGINS] && !new URL(origin).hostname.includes(`-${String(region).toLowerCase()}`);
    lines.push(
      conflict
        ? { id: 'client.region', status: 'fail', title: 'region / baseUrl', detail: `baseUrl ${origin} is an Alipay gateway of another region than ${String(region)} → keep one of them` }
        : { id: 'client.region', status: 'pass', title: 'region / baseUrl', detail: `pay goes to ${origin}${apiPath('pay', sandbox === true)}` },
    );
  }
  return lines;
}

export function summarize(file: string, checks: CheckLine[]): CheckReport {
  const failed = checks.filter((c) => c.status === 'fail').length;
  const passed = checks.filter((c) => c.status === 'pass').length;
  const warnings = checks.filter((c) => c.status === 'warn').length;
  return { ok: failed === 0, file, checks, passed, failed, skipped: checks.length - failed - passed - warnings, warnings };
}

export function formatReport(report: CheckReport): string {
  const label: Record<CheckStatus, string> = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP', warn: 'WARN' };
  const out = report.checks.map((c) => `${label[c.status]}  ${c.title}: ${c.detail}${c.status === 'fail' && c.source ? `\n      source: ${c.source}` : ''}`);
  out.push(
    `${report.ok ? 'OK' : 'NOT READY'}: ${report.passed} passed, ${report.failed} failed${report.warnings ? `, ${report.warnings} warning(s)` : ''}${report.skipped ? `, ${report.skipped} skipped` : ''} (${report.file})`,
  );
  return out.join('\n');
}

export async function runCheck(argv: string[], io: CliIo): Promise<ExitCode> {
  if (!argv.includes('--json')) return check(argv, io);
  // --json answers in JSON on every outcome, unusable input included, so a pipeline never parses prose.
  try {
    return await check(argv, io);
  } catch (err) {
    const at = err instanceof CliUsageError && err.line !== undefined ? { line: err.line, column: err.column } : {};
    if (err instanceof CliUsageError || err instanceof CliInputError) {
      io.out(json({ ok: false, error: { code: err.code, message: err.message, ...at } }));
      return err instanceof CliUsageError ? EXIT.USAGE : EXIT.FAIL;
    }
    if (err instanceof AmsError) {
      io.out(json({ ok: false, error: { code: err.name, message: err.message } }));
      return EXIT.USAGE;
    }
    // A bug: named without its message or a stack (the input may hold keys), as the text mode does.
    io.out(json({ ok: false, error: { code: 'INTERNAL', message: `unexpected error (${err instanceof Error ? err.name : typeof err}); please report it` } }));
    return EXIT.INTERNAL;
  }
}

async function check(argv: string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs('check', argv, { json: { type: 'boolean' } }, true);
  if (parsed.values.help) {
    io.out(CHECK_HELP);
    return EXIT.OK;
  }
  if (parsed.positionals.length !== 1) throw new CliUsageError(parsed.positionals.length === 0 ? 'give the config file: ams-cashier check <config.json>' : 'give exactly one config file', { command: 'check' });
  const file = parsed.positionals[0]!;
  const text = readFileArg(io, file, 'config').toString('utf8');
  const config = parseConfigText(text, file);
  const base = dirname(resolve(io.cwd, file));
  // Key paths are relative to the config file; a path that only exists relative to the working directory
  // (a config written for running from the project root) is accepted too.
  const read: ConfigFileReader = (path) => {
    try {
      return { bytes: readFileArg({ ...io, cwd: base }, path, 'key file') };
    } catch (err) {
      try {
        if (!isAbsolute(path) && base !== resolve(io.cwd)) return { bytes: readFileArg(io, path, 'key file') };
      } catch {
        /* report the first error */
      }
      return { error: err instanceof Error ? err.message.replace(/^key file: /, '') : String(err) };
    }
  };
  const report = summarize(file, checkConfig(config, read));
  io.out(parsed.values.json ? json(report) : formatReport(report));
  return report.ok ? EXIT.OK : EXIT.FAIL;
}
