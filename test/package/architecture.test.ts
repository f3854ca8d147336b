// Keeps docs/architecture.md true: the arrows between the rooms (notifications → client: test/notifications/imports.test.ts), the files that alone load an optional dependency,
// and every home the rule map names exists.
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
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
  for (const m of code.matchAll(/^import\s+['"]([^'"]+)['"]/gm)) found.push(m[1]!);
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

/** The layer table of docs/architecture.md: room (a top-level file or folder of src/) → layer. */
function layerTable(): Map<string, number> {
  const doc = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
  const table = new Map<string, number>();
  for (const m of doc.matchAll(/^\| (\d) \| (.+) \|$/gm))
    for (const room of m[2]!.matchAll(/`([^`]+)`/g)) table.set(room[1]!.replace(/\/$/, ''), Number(m[1]));
  return table;
}

/** Resolves a relative import of `from` to a file under src/, or undefined for a package or a missing file. */
function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = join(dirname(from), spec);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) if (existsSync(join(ROOT, candidate))) return candidate;
  return undefined;
}

const isEntry = (f: string): boolean => f === 'src/index.ts' || /^src\/[a-z]+\/index\.ts$/.test(f);

describe('imports run down the layer table', () => {
  const table = layerTable();
  const room = (f: string): string => f.replace(/^src\//, '').split('/')[0]!;
  const graph = new Map(SRC.map((f) => [f, importsOf(f).flatMap((s) => resolveImport(f, s) ?? [])]));

  it('every room has a layer', () => {
    expect(table.size).toBeGreaterThan(10);
    expect([...new Set(SRC.filter((f) => f !== 'src/index.ts').map(room))].filter((r) => !table.has(r))).toEqual([]);
  });

  it('no file imports a higher layer (entry points gather from any layer below the CLI)', () => {
    const upward = SRC.flatMap((f) =>
      graph
        .get(f)!
        .filter((to) => (isEntry(f) ? room(to) === 'cli' : table.get(room(to))! > table.get(room(f))!))
        .map((to) => `${f} → ${to}`),
    );
    expect(upward).toEqual([]);
  });

  it('no import cycle', () => {
    const state = new Map<string, 1 | 2>();
    const cycles: string[] = [];
    const visit = (f: string, path: string[]): void => {
      state.set(f, 1);
      for (const to of graph.get(f) ?? []) {
        if (state.get(to) === 1) cycles.push([...path.slice(path.indexOf(to)), to].join(' → '));
        else if (!state.has(to)) visit(to, [...path, to]);
      }
      state.set(f, 2);
    };
    for (const f of SRC) if (!state.has(f)) visit(f, [f]);
    expect(cycles).toEqual([]);
  });

  it('the CLI is imported by nothing in src/ outside cli/', () => {
    expect(SRC.filter((f) => room(f) !== 'cli' && graph.get(f)!.some((to) => room(to) === 'cli'))).toEqual([]);
  });

  it('ams-cashier/signing loads no zod, even through what it imports', () => {
    const seen = new Set<string>();
    const zod: string[] = [];
    const walk = (f: string): void => {
      if (seen.has(f)) return;
      seen.add(f);
      if (importsOf(f).some((s) => s === 'zod' || s.startsWith('zod/'))) zod.push(f);
      for (const to of graph.get(f) ?? []) walk(to);
    };
    walk('src/signing/index.ts');
    expect(zod).toEqual([]);
  });
});
