// Test runner configuration: two lanes (unit: pure and in-process; system: real processes, servers, browsers), the
// suite-wide secrets check, the summary of skipped services, generous timeouts for real sockets.
import { defineConfig } from 'vitest/config';

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
      { test: { ...shared, name: 'unit', include: ['test/**/*.test.ts'], exclude: SYSTEM } },
      { test: { ...shared, name: 'system', include: SYSTEM.map((g) => (g.endsWith('/**') ? `${g}/*.test.ts` : g)) } },
    ],
  },
});
