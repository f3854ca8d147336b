// Bench rows for the import overhead: what importing the package costs beyond zod's own import, against `node -e 0`, as published and bundled.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundle } from './bundle';
import { judge, round, fmtMs, type CaseResult, type Target } from './case';
import { distFile, distUrl, ensureDist } from './dist';
import { median } from './harness';
import { processMs, rotateProcesses } from './process';

/** An ESM process that imports one specifier and exits. */
const importing =
  (specifier: string, env: Record<string, string> = {}) =>
  (): number =>
    processMs(['--input-type=module', '-e', `await import(${JSON.stringify(specifier)});`], env);

/**
 * With NODE_EXTRA_CA_CERTS set (this machine sets it for every process, to the system's bundle), Node reads the
 * certificates and starts OpenSSL before any script runs: `node -e 0` takes about 90 ms here instead of about 27.
 * Without it OpenSSL starts at the first `import 'node:crypto'`, which the package makes and zod does not, so that
 * start (about 6 ms) moves into the package's import. The judged rows take the environment as it is, as issue 29
 * measured it; the diagnostic row beside them is the same measurement without the variable.
 */
const WITHOUT_EXTRA_CA = { NODE_EXTRA_CA_CERTS: '' };

/** A row shown without a verdict (a diagnostic). */
function reported(c: CaseResult): CaseResult {
  return { ...c, target: null, status: 'reported' };
}

function overheadCase(
  id: string,
  title: string,
  target: Target,
  t: { pkg: number[]; zod: number[]; bare: number[] },
  note: string,
  details: Record<string, unknown>,
): CaseResult {
  // A difference of two noisy times: judged per round (the three processes of a round share the machine's moment),
  // then the median over rounds; the ratio of the medians is kept beside it as a cross-check.
  const ratio = median(t.pkg.map((v, i) => (v - t.zod[i]!) / t.bare[i]!));
  const over = median(t.pkg.map((v, i) => v - t.zod[i]!));
  return {
    id,
    case: title,
    comparedWith: 'node -e 0',
    measure: '(whole process importing the package − one importing zod alone) ÷ `node -e 0`, per round, median over rounds',
    ratio: round(ratio, 4),
    target,
    status: judge(ratio, target),
    figures: `+${fmtMs(over)} (${fmtMs(median(t.pkg))} − zod ${fmtMs(median(t.zod))}) vs ${fmtMs(median(t.bare))}`,
    details: {
      ratioOfMedians: round((median(t.pkg) - median(t.zod)) / median(t.bare), 4),
      medianPackageMs: round(median(t.pkg), 1),
      medianZodMs: round(median(t.zod), 1),
      medianBareMs: round(median(t.bare), 1),
      packageMs: t.pkg.map((v) => round(v, 1)),
      zodMs: t.zod.map((v) => round(v, 1)),
      bareMs: t.bare.map((v) => round(v, 1)),
      ...details,
    },
    note,
  };
}

/**
 * The package's own import cost: a process importing the root (dist/index.js) against one importing zod alone, the
 * difference over `node -e 0`; the same with both bundled by esbuild (`export * from …`), as a serverless deploy ships
 * them. All five kinds of process run in one rotation, so the three figures of each row come from the same rounds.
 */
export async function importOverheadCases(samples: number): Promise<CaseResult[]> {
  ensureDist();
  const dir = mkdtempSync(join(tmpdir(), 'ams-bench-import-'));
  try {
    const zodBundle = await bundle(dir, 'zod', "export * from 'zod';\n");
    const pkgBundle = await bundle(dir, 'ams-cashier', `export * from ${JSON.stringify(distFile('index'))};\n`);
    const t = rotateProcesses(
      {
        bare: () => processMs(['-e', '0']),
        zod: importing('zod'),
        pkg: importing(distUrl('index')),
        zodBundled: () => processMs([zodBundle.file]),
        pkgBundled: () => processMs([pkgBundle.file]),
        bareClean: () => processMs(['-e', '0'], WITHOUT_EXTRA_CA),
        zodClean: importing('zod', WITHOUT_EXTRA_CA),
        pkgClean: importing(distUrl('index'), WITHOUT_EXTRA_CA),
        zodBundledClean: () => processMs([zodBundle.file], WITHOUT_EXTRA_CA),
        pkgBundledClean: () => processMs([pkgBundle.file], WITHOUT_EXTRA_CA),
      },
      samples,
    );
    const extraCa = process.env['NODE_EXTRA_CA_CERTS']
      ? `NODE_EXTRA_CA_CERTS=${process.env['NODE_EXTRA_CA_CERTS']}`
      : 'no NODE_EXTRA_CA_CERTS';
    return [
      overheadCase(
        'import-overhead',
        "import('ams-cashier') beyond import('zod'), whole process (dist/index.js)",
        { kind: 'max', value: 0.4, unit: '× node -e 0' },
        { pkg: t.pkg, zod: t.zod, bare: t.bare },
        `fresh processes in rotating rounds, in this environment (${extraCa}); the ESM loader is on both sides of the difference`,
        {},
      ),
      overheadCase(
        'import-overhead-bundled',
        'the same, each bundled with esbuild (export * from …), whole process',
        { kind: 'max', value: 0.3, unit: '× node -e 0' },
        { pkg: t.pkgBundled, zod: t.zodBundled, bare: t.bare },
        `one ESM file each for node20, as a serverless deploy ships it (${extraCa})`,
        { bundleBytes: { package: pkgBundle.bytes, zod: zodBundle.bytes } },
      ),
      reported(
        overheadCase(
          'import-overhead-clean-env',
          'diagnostic: the import overhead without NODE_EXTRA_CA_CERTS (OpenSSL starts at the first node:crypto import)',
          { kind: 'max', value: 0.4, unit: '× node -e 0' },
          { pkg: t.pkgClean, zod: t.zodClean, bare: t.bareClean },
          'every process of the row without the variable, node -e 0 included',
          {},
        ),
      ),
      reported(
        overheadCase(
          'import-overhead-bundled-clean-env',
          'diagnostic: the same, bundled, without NODE_EXTRA_CA_CERTS',
          { kind: 'max', value: 0.3, unit: '× node -e 0' },
          { pkg: t.pkgBundledClean, zod: t.zodBundledClean, bare: t.bareClean },
          'every process of the row without the variable, node -e 0 included',
          {},
        ),
      ),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
