// Build: ESM + CJS with type declarations for the package entry points. Shared code (the error classes) goes to
// shared chunks so `instanceof AmsError` holds across `ams-cashier` and its subpaths.
import { defineConfig } from 'tsup';
import { esmChunkGroups } from './scripts/esm-chunks';

const entries = {
  index: 'src/index.ts',
  signing: 'src/signing/index.ts',
  rules: 'src/rules/index.ts',
  notifications: 'src/notifications/index.ts',
  http: 'src/http/index.ts',
  schemas: 'src/schemas/index.ts',
  redis: 'src/redis/index.ts',
  bullmq: 'src/bullmq/index.ts',
  reports: 'src/reports/index.ts',
  'mocks/index': 'mocks/index.ts',
  'mocks/msw': 'mocks/msw.ts',
};
const bin = { 'cli/main': 'src/cli/main.ts' };

export default defineConfig({
  entry: { ...entries, ...bin },
  format: ['esm', 'cjs'],
  dts: { entry: entries },
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: true,
  treeshake: true,
  shims: true,
  external: ['ioredis', 'msw', 'bullmq', 'ssh2-sftp-client'],
  // The root import reads 3 files instead of 30 (scripts/esm-chunks.ts).
  plugins: [esmChunkGroups({ root: 'index', zodFree: ['signing'] })],
});
