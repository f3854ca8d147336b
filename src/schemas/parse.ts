// Turning a zod result into the package's errors: every field's problem at once, each named by its dotted path.
import type { z } from 'zod';
import { AmsValidationError, issuesFromZod, type ValidationIssue } from '../errors';

const parsedBefore = new WeakSet<z.ZodType>();

/**
 * How the package runs every zod parse. zod 4 compiles an object schema's parser (`new Function`) on its first parse;
 * in a fresh process that costs about twice an interpreted parse (PayRequest: ≈ 9 ms against ≈ 4.5 ms) and is repaid
 * only over later parses. So a schema's first parse here is interpreted (zod's per-parse `jitless`, which changes
 * nothing in what is checked or reported) and zod compiles it on its second: a one-off parse (a client's config, the
 * first call of a short-lived process) never pays the compile. zod's global config is left alone.
 */
export function safeParse<S extends z.ZodType>(schema: S, input: unknown): z.ZodSafeParseResult<z.output<S>> {
  if (parsedBefore.has(schema)) return schema.safeParse(input);
  parsedBefore.add(schema);
  return schema.safeParse(input, { jitless: true });
}

/** Parses input with a zod schema, or throws AmsValidationError naming every field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, context: string): z.infer<S> {
  const parsed = safeParse(schema, input);
  if (!parsed.success) throw new AmsValidationError(issuesFromZod(parsed.error.issues), { context });
  return parsed.data;
}

/** A schema's issues, and an `add` for the rules beyond it that keeps one issue per field (the first, most specific, wins). */
export interface IssueCollector {
  issues: ValidationIssue[];
  add: (issue: ValidationIssue) => void;
}

/** Starts a collector with the schema's issues (each given `source` when one is passed). */
export function collectIssues(schema: z.ZodType, input: unknown, source?: string): IssueCollector {
  const parsed = safeParse(schema, input);
  const found = parsed.success ? [] : issuesFromZod(parsed.error.issues);
  const issues = source === undefined ? found : found.map((i) => ({ ...i, source }));
  const seen = new Set(issues.map((i) => i.field));
  return {
    issues,
    add: (issue) => {
      if (!seen.has(issue.field)) issues.push(issue);
      seen.add(issue.field);
    },
  };
}
