// Keeps docs/architecture.md true: the arrows between the rooms (notifications → client: test/notifications/imports.test.ts), the files that alone load an optional dependency,
// and every home the rule map names exists.
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(ROOT, dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(relative(ROOT, path)));
    else if (name.endsWith('.ts')) out.push(relative(ROOT, path));
  }
  return out;
}

/** Every module a file imports, statically or dynamically, as written. */
function importsOf(file: string): string[] {
  const code = readFileSync(join(ROOT, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:\\])\/\/.*$/gm, '$1');
  const found: string[] = [];
  for (const m of code.matchAll(/\b(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g)) found.push(m[1]!);
  for (const m of code.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(m[1]!);
  for (const m of code.matchAll(/\brequire(?:\.resolve)?\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(m[1]!);
  return found;
}

const SRC = filesUnder('src');

describe('architecture', () => {
  it('the gateway uses the public API and the protocol rules, not the request pipeline or the transports', () => {
    const offenders = filesUnder('mocks').flatMap((f) =>
      importsOf(f)
        .filter((s) => /src\/(http\/|api\/call$)/.test(s))
        .map((s) => `${f} → ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('one file loads axios, one loads jsrsasign', () => {
    const loaders = (dep: string) => SRC.filter((f) => importsOf(f).some((s) => s === dep || s.startsWith(`${dep}/`)));
    expect(loaders('axios')).toEqual(['src/http/axios-transport.ts']);
    expect(loaders('jsrsasign')).toEqual(['src/signing/backend.ts']);
  });

  it('every file the rule map names exists', () => {
    const doc = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
    const named = [...doc.matchAll(/`((?:src|mocks)\/[\w./-]+\.ts)`/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(30);
    expect(named.filter((f) => !existsSync(join(ROOT, f)))).toEqual([]);
  });

  it('every source file starts with one line saying what it is for', () => {
    const bare = [...SRC, ...filesUnder('mocks')].filter((f) => !/^(#!.*\n)?\/\/ \S/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(bare).toEqual([]);
  });
});
