// Build step (a tsup plugin): regroups the ESM build's shared chunks so `import('ams-cashier')` reads three files, not thirty.
import { chmodSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { rollup, type GetModuleInfo } from 'rollup';
import type { Options } from 'tsup';

type Plugin = NonNullable<Options['plugins']>[number];

export interface EsmChunkGroups {
  /** The entry whose whole static import graph becomes one chunk (beside the zod-free one): the package root. */
  root: string;
  /** Entries that load no zod: what they import goes into a chunk of its own, which every other entry shares. */
  zodFree: readonly string[];
}

/**
 * esbuild splits shared code into one chunk per combination of entry points using it: with ten entries the root
 * import loaded 30 files, and on Node 20 each costs the ESM loader about 0.4 ms (a third of what the package's own
 * import cost beyond zod; bench/README.md). After the ESM build, rollup regroups those chunks without changing any
 * code: everything a zod-free entry (`ams-cashier/signing`) imports in one chunk, the rest of what the root imports in
 * another, the other chunks as they were. Every module still exists once, so `instanceof AmsError` holds across
 * entries; a subpath now loads the root's chunk with its own (more bytes, fewer files). Sourcemaps are carried through.
 * The CJS build is left as esbuild made it.
 */
export function esmChunkGroups(groups: EsmChunkGroups): Plugin {
  return {
    name: 'esm-chunk-groups',
    async buildEnd({ writtenFiles }) {
      if (this.format !== 'esm') return;
      const outDir = resolve(this.options.outDir);
      const entry = this.options.entry;
      if (Array.isArray(entry)) throw new Error('esm-chunk-groups: name the entry points ({ name: file })');
      const entries = Object.keys(entry).map((name) => ({ name, file: join(outDir, `${name}.js`) }));
      const byName = new Map(entries.map((e) => [e.name, e.file]));
      const built = writtenFiles.map((f) => resolve(f.name)).filter((f) => f.endsWith('.js') || f.endsWith('.js.map'));
      const modes = new Map(entries.map((e) => [e.file, statSync(e.file).mode]));

      let grouping: Map<string, string> | undefined;
      const groupOf = (id: string, getModuleInfo: GetModuleInfo): string | undefined => {
        grouping ??= chunkGroups(groups, byName, getModuleInfo);
        return grouping.get(id);
      };
      const bundle = await rollup({
        input: [],
        external: (id) => !id.startsWith('.') && !id.startsWith('/'),
        // esbuild's output is final code: regroup it, keep every statement (a module's top level is pure here).
        treeshake: false,
        onwarn: (warning, warn) => {
          if (warning.code !== 'CIRCULAR_DEPENDENCY') warn(warning);
        },
        plugins: [
          {
            name: 'dist-files',
            buildStart() {
              for (const e of entries) {
                // An entry without exports (the CLI) may carry what its lazy commands share instead of a facade file.
                const exports = /^export /m.test(readFileSync(e.file, 'utf8'));
                this.emitFile({
                  type: 'chunk',
                  id: e.file,
                  fileName: `${e.name}.js`,
                  preserveSignature: exports ? 'strict' : 'allow-extension',
                });
              }
            },
            load(id) {
              const map = existsSync(`${id}.map`) ? readFileSync(`${id}.map`, 'utf8') : null;
              return { code: readFileSync(id, 'utf8'), map };
            },
          },
        ],
      });
      const { output } = await bundle.write({
        dir: outDir,
        format: 'esm',
        sourcemap: true,
        chunkFileNames: 'chunk-[hash].js',
        hoistTransitiveImports: false,
        manualChunks: (id, { getModuleInfo }) => groupOf(id, getModuleInfo),
      });
      await bundle.close();
      const written = new Set(
        output.flatMap((o) => [join(outDir, o.fileName), ...(o.type === 'chunk' ? [join(outDir, `${o.fileName}.map`)] : [])]),
      );
      for (const file of built) if (!written.has(file)) rmSync(file, { force: true });
      for (const [file, mode] of modes) chmodSync(file, mode);
      this.logger.info(
        'ESM',
        `regrouped chunks: the root loads ${filesLoaded(output, relative(outDir, byName.get(groups.root) ?? ''))} files`,
      );
    },
  };
}

/** Which group each dist module goes to: `shared` (imported by a zod-free entry), `root` (the rest the root imports). */
function chunkGroups(groups: EsmChunkGroups, entries: Map<string, string>, info: GetModuleInfo): Map<string, string> {
  const entryFiles = new Set(entries.values());
  const reach = (from: string | undefined, into: Set<string>): Set<string> => {
    if (from === undefined || into.has(from)) return into;
    into.add(from);
    for (const id of info(from)?.importedIds ?? []) if (!info(id)?.isExternal) reach(id, into);
    return into;
  };
  const shared = new Set<string>();
  for (const name of groups.zodFree) reach(entries.get(name), shared);
  const root = reach(entries.get(groups.root), new Set());
  const out = new Map<string, string>();
  for (const id of root) if (!entryFiles.has(id)) out.set(id, shared.has(id) ? 'shared' : 'root');
  for (const id of shared) if (!entryFiles.has(id)) out.set(id, 'shared');
  return out;
}

/** How many files an entry loads statically (itself included). */
function filesLoaded(output: ReadonlyArray<{ type: string; fileName: string; imports?: string[] }>, entry: string): number {
  const chunks = new Map(output.filter((o) => o.type === 'chunk').map((o) => [o.fileName, o.imports ?? []]));
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name) || !chunks.has(name)) return;
    seen.add(name);
    for (const i of chunks.get(name)!) visit(i);
  };
  visit(entry);
  return seen.size;
}
