// A tiny DER reader, just enough to tell RSA key containers apart by their structure rather than by guesses.

export interface DerNode {
  tag: number;
  /** Offset of the content (after tag and length) within the buffer. */
  start: number;
  /** Offset just past the content. */
  end: number;
}

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OCTET_STRING = 0x04;
const OID = 0x06;
const CONTEXT_0 = 0xa0;

/** Reads one TLV at `offset`; returns undefined when the bytes are not well-formed DER there. */
export function readNode(buf: Uint8Array, offset: number, limit = buf.length): DerNode | undefined {
  if (offset + 2 > limit) return undefined;
  const tag = buf[offset]!;
  let len = buf[offset + 1]!;
  let start = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > limit) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i]!;
    start += n;
  }
  const end = start + len;
  if (end > limit) return undefined;
  return { tag, start, end };
}

/** The children of a constructed node (SEQUENCE), or undefined if they do not parse exactly. */
export function children(buf: Uint8Array, node: DerNode): DerNode[] | undefined {
  const out: DerNode[] = [];
  let at = node.start;
  while (at < node.end) {
    const child = readNode(buf, at, node.end);
    if (!child) return undefined;
    out.push(child);
    at = child.end;
  }
  return out;
}

/** Dotted form of an OBJECT IDENTIFIER node. */
export function oidString(buf: Uint8Array, node: DerNode): string {
  const bytes = buf.subarray(node.start, node.end);
  if (bytes.length === 0) return '';
  const first = bytes[0]!;
  const parts: number[] = [Math.floor(first / 40), first % 40];
  let value = 0;
  for (let i = 1; i < bytes.length; i++) {
    const b = bytes[i]!;
    value = value * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

export const OIDS: Record<string, string> = {
  '1.2.840.113549.1.1.1': 'RSA',
  '1.2.840.113549.1.1.10': 'RSA-PSS',
  '1.2.840.10045.2.1': 'EC',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '1.2.840.10040.4.1': 'DSA',
  '1.2.156.10197.1.301': 'SM2',
  '1.2.840.113549.1.5.13': 'PBES2 (encrypted)',
};

export type DerKind =
  | { kind: 'pkcs8-private'; algorithm: string }
  | { kind: 'pkcs8-encrypted' }
  | { kind: 'pkcs1-private' }
  | { kind: 'spki-public'; algorithm: string }
  | { kind: 'pkcs1-public' }
  | { kind: 'x509-certificate' }
  | { kind: 'unknown' };

function algorithmOf(buf: Uint8Array, algId: DerNode): string {
  const parts = children(buf, algId);
  const oid = parts?.[0];
  if (!oid || oid.tag !== OID) return 'unknown';
  const dotted = oidString(buf, oid);
  return OIDS[dotted] ?? `OID ${dotted}`;
}

/**
 * Classifies DER bytes by shape:
 * PKCS#8 = SEQ{INT 0, SEQ{OID,…}, OCTET STRING}; PKCS#1 private = SEQ{INT 0, INT n, INT e, …};
 * SPKI = SEQ{SEQ{OID,…}, BIT STRING}; PKCS#1 public = SEQ{INT n, INT e}; certificate = SEQ{SEQ{[0]…}, SEQ, BIT STRING}.
 */
export function classifyDer(buf: Uint8Array): DerKind {
  const top = readNode(buf, 0);
  if (!top || top.tag !== SEQUENCE || top.end !== buf.length) return { kind: 'unknown' };
  const kids = children(buf, top);
  if (!kids || kids.length === 0) return { kind: 'unknown' };
  const [a, b, c] = kids;
  if (a!.tag === INTEGER) {
    if (kids.length === 2 && b!.tag === INTEGER) return { kind: 'pkcs1-public' };
    if (b?.tag === SEQUENCE && c?.tag === OCTET_STRING) return { kind: 'pkcs8-private', algorithm: algorithmOf(buf, b) };
    if (kids.length >= 9 && kids.every((k) => k.tag === INTEGER)) return { kind: 'pkcs1-private' };
    return { kind: 'unknown' };
  }
  if (a!.tag === SEQUENCE) {
    if (kids.length === 2 && b!.tag === BIT_STRING) return { kind: 'spki-public', algorithm: algorithmOf(buf, a!) };
    if (kids.length === 2 && b!.tag === OCTET_STRING) return { kind: 'pkcs8-encrypted' };
    if (kids.length === 3 && b!.tag === SEQUENCE && c!.tag === BIT_STRING) {
      const tbs = children(buf, a!);
      if (tbs && tbs[0] && (tbs[0].tag === CONTEXT_0 || tbs[0].tag === INTEGER)) return { kind: 'x509-certificate' };
    }
  }
  return { kind: 'unknown' };
}
