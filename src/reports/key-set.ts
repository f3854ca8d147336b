// A set of row keys held as seeded 64-bit fingerprints with where each was first seen: 20 bytes a row, whatever the key. Pure.

/** Where a key was first seen: the index of its file among the reconciled files, the line, and a tag of the caller's. */
export interface FirstSeen {
  file: number;
  line: number;
  /** A 32-bit digest of what the row said, for telling a copy from a changed row. */
  tag?: number;
}

const EMPTY = 0;

/**
 * Two 32-bit hashes of the key's UTF-16 code units (FNV-1a and a multiply-xorshift), started from a secret seed so
 * that nobody who writes a report file can search out two keys that collide; never both 0.
 */
export function fingerprint(key: string, seedA: number, seedB: number): [number, number] {
  let a = 0x811c9dc5 ^ seedA;
  let b = 0x9747b28c ^ seedB ^ key.length;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a ^= a >>> 16;
  b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  b ^= b >>> 16;
  // Slot 0 marks an empty place: a key that hashes to (0, 0) moves to (0, 1).
  return [a >>> 0, (a | b) === 0 ? 1 : b >>> 0];
}

/**
 * Remembers keys by fingerprint, so duplicate detection over millions of report rows costs about 20 bytes a row rather
 * than the rows themselves. With a seed nobody can see, two different keys are taken for one only by chance, about
 * n² / 2⁶⁵ (5 million rows: under one in a million).
 */
export class KeySet {
  #mask: number;
  #hashes: Uint32Array;
  #where: Uint32Array;
  #size = 0;
  readonly #seedA: number;
  readonly #seedB: number;

  /** `seed`: two random 32-bit words (the caller draws them; this file reads no randomness). */
  constructor(seed: readonly [number, number] = [0, 0], initialCapacity = 1024) {
    let capacity = 16;
    while (capacity < initialCapacity * 2) capacity *= 2;
    this.#mask = capacity - 1;
    this.#hashes = new Uint32Array(capacity * 2);
    this.#where = new Uint32Array(capacity * 3);
    [this.#seedA, this.#seedB] = seed;
  }

  get size(): number {
    return this.#size;
  }

  /** Adds the key; returns where it was first seen when it was already there (nothing is changed then). */
  add(key: string, seen: FirstSeen): FirstSeen | undefined {
    const [a, b] = fingerprint(key, this.#seedA, this.#seedB);
    const found = this.#find(a, b);
    if (found >= 0) return { file: this.#where[found * 3]!, line: this.#where[found * 3 + 1]!, tag: this.#where[found * 3 + 2]! };
    if ((this.#size + 1) * 4 > (this.#mask + 1) * 3) this.#grow();
    this.#put(a, b, seen.file, seen.line, seen.tag ?? 0);
    this.#size++;
    return undefined;
  }

  /** Replaces where a key was seen (a later row that stands for it now); false when the key is not there. */
  update(key: string, seen: FirstSeen): boolean {
    const [a, b] = fingerprint(key, this.#seedA, this.#seedB);
    const found = this.#find(a, b);
    if (found < 0) return false;
    this.#where[found * 3] = seen.file;
    this.#where[found * 3 + 1] = seen.line;
    this.#where[found * 3 + 2] = seen.tag ?? 0;
    return true;
  }

  has(key: string): boolean {
    const [a, b] = fingerprint(key, this.#seedA, this.#seedB);
    return this.#find(a, b) >= 0;
  }

  #find(a: number, b: number): number {
    for (let slot = a & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const ha = this.#hashes[slot * 2]!;
      const hb = this.#hashes[slot * 2 + 1]!;
      if (ha === EMPTY && hb === EMPTY) return -1;
      if (ha === a && hb === b) return slot;
    }
  }

  #put(a: number, b: number, file: number, line: number, tag: number): void {
    let slot = a & this.#mask;
    while (this.#hashes[slot * 2] !== EMPTY || this.#hashes[slot * 2 + 1] !== EMPTY) slot = (slot + 1) & this.#mask;
    this.#hashes[slot * 2] = a;
    this.#hashes[slot * 2 + 1] = b;
    this.#where[slot * 3] = file;
    this.#where[slot * 3 + 1] = line;
    this.#where[slot * 3 + 2] = tag;
  }

  #grow(): void {
    const hashes = this.#hashes;
    const where = this.#where;
    const capacity = (this.#mask + 1) * 2;
    this.#mask = capacity - 1;
    this.#hashes = new Uint32Array(capacity * 2);
    this.#where = new Uint32Array(capacity * 3);
    for (let i = 0, w = 0; i < hashes.length; i += 2, w += 3) {
      if (hashes[i] !== EMPTY || hashes[i + 1] !== EMPTY) this.#put(hashes[i]!, hashes[i + 1]!, where[w]!, where[w + 1]!, where[w + 2]!);
    }
  }
}
