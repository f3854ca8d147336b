// Searches the combinations of cheap variants (method, client id, path, time, body, layout) for the content that was signed.
import { createHash } from 'node:crypto';
import { buildSignContentBytes } from '../content';
import { bodySteps } from './body-variants';
import { pathSteps } from './path-variants';
import { nearbyTimes, timeVariants } from './time-variants';
import { change, type Change, type Variant, type VerifyCase } from './types';

/** Every value reachable from `start` in at most `depth` steps, each with the changes that lead to it. */
function expand<T>(start: T, steps: (v: T) => Variant<T>[], key: (v: T) => string, depth: number): Variant<T>[] {
  const seen = new Map<string, Variant<T>>([[key(start), { value: start, changes: [] }]]);
  let frontier: Variant<T>[] = [{ value: start, changes: [] }];
  for (let d = 0; d < depth; d++) {
    const next: Variant<T>[] = [];
    for (const v of frontier)
      for (const s of steps(v.value)) {
        const k = key(s.value);
        if (seen.has(k)) continue;
        // The same kind of change twice (e.g. two different re-serializations) is not a plausible story.
        if (v.changes.some((c) => s.changes.some((sc) => sc.id.split('-')[0] === c.id.split('-')[0]))) continue;
        const item = { value: s.value, changes: [...v.changes, ...s.changes] };
        seen.set(k, item);
        next.push(item);
      }
    frontier = next;
  }
  return [...seen.values()];
}

interface Layout {
  build(method: string, path: string, clientId: string, time: string, body: Buffer): Buffer;
  changes: Change[];
}

const LAYOUTS: Layout[] = [
  { build: (method, path, clientId, time, body) => buildSignContentBytes({ method, path, clientId, time, body }), changes: [] },
  {
    build: (method, path, clientId, time, body) => Buffer.concat([Buffer.from(`${method} ${path}\r\n${clientId}.${time}.`), body]),
    changes: [
      change(
        'layout',
        'crlf',
        'the content with "\\r\\n" after the path',
        'The signer put "\\r\\n" after the path: the content is METHOD + " " + PATH + "\\n" (a single LF) + CLIENT_ID + "." + TIME + "." + BODY.',
      ),
    ],
  },
  {
    build: (_m, _p, _c, _t, body) => body,
    changes: [
      change(
        'layout',
        'body-only',
        'the body alone',
        'Only the body was signed: AMS signs METHOD + " " + PATH + "\\n" + CLIENT_ID + "." + TIME + "." + BODY.',
      ),
    ],
  },
];

export interface Search {
  tried: number;
  /**
   * Bytes the search may still hash. Each variant hashes the whole content, so the work grows with the body: a
   * response of the client's maximum size must not stall doctor or the CLI for minutes.
   */
  bytesLeft: number;
  /** Set when the budget ran out before every variant was tried. */
  cutShort?: boolean;
}

/** How many bytes a whole diagnosis hashes at most: about a quarter of a second. */
export const SEARCH_BYTES = 64 * 1024 * 1024;

/** Unwinds the search when the budget is spent; never leaves searchContent. */
class OutOfBudget extends Error {}

/** Finds the cheapest variant whose SHA-256 equals the recovered digest. */
export function searchContent(
  input: VerifyCase,
  digest: Buffer,
  search: Search,
  maxCost: number,
): { changes: Change[]; content: Buffer } | undefined {
  const body = Buffer.from(input.body.buffer, input.body.byteOffset, input.body.byteLength);
  const methods: Variant<string>[] = [{ value: input.method, changes: [] }];
  if (input.method !== input.method.toUpperCase())
    methods.push({
      value: input.method.toUpperCase(),
      changes: [change('method', 'uppercase', 'the method in upper case', 'The method is signed in upper case (POST).')],
    });
  const clientIds: Variant<string>[] = [{ value: input.clientId, changes: [] }];
  if (input.clientId !== input.clientId.trim())
    clientIds.push({
      value: input.clientId.trim(),
      changes: [
        change(
          'clientId',
          'trimmed',
          'the client id without surrounding spaces',
          'The client id you have has spaces around it; the Client-Id header must be byte-identical to the signed one.',
        ),
      ],
    });
  const paths = expand(input.path, pathSteps, (p) => p, 2);
  const times = timeVariants(input.time);
  const bodies = expand(body, bodySteps, (b) => b.toString('base64'), 2);
  const dims = { methods, clientIds, paths, times, bodies };
  const hash = (content: Buffer) => {
    if (content.length > search.bytesLeft) {
      search.cutShort = true;
      throw new OutOfBudget();
    }
    search.bytesLeft -= content.length;
    search.tried++;
    return createHash('sha256').update(content).digest().equals(digest);
  };
  const cost = (v: { changes: Change[] }) => v.changes.length;
  try {
    return find(dims, hash, cost, input, body, maxCost);
  } catch (err) {
    if (err instanceof OutOfBudget) return undefined;
    throw err;
  }
}

function find(
  dims: {
    methods: Variant<string>[];
    clientIds: Variant<string>[];
    paths: Variant<string>[];
    times: Variant<string>[];
    bodies: Variant<Buffer>[];
  },
  hash: (content: Buffer) => boolean,
  cost: (v: { changes: Change[] }) => number,
  input: VerifyCase,
  body: Buffer,
  maxCost: number,
): { changes: Change[]; content: Buffer } | undefined {
  for (let budget = 0; budget <= maxCost; budget++) {
    for (const layout of LAYOUTS) {
      const lc = cost(layout);
      if (lc > budget) continue;
      if (layout.changes[0]?.id === 'layout.body-only') {
        for (const b of dims.bodies)
          if (lc + cost(b) === budget && hash(layout.build('', '', '', '', b.value)))
            return { changes: [...layout.changes, ...b.changes], content: b.value };
        continue;
      }
      for (const m of dims.methods)
        for (const c of dims.clientIds)
          for (const p of dims.paths) {
            const c3 = lc + cost(m) + cost(c) + cost(p);
            if (c3 > budget) continue;
            for (const t of dims.times) {
              const c4 = c3 + cost(t);
              if (c4 > budget) continue;
              for (const b of dims.bodies) {
                if (c4 + cost(b) !== budget) continue;
                const content = layout.build(m.value, p.value, c.value, t.value, b.value);
                if (hash(content))
                  return { changes: [...layout.changes, ...m.changes, ...c.changes, ...p.changes, ...t.changes, ...b.changes], content };
              }
            }
          }
    }
  }
  // A clock read twice: nearby times, everything else as given.
  for (const t of nearbyTimes(input.time)) {
    const content = buildSignContentBytes({ method: input.method, path: input.path, clientId: input.clientId, time: t.value, body });
    if (hash(content)) return { changes: t.changes, content };
  }
  return undefined;
}
