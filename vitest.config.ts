// Test runner configuration: node environment, the suite-wide secrets check, generous timeouts for real sockets.
import { defineConfig } from 'vitest/config';

export default defineConfig({
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
