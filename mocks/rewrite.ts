// Rewrites of what the gateway sends: fields set by dotted path in an answer or a notification before it is signed.

/** Dotted paths (`paymentStatus`, `transactions.0.transactionStatus`) → the value to put there (`undefined` removes it). */
export type RewriteSet = Readonly<Record<string, unknown>>;

/** Bounds of one rewrite: it is test input, but a gateway must stay small and fast whatever it is given. */
export const REWRITE_LIMITS = Object.freeze({ paths: 100, pathLength: 256, depth: 16, arrayIndex: 999, bytes: 64 * 1024 });

/** Segments that would reach an object's prototype instead of a field. */
const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);
const EXAMPLE = `e.g. { paymentStatus: 'NEW_STATUS', 'transactions.0.transactionStatus': 'X', someNewField: { a: 1 } }`;

/** A value that JSON carries as it is: no functions, symbols, bigints, non-finite numbers, class instances or cycles. */
function jsonIssue(value: unknown, depth: number): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${value} is not a JSON number`;
  if (depth > REWRITE_LIMITS.depth) return `is nested deeper than ${REWRITE_LIMITS.depth} levels`;
  if (Array.isArray(value)) {
    for (const v of value) {
      const issue = v === undefined ? 'an array element is undefined' : jsonIssue(v, depth + 1);
      if (issue) return issue;
    }
    return undefined;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [k, v] of Object.entries(value)) {
      if (FORBIDDEN.has(k)) return `holds the key "${k}"`;
      const issue = v === undefined ? undefined : jsonIssue(v, depth + 1);
      if (issue) return issue;
    }
    return undefined;
  }
  return `is a ${typeof value === 'object' ? 'non-plain object' : typeof value}, which JSON does not carry`;
}

/** The segments of a dotted path; throws TypeError naming `where` and what to write instead. */
function segmentsOf(path: string, where: string): string[] {
  if (path.length === 0 || path.length > REWRITE_LIMITS.pathLength)
    throw new TypeError(`${where}: path "${path.slice(0, 40)}" must be 1 to ${REWRITE_LIMITS.pathLength} characters`);
  const segments = path.split('.');
  if (segments.length > REWRITE_LIMITS.depth)
    throw new TypeError(`${where}: path "${path.slice(0, 40)}" has more than ${REWRITE_LIMITS.depth} segments`);
  for (const s of segments) {
    if (s === '') throw new TypeError(`${where}: path "${path}" has an empty segment; write fields as a.b.0.c`);
    if (FORBIDDEN.has(s)) throw new TypeError(`${where}: path "${path}" names "${s}", which is not a field`);
    if (/^\d+$/.test(s) && Number(s) > REWRITE_LIMITS.arrayIndex)
      throw new TypeError(`${where}: path "${path}" indexes ${s}; array indexes go up to ${REWRITE_LIMITS.arrayIndex}`);
  }
  return segments;
}

/**
 * Validates a rewrite: a plain object of at most 100 dotted paths, each value JSON-serializable (or `undefined`, which
 * removes the field), 64 KiB in all. Returns a frozen copy; throws TypeError naming `where` and the expected shape.
 */
export function normalizeRewrite(set: unknown, where: string): RewriteSet {
  if (set === null || typeof set !== 'object' || Array.isArray(set) || Object.getPrototypeOf(set) !== Object.prototype)
    throw new TypeError(`${where}: set must be an object of dotted paths to values, ${EXAMPLE}`);
  const entries = Object.entries(set);
  if (entries.length === 0 || entries.length > REWRITE_LIMITS.paths)
    throw new TypeError(`${where}: set must hold 1 to ${REWRITE_LIMITS.paths} paths, ${EXAMPLE}`);
  for (const [path, value] of entries) {
    segmentsOf(path, where);
    const issue = value === undefined ? undefined : jsonIssue(value, 0);
    if (issue) throw new TypeError(`${where}: the value at "${path}" ${issue}`);
  }
  if (Buffer.byteLength(JSON.stringify(set)) > REWRITE_LIMITS.bytes)
    throw new TypeError(`${where}: set is larger than ${REWRITE_LIMITS.bytes / 1024} KiB`);
  return Object.freeze(structuredClone(Object.fromEntries(entries)));
}

type Container = Record<string, unknown> | unknown[];

const isContainer = (v: unknown): v is Container => v !== null && typeof v === 'object';

/**
 * A copy of `body` with every path of `set` set, in order. Objects and arrays missing on the way (or primitives in the
 * way) become `{}` — or `[]` before a numeric segment; a numeric segment indexes an array. The input is not changed.
 */
export function applyRewrite(body: Record<string, unknown>, set: RewriteSet): Record<string, unknown> {
  const out = structuredClone(body);
  for (const [path, value] of Object.entries(set)) {
    const segments = segmentsOf(path, 'rewrite');
    let node: Container = out;
    for (let i = 0; i < segments.length - 1; i++) {
      const key = segments[i]!;
      const nextIsIndex = /^\d+$/.test(segments[i + 1]!);
      const current: unknown = Array.isArray(node) && /^\d+$/.test(key) ? node[Number(key)] : (node as Record<string, unknown>)[key];
      const child: Container = isContainer(current) ? current : nextIsIndex ? [] : {};
      if (Array.isArray(node) && /^\d+$/.test(key)) node[Number(key)] = child;
      else (node as Record<string, unknown>)[key] = child;
      node = child;
    }
    const last = segments[segments.length - 1]!;
    const copy = value === undefined ? undefined : structuredClone(value);
    if (Array.isArray(node) && /^\d+$/.test(last)) node[Number(last)] = copy;
    else if (copy === undefined) delete (node as Record<string, unknown>)[last];
    else (node as Record<string, unknown>)[last] = copy;
  }
  return out;
}
