// `ams-cashier keys generate` (an RSA-2048 pair in the forms Alipay's portal takes) and `keys inspect` (no key material printed).
import { generateKeyPairSync } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCommandArgs } from './args';
import { envelope } from './envelope';
import { CliUsageError, EXIT, StdinGuard, readKeyArg, type CliIo, type ExitCode } from './io';
import { formatWords, inspectKeyBytes, type KeyInspection } from './key-inspect';
import { describeKey, MIN_RSA_BITS } from '../signing/keys';

export const KEYS_HELP = `Usage: ams-cashier keys generate --out DIR [--json]
       ams-cashier keys inspect <file|-> [--json]

  --json    one JSON object on every outcome: { ok, command, …, error? } (docs/cli-output.schema.json)

  generate  writes a new RSA-${MIN_RSA_BITS} pair into DIR (created if missing), refusing to overwrite:
              app_private_key.pem  PKCS#8 private key (PEM) — keep it secret, configure it as privateKey
              app_public_key.txt   bare base64 public key — paste it in the Antom dashboard (Key configuration)
            files are written with mode 0600; no key material is printed.
  inspect   tells what a key file is: public or private, container (PKCS#1 / PKCS#8 / SPKI / certificate),
            encoding (PEM / bare base64 / DER), algorithm, size and SHA-256 fingerprint. Never prints the key.
            Compare fingerprints to see whether two files are halves of one pair.

Exit codes: 0 done / usable AMS key, 1 a key that AMS cannot use (too short, not RSA, encrypted),
            2 unusable input (missing file, not a key, files already exist).

Examples:
  ams-cashier keys generate --out ./keys
  ams-cashier keys inspect keys/alipay_public_key.txt
`;

export const GENERATED_FILES = Object.freeze({ privateKey: 'app_private_key.pem', publicKey: 'app_public_key.txt' });

export interface GenerateResult {
  dir: string;
  files: { path: string; kind: 'private' | 'public'; format: string; mode: string }[];
  bits: number;
  fingerprint: string;
}

/** Writes the pair; refuses when either file exists (nothing is written then). */
export function generateKeyFiles(dir: string): GenerateResult {
  const privatePath = join(dir, GENERATED_FILES.privateKey);
  const publicPath = join(dir, GENERATED_FILES.publicKey);
  const existing = [privatePath, publicPath].filter((p) => existsSync(p));
  if (existing.length > 0)
    throw new CliUsageError(
      `refusing to overwrite ${existing.join(' and ')}: choose another --out directory, or move the existing keys away first`,
      { command: 'keys' },
    );
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new CliUsageError(`--out ${dir} exists and is not a directory`, { command: 'keys' });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: MIN_RSA_BITS, publicExponent: 0x10001 });
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const spki = (publicKey.export({ type: 'spki', format: 'der' }) as Buffer).toString('base64');
  // 'wx' fails if the file appeared meanwhile; the mode is set at creation, so the key is never world-readable.
  const write = (path: string, text: string) => {
    const fd = openSync(path, 'wx', 0o600);
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
  };
  write(privatePath, pkcs8);
  write(publicPath, `${spki}\n`);
  const d = describeKey(privateKey);
  return {
    dir,
    files: [
      { path: privatePath, kind: 'private', format: 'PKCS#8 PEM', mode: '0600' },
      { path: publicPath, kind: 'public', format: 'SPKI, bare base64 (to upload)', mode: '0600' },
    ],
    bits: d.bits ?? MIN_RSA_BITS,
    fingerprint: d.fingerprint,
  };
}

export function formatInspection(file: string, k: KeyInspection): string {
  if (!k.readable) return `${file}: not a key — ${k.problem ?? 'unreadable'}`;
  const lines = [
    `${file}:`,
    `  type:        ${k.type ?? 'unknown'} key`,
    `  format:      ${formatWords(k.format)}`,
    `  encoding:    ${k.encoding === 'base64' ? 'bare base64 (no PEM lines)' : k.encoding?.toUpperCase()}`,
    `  algorithm:   ${k.algorithm ?? 'unknown'}${k.bits ? ` ${k.bits} bits` : ''}`,
  ];
  if (k.fingerprint) lines.push(`  fingerprint: SHA256:${k.fingerprint}${k.type === 'private' ? ' (of its public half)' : ''}`);
  lines.push(k.usable ? '  usable for AMS: yes' : `  usable for AMS: NO — ${k.problem}`);
  if (k.usable && k.type === 'private')
    lines.push('  → your private key: configure it as privateKey; upload its public half (same fingerprint) to Alipay.');
  if (k.usable && k.type === 'public')
    lines.push(
      "  → a public key: if it is Alipay's, configure it as alipayPublicKey; if its fingerprint matches your private key, it is YOUR public key (upload it, never use it as Alipay's).",
    );
  return lines.join('\n');
}

export async function runKeys(argv: string[], io: CliIo): Promise<ExitCode> {
  const [sub, ...rest] = argv;
  if (sub === undefined) {
    // Asked for nothing: usage goes to stderr with exit 2, as for `ams-cashier` alone, so `… > file` stays empty.
    io.err(KEYS_HELP);
    return EXIT.USAGE;
  }
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    io.out(KEYS_HELP);
    return EXIT.OK;
  }
  if (sub === 'generate') {
    const parsed = parseCommandArgs('keys', rest, { out: { type: 'string' }, json: { type: 'boolean' } });
    if (parsed.values.help) {
      io.out(KEYS_HELP);
      return EXIT.OK;
    }
    const out = parsed.values.out;
    if (typeof out !== 'string' || out === '') throw new CliUsageError('missing --out DIR', { command: 'keys' });
    const result = generateKeyFiles(resolve(io.cwd, out));
    io.out(
      parsed.values.json
        ? envelope('keys generate', true, result)
        : [
            `Generated an RSA-${result.bits} key pair (fingerprint SHA256:${result.fingerprint}):`,
            ...result.files.map((f) => `  ${f.path}  ${f.kind}, ${f.format}, mode ${f.mode}`),
            'Next: paste the content of app_public_key.txt in the Antom dashboard (Developer → Key configuration),',
            "      then download Alipay's public key there; configure app_private_key.pem as privateKey.",
          ].join('\n'),
    );
    return EXIT.OK;
  }
  if (sub === 'inspect') {
    const parsed = parseCommandArgs('keys', rest, { json: { type: 'boolean' } }, true);
    if (parsed.values.help) {
      io.out(KEYS_HELP);
      return EXIT.OK;
    }
    if (parsed.positionals.length !== 1)
      throw new CliUsageError('give one key file (or - for stdin): ams-cashier keys inspect <file>', { command: 'keys' });
    const file = parsed.positionals[0]!;
    const bytes = await readKeyArg(io, file, 'keys inspect', new StdinGuard(io));
    const k = inspectKeyBytes(bytes);
    const error = k.usable
      ? undefined
      : {
          code: k.readable ? 'KEY_NOT_USABLE' : 'NOT_A_KEY',
          message: `${file}: ${k.problem ?? 'not usable'}`,
          fix: k.readable
            ? `Generate a new RSA-${MIN_RSA_BITS} pair (ams-cashier keys generate --out DIR) and upload its public key.`
            : 'Give a key file: PEM (PKCS#1, PKCS#8, SPKI, certificate), bare base64 or DER.',
        };
    io.out(parsed.values.json ? envelope('keys inspect', k.usable, { file, ...k }, error) : formatInspection(file, k));
    return k.usable ? EXIT.OK : k.readable ? EXIT.FAIL : EXIT.USAGE;
  }
  throw new CliUsageError(`unknown keys subcommand "${sub}": use keys generate or keys inspect`, { command: 'keys' });
}
