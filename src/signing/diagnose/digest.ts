// RSA public-key recovery of a signature's DigestInfo: tells "wrong key" apart from "wrong content" without guessing.
import { constants, publicDecrypt, type KeyObject } from 'node:crypto';

const SHA256_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');
const SHA256_PREFIX_NO_NULL = Buffer.from('302f300b0609608648016503040201' + '0420', 'hex');
const DIGEST_INFO: [string, Buffer][] = [
  ['SHA-1', Buffer.from('3021300906052b0e03021a05000414', 'hex')],
  ['SHA-384', Buffer.from('3041300d060960864801650304020205000430', 'hex')],
  ['SHA-512', Buffer.from('3051300d060960864801650304020305000440', 'hex')],
  ['MD5', Buffer.from('3020300c06082a864886f70d020505000410', 'hex')],
];

export type Recovered = { kind: 'sha256'; digest: Buffer } | { kind: 'other'; algorithm: string } | { kind: 'none' };

/** The digest the signature carries under this key, or what else it carries. */
export function recoverDigest(signatureBase64: string, key: KeyObject): Recovered {
  let info: Buffer;
  try {
    info = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return { kind: 'none' };
  }
  if (info.length === 51 && info.subarray(0, 19).equals(SHA256_PREFIX)) return { kind: 'sha256', digest: info.subarray(19) };
  if (info.length === 49 && info.subarray(0, 17).equals(SHA256_PREFIX_NO_NULL)) return { kind: 'sha256', digest: info.subarray(17) };
  for (const [algorithm, prefix] of DIGEST_INFO) if (info.subarray(0, prefix.length).equals(prefix)) return { kind: 'other', algorithm };
  return { kind: 'other', algorithm: info.length === 32 ? 'a bare SHA-256 hash without DigestInfo' : 'an unknown digest' };
}
