// Finds why an AMS signature does not verify: tries the cheap variants (body, path, time, key, encoding) and names the one that does.
// No I/O: keys come in as KeyObjects, everything else as strings and bytes. The variants and the search live in ./diagnose/.
import type { KeyObject } from 'node:crypto';
import { AmsSignatureError } from '../errors';
import { getCryptoBackend } from './backend';
import { publicKeyFingerprint } from './keys';
import { verifySignature } from './sign';
import { recoverDigest } from './diagnose/digest';
import { SEARCH_BYTES, searchContent, type Search } from './diagnose/search';
import { extractSignatureValue, signatureVariants } from './diagnose/signature-variants';
import { change, type Change, type DiagnoseKeys, type Diagnosis, type VerifyCase } from './diagnose/types';

export { extractSignatureValue, signatureVariants } from './diagnose/signature-variants';
export { recoverDigest } from './diagnose/digest';
export type { CauseCode, Change, DiagnoseKeys, Diagnosis, Dimension, VerifyCase } from './diagnose/types';

function modulusBytes(key: KeyObject): number | undefined {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  return bits === undefined ? undefined : Math.ceil(bits / 8);
}

/**
 * Decides whether the signature verifies as given and, when it does not, why: it tries the cheap variants
 * (body bytes, path, time, encoding of the signature, the merchant's key) and reports the one that verifies,
 * or the most likely cause. Deterministic; no I/O.
 */
export function diagnoseSignature(input: VerifyCase, keys: DiagnoseKeys): Diagnosis {
  const notes: string[] = [];
  const search: Search = { tried: 1, bytesLeft: SEARCH_BYTES };
  const backend = getCryptoBackend();
  const ownKeyGiven =
    keys.merchantPublicKey !== undefined && publicKeyFingerprint(keys.merchantPublicKey) === publicKeyFingerprint(keys.publicKey);

  let valid = false;
  let malformed: string | undefined;
  try {
    valid = verifySignature({
      method: input.method,
      path: input.path,
      clientId: input.clientId,
      time: input.time,
      body: input.body,
      signature: input.signature,
      publicKey: keys.publicKey,
    });
  } catch (err) {
    if (!(err instanceof AmsSignatureError)) throw err;
    malformed = err.message;
  }
  const { header, value } = extractSignatureValue(input.signature);
  // Worded by verdict: a valid signature given decoded is fine, and a note must not read as if it were the problem.
  if (header && /[+/=]/.test(value) && malformed === undefined)
    notes.push(
      valid
        ? 'The signature was given URL-decoded (+ / = as such), which is what verifying needs; on the wire AMS headers carry it encodeURIComponent-ed (%2B %2F %3D).'
        : 'The signature in the header is not URL-encoded (+ / = appear as such): AMS headers carry encodeURIComponent(signature), %2B %2F %3D; a "+" is easily turned into a space on the way.',
    );
  if (!header && malformed === undefined) notes.push('A bare signature was given; it was read as the signature= part of a header.');

  if (valid) {
    if (ownKeyGiven)
      notes.push(
        "The key you verified with is your own (merchant) public key: that is right for checking your own request signatures, but Alipay's responses and notifications verify with Alipay's public key.",
      );
    return {
      valid,
      code: 'valid',
      message: 'The signature is valid for exactly the content given.',
      keyMatchesSignature: true,
      notes,
      tried: search.tried,
    };
  }

  if (ownKeyGiven) {
    return {
      valid,
      code: 'own_public_key',
      message:
        "The public key given as Alipay's is your own (merchant) public key — the same fingerprint as --merchant-public-key. Responses and notifications are signed by Alipay: verify them with Alipay's public key from the Antom dashboard (Developer → Key configuration).",
      keyMatchesSignature: false,
      notes,
      tried: search.tried,
    };
  }

  const sigs = signatureVariants(input.signature);
  const keyList: { key: KeyObject; changes: Change[] }[] = [{ key: keys.publicKey, changes: [] }];
  if (keys.merchantPublicKey)
    keyList.push({
      key: keys.merchantPublicKey,
      changes: [
        change(
          'key',
          'merchant',
          'your own (merchant) public key',
          "It was signed with your merchant private key, not by Alipay: this is a request you signed (Alipay verifies those with the public key you uploaded). Alipay's responses and notifications verify with Alipay's public key.",
        ),
      ],
    });

  let keyMatches: boolean | undefined = false;
  let otherAlgorithm: string | undefined;
  for (const k of keyList)
    for (const s of sigs) {
      const rec = recoverDigest(s.value, k.key);
      search.tried++;
      if (rec.kind === 'none') continue;
      if (k.changes.length === 0) keyMatches = true;
      if (rec.kind === 'other') {
        otherAlgorithm ??= rec.algorithm;
        continue;
      }
      const found = searchContent(input, rec.digest, search, 2);
      if (search.cutShort && !notes.some((n) => n.startsWith('The search for a variant stopped')))
        notes.push(
          `The search for a variant stopped after ${search.tried} tries: the body is ${input.body.byteLength} bytes, and each try hashes it whole. Compare the content yourself, or diagnose a shorter body.`,
        );
      // Confirm with the real verifier before naming it.
      if (found && backend.verify(found.content, s.value, k.key)) {
        const changes = [...s.changes, ...k.changes, ...found.changes];
        if (changes.length === 0) {
          // Nothing had to change: a bare signature (not a header value), valid for exactly the content given.
          return {
            valid: true,
            code: 'valid',
            message: 'The signature is valid for exactly the content given.',
            keyMatchesSignature: true,
            notes: [
              ...notes,
              'It was given as a bare signature; the header form is algorithm=RSA256,keyVersion=1,signature=<encodeURIComponent(signature)>.',
            ],
            tried: search.tried,
          };
        }
        return {
          valid,
          code: changes.some((c) => c.id === 'key.merchant') && changes.length === 1 ? 'signed_by_merchant_key' : 'variant_found',
          message: `It verifies with ${changes.map((c) => c.variant).join(' + ')}. ${changes.map((c) => c.cause).join(' ')}`,
          match: { changes, content: found.content.toString('utf8') },
          keyMatchesSignature: k.changes.length === 0,
          notes: malformed ? [...notes, malformed] : notes,
          tried: search.tried,
        };
      }
      if (k.changes.length > 0) {
        return {
          valid,
          code: 'signed_by_merchant_key',
          message:
            "The signature was made with your merchant private key, not by Alipay (it matches --merchant-public-key), and the content also differs from what was signed. Alipay's responses and notifications verify with Alipay's public key.",
          keyMatchesSignature: false,
          notes,
          tried: search.tried,
        };
      }
    }

  if (malformed && sigs.length === 0) {
    return {
      valid,
      code: 'malformed_signature',
      message: `${malformed}. Give the Signature header value (algorithm=RSA256,keyVersion=1,signature=…) or the base64 signature.`,
      keyMatchesSignature: undefined,
      notes,
      tried: search.tried,
    };
  }
  if (otherAlgorithm) {
    return {
      valid,
      code: 'wrong_algorithm',
      message: `The key is right, but the signature was made with ${otherAlgorithm} instead of SHA-256: AMS uses RSA256 (SHA256withRSA, RSASSA-PKCS1-v1_5).`,
      keyMatchesSignature: true,
      notes,
      tried: search.tried,
    };
  }
  if (keyMatches) {
    return {
      valid,
      code: 'content_differs',
      message:
        'The key is right (the signature was made with its private half), so the signed content differs from what you gave in a way none of the cheap variants explains: ' +
        'compare the body bytes, the path, the client id and the time exactly. Run `ams-cashier sign` on the sender side to see the exact content that is signed.',
      keyMatchesSignature: true,
      notes,
      tried: search.tried,
    };
  }
  const expected = modulusBytes(keys.publicKey);
  const sigLength = sigs[0] ? Buffer.from(sigs[0].value, 'base64').length : undefined;
  if (expected !== undefined && sigLength !== undefined && sigLength !== expected) {
    return {
      valid,
      code: 'signature_length',
      message: `The signature is ${sigLength} bytes but a ${expected * 8}-bit key makes ${expected}-byte signatures: it was truncated or damaged on the way, or belongs to a different key.`,
      keyMatchesSignature: false,
      notes,
      tried: search.tried,
    };
  }
  return {
    valid,
    code: 'wrong_key',
    message:
      "The signature was not made with the private half of this public key, so no change of content can make it verify. Check the key: responses and notifications need Alipay's public key (not your own; give it with --merchant-public-key to check), and sandbox and production keys differ.",
    keyMatchesSignature: false,
    notes: malformed ? [...notes, malformed] : notes,
    tried: search.tried,
  };
}
