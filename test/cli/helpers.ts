// Builds the CLI once per test file with tsup into a temp dir and runs the BUILT bin with child_process.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
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

/**
 * tsup's programmatic build of src/cli/main.ts, the same entry as the package bin, split into chunks as the package
 * build is (each command's module is its own chunk, loaded when the command runs). ESM by default, as the bin.
 */
export async function buildCli(format: 'esm' | 'cjs' = 'esm'): Promise<BuiltCli> {
  const dir = mkdtempSync(join(tmpdir(), 'ams-cli-'));
  // The bin keeps its dependencies external, as in the package; a node_modules link lets them resolve from tmp.
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  await build({
    entry: { main: join(ROOT, 'src/cli/main.ts') },
    format: [format],
    outDir: join(dir, 'dist'),
    dts: false,
    silent: true,
    config: false,
    platform: 'node',
    target: 'node20',
    splitting: true,
    shims: true,
    sourcemap: false,
    clean: false,
  });
  const bin = join(dir, 'dist', format === 'esm' || !existsSync(join(dir, 'dist', 'main.cjs')) ? 'main.js' : 'main.cjs');
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

/**
 * The CLI, built before the file's tests and removed after them. Use it inside tests or later hooks (hooks run in
 * the order they are declared, so a `beforeAll` declared after this call sees the built CLI).
 */
export function useBuiltCli(format: 'esm' | 'cjs' = 'esm'): BuiltCli {
  let built: BuiltCli | undefined;
  beforeAll(async () => {
    built = await buildCli(format);
  }, 120_000);
  afterAll(() => built?.cleanup());
  const cli = (): BuiltCli => {
    if (!built) throw new Error('the CLI is built in beforeAll: use it inside a test or a later hook');
    return built;
  };
  return {
    get bin() {
      return cli().bin;
    },
    get dir() {
      return cli().dir;
    },
    run: (args, options) => cli().run(args, options),
    runAsync: (args, options) => cli().runAsync(args, options),
    tmp: (prefix) => cli().tmp(prefix),
    cleanup: () => cli().cleanup(),
  };
}
