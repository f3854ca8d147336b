// Keeps src/rules/ pure: it may import only its siblings, ../errors, zod and decimal.js, and read no clock or do I/O
// (formatting a given instant is pure; reading the current one is not).
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RULES_DIR = fileURLToPath(new URL('../../src/rules/', import.meta.url));
// internal/suggest: the did-you-mean message for an option the rules do not take (string distance, nothing else).
const ALLOWED = [/^\.\/[A-Za-z0-9_-]+$/, /^\.\.\/errors$/, /^\.\.\/internal\/suggest$/, /^zod$/, /^decimal\.js$/];
/** Globals that mean I/O, a clock or randomness. */
const FORBIDDEN: [RegExp, string][] = [
  [/\bDate\.now\b/, 'Date.now'],
  [/\bnew\s+Date\s*\(\s*\)/, 'new Date()'],
  [/\bMath\.random\b/, 'Math.random'],
  [/\bprocess\b/, 'process'],
  [/\brequire\s*\(/, 'require()'],
  [/\bimport\s*\(/, 'dynamic import()'],
  [/\bfetch\b/, 'fetch'],
  [/\bXMLHttpRequest\b/, 'XMLHttpRequest'],
  [/\bcrypto\b/, 'crypto'],
  [/\bperformance\b/, 'performance'],
  [/\bset(Timeout|Interval|Immediate)\b/, 'timers'],
  [/\bconsole\b/, 'console'],
  [/\bglobalThis\b/, 'globalThis'],
];

/** Drops comments so prose ("no Date") is not mistaken for code; `://` in strings is left alone. */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:\\])\/\/.*$/gm, '$1');
}

function specifiers(source: string): string[] {
  const code = stripComments(source);
  const found: string[] = [];
  for (const m of code.matchAll(/\b(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g)) found.push(m[1] ?? '');
  for (const m of code.matchAll(/\bimport\s*['"]([^'"]+)['"]/g)) found.push(m[1] ?? '');
  return found;
}

/** Everything wrong with one source file; [] when it is pure. */
function problems(source: string): string[] {
  const out: string[] = [];
  for (const spec of specifiers(source)) if (!ALLOWED.some((re) => re.test(spec))) out.push(`imports ${spec}`);
  const code = stripComments(source);
  for (const [re, name] of FORBIDDEN) if (re.test(code)) out.push(`uses ${name}`);
  return out;
}

const files = readdirSync(RULES_DIR).filter((f) => f.endsWith('.ts'));

describe('src/rules purity', () => {
  it('finds the rules sources', () => {
    expect(files).toEqual(expect.arrayContaining(['amounts.ts', 'china-extra.ts', 'currencies.ts', 'index.ts']));
  });

  for (const file of files) {
    it(`${file} imports only allowed modules and uses no clock, randomness or I/O`, () => {
      const source = readFileSync(join(RULES_DIR, file), 'utf8');
      expect(problems(source)).toEqual([]);
      expect(source.split('\n')[0]).toMatch(/^\/\/ \S/);
    });
  }

  it('the checker itself catches impure code', () => {
    expect(problems("import { readFileSync } from 'node:fs';")).toEqual(['imports node:fs']);
    expect(problems("import fs from 'fs';\nexport { x } from '../http/axios';")).toEqual(['imports fs', 'imports ../http/axios']);
    expect(problems("import 'node:crypto';")).toEqual(['imports node:crypto', 'uses crypto']);
    expect(problems('const t = Date.now();')).toEqual(['uses Date.now']);
    expect(problems('const t = new Date();')).toEqual(['uses new Date()']);
    expect(problems('const t = new Date(ms).toISOString();')).toEqual([]);
    expect(problems('const r = Math.random();')).toEqual(['uses Math.random']);
    expect(problems("const m = await import('node:os');")).toEqual(['uses dynamic import()']);
    expect(problems('const env = process.env.X;')).toEqual(['uses process']);
    expect(problems("import { z } from 'zod';\nimport { Decimal } from 'decimal.js';\nimport { a } from './amounts';")).toEqual([]);
    expect(problems("// Date.now() in a comment is fine\nconst u = 'https://x';")).toEqual([]);
  });
});
