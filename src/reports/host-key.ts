// Which SFTP host keys fetchReports accepts: the pin (a fingerprint or a known_hosts file, read here) made a check.
import { readFileSync, statSync } from 'node:fs';
import { AmsConfigError } from '../errors';
import { showValue } from '../rules/show';
import { knownKeysFor, parseKnownHosts, sha256Fingerprint, sshKeyType } from './known-hosts';

export interface HostKeyOptions {
  host: string;
  port: number;
  hostKeySha256?: string | readonly string[] | undefined;
  knownHosts?: string | undefined;
  hostKey?: 'accept-any' | undefined;
}

/** What the connection is given: a check of the offered key, and the key types to ask the server for. */
export interface HostKeyPolicy {
  /** Undefined when the key is accepted; otherwise why not, naming the key seen and the ones expected. */
  refuse(key: Buffer): string | undefined;
  /** The host key algorithms to negotiate, so that the server offers a key of a pinned type; undefined: ssh2's own. */
  algorithms: string[] | undefined;
  /** Said on every call (the `accept-any` warning). */
  warnings: string[];
}

/** A known_hosts file larger than this is not someone's list of hosts. */
const MAX_KNOWN_HOSTS_BYTES = 16 * 1024 * 1024;

/** ssh2's host key algorithms, in its order of preference, by the key type each one checks. */
const ALGORITHMS_BY_KEY_TYPE: ReadonlyArray<readonly [algorithm: string, keyType: string]> = [
  ['ssh-ed25519', 'ssh-ed25519'],
  ['ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp256'],
  ['ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp384'],
  ['ecdsa-sha2-nistp521', 'ecdsa-sha2-nistp521'],
  ['rsa-sha2-512', 'ssh-rsa'],
  ['rsa-sha2-256', 'ssh-rsa'],
  ['ssh-rsa', 'ssh-rsa'],
  ['ssh-dss', 'ssh-dss'],
];

const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}=?$/;

/** The command that prints a server's host key fingerprints, for messages. */
export function keyscanCommand(host: string, port: number): string {
  return `ssh-keyscan -p ${port} ${host} | ssh-keygen -lf -`;
}

function describeKey(key: Buffer): string {
  return `${sshKeyType(key) ?? 'unknown-type'} ${sha256Fingerprint(key)}`;
}

export const ACCEPT_ANY_WARNING =
  "fetchReports: hostKey 'accept-any': the SFTP server's host key is not checked, so an impostor on the path would " +
  'receive the password; this is for tests only: pin hostKeySha256 or knownHosts';

/**
 * Turns the pin options into a check. Throws AmsConfigError, before any connection is opened, when nothing is pinned,
 * a fingerprint is malformed, or the known_hosts file cannot be read or lists no usable key for the host and port.
 */
export function hostKeyPolicy(options: HostKeyOptions): HostKeyPolicy {
  const { host, port } = options;
  const fingerprints = options.hostKeySha256 === undefined ? [] : [options.hostKeySha256].flat();
  const pinned = options.hostKeySha256 !== undefined || options.knownHosts !== undefined;
  if (options.hostKey !== undefined) {
    if (options.hostKey !== 'accept-any')
      throw new AmsConfigError(`fetchReports: hostKey can only be 'accept-any' (for tests), not ${showValue(options.hostKey, 20)}`, {
        field: 'hostKey',
      });
    if (pinned)
      throw new AmsConfigError("fetchReports: hostKey 'accept-any' contradicts the pin given (hostKeySha256 or knownHosts): drop one", {
        field: 'hostKey',
      });
    return { refuse: () => undefined, algorithms: undefined, warnings: [ACCEPT_ANY_WARNING] };
  }
  if (!pinned) {
    throw new AmsConfigError(
      "fetchReports: the SFTP server's host key must be pinned, with hostKeySha256 (its SHA256 fingerprint) or knownHosts " +
        '(the path of an OpenSSH known_hosts file): without it an impostor on the path would receive the password. Print the ' +
        `fingerprints with: ${keyscanCommand(host, port)} and check the one you pin with Antom`,
      { field: 'hostKeySha256' },
    );
  }
  if (fingerprints.length === 0 && options.hostKeySha256 !== undefined)
    throw new AmsConfigError('fetchReports: hostKeySha256 is an empty list', { field: 'hostKeySha256' });
  for (const fp of fingerprints) {
    if (typeof fp !== 'string' || !FINGERPRINT.test(fp))
      throw new AmsConfigError(
        `fetchReports: hostKeySha256 must be a fingerprint as OpenSSH prints it (SHA256: and 43 base64 characters), not ${showValue(fp, 60)}; print it with: ${keyscanCommand(host, port)}`,
        { field: 'hostKeySha256' },
      );
  }
  const wanted = new Set(fingerprints.map((fp) => fp.replace(/=$/, '')));
  const known = options.knownHosts === undefined ? undefined : readKnownHosts(options.knownHosts, host, port);
  const expected = [
    ...[...wanted].map((fp) => `${fp} (hostKeySha256)`),
    ...(known?.trusted.map((k) => `${describeKey(k.key)} (${options.knownHosts} line ${k.line})`) ?? []),
  ];
  return {
    refuse(key) {
      const revoked = known?.revoked.find((k) => k.key.equals(key));
      if (revoked) return `the host key ${describeKey(key)} is marked @revoked (${options.knownHosts} line ${revoked.line})`;
      if (wanted.has(sha256Fingerprint(key)) || known?.trusted.some((k) => k.key.equals(key))) return undefined;
      return `the host key is not the pinned one: the server offered ${describeKey(key)}, expected ${expected.join(' or ')}`;
    },
    // With only a known_hosts pin, the server is asked for a key of a type the file lists (as OpenSSH does): a server
    // with an ed25519 and an RSA key would otherwise offer the ed25519 one even when only the RSA one is listed.
    algorithms: wanted.size === 0 && known ? known.algorithms : undefined,
    warnings: [],
  };
}

function readKnownHosts(path: string, host: string, port: number) {
  if (typeof path !== 'string' || path === '')
    throw new AmsConfigError('fetchReports: knownHosts must be the path of an OpenSSH known_hosts file', { field: 'knownHosts' });
  let text: string;
  try {
    if (statSync(path).size > MAX_KNOWN_HOSTS_BYTES)
      throw new AmsConfigError(`fetchReports: knownHosts ${path} is larger than 16 MiB: not a known_hosts file`, { field: 'knownHosts' });
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof AmsConfigError) throw err;
    const code = (err as NodeJS.ErrnoException | undefined)?.code ?? 'error';
    throw new AmsConfigError(`fetchReports: cannot read knownHosts ${path} (${code})`, { field: 'knownHosts', cause: err });
  }
  const keys = knownKeysFor(parseKnownHosts(text), host, port);
  const types = new Set(keys.trusted.map((k) => k.keyType));
  const algorithms = ALGORITHMS_BY_KEY_TYPE.filter(([, type]) => types.has(type)).map(([algorithm]) => algorithm);
  if (algorithms.length === 0) {
    const listed = keys.trusted.length ? ` (only keys of types this client cannot check: ${[...types].join(', ')})` : '';
    throw new AmsConfigError(
      `fetchReports: knownHosts ${path} lists no host key for ${keys.lookupName}${listed}${keys.notes.length ? `; ${keys.notes.join('; ')}` : ''}. ` +
        `Print the server's keys with: ${keyscanCommand(host, port)} and, once Antom has confirmed the fingerprint, add the ` +
        `line: ssh-keyscan -p ${port} ${host} >> ${path}`,
      { field: 'knownHosts' },
    );
  }
  const usable = keys.trusted.filter((k) => ALGORITHMS_BY_KEY_TYPE.some(([, type]) => type === k.keyType));
  return { trusted: usable, revoked: keys.revoked, algorithms };
}
