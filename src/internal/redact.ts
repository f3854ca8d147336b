// Redaction by value: a secret we know (an Agent-Token, a signature) is cut out of any text that could reach a log.

/**
 * Every known secret is cut, however short: a short Agent-Token may mangle a message, but must never leak.
 * Only the empty string is skipped.
 */
const MIN_SECRET_LENGTH = 1;

/**
 * Replaces every occurrence of each secret in `text`, in the forms a server may reflect it: as given, URL-encoded
 * and URL-decoded. Pattern-based redaction misses what a gateway echoes in its own format; by value it cannot.
 */
export function redactValues(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret === undefined || secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of forms(secret)) {
      if (out.includes(form)) out = out.split(form).join(`<redacted ${secret.length} chars>`);
    }
  }
  return out;
}

function forms(secret: string): string[] {
  const all = new Set([secret, encodeURIComponent(secret)]);
  try {
    all.add(decodeURIComponent(secret));
  } catch {
    // not URL-encoded: the other forms cover it
  }
  return [...all].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

/** A logger that cuts `secret` out of every message and every string in its meta (nested objects, arrays, errors). */
export function redactingLogger<L extends object>(logger: L, secret: string): L {
  const clean = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return redactValues(value, [secret]);
    if (depth > 2 || value === null || typeof value !== 'object') return value;
    if (value instanceof Error) return redactValues(`${value.name}: ${value.message}`, [secret]);
    if (Array.isArray(value)) return value.map((v) => clean(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = clean(v, depth + 1);
    return out;
  };
  const wrapped: Record<string, unknown> = {};
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    const fn = (logger as Record<string, unknown>)[level];
    if (typeof fn === 'function') {
      wrapped[level] = (message: string, meta?: Record<string, unknown>) =>
        (fn as (m: string, meta?: unknown) => void).call(
          logger,
          redactValues(message, [secret]),
          meta === undefined ? undefined : clean(meta, 0),
        );
    }
  }
  return wrapped as L;
}
