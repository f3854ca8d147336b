// `npm run bench` still runs: every case once with tiny rounds (--smoke), on a build of its own. Figures are not judged
// here (timing in unit tests is noise); this only catches a bench that does not work against the built package.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { afterAll, beforeAll, expect, it } from 'vitest';
import tsupConfig from '../../tsup.config';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Inside the repository (git-ignored), so the built files resolve zod & co. from its node_modules.
const DIR = join(ROOT, '.tmp', `bench-smoke-${process.pid}`);
const DIST = join(DIR, 'dist');

/** Runs the bench in a child process on the build in DIST; resolves with its exit code and stderr (killed after `ms`). */
function runBench(args: string[], ms: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, AMS_BENCH_DIST: DIST },
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

beforeAll(async () => {
  // The bench measures the built package, which `npm test` does not build: the package's own build settings (the
  // chunk regrouping included), ESM only and without declarations, into a directory of this test's, so the dist/
  // others may be reading is never rebuilt under them.
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  await build({ ...tsupConfig, format: ['esm'], dts: false, sourcemap: false, outDir: DIST, silent: true, config: false });
}, 120_000);

afterAll(() => rmSync(DIR, { recursive: true, force: true }));

it('every bench case runs end to end on the built package and reports a figure', async () => {
  const out = join(DIR, 'results.json');
  // cold-require needs the CommonJS build, and inbox-ack a redis-server: both are left to `npm run bench`.
  const only = 'import,cold-import,cold-start,cold-first-pay,sign,jsrsasign,notify,pay,diag,reports,reconcile';
  const run = await runBench(['--smoke', '--no-profile', '--calls=500', `--only=${only}`, `--out=${out}`], 180_000);
  expect(run.stderr.split('\n').filter((l) => /Error|error:/.test(l))).toEqual([]);
  expect(run.code).toBe(0);
  const results = JSON.parse(readFileSync(out, 'utf8')) as {
    smoke: boolean;
    dist: { dir: string };
    cases: Array<{ id: string; ratio: number | null }>;
  };
  expect(results.smoke).toBe(true);
  expect(results.dist.dir).toBe(DIST);
  expect(results.cases.map((c) => c.id).sort()).toEqual(
    [
      'import-overhead',
      'import-overhead-bundled',
      'import-overhead-clean-env',
      'import-overhead-bundled-clean-env',
      'cold-import',
      'cold-start-bundled',
      'cold-start-tls-vs-floor',
      'cold-start-tls',
      'cold-start-tls-floor',
      'cold-first-pay',
      'sign-keyobject',
      'sign-pem',
      'sign-base64',
      'jsrsasign-sign',
      'jsrsasign-verify',
      'notify-verify',
      'notify-verify-keyobject',
      'diag-notify-ceiling',
      'pay-loopback',
      'pay-loopback-axios',
      'pay-concurrent',
      'pay-session-loopback',
      'diag-transport',
      'diag-pipeline',
      'diag-raw-concurrent',
      'diag-loopback-memory',
      'diag-loopback-memory-axios',
      'pay-memory',
      'reports-read',
      'reconcile-stream',
    ].sort(),
  );
  for (const c of results.cases) expect(Number.isFinite(c.ratio), c.id).toBe(true);
}, 240_000);
