// Cold import time: a fresh node process per sample, timing one dynamic import() inside it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './harness';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

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
 * rebuild dist/ while the bench runs (tsup cleans it first), so a failed import is retried after a pause.
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

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export interface DistInfo {
  built: boolean;
  /** True when some file under src/ is newer than dist/index.js. */
  stale: boolean;
}

/** Makes sure dist/ exists (npx tsup when missing); reports whether it is older than src/. */
export function ensureDist(): DistInfo {
  const entry = join(ROOT, 'dist', 'index.js');
  let built = false;
  if (!existsSync(entry)) {
    spawnSync('npx', ['tsup'], { cwd: ROOT, stdio: 'inherit' });
    built = true;
  }
  if (!existsSync(entry)) throw new Error('dist/index.js is missing and `npx tsup` did not produce it');
  return { built, stale: newestMtime(join(ROOT, 'src')) > statSync(entry).mtimeMs };
}

export interface ColdImportResult {
  packageMs: number[];
  axiosMs: number[];
  medianPackageMs: number;
  medianAxiosMs: number;
}

/** Alternates fresh processes: ams-cashier, axios, ams-cashier, axios … after one discarded pair (disk cache). */
export function coldImport(samples: number): ColdImportResult {
  coldImportOnce('ams-cashier');
  coldImportOnce('axios');
  const packageMs: number[] = [];
  const axiosMs: number[] = [];
  for (let i = 0; i < samples; i++) {
    packageMs.push(coldImportOnce('ams-cashier'));
    axiosMs.push(coldImportOnce('axios'));
  }
  return { packageMs, axiosMs, medianPackageMs: median(packageMs), medianAxiosMs: median(axiosMs) };
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
