// Turning a zod result into the package's errors: every field's problem at once, each named by its dotted path.
import type { z } from 'zod';
import { AmsValidationError, issuesFromZod, type ValidationIssue } from '../errors';

/** Parses input with a zod schema, or throws AmsValidationError naming every field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, context: string): z.infer<S> {
  const parsed = schema.safeParse(input);
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
  const parsed = schema.safeParse(input);
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
