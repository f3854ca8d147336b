// Importing the built package (ESM and CJS) builds no schema and loads none of the optional dependencies; they load where used.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import tsupConfig from '../../tsup.config';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Inside the repository (git-ignored), so the built files resolve zod & co. from its node_modules.
const OUT = join(ROOT, '.tmp', `lean-import-${process.pid}`);
const KEYS = join(ROOT, 'test', 'vectors', 'keys');

/**
 * Dependencies that only some features need: none may load with the package or with a client on its defaults.
 * decimal.js is needed only for a Decimal amount given to the amount rules, and by the reports; proxy-from-env only
 * when the environment names a proxy.
 */
const HEAVY = ['axios', 'jsrsasign', 'yaml', 'qrcode-generator', 'csv-parse', 'decimal.js', 'proxy-from-env'];

/**
 * Runs in a fresh node: records every module the ESM loader resolves (a resolve hook that appends to a file, so the
 * list is complete when the import settles) and every CommonJS module in require.cache, then prints the packages.
 */
const PROBE = `
import { register, createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const [entry, log, mode, keys, control] = process.argv.slice(2);
writeFileSync(log, '');
const hook = "import { appendFileSync } from 'node:fs'; let out; export function initialize(d) { out = d.out; } " +
  "export async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(out, r.url + '\\\\n'); return r; }";
register('data:text/javascript,' + encodeURIComponent(hook), import.meta.url, { data: { out: log } });
const require = createRequire(import.meta.url);
// zod first, then count the schemas the import builds: zod gives every schema it constructs a '_zod' property.
if (mode === 'cjs') require('zod'); else await import('zod');
let schemas = 0;
const define = Object.defineProperty;
Object.defineProperty = function (o, k, d) { if (k === '_zod') schemas++; return define.call(this, o, k, d); };
const pkg = mode === 'cjs' ? require(entry) : await import(pathToFileURL(entry).href);
const schemasAtImport = schemas;
const privateKey = readFileSync(keys + '/merchant_private_pkcs8.pem', 'utf8');
// What a merchant does on the defaults: a client, a signed request, a verified signature.
const client = new pkg.AmsClient({ clientId: 'SANDBOX_1', privateKey, alipayPublicKey: readFileSync(keys + '/alipay_public.base64.txt', 'utf8'), baseUrl: 'http://127.0.0.1:9' });
const schemasForClient = schemas - schemasAtImport;
const input = { path: '/ams/api/v1/payments/pay', clientId: client.clientId, requestTime: '2026-11-22T08:00:00+00:00', body: '{}', privateKey };
pkg.signRequest(input);
if (control === 'control') {
  // The features that need them: the probe must see these load, or its silence above proves nothing.
  pkg.signRequest({ ...input, cryptoBackend: 'jsrsasign' });
  pkg.createAxiosTransport();
}
const urls = readFileSync(log, 'utf8').split('\\n').concat(Object.keys(require.cache).map((f) => pathToFileURL(f).href));
const names = urls.map((u) => /\\/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(u)?.[1]).filter(Boolean);
process.stdout.write(JSON.stringify({ packages: [...new Set(names)].sort(), schemasAtImport, schemasForClient }));
`;

interface Probe {
  /** The packages loaded from node_modules. */
  packages: string[];
  /** zod schemas constructed while the package was imported, and then while one client was built. */
  schemasAtImport: number;
  schemasForClient: number;
}

function probe(format: 'esm' | 'cjs', control = false): Probe {
  const entry = join(OUT, format === 'esm' ? 'index.js' : 'index.cjs');
  const out = execFileSync(
    process.execPath,
    [join(OUT, 'probe.mjs'), entry, join(OUT, `resolved-${format}-${control}.txt`), format, KEYS, control ? 'control' : ''],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    },
  );
  return JSON.parse(out) as Probe;
}

beforeAll(async () => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  // The package's own build settings (chunks, shims, externals), for the root entry only and without declarations.
  await build({ ...tsupConfig, entry: { index: 'src/index.ts' }, dts: false, sourcemap: false, outDir: OUT, silent: true, config: false });
  writeFileSync(join(OUT, 'probe.mjs'), PROBE);
}, 120_000);

afterAll(() => rmSync(OUT, { recursive: true, force: true }));

describe.each(['esm', 'cjs'] as const)('the %s build', (format) => {
  it('loads zod but none of the heavy optional dependencies, with a client on its defaults', () => {
    const { packages } = probe(format);
    expect(packages).toContain('zod');
    expect(packages.filter((name) => HEAVY.includes(name))).toEqual([]);
  }, 60_000);

  it('loads jsrsasign and axios once their features are used (the probe sees them)', () => {
    const { packages } = probe(format, true);
    expect(packages).toEqual(expect.arrayContaining(['axios', 'jsrsasign']));
  }, 60_000);

  it('builds no zod schema at import; the first client builds those it uses (the probe sees them)', () => {
    const { schemasAtImport, schemasForClient } = probe(format);
    expect(schemasAtImport).toBe(0);
    expect(schemasForClient).toBeGreaterThan(10);
  }, 60_000);
});

/** Every .ts file under a directory. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

it('the library imports none of its own modules dynamically (a bundler would wrap zod and every module below in lazy initializers: a bundled handler compiles them twice)', () => {
  const dynamic = sources(join(ROOT, 'src'))
    .filter((f) => !relative(ROOT, f).startsWith(join('src', 'cli')))
    .flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g)].map((m) => `${relative(ROOT, f)} → ${m[1]}`),
    );
  expect(dynamic).toEqual([]);
});
