// `npm run bench` still runs: every case once with tiny rounds (--smoke). Figures are not judged here (timing in unit
// tests is noise); this only catches a bench that does not work against the client (e.g. a gateway echoing the wrong id).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the bench in a child process; resolves with its exit code and stderr (killed after `ms`). */
function runBench(args: string[], ms: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
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

it('every bench case runs end to end and reports a figure', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ams-bench-'));
  try {
    const out = join(dir, 'results.json');
    // cold-import needs a built dist/, which `npm test` does not make; the others are self-contained.
    const run = await runBench(
      ['--smoke', '--no-profile', '--calls=500', '--only=sign,jsrsasign,notify,pay,diag,reports,reconcile', `--out=${out}`],
      120_000,
    );
    expect(run.stderr.split('\n').filter((l) => /Error|error:/.test(l))).toEqual([]);
    expect(run.code).toBe(0);
    const results = JSON.parse(readFileSync(out, 'utf8')) as { smoke: boolean; cases: Array<{ id: string; ratio: number | null }> };
    expect(results.smoke).toBe(true);
    expect(results.cases.map((c) => c.id).sort()).toEqual(
      [
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
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 150_000);
