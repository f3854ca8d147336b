// Test runner configuration: two lanes (unit: pure and in-process; system: real processes, servers, browsers), the
// suite-wide secrets check, the summary of skipped services, generous timeouts for real sockets.
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
const resolve = { alias: packageAliases() };

/**
 * The system lane: tests that start processes (the built CLI, the examples, the bench), real services (redis-server,
 * sshd, Chromium), or read files of hundreds of megabytes. Everything else is the unit lane (`npm run test:unit`).
 */
const SYSTEM = [
  'test/redis/**',
  'test/bullmq/**',
  'test/browser/**',
  'test/cli/**',
  'test/examples/**',
  'test/bench/**',
  'test/package/**',
  'test/reports/fetch*.test.ts',
  'test/reports/known-hosts.test.ts',
  'test/reports/stream.test.ts',
  'test/reports/adversarial-cli.test.ts',
  'test/reliability/notification-soak.test.ts',
  'test/doctor/demo.test.ts',
];

const shared = {
  environment: 'node',
  testTimeout: 20_000,
  hookTimeout: 30_000,
  pool: 'forks' as const,
  // Every logged line of the whole suite is checked for secrets once all files have run; no file inherits a proxy
  // from the environment (the default transport would route through it).
  setupFiles: ['test/setup/secrets-sink.ts', 'test/setup/no-proxy-env.ts'],
};

export default defineConfig({
  test: {
    globalSetup: ['test/setup/secrets-global.ts', 'test/setup/services-global.ts'],
    projects: [
      { resolve, test: { ...shared, name: 'unit', include: ['test/**/*.test.ts'], exclude: SYSTEM } },
      { resolve, test: { ...shared, name: 'system', include: SYSTEM.map((g) => (g.endsWith('/**') ? `${g}/*.test.ts` : g)) } },
    ],
  },
});
