// The package as users run it: the built dist/ (built first when missing or older than its sources), typed by src/.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The built package the bench measures: `dist/`, or the directory in AMS_BENCH_DIST (test/bench/smoke.test.ts builds
 * one of its own, ESM only, so a test never rebuilds the dist/ others may be reading).
 */
export const DIST = resolve(process.env['AMS_BENCH_DIST'] ?? join(ROOT, 'dist'));

/** An entry of the built package (`index`, `http`, …): as a URL for import(), as a file for a bundler, its CommonJS file. */
export const distUrl = (entry: string): string => pathToFileURL(distFile(entry)).href;
export const distFile = (entry: string): string => join(DIST, `${entry}.js`);
export const distCjs = (entry: string): string => join(DIST, `${entry}.cjs`);

function newestMtime(path: string): number {
  if (!statSync(path).isDirectory()) return statSync(path).mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export interface DistInfo {
  dir: string;
  /** Built by this run (it was missing, or older than what it is built from). */
  built: boolean;
}

let info: DistInfo | undefined;

/**
 * Builds dist/ (`npx tsup`) when it is missing or older than src/, the build step or the build config, so the
 * figures are always those of the current code. A directory given in AMS_BENCH_DIST is used as it is.
 */
export function ensureDist(): DistInfo {
  if (info) return info;
  const entry = join(DIST, 'index.js');
  if (process.env['AMS_BENCH_DIST'] !== undefined) {
    if (!existsSync(entry)) throw new Error(`AMS_BENCH_DIST=${DIST} holds no index.js`);
    return (info = { dir: DIST, built: false });
  }
  const sources = ['src', 'scripts', 'tsup.config.ts', 'package.json'].map((p) => join(ROOT, p)).filter((p) => existsSync(p));
  const stale = !existsSync(entry) || Math.max(...sources.map(newestMtime)) > statSync(entry).mtimeMs;
  if (stale) {
    process.stderr.write('bench: building dist/ (npx tsup): it is missing or older than src/\n');
    const run = spawnSync('npx', ['tsup', '--silent'], { cwd: ROOT, stdio: 'inherit' });
    if (run.status !== 0 || !existsSync(entry)) throw new Error('`npx tsup` did not build dist/');
  }
  return (info = { dir: DIST, built: stale });
}

ensureDist();

// The entries the in-process cases use, each as its documented home exports it; types from the sources.
export const root = (await import(distUrl('index'))) as typeof import('../src/index');
export const notifications = (await import(distUrl('notifications'))) as typeof import('../src/notifications/index');
/** Loaded when their cases run: they pull in csv-parse and the BullMQ glue. */
export const loadReports = async (): Promise<typeof import('../src/reports/index')> =>
  (await import(distUrl('reports'))) as typeof import('../src/reports/index');
export const loadBullmq = async (): Promise<typeof import('../src/bullmq/index')> =>
  (await import(distUrl('bullmq'))) as typeof import('../src/bullmq/index');
