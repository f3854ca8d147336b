// package.json as a consumer meets it: nothing runs on install, the mocks entry needs no msw, every entry is built and typed.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json';
import tsup from '../../tsup.config';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Every module `file` reaches through relative imports (type-only ones too: they end up in the .d.ts), and the packages it names. */
function reach(file: string, seen = new Set<string>(), packages = new Set<string>()): { files: Set<string>; packages: Set<string> } {
  if (seen.has(file)) return { files: seen, packages };
  seen.add(file);
  const code = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:\\])\/\/.*$/gm, '$1');
  const specs = [
    ...code.matchAll(/\b(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g),
    ...code.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
    ...code.matchAll(/\brequire\)?\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]!);
  for (const spec of specs) {
    const base = resolve(dirname(file), spec);
    if (spec.startsWith('.')) reach(existsSync(`${base}.ts`) ? `${base}.ts` : join(base, 'index.ts'), seen, packages);
    else packages.add(spec);
  }
  return { files: seen, packages };
}

describe('package.json', () => {
  it('runs nothing on a consumer install: the build is prepack, not prepare or an install script', () => {
    const scripts = pkg.scripts as Record<string, string>;
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(scripts, hook).not.toHaveProperty(hook);
    expect(scripts.prepack).toMatch(/\btsup\b/);
  });

  it('ships the examples, which import the package by its name, and the CLI output schema', () => {
    expect(pkg.files).toContain('examples');
    expect(pkg.files).toContain('docs/cli-output.schema.json');
    expect((pkg.exports as Record<string, unknown>)['./cli-output.schema.json']).toBe('./docs/cli-output.schema.json');
  });

  it('ams-cashier/mocks and everything it reaches never import msw; ams-cashier/mocks/msw is its own entry', () => {
    const { files, packages } = reach(join(ROOT, 'mocks/index.ts'));
    expect(files.has(join(ROOT, 'mocks/msw.ts'))).toBe(false);
    expect([...packages].filter((p) => p === 'msw' || p.startsWith('msw/'))).toEqual([]);
    expect(reach(join(ROOT, 'mocks/msw.ts')).packages.has('msw')).toBe(true);

    expect((pkg.exports as Record<string, unknown>)['./mocks/msw']).toEqual({
      import: { types: './dist/mocks/msw.d.ts', default: './dist/mocks/msw.js' },
      require: { types: './dist/mocks/msw.d.cts', default: './dist/mocks/msw.cjs' },
    });
    expect(pkg.typesVersions['*']['mocks/msw']).toEqual(['./dist/mocks/msw.d.ts']);
    const entries = (tsup as { entry: Record<string, string> }).entry;
    expect(entries['mocks/msw']).toBe('mocks/msw.ts');
    expect((tsup as { dts: { entry: Record<string, string> } }).dts.entry['mocks/msw']).toBe('mocks/msw.ts');
  });
});
