// Test runner configuration: node environment, the suite-wide secrets check, generous timeouts for real sockets.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * `ams-cashier` and its subpaths, as the examples import them, resolve to this checkout's sources: the mapping is
 * tsconfig.json's `paths` (which tsc and tsx read too), so tests run the examples' imports against the same classes.
 */
function packageAliases(): Array<{ find: RegExp; replacement: string }> {
  const tsconfig = JSON.parse(readFileSync(new URL('./tsconfig.json', import.meta.url), 'utf8')) as {
    compilerOptions: { paths: Record<string, [string]> };
  };
  return Object.entries(tsconfig.compilerOptions.paths).map(([name, [target]]) => ({
    find: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\/]/g, (c) => (c === '*' ? '([\\w-]+)' : `\\${c}`))}$`),
    replacement: fileURLToPath(new URL(target.replace('*', '$1'), import.meta.url)),
  }));
}

export default defineConfig({
  resolve: { alias: packageAliases() },
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Every logged line of the whole suite is checked for secrets once all files have run; no file inherits a
    // proxy from the environment (the default transport would route through it).
    setupFiles: ['test/setup/secrets-sink.ts', 'test/setup/no-proxy-env.ts'],
    globalSetup: ['test/setup/secrets-global.ts'],
  },
});
