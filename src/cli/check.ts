// `ams-cashier check <config>`: a go-live check of currencies, keys and client id / sandbox / region, one line per check.
// The steps live in ./check/: reading the config, then fields, currencies, pay rules, keys and client lines.
import { dirname, isAbsolute, resolve } from 'node:path';
import { MIN_RSA_BITS } from '../signing/keys';
import { parseCommandArgs } from './args';
import { clientChecks } from './check/client-checks';
import { parseConfigText } from './check/config-text';
import { currencyChecks } from './check/currency-checks';
import { fieldChecks } from './check/fields';
import { keyChecks } from './check/key-checks';
import { payRuleChecks } from './check/pay-rules';
import { checkReportError, checkReportJson, formatReport, summarize, type CheckLine, type ConfigFileReader } from './check/report';
import { envelope } from './envelope';
import { CliUsageError, EXIT, readFileArg, type CliIo, type ExitCode } from './io';

export { lineColumn, MAX_YAML_ALIASES, parseConfigText } from './check/config-text';
export { CONFIG_FIELDS } from './check/fields';
export { checkReportJson, formatReport, summarize } from './check/report';
export type { CheckLine, CheckLineJson, CheckReport, CheckStatus, ConfigFileReader } from './check/report';

export const CHECK_HELP = `Usage: ams-cashier check <config.json|config.yaml> [--json]

Checks a configuration before go-live, one line per check with what to do about each failure:
  - every payment currency against the settlement currency and your contract currency (AlipayCN matrix)
  - the key files load, are RSA of ${MIN_RSA_BITS} bits or more, the private key is private,
    and the Alipay public key is not your own public key (the classic mistake)
  - client id vs sandbox vs region (or baseUrl)

Config fields (only the currency ones are required; key paths are relative to the config file,
or else to the working directory):
  paymentMethodType (default ALIPAY_CN), paymentCurrencies, settlementCurrency, contractSettlementCurrency,
  clientId, sandbox, region (NA | SEA | EU), accelerated, baseUrl, privateKeyFile, alipayPublicKeyFile,
  merchantPublicKeyFile (the public key you uploaded), keyVersion,
  integration (direct | acquirer; default direct: chinaExtraTransInfo required),
  payRequestFile (one of your pay request bodies, checked with every rule pay() applies)

Options:
  --json     print { ok, command, file, checks: [{ name, ok, status, title, message, fix, source? }], passed,
             failed, skipped, warnings, error? } (docs/cli-output.schema.json), on every outcome
  -h, --help show this help

Exit codes: 0 every check passes, 1 a check fails or the input is refused (over 4 MiB, a YAML alias bomb),
            2 the config cannot be used (missing file, invalid JSON/YAML at line:column).
With --json unusable input is { ok: false, command, error: { code, message, fix, line?, column? } }.

Example:
  ams-cashier check go-live.json
  {"paymentMethodType":"ALIPAY_CN","contractSettlementCurrency":"USD","paymentCurrencies":["USD","CNY"],
   "settlementCurrency":"USD","clientId":"SANDBOX_5Y0000000000","region":"NA",
   "privateKeyFile":"keys/app_private_key.pem","alipayPublicKeyFile":"keys/alipay_public_key.txt","keyVersion":"1"}
`;

/**
 * Runs every check on a parsed config. Pure apart from `read`, which supplies key files.
 * A config that is not an object is a usage error (exit 2); everything else becomes check lines.
 */
export function checkConfig(config: unknown, read: ConfigFileReader): CheckLine[] {
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw new CliUsageError(
      `the config must be a JSON or YAML object, not ${Array.isArray(config) ? 'an array' : config === null ? 'null' : typeof config}`,
    );
  const c = config as Record<string, unknown>;
  return [...fieldChecks(c), ...currencyChecks(c), ...payRuleChecks(c, read), ...keyChecks(c, read), ...clientChecks(c)];
}

export async function runCheck(argv: string[], io: CliIo): Promise<ExitCode> {
  return check(argv, io);
}

async function check(argv: string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs('check', argv, { json: { type: 'boolean' } }, true);
  if (parsed.values.help) {
    io.out(CHECK_HELP);
    return EXIT.OK;
  }
  if (parsed.positionals.length !== 1)
    throw new CliUsageError(
      parsed.positionals.length === 0 ? 'give the config file: ams-cashier check <config.json>' : 'give exactly one config file',
      { command: 'check' },
    );
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
  io.out(parsed.values.json ? envelope('check', report.ok, checkReportJson(report), checkReportError(report)) : formatReport(report));
  return report.ok ? EXIT.OK : EXIT.FAIL;
}
