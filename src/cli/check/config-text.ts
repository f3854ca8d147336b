// Reads a check config's text as JSON or YAML, with line:column for invalid input and a cap on YAML aliases.
import { extname } from 'node:path';
import { parseDocument } from 'yaml';
import { CliInputError, CliUsageError } from '../io';
import { findJsonError } from '../json-error';

/** Line and column (1-based) of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

/** Parses a config as JSON or YAML (by extension; sniffed otherwise). Invalid input is a usage error with line:column. */
export function parseConfigText(text: string, file: string): unknown {
  const ext = extname(file).toLowerCase();
  const body = text.replace(/^\uFEFF/, '');
  const asJson = ext === '.json' || (ext !== '.yaml' && ext !== '.yml' && /^\s*[{[]/.test(body));
  if (asJson) {
    try {
      return JSON.parse(body);
    } catch (err) {
      // Our own scan names the position and the reason (V8's message has no position for some errors).
      const problem = findJsonError(body) ?? { offset: body.length, reason: err instanceof Error ? err.message : String(err) };
      const where = lineColumn(body, problem.offset);
      throw new CliUsageError(`${file}:${where.line}:${where.column}: invalid JSON: ${problem.reason}`, { code: 'INVALID_JSON', ...where });
    }
  }
  const doc = parseDocument(body, { prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    const where = lineColumn(body, first.pos[0]);
    throw new CliUsageError(`${file}:${where.line}:${where.column}: invalid YAML: ${first.message.split('\n')[0]}`, {
      code: 'INVALID_YAML',
      ...where,
    });
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (err) {
    // yaml's resource-exhaustion guard: a few lines of anchors can expand to gigabytes ("billion laughs").
    if (err instanceof ReferenceError && /alias/i.test(err.message)) {
      throw new CliInputError(
        `${file}: the YAML aliases (*name) expand too far (over ${MAX_YAML_ALIASES} expansions, the mark of an alias bomb); a config needs no aliases: write the values out`,
        { code: 'YAML_ALIAS_LIMIT', cause: err },
      );
    }
    throw err;
  }
}

/** Alias expansions allowed in a YAML config; a real config uses none. */
export const MAX_YAML_ALIASES = 100;
