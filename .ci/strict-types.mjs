// The README's TypeScript and the examples, type-checked against dist/ as the strictest user project compiles them.
// Run after `npm run build`. `ams-cashier` resolves to dist/ through the package's self-reference, under nodenext and
// bundler, with strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess and skipLibCheck off; errors inside
// other packages' declarations are theirs and not counted.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, '.tmp', 'strict-types');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

/** Every ```ts block of a markdown file, with the line it starts on. */
function tsBlocks(file) {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```ts') continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end] !== '```') end++;
    blocks.push({ line: start + 1, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return blocks;
}

// Each block is its own module (`export {}`), so what it declares shadows readme-context.d.ts and no two collide.
const snippets = [];
for (const file of ['README.md', 'mocks/README.md']) {
  for (const { line, code } of tsBlocks(file)) {
    const name = `${file.replace(/\W/g, '-')}-${line}.mts`;
    writeFileSync(join(out, name), `${code}\nexport {};\n`);
    snippets.push(name);
  }
}
if (snippets.length < 10) throw new Error(`strict-types: only ${snippets.length} TypeScript blocks found in the READMEs`);
writeFileSync(join(out, 'readme-context.d.ts'), readFileSync(join(root, '.ci', 'readme-context.d.ts'), 'utf8'));

function filesUnder(dir) {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}
const examples = filesUnder('examples').map((f) => relative(out, join(root, f)));

const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const strictest = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  skipLibCheck: false,
  noEmit: true,
  target: 'ES2022',
  lib: ['ES2022'],
  types: ['node'],
};
let failed = false;
for (const [label, resolution] of [
  ['nodenext', { module: 'nodenext', moduleResolution: 'nodenext' }],
  ['bundler', { module: 'esnext', moduleResolution: 'bundler' }],
]) {
  const config = join(out, `tsconfig.${label}.json`);
  writeFileSync(
    config,
    JSON.stringify({ compilerOptions: { ...strictest, ...resolution }, files: ['readme-context.d.ts', ...snippets, ...examples] }, null, 2),
  );
  let text = '';
  try {
    execFileSync(process.execPath, [tsc, '-p', config], { cwd: out, encoding: 'utf8', stdio: 'pipe' });
  } catch (err) {
    text = `${err.stdout ?? ''}${err.stderr ?? ''}`;
  }
  // Only our own files count: the package's declarations, the snippets and the examples.
  const ours = text.split('\n').filter((l) => /error TS/.test(l) && !/(^|\/)node_modules\//.test(l.split('(')[0]));
  if (ours.length > 0) {
    failed = true;
    console.error(`strict-types (${label}): ${ours.length} error(s)\n${text}`);
  } else console.log(`strict-types (${label}): ${snippets.length} README blocks and ${examples.length} examples compile`);
}
if (failed) process.exit(1);
