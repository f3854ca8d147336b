// After the whole run: one summary of the suites skipped because a real service (redis-server, sshd, Chromium) is missing.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function setup(): void {
  process.env.AMS_SKIPS_DIR = mkdtempSync(join(tmpdir(), 'ams-skips-'));
}

export function teardown(): void {
  const dir = process.env.AMS_SKIPS_DIR;
  if (!dir) return;
  const lines = new Map<string, number>();
  for (const file of readdirSync(dir))
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) if (line) lines.set(line, (lines.get(line) ?? 0) + 1);
  rmSync(dir, { recursive: true, force: true });
  if (lines.size === 0) return;
  console.warn(`\nSkipped for want of a real service (CI runs them all):`);
  for (const [line, files] of lines) console.warn(`  - ${line} [${files} file(s)]`);
}
