// Cold import time: a fresh node process per sample, timing one dynamic import() inside it.
import { execFileSync } from 'node:child_process';
import { judge, round, fmtMs, type CaseResult, type Target } from './case';
import { ROOT, distUrl, ensureDist } from './dist';
import { median, smoke } from './harness';

/** The script each fresh process runs: time the import, print milliseconds. No loader flags: plain node. */
function script(specifier: string): string {
  return (
    `const t0 = performance.now(); await import(${JSON.stringify(specifier)}); ` + `process.stdout.write(String(performance.now() - t0));`
  );
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Milliseconds for one cold import of `specifier` in a fresh process (resolved from the package root). Other people
 * may rebuild dist/ while the bench runs (tsup cleans it first), so a failed import is retried after a pause.
 */
export function coldImportOnce(specifier: string, extraArgs: readonly string[] = []): number {
  for (let attempt = 1; ; attempt++) {
    try {
      const out = execFileSync(process.execPath, [...extraArgs, '--input-type=module', '-e', script(specifier)], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, NODE_OPTIONS: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      return Number(out);
    } catch (err) {
      if (attempt >= 5) throw err;
      sleepSync(3000);
    }
  }
}

/** Alternates fresh processes: the package, axios, the package, axios … after one discarded pair (disk cache). */
export function coldImportCase(samples: number): CaseResult {
  ensureDist();
  const pkg = distUrl('index');
  coldImportOnce(pkg);
  coldImportOnce('axios');
  const packageMs: number[] = [];
  const axiosMs: number[] = [];
  for (let i = 0; i < (smoke.enabled ? 1 : samples); i++) {
    packageMs.push(coldImportOnce(pkg));
    axiosMs.push(coldImportOnce('axios'));
  }
  const ratio = median(packageMs) / median(axiosMs);
  const target: Target = { kind: 'max', value: 2, unit: '× time' };
  return {
    id: 'cold-import',
    case: "cold import('ams-cashier') (dist/index.js), timed inside the process",
    comparedWith: "import('axios') alone",
    measure: 'import time in a fresh node process (ms A ÷ ms B)',
    ratio: round(ratio, 4),
    target,
    status: judge(ratio, target),
    figures: `${fmtMs(median(packageMs))} vs ${fmtMs(median(axiosMs))}`,
    details: {
      medianPackageMs: round(median(packageMs), 1),
      medianAxiosMs: round(median(axiosMs), 1),
      packageMs: packageMs.map((v) => round(v, 1)),
      axiosMs: axiosMs.map((v) => round(v, 1)),
    },
  };
}

/** Per-dependency import cost in fresh processes, to explain a slow package import. */
export function dependencyImportCosts(specifiers: readonly string[], samples: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of specifiers) {
    const ms: number[] = [];
    for (let i = 0; i < samples; i++) ms.push(coldImportOnce(s));
    out[s] = median(ms);
  }
  return out;
}
