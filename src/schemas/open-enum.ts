// Open enums: string fields Antom documents a list of values for, typed so editors complete them, that keep any other value. Pure.
import { z } from 'zod';

/** A documented value, or any other string Antom may send tomorrow: never refused, never counted as a known state. */
export type Open<T extends string> = T | (string & {});

const KNOWN = new WeakMap<object, readonly string[]>();

/**
 * A string field with documented values. A verified answer carrying another value is accepted as it is (strict
 * out, tolerant in); code that acts on the field must treat any other value as "not known to be final".
 */
export function openEnum<const T extends readonly [string, ...string[]]>(known: T): z.ZodType<Open<T[number]>> {
  const schema = z.string();
  KNOWN.set(schema, known);
  return schema;
}

/** A value of an open enum that is not among its documented values. */
export interface UnknownValue {
  /** Where, as `transactions[0].transactionStatus`. */
  path: string;
  value: string;
  known: readonly string[];
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  in?: z.ZodType;
  valueType?: z.ZodType;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** The schema a value is checked against once wrappers (optional, default, pipe…) are looked through. */
function unwrap(schema: z.ZodType): z.ZodType {
  for (let s = schema, depth = 0; depth < 16; depth++) {
    const def = defOf(s);
    const next = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
    if (!next) return s;
    s = next;
  }
  return schema;
}

const HAS_OPEN = new WeakMap<object, boolean>();

/** Whether a schema holds an open enum anywhere below it (computed once per schema). */
function hasOpen(schema: z.ZodType, seen = new Set<object>()): boolean {
  const s = unwrap(schema);
  const cached = HAS_OPEN.get(s);
  if (cached !== undefined) return cached;
  if (seen.has(s)) return false;
  seen.add(s);
  const def = defOf(s);
  const found =
    KNOWN.has(s) ||
    (def.type === 'object' && Object.values(def.shape ?? {}).some((f) => hasOpen(f, seen))) ||
    (def.type === 'array' && def.element !== undefined && hasOpen(def.element, seen)) ||
    (def.type === 'record' && def.valueType !== undefined && hasOpen(def.valueType, seen));
  HAS_OPEN.set(s, found);
  return found;
}

/** At most this many unknown values are reported for one answer: a list of a thousand odd statuses says the same. */
const MAX_REPORTED = 20;

/** Every value of an open-enum field in `data` that is not among its documented values, walking schema and data together. */
export function unknownValues(schema: z.ZodType, data: unknown): UnknownValue[] {
  const out: UnknownValue[] = [];
  const walk = (s: z.ZodType, value: unknown, path: string): void => {
    if (out.length >= MAX_REPORTED || value === undefined || value === null || !hasOpen(s)) return;
    const inner = unwrap(s);
    const known = KNOWN.get(inner);
    if (known) {
      if (typeof value === 'string' && !known.includes(value)) out.push({ path, value, known });
      return;
    }
    const def = defOf(inner);
    if (def.type === 'object' && typeof value === 'object')
      for (const [key, field] of Object.entries(def.shape ?? {}))
        walk(field, (value as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
    else if (def.type === 'array' && Array.isArray(value)) value.forEach((v, i) => walk(def.element!, v, `${path}[${i}]`));
    else if (def.type === 'record' && typeof value === 'object')
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) walk(def.valueType!, v, `${path}.${key}`);
  };
  walk(schema, data, '');
  return out;
}
