// Builds the CLI once per test file with tsup into a temp dir and runs the BUILT bin with child_process.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const KEYS = join(ROOT, 'test/vectors/keys');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface BuiltCli {
  bin: string;
  dir: string;
  run(args: string[], options?: { stdin?: string | Buffer; cwd?: string }): RunResult;
  /** The same without blocking the event loop, for commands that talk to a server in this process; `env` is added. */
  runAsync(args: string[], options?: { cwd?: string; env?: Record<string, string> }): Promise<RunResult>;
  /** A fresh directory under os.tmpdir() for a test's files. */
  tmp(prefix?: string): string;
  cleanup(): void;
}

/** tsup's programmatic build of src/cli/main.ts (ESM), the same entry as the package bin. */
export async function buildCli(): Promise<BuiltCli> {
  const dir = mkdtempSync(join(tmpdir(), 'ams-cli-'));
  // The bin keeps its dependencies external, as in the package; a node_modules link lets them resolve from tmp.
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  await build({
    entry: { main: join(ROOT, 'src/cli/main.ts') },
    format: ['esm'],
    outDir: join(dir, 'dist'),
    dts: false,
    silent: true,
    config: false,
    platform: 'node',
    target: 'node20',
    splitting: false,
    sourcemap: false,
    clean: false,
  });
  const bin = join(dir, 'dist', 'main.js');
  const temps: string[] = [];
  return {
    bin,
    dir,
    run(args, options = {}) {
      const r = spawnSync(process.execPath, [bin, ...args], {
        cwd: options.cwd ?? dir,
        input: options.stdin ?? '',
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
        timeout: 30_000,
      });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    runAsync(args, options = {}) {
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [bin, ...args], {
          cwd: options.cwd ?? dir,
          env: { ...process.env, NO_COLOR: '1', ...options.env },
          stdio: ['ignore', 'pipe', 'pipe'],
          timeout: 30_000,
        });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    },
    tmp(prefix = 'ams-cli-case-') {
      const d = mkdtempSync(join(tmpdir(), prefix));
      temps.push(d);
      return d;
    },
    cleanup() {
      for (const d of [dir, ...temps]) rmSync(d, { recursive: true, force: true });
    },
  };
}

export function writeFiles(dir: string, files: Record<string, string | Buffer>): void {
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
}
