// Each value Antom sends that this version does not know, logged once per owner (a client, a handler).

/** Seen (field, value) pairs per owner, so each unknown value is logged once; bounded, as values come from outside. */
const SEEN = new WeakMap<object, Set<string>>();
const MAX_SEEN = 1000;

/**
 * Logs each unknown value once per owner (a client, a handler): a warning names the field, the value and the values
 * this package knows, so a new status Antom starts sending is noticed without flooding the log.
 */
export function warnUnknownValues(
  owner: object,
  warn: ((message: string, meta?: Record<string, unknown>) => void) | undefined,
  where: string,
  unknown: ReadonlyArray<{ path: string; value: string; known: readonly string[] }>,
): void {
  if (!warn || unknown.length === 0) return;
  let seen = SEEN.get(owner);
  if (!seen) SEEN.set(owner, (seen = new Set()));
  for (const u of unknown) {
    // The value as logged (64 characters): a key holds no more of an outside string than the message does.
    const shown = u.value.slice(0, 64);
    const key = `${where}:${u.path.replace(/\[\d+\]/g, '[]')}=${shown}`;
    if (seen.has(key) || seen.size >= MAX_SEEN) continue;
    seen.add(key);
    warn(`ams: ${where} carries ${u.path} "${shown}", a value this version does not know; kept as sent, never treated as final`, {
      field: u.path,
      value: shown,
      known: u.known,
    });
  }
}
