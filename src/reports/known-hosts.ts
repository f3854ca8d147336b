// Reading OpenSSH known_hosts text (pure: no I/O): which host keys a file trusts, or revokes, for one host and port.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** One key line of a known_hosts file. */
export interface KnownHostsEntry {
  /** 1-based line number, for messages. */
  line: number;
  /** `@revoked`: this key is never accepted. `@cert-authority` lines are kept but not used to trust a key. */
  marker: 'revoked' | 'cert-authority' | undefined;
  /** The host field as written: comma-separated patterns, or one hashed name `|1|salt|hash`. */
  hosts: string;
  /** The key type written on the line, which is also the type inside the key (`ssh-ed25519`, `ssh-rsa`, …). */
  keyType: string;
  /** The public key in SSH wire format, as a server offers it. */
  key: Buffer;
}

export interface KnownHostsFile {
  entries: KnownHostsEntry[];
  /** Lines that hold something but were not read as a key, and why (`line 7: …`). */
  notes: string[];
}

/** A key that a host may present. */
export interface KnownKey {
  keyType: string;
  key: Buffer;
  line: number;
}

export interface KnownKeysForHost {
  /** The name looked up: `host` on port 22, `[host]:port` otherwise (as OpenSSH writes it). */
  lookupName: string;
  /** Keys listed (unmarked) for this host and port: any one of them is accepted. */
  trusted: KnownKey[];
  /** Keys marked `@revoked` anywhere in the file: refused whatever else the file says. */
  revoked: KnownKey[];
  /** Why some lines naming this host give no key to trust (a `@cert-authority` line, say). */
  notes: string[];
}

/** The key type inside an SSH wire-format public key (its first string), or undefined when it has none. */
export function sshKeyType(key: Buffer): string | undefined {
  if (key.length < 4) return undefined;
  const length = key.readUInt32BE(0);
  if (length < 1 || length > 64 || 4 + length > key.length) return undefined;
  const type = key.subarray(4, 4 + length).toString('latin1');
  return /^[\x21-\x7e]+$/.test(type) ? type : undefined;
}

/** The fingerprint OpenSSH prints for a key: `SHA256:` and the unpadded base64 of its SHA-256. */
export function sha256Fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Reads a whole known_hosts text. Never throws: a line it cannot read is named in `notes` and left out. */
export function parseKnownHosts(text: string): KnownHostsFile {
  const entries: KnownHostsEntry[] = [];
  const notes: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const fields = lines[i]!.trim().split(/[ \t]+/);
    if (fields[0] === '' || fields[0]!.startsWith('#')) continue;
    let marker: KnownHostsEntry['marker'];
    if (fields[0]!.startsWith('@')) {
      const word = fields.shift()!;
      if (word !== '@revoked' && word !== '@cert-authority') {
        notes.push(`line ${line}: unknown marker ${word.slice(0, 40)}, line ignored`);
        continue;
      }
      marker = word === '@revoked' ? 'revoked' : 'cert-authority';
    }
    const [hosts, keyType, encoded] = fields;
    if (hosts === undefined || keyType === undefined || encoded === undefined) {
      notes.push(`line ${line}: not "hosts key-type key", line ignored`);
      continue;
    }
    if (/^\d+$/.test(keyType)) {
      notes.push(`line ${line}: an SSH protocol 1 key, line ignored`);
      continue;
    }
    const key = BASE64.test(encoded) ? Buffer.from(encoded, 'base64') : undefined;
    const inside = key && sshKeyType(key);
    if (!key || !inside) {
      notes.push(`line ${line}: the key is not base64 of an SSH public key, line ignored`);
      continue;
    }
    if (inside !== keyType) {
      notes.push(`line ${line}: the line says ${keyType.slice(0, 40)} but the key is ${inside}, line ignored`);
      continue;
    }
    entries.push({ line, marker, hosts, keyType, key });
  }
  return { entries, notes };
}

/** `*` any run of characters, `?` one character; everything else literal. Both sides already lower-cased. */
function matchesWildcard(name: string, pattern: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(name);
}

/** A hashed host field `|1|base64(salt)|base64(HMAC-SHA1(salt, name))` (ssh-keygen -H) names `name`. */
function matchesHashed(field: string, name: string): boolean {
  const m = /^\|1\|([A-Za-z0-9+/]+={0,2})\|([A-Za-z0-9+/]+={0,2})$/.exec(field);
  if (!m) return false;
  const expected = Buffer.from(m[2]!, 'base64');
  const actual = createHmac('sha1', Buffer.from(m[1]!, 'base64')).update(name).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * Whether a host field names one of `names`, as OpenSSH reads it: a comma-separated list of patterns where a
 * matching `!pattern` rules the line out whatever else matches, or one hashed name.
 */
function hostFieldMatches(field: string, names: readonly string[]): boolean {
  if (field.startsWith('|')) return names.some((name) => matchesHashed(field, name));
  let matched = false;
  for (const raw of field.toLowerCase().split(',')) {
    const negated = raw.startsWith('!');
    const pattern = negated ? raw.slice(1) : raw;
    if (pattern === '' || !names.some((name) => matchesWildcard(name, pattern))) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

/**
 * The keys a known_hosts file lists for `host` on `port`. OpenSSH writes a host on port 22 as `host` and on any other
 * port as `[host]:port`; a `[host]:22` line is read as port 22 too. Unlike OpenSSH, which scopes `@revoked` by the
 * line's host patterns, a revoked key is refused for every host: a key someone revoked is not trusted anywhere.
 * `@cert-authority` lines are not used (host certificates are not checked here); a note says so.
 */
export function knownKeysFor(file: KnownHostsFile, host: string, port: number): KnownKeysForHost {
  const lower = host.toLowerCase();
  const lookupName = port === 22 ? lower : `[${lower}]:${port}`;
  const names = port === 22 ? [lower, `[${lower}]:22`] : [lookupName];
  const trusted: KnownKey[] = [];
  const revoked: KnownKey[] = [];
  const notes: string[] = [];
  for (const entry of file.entries) {
    const known = { keyType: entry.keyType, key: entry.key, line: entry.line };
    if (entry.marker === 'revoked') {
      revoked.push(known);
      continue;
    }
    if (!hostFieldMatches(entry.hosts, names)) continue;
    if (entry.marker === 'cert-authority') {
      notes.push(`line ${entry.line}: a @cert-authority key, not used (host certificates are not checked); list the host's own key`);
      continue;
    }
    trusted.push(known);
  }
  return { lookupName, trusted, revoked, notes };
}
