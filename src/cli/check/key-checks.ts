// `check`'s key lines: each key file loads, is the right half and RSA of the minimum size; Alipay's key is not your
// own; the uploaded public key matches the private key; the keyVersion is a token the Signature header accepts.
import { KEY_VERSION_RE } from '../../signing/header';
import { MIN_RSA_BITS } from '../../signing/keys';
import { formatWords, inspectKeyBytes, type KeyInspection } from '../key-inspect';
import { looksLikeKeyMaterial, shownPath } from '../io';
import type { CheckLine, ConfigFileReader } from './report';

interface KeyFacts {
  file: string;
  inspection: KeyInspection;
}

function keyFileChecks(
  lines: CheckLine[],
  role: 'private' | 'alipay' | 'merchantPublic',
  field: string,
  value: unknown,
  read: ConfigFileReader,
): KeyFacts | undefined {
  const label = role === 'private' ? 'private key' : role === 'alipay' ? 'Alipay public key' : 'merchant public key';
  const id = `key.${role}`;
  if (value === undefined) {
    lines.push({ id: `${id}.load`, status: 'skip', title: `${label} (${field})`, detail: `no ${field} given` });
    return undefined;
  }
  if (typeof value !== 'string' || value === '') {
    lines.push({
      id: `${id}.load`,
      status: 'fail',
      title: `${label} (${field})`,
      detail: `${field} must be a file path → give the path of the key file`,
    });
    return undefined;
  }
  if (looksLikeKeyMaterial(value)) {
    lines.push({
      id: `${id}.load`,
      status: 'fail',
      title: `${label} (${field})`,
      detail: `${field} holds key material itself, not a path (not shown) → put the key in a file and give its path`,
    });
    return undefined;
  }
  const got = read(value);
  if ('error' in got) {
    lines.push({
      id: `${id}.load`,
      status: 'fail',
      title: `${label} loads (${shownPath(value)})`,
      detail: `${got.error} → fix ${field} (paths are relative to the config file)`,
    });
    return undefined;
  }
  const insp = inspectKeyBytes(got.bytes);
  if (!insp.readable) {
    lines.push({
      id: `${id}.load`,
      status: 'fail',
      title: `${label} loads (${shownPath(value)})`,
      detail: `${insp.problem} → use the key file in PEM or bare base64`,
    });
    return undefined;
  }
  lines.push({
    id: `${id}.load`,
    status: 'pass',
    title: `${label} loads (${shownPath(value)})`,
    detail: `${formatWords(insp.format)}, ${insp.encoding}${insp.fingerprint ? `, fingerprint ${insp.fingerprint.slice(0, 16)}…` : ''}`,
  });
  const wantPrivate = role === 'private';
  const isPrivate = insp.type === 'private';
  lines.push(
    wantPrivate === isPrivate
      ? {
          id: `${id}.type`,
          status: 'pass',
          title: `${label} is a ${wantPrivate ? 'private' : 'public'} key`,
          detail: formatWords(insp.format),
        }
      : {
          id: `${id}.type`,
          status: 'fail',
          title: `${label} is a ${wantPrivate ? 'private' : 'public'} key`,
          detail: wantPrivate
            ? `${value} holds a public key → ${field} must be the private key you generated (keep it secret); the public half is what you upload to Alipay`
            : `${value} holds a PRIVATE key → never configure or share a private key as a public one; ${role === 'alipay' ? "download Alipay's public key from the Antom dashboard" : 'export the public half of your key'}, and if this private key was shared, replace it`,
        },
  );
  const rsaOk = insp.algorithm === 'RSA' && insp.bits !== undefined && insp.bits >= MIN_RSA_BITS;
  lines.push({
    id: `${id}.size`,
    status: rsaOk ? 'pass' : 'fail',
    title: `${label} is RSA, ${MIN_RSA_BITS} bits or more`,
    detail: rsaOk
      ? `RSA ${insp.bits} bits`
      : `${insp.problem ?? `found ${insp.algorithm ?? 'an unknown algorithm'} ${insp.bits ?? ''}`} → ${role === 'private' ? `generate a new RSA-${MIN_RSA_BITS} pair (ams-cashier keys generate --out DIR) and upload its public key` : 'use the RSA public key Alipay gives in the dashboard'}`,
  });
  return { file: value, inspection: insp };
}

/**
 * Runs every check on a parsed config. Pure apart from `read`, which supplies key files.
 * A config that is not an object is a usage error (exit 2); everything else becomes check lines.
 */

/** Every key line of a config, in the order a person fixes them. */
export function keyChecks(c: Record<string, unknown>, read: ConfigFileReader): CheckLine[] {
  const lines: CheckLine[] = [];
  const priv = keyFileChecks(lines, 'private', 'privateKeyFile', c.privateKeyFile, read);
  const alipay = keyFileChecks(lines, 'alipay', 'alipayPublicKeyFile', c.alipayPublicKeyFile, read);
  const merchantPub =
    c.merchantPublicKeyFile === undefined
      ? undefined
      : keyFileChecks(lines, 'merchantPublic', 'merchantPublicKeyFile', c.merchantPublicKeyFile, read);
  const alipayFp = alipay?.inspection.fingerprint;
  const own = [priv, merchantPub].filter((k): k is KeyFacts => k?.inspection.fingerprint !== undefined);
  if (alipayFp && own.length > 0) {
    const same = own.find((k) => k.inspection.fingerprint === alipayFp);
    lines.push(
      same
        ? {
            id: 'key.alipay.not-own',
            status: 'fail',
            title: 'Alipay public key is not your own public key',
            detail:
              `${alipay.file} is the public half of ${same.file}: that is YOUR key, and every Alipay response would fail verification → ` +
              "download Alipay's public key from the Antom dashboard (Developer → Key configuration) into alipayPublicKeyFile",
          }
        : {
            id: 'key.alipay.not-own',
            status: 'pass',
            title: 'Alipay public key is not your own public key',
            detail: 'fingerprints differ',
          },
    );
  }
  if (priv?.inspection.fingerprint && merchantPub?.inspection.fingerprint) {
    const match = priv.inspection.fingerprint === merchantPub.inspection.fingerprint;
    lines.push({
      id: 'key.merchantPublic.matches',
      status: match ? 'pass' : 'fail',
      title: 'merchant public key is the public half of the private key',
      detail: match
        ? 'fingerprints match'
        : `${merchantPub.file} is not the public half of ${priv.file} → Alipay verifies your requests with the public key you uploaded: upload the public half of privateKeyFile (ams-cashier keys inspect shows fingerprints)`,
    });
  }
  if (c.keyVersion !== undefined) {
    const kv = typeof c.keyVersion === 'number' ? String(c.keyVersion) : c.keyVersion;
    const ok = typeof kv === 'string' && KEY_VERSION_RE.test(kv);
    lines.push({
      id: 'key.version',
      status: ok ? 'pass' : 'fail',
      title: 'keyVersion is a short token',
      detail: ok
        ? `keyVersion=${kv}`
        : `${JSON.stringify(c.keyVersion)} is not a key version → use the version number shown next to your uploaded key, such as "1"`,
    });
  }
  return lines;
}
