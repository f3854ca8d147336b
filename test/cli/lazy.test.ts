// The bin loads a command's code only when that command runs: `--help`, `--version` and `sign` never load the YAML
// and CSV parsers, Redis, BullMQ, or the doctor, reconcile and inbox chunks. Checked in the ESM and the CJS build by
// recording every module the process loads (an ESM resolve hook; require.cache for CJS), not by timing.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyPath } from '../helpers/keys';
import { useBuiltCli, type BuiltCli } from './helpers';

/** Packages and command chunks that the light commands must not load. */
const HEAVY = /node_modules\/(?:yaml|csv-parse|bullmq|ioredis)\/|\/dist\/(?:doctor|reconcile|inbox|check)-[^/]*\.c?js$/;

const ESM_HOOKS = `import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(log, result.url + '\\n');
  return result;
}
`;
const ESM_REGISTER = `import { register } from 'node:module';
register('./hooks.mjs', import.meta.url, { data: { log: process.env.AMS_LOAD_LOG } });
`;
const CJS_PRELOAD = `const { writeFileSync } = require('node:fs');
process.on('exit', () => writeFileSync(process.env.AMS_LOAD_LOG, Object.keys(require.cache).join('\\n')));
`;

/** Runs the built bin and returns its exit code, its stdout and every module file it loaded. */
function loaded(cli: BuiltCli, format: 'esm' | 'cjs', args: string[]): { code: number | null; stdout: string; modules: string[] } {
  const log = join(cli.tmp('ams-cli-load-'), 'modules.txt');
  writeFileSync(log, '');
  const preload = format === 'esm' ? ['--import', join(cli.dir, 'register.mjs')] : ['-r', join(cli.dir, 'preload.cjs')];
  const r = spawnSync(process.execPath, [...preload, cli.bin, ...args], {
    cwd: cli.dir,
    encoding: 'utf8',
    env: { ...process.env, AMS_LOAD_LOG: log, NO_COLOR: '1' },
    timeout: 30_000,
  });
  const modules = readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.replace(/^file:\/\//, ''));
  return { code: r.status, stdout: r.stdout, modules };
}

for (const format of ['esm', 'cjs'] as const) {
  describe(`ams-cashier loads commands lazily (${format} build)`, () => {
    const cli = useBuiltCli(format);
    const setUp = (): void => {
      writeFileSync(join(cli.dir, 'hooks.mjs'), ESM_HOOKS);
      writeFileSync(join(cli.dir, 'register.mjs'), ESM_REGISTER);
      writeFileSync(join(cli.dir, 'preload.cjs'), CJS_PRELOAD);
    };

    it('the recorder sees a heavy command load its parser (the check below can fail)', () => {
      setUp();
      const r = loaded(cli, format, ['check', '--help']);
      expect(r.code).toBe(0);
      expect(r.modules.some((m) => /node_modules\/yaml\//.test(m))).toBe(true);
      expect(r.modules.some((m) => /\/dist\/check-[^/]*\.c?js$/.test(m))).toBe(true);
    });

    it('--help, --version and sign load none of the heavy modules', () => {
      setUp();
      const body = join(cli.tmp(), 'body.json');
      writeFileSync(body, '{"paymentRequestId":"p-1"}');
      const runs = {
        help: loaded(cli, format, ['--help']),
        version: loaded(cli, format, ['--version']),
        sign: loaded(cli, format, [
          'sign',
          '--client-id',
          'SANDBOX_X',
          '--key',
          keyPath('merchant_private_pkcs8.pem'),
          '--api',
          'pay',
          '--body',
          body,
        ]),
      };
      expect(runs.help.stdout).toContain('Usage: ams-cashier <command>');
      expect(runs.version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
      expect(runs.sign.stdout).toContain('Signature: algorithm=RSA256');
      for (const [name, r] of Object.entries(runs)) {
        expect(r.code, name).toBe(0);
        expect(r.modules.length, `${name} recorded its modules`).toBeGreaterThan(0);
        expect(
          r.modules.filter((m) => HEAVY.test(m)),
          name,
        ).toEqual([]);
      }
    });
  });
}
