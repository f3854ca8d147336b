// `npm run bench` still runs: every case once with tiny rounds (--smoke). Figures are not judged here (timing in unit
// tests is noise); this only catches a bench that no longer works against the client, as happened once.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

it('every bench case runs end to end and reports a figure', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ams-bench-'));
  try {
    const out = join(dir, 'results.json');
    // cold-import needs a built dist/, which `npm test` does not make; the others are self-contained.
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--smoke', '--no-profile', '--calls=500', '--only=sign,jsrsasign,notify,pay,diag', `--out=${out}`], {
      cwd: join(import.meta.dirname, '..', '..'),
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.stderr.split('\n').filter((l) => /Error|error:/.test(l))).toEqual([]);
    expect(run.status).toBe(0);
    const results = JSON.parse(readFileSync(out, 'utf8')) as { smoke: boolean; cases: Array<{ id: string; ratio: number | null }> };
    expect(results.smoke).toBe(true);
    const ids = results.cases.map((c) => c.id);
    for (const id of ['sign-keyobject', 'sign-pem', 'sign-base64', 'notify-verify', 'pay-loopback', 'pay-loopback-axios', 'pay-concurrent', 'pay-memory', 'diag-transport', 'diag-pipeline']) {
      expect(ids).toContain(id);
    }
    for (const c of results.cases) expect(Number.isFinite(c.ratio), c.id).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 150_000);
