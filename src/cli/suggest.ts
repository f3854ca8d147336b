// "Did you mean …?" for the CLI: the closest of a list of valid names by edit distance, case-insensitive.

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** The valid name closest to `given`, when it is close enough to be a typo (at most a third of its letters off). */
export function closestName(given: string, valid: readonly string[]): string | undefined {
  const g = given.toLowerCase();
  let best: { name: string; d: number } | undefined;
  for (const name of valid) {
    const d = distance(g, name.toLowerCase());
    if (!best || d < best.d) best = { name, d };
  }
  return best && best.d <= Math.max(1, Math.floor(best.name.length / 3)) ? best.name : undefined;
}
