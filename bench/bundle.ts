// Bundles a script with esbuild as a serverless deploy does (one ESM file for node20, every dependency inlined).
import { join } from 'node:path';
import { build } from 'esbuild';
import { ROOT } from './dist';

/** Bundles `source` (resolving its imports from the repository, as a project depending on the package would) to `<dir>/<name>.mjs`. */
export async function bundle(dir: string, name: string, source: string): Promise<{ file: string; bytes: number }> {
  const file = join(dir, `${name}.mjs`);
  const result = await build({
    stdin: { contents: source, resolveDir: ROOT, sourcefile: `${name}.entry.mjs`, loader: 'js' },
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    metafile: true,
  });
  return { file, bytes: Object.values(result.metafile.outputs)[0]!.bytes };
}
